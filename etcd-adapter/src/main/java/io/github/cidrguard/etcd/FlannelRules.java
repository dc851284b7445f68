package io.github.cidrguard.etcd;

import io.github.cidrguard.analysis.Analysis;
import io.github.cidrguard.analysis.Finding;
import io.github.cidrguard.analysis.FindingCode;
import io.github.cidrguard.analysis.Severity;
import io.github.cidrguard.flannel.FlannelConfig;
import io.github.cidrguard.flannel.FlannelConfigException;
import io.github.cidrguard.flannel.LeaseAttrs;
import io.github.cidrguard.flannel.LeaseAttrsException;
import io.github.cidrguard.flannel.SubnetKey;
import io.github.cidrguard.kube.Flannel;
import io.github.cidrguard.kube.Lease;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * flannel's semantics as the adapter needs them, on core's model: {@link FlannelConfig} for validity and rewrites,
 * {@link SubnetKey} for keys, flannel's {@code isSubnetConfigCompat} for leases, and {@link Analysis} for findings.
 */
enum FlannelRules implements ConfigRules {
    INSTANCE;

    private static final String KEEP_REASON = "fits SubnetLen and SubnetMin..SubnetMax; flanneld reuses it";

    @Override
    public void requireValid(String key, String configJson) {
        try {
            FlannelConfig.parse(configJson);
        } catch (FlannelConfigException e) {
            throw invalid(key, configJson, e);
        }
    }

    private static StoredConfigInvalidException invalid(String key, String configJson, FlannelConfigException e) {
        return new StoredConfigInvalidException(key, configJson, "config " + Texts.shorten(configJson) + " for " + key
                + " is one flanneld rejects: " + e.getMessage() + ". Fix it (cidrguard flannel check shows flannel's"
                + " verdict) before writing it.", e);
    }

    @Override
    public List<Finding> check(String configJson, List<StoredLease> leases, boolean leasesStay, Scenario scenario) {
        List<Lease> parsed = new ArrayList<>();
        Set<IpAddress> owners = new LinkedHashSet<>();
        for (StoredLease l : leases) {
            Optional<IpAddress> ip = publicIp(l.value()).filter(a -> !a.isZero());
            if (ip.isPresent() && SubnetKey.isValid(l.key())) {
                parsed.add(new Lease(l.name(), ip.get()));
                owners.add(ip.get());
            }
        }
        Scenario.Builder b;
        boolean ipMasq = true;
        if (scenario != null) {
            b = scenario.toBuilder();
            ipMasq = scenario.flannel().map(Flannel::ipMasq).orElse(true);
        } else {
            // Without a cluster model, the lease owners are the nodes: each flanneld registers its node's IP.
            List<Node> nodes = new ArrayList<>();
            for (IpAddress ip : owners) {
                nodes.add(Node.of(ip.toString(), ip));
            }
            b = Scenario.builder("etcd").nodes(nodes);
        }
        b.flannel(new Flannel(configJson, ipMasq, leasesStay ? parsed : List.of()));
        return Analysis.of(b.build()).findings();
    }

    @Override
    public Function<StoredLease, LeaseAudit> auditor(String configJson) {
        FlannelConfig c = FlannelConfig.parse(configJson);
        return lease -> audit(c, lease);
    }

    /** flannel's tryAcquireLease step 2 (flannel v0.28.9 pkg/subnet/etcd/local_manager.go, tryAcquireLease) for one lease. */
    private static LeaseAudit audit(FlannelConfig c, StoredLease lease) {
        SubnetKey k;
        try {
            k = SubnetKey.parse(lease.key());
        } catch (IllegalArgumentException e) {
            return new LeaseAudit(lease, LeaseAudit.Fate.IGNORED, "flanneld skips " + lease.key()
                    + ": not a subnet key (\"Ignoring bad subnet node\"): " + e.getMessage());
        }
        if (publicIp(lease.value()).isEmpty()) {
            return new LeaseAudit(lease, LeaseAudit.Fate.IGNORED, "flanneld skips " + lease.key()
                    + ": it cannot decode the value (\"Ignoring bad subnet node\")");
        }
        if (c.enableIPv4()) {
            Optional<String> why = misfit(k.address(), k.prefixLength(), c.subnetLen(), c.subnetMin(), c.subnetMax(),
                    "SubnetLen", "SubnetMin", "SubnetMax");
            if (why.isPresent()) {
                return new LeaseAudit(lease, LeaseAudit.Fate.DELETE_AND_RELEASE, "lease " + k + " " + why.get());
            }
        }
        if (c.enableIPv6()) {
            if (k.ipv6Address().isEmpty()) {
                return new LeaseAudit(lease, LeaseAudit.Fate.DELETE_AND_RELEASE, "lease " + k
                        + " has no IPv6 subnet but EnableIPv6 is on");
            }
            Optional<String> why = misfit(k.ipv6Address().get(), k.ipv6Subnet().orElseThrow().prefixLength(),
                    c.ipv6SubnetLen(), c.ipv6SubnetMin(), c.ipv6SubnetMax(), "IPv6SubnetLen", "IPv6SubnetMin",
                    "IPv6SubnetMax");
            if (why.isPresent()) {
                return new LeaseAudit(lease, LeaseAudit.Fate.DELETE_AND_RELEASE, "lease " + k + " " + why.get());
            }
        } else if (k.ipv6Address().isPresent()) {
            return new LeaseAudit(lease, LeaseAudit.Fate.DELETE_AND_RELEASE, "lease " + k
                    + " has an IPv6 subnet but EnableIPv6 is off");
        }
        return new LeaseAudit(lease, LeaseAudit.Fate.KEEP, KEEP_REASON);
    }

    private static Optional<String> misfit(IpAddress ip, int len, int subnetLen, Optional<IpAddress> min,
            Optional<IpAddress> max, String lenName, String minName, String maxName) {
        if (len != subnetLen) {
            return Optional.of("is a /" + len + " but " + lenName + " is " + subnetLen);
        }
        if (min.isPresent() && ip.compareTo(min.get()) < 0) {
            return Optional.of("lies below " + minName + " " + min.get());
        }
        if (max.isPresent() && ip.compareTo(max.get()) > 0) {
            return Optional.of("lies above " + maxName + " " + max.get());
        }
        return Optional.empty();
    }

    @Override
    public String withNetwork(String key, String configJson, Cidr network) {
        FlannelConfig c;
        try {
            c = FlannelConfig.parse(configJson);
        } catch (FlannelConfigException e) {
            throw new StoredConfigInvalidException(key, configJson, "stored config " + Texts.shorten(configJson)
                    + " at " + key + " is one flanneld rejects (" + e.getMessage() + "), so only its Network cannot"
                    + " be changed; plan a whole new config instead", e);
        }
        try {
            return c.withNetwork(network).toJson();
        } catch (FlannelConfigException e) {
            throw new IllegalArgumentException("Network " + network + " does not fit the stored config at " + key
                    + ": " + e.getMessage() + "; plan a whole new config that adjusts the other fields too", e);
        }
    }

    /**
     * The lease's PublicIP when flanneld can decode the value ({@link LeaseAttrs#parse}); {@code 0.0.0.0} when the
     * value has none (an IPv6-only lease).
     */
    static Optional<IpAddress> publicIp(String leaseValue) {
        try {
            return Optional.of(LeaseAttrs.parse(leaseValue).publicIP());
        } catch (LeaseAttrsException e) {
            return Optional.empty();
        }
    }
}
