package io.github.cidrguard.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cidrguard.kube.ControllerManager;
import io.github.cidrguard.kube.Kubernetes;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.SubnetManager;
import io.github.cidrguard.net.AddressRange;
import io.github.cidrguard.net.AddressSet;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpFamily;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Replacement ranges for a scenario, found by {@link RangeSuggester}: flannel Networks and service CIDRs that overlap
 * nothing the scenario uses or declares, no reserved range of its platform, none of Docker's bridge and default
 * pools and no other tool's default range; best first (10.244.0.0/16 where free, then other RFC 1918 space, then
 * RFC 6598), each with its reasons. Networks are sized
 * for the nodes with at least 4× headroom in /24 subnets (flannel's default SubnetLen). Also reports the free space
 * and utilization of the current Network. IPv4 only: an IPv6 ULA has room for any cluster.
 *
 * <pre>{@code
 * Suggest s = Suggest.of(scenario);
 * Cidr network = s.networks().get(0).cidr();     // 10.244.0.0/16 for the seed
 * }</pre>
 */
public final class Suggest {
    /** How many proposals of each kind. */
    static final int COUNT = 5;
    /** flannel's default SubnetLen for a Network of /22 or wider. */
    static final int SUBNET_LEN = 24;
    static final int HEADROOM = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Suggestion> networks;
    private final List<Suggestion> serviceCidrs;
    private final List<NetworkUsage> usage;

    private Suggest(List<Suggestion> networks, List<Suggestion> serviceCidrs, List<NetworkUsage> usage) {
        this.networks = networks;
        this.serviceCidrs = serviceCidrs;
        this.usage = usage;
    }

    /** Works out the proposals and the current Network's usage for a scenario. */
    public static Suggest of(Scenario scenario) {
        AddressSet inUse = AddressSet.ofCidrs(InUse.ranges(scenario));
        int nodes = Math.max(1, scenario.nodes().size());
        // kube mode: kube-controller-manager's node mask, and every block of the cluster CIDR is allocatable
        boolean kube = scenario.subnetManager() == SubnetManager.KUBE;
        int subnetLen = kube ? kubeMask(scenario, IpFamily.IPV4) : SUBNET_LEN;
        // 2^k - 1 subnets (flannel skips the first) >= 4n  <=>  k >= bit length of 4n
        int need = 64 - Long.numberOfLeadingZeros((long) HEADROOM * nodes);
        int netLen = Math.max(8, Math.min(16, subnetLen - need));
        BigInteger subnets = BigInteger.ONE.shiftLeft(subnetLen - netLen).subtract(kube ? BigInteger.ZERO
                : BigInteger.ONE);
        String capacity = "holds " + subnets + (kube ? " podCIDRs of /" + subnetLen + " (kube-controller-manager's"
                + " --node-cidr-mask-size) for " : " subnets of /" + SUBNET_LEN + " (flannel's default SubnetLen) for ")
                + scenario.nodes().size() + (scenario.nodes().size() == 1 ? " node (" : " nodes (")
                + subnets.divide(BigInteger.valueOf(nodes)) + "× headroom)"
                + (kube ? "; set it as net-conf.json's Network and as kube-controller-manager's --cluster-cidr" : "");
        List<Suggestion> nets = new ArrayList<>();
        for (RangeSuggester.Suggestion x : RangeSuggester.avoiding(inUse).withPlatform(scenario.platform())
                .suggest(netLen, COUNT)) {
            List<String> reasons = new ArrayList<>(x.reasons());
            reasons.add(capacity);
            nets.add(new Suggestion(x.cidr(), reasons));
        }
        AddressSet forServices = nets.isEmpty() ? inUse : inUse.union(AddressSet.of(nets.get(0).cidr()));
        int svcLen = scenario.kubernetes().flatMap(k -> k.serviceCidr(IpFamily.IPV4))
                .map(s -> Math.max(12, Math.min(24, s.prefixLength()))).orElse(16);
        List<Suggestion> svcs = new ArrayList<>();
        for (RangeSuggester.Suggestion x : RangeSuggester.avoiding(forServices).withPlatform(scenario.platform())
                .suggest(svcLen, COUNT)) {
            List<String> reasons = new ArrayList<>(x.reasons());
            reasons.add(x.cidr().size().subtract(BigInteger.TWO) + " ClusterIPs, within kube-apiserver's /12 limit"
                    + (nets.isEmpty() ? "" : "; clear of the first proposed Network " + nets.get(0).cidr()));
            svcs.add(new Suggestion(x.cidr(), reasons));
        }
        return new Suggest(List.copyOf(nets), List.copyOf(svcs), usage(scenario));
    }

    private static List<NetworkUsage> usage(Scenario scenario) {
        Optional<FlannelFacts> facts = InUse.flannel(scenario);
        if (facts.isEmpty()) {
            return List.of();
        }
        List<NetworkUsage> out = new ArrayList<>();
        List<Cidr> leaseBlocks = new ArrayList<>();
        for (var l : scenario.flannel().get().leases()) {
            LeaseFacts lf = LeaseFacts.of(l);
            leaseBlocks.add(lf.subnet());
            lf.ipv6Subnet().ifPresent(leaseBlocks::add);
        }
        for (Node n : scenario.nodes()) {
            leaseBlocks.addAll(n.podCidrs());
        }
        List<Cidr> others = new ArrayList<>();
        for (Node n : scenario.nodes()) {
            n.ips().forEach(ip -> others.add(Cidr.of(ip)));
            others.addAll(n.hostNetworks());
            n.docker().ifPresent(others::add);
        }
        scenario.kubernetes().map(Kubernetes::serviceCidrs).ifPresent(others::addAll);
        scenario.networks().forEach(d -> others.add(d.cidr()));
        KnownRanges.reserved(scenario.platform()).forEach(r -> others.add(r.cidr()));
        boolean kube = scenario.subnetManager() == SubnetManager.KUBE;
        for (IpFamily fam : IpFamily.values()) {
            Optional<FlannelFacts.Family> f = facts.get().family(fam);
            if (f.isEmpty() || f.get().allocatable().isEmpty()) {
                continue;
            }
            // kube mode: the podCIDRs come from the cluster CIDR in blocks of the node mask, none skipped
            Cidr pool = kube ? scenario.kubernetes().flatMap(Kubernetes::controllerManager)
                    .flatMap(cm -> cm.clusterCidr(fam)).orElse(f.get().network()) : null;
            int len = kube ? kubeMask(scenario, fam) : f.get().subnetLen();
            if (kube && len < pool.prefixLength()) {
                continue;
            }
            AddressRange range = kube ? pool.toRange() : f.get().allocatable().get();
            BigInteger count = kube ? pool.subnetCount(len) : f.get().subnetCount();
            Set<Cidr> used = new LinkedHashSet<>();
            for (Cidr b : leaseBlocks) {
                if (b.family() == fam && range.overlaps(b.toRange())) {
                    if (b.prefixLength() >= len) {
                        used.add(b.withPrefixLength(len));
                    } else {
                        b.subnets(len).filter(x -> range.contains(x)).forEach(used::add);
                    }
                }
            }
            List<Cidr> taken = new ArrayList<>(leaseBlocks);
            taken.addAll(others);
            AddressSet free = AddressSet.ofRanges(List.of(range)).subtract(AddressSet.ofCidrs(taken));
            out.add(new NetworkUsage(f.get().network(), len, range, count, used.size(), free));
        }
        return List.copyOf(out);
    }

    /** kube-controller-manager's node mask of a family (its defaults /24 and /64 when the plan does not say). */
    private static int kubeMask(Scenario scenario, IpFamily family) {
        return scenario.kubernetes().flatMap(Kubernetes::controllerManager).orElse(ControllerManager.defaults())
                .nodeMask(family);
    }

    /** Proposed flannel Networks, best first (at most five; empty if nothing of the needed size is free). */
    public List<Suggestion> networks() {
        return networks;
    }

    /** Proposed service CIDRs, best first, the size of the current one (clamped to /12../24; /16 if none). */
    public List<Suggestion> serviceCidrs() {
        return serviceCidrs;
    }

    /** The current flannel Network's usage per family (IPv4 first); empty without a valid flannel config. */
    public List<NetworkUsage> usage() {
        return usage;
    }

    /**
     * The proposals as JSON: {@code {"networks": [{"cidr", "reasons"}], "serviceCidrs": [...], "usage": [{"network",
     * "subnetLen", "subnetRange", "subnets", "usedSubnets", "utilization", "free"}]}}.
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        write(root.putArray("networks"), networks);
        write(root.putArray("serviceCidrs"), serviceCidrs);
        ArrayNode u = root.putArray("usage");
        for (NetworkUsage n : usage) {
            ObjectNode o = u.addObject();
            o.put("network", n.network().toString());
            o.put("subnetLen", n.subnetLength());
            o.put("subnetRange", n.subnetRange().toString());
            o.put("subnets", n.subnets());
            o.put("usedSubnets", n.usedSubnets());
            o.put("utilization", Math.round(n.utilization() * 10000) / 10000.0);
            ArrayNode free = o.putArray("free");
            n.free().cidrs().forEach(c -> free.add(c.toString()));
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write suggestions", e);
        }
    }

    private static void write(ArrayNode arr, List<Suggestion> list) {
        for (Suggestion s : list) {
            ObjectNode o = arr.addObject();
            o.put("cidr", s.cidr().toString());
            ArrayNode r = o.putArray("reasons");
            s.reasons().forEach(r::add);
        }
    }
}
