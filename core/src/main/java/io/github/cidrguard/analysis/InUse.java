package io.github.cidrguard.analysis;

import io.github.cidrguard.kube.DeclaredNetwork;
import io.github.cidrguard.kube.Kubernetes;
import io.github.cidrguard.kube.Lease;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Pod;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.Service;
import io.github.cidrguard.net.AddressSet;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpFamily;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything a scenario says is in use, declared or off limits: the ranges a new Network or service CIDR must
 * avoid. Reserved ranges of the platform and Docker's default pools are included.
 */
final class InUse {
    private InUse() {
    }

    /** The flannel config's facts, or empty when there is no flannel section or flanneld would reject it. */
    static Optional<FlannelFacts> flannel(Scenario s) {
        try {
            return s.flannel().map(f -> FlannelFacts.parse(f.config()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Every range the scenario knows, of both families. */
    static List<Cidr> ranges(Scenario s) {
        List<Cidr> out = new ArrayList<>();
        flannel(s).ifPresent(f -> {
            for (IpFamily fam : IpFamily.values()) {
                f.family(fam).ifPresent(x -> out.add(x.network()));
            }
        });
        s.flannel().ifPresent(f -> {
            for (Lease l : f.leases()) {
                LeaseFacts lf = LeaseFacts.of(l);
                out.add(lf.subnet());
                lf.ipv6Subnet().ifPresent(out::add);
                out.add(Cidr.of(l.publicIp()));
            }
        });
        for (Node n : s.nodes()) {
            n.ips().forEach(ip -> out.add(Cidr.of(ip)));
            n.publicIps().forEach(ip -> out.add(Cidr.of(ip)));
            out.addAll(n.hostNetworks());
            out.addAll(n.podCidrs());
            n.docker().ifPresent(out::add);
        }
        Kubernetes k = s.kubernetes().orElse(Kubernetes.empty());
        out.addAll(k.serviceCidrs());
        k.clusterDns().forEach(ip -> out.add(Cidr.of(ip)));
        k.kubeProxy().ifPresent(p -> {
            out.addAll(p.clusterCidrs());
            p.nodePortAddresses().stream().filter(Cidr::isValid).map(Cidr::parse).forEach(out::add);
        });
        k.controllerManager().ifPresent(cm -> out.addAll(cm.clusterCidrs()));
        s.loadBalancerPools().forEach(p -> p.addresses().forEach(r -> out.addAll(r.toCidrs())));
        for (Service svc : k.services()) {
            svc.loadBalancerIps().forEach(ip -> out.add(Cidr.of(ip)));
            svc.clusterIps().forEach(ip -> out.add(Cidr.of(ip)));
            svc.externalIps().forEach(ip -> out.add(Cidr.of(ip)));
            svc.endpoints().forEach(e -> out.add(Cidr.of(e.ip())));
        }
        for (Pod p : s.pods()) {
            out.add(Cidr.of(p.ip()));
        }
        for (DeclaredNetwork d : s.networks()) {
            out.add(d.cidr());
        }
        return out;
    }

    /** {@link #ranges} plus the platform's reserved ranges and Docker's default pools, as one set. */
    static AddressSet avoid(Scenario s) {
        List<Cidr> all = ranges(s);
        KnownRanges.reserved(s.platform()).forEach(r -> all.add(r.cidr()));
        all.addAll(KnownRanges.DOCKER_POOLS);
        return AddressSet.ofCidrs(all);
    }
}
