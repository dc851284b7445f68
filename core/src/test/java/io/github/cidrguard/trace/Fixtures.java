package io.github.cidrguard.trace;

import io.github.cidrguard.kube.RpFilter;
import io.github.cidrguard.kube.ProxyMode;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;

import java.util.List;

/** The seed story's cluster (docs/architecture.md ("The story"), flannel.md §5.3), built directly as the engine's own description. */
final class Fixtures {
    private Fixtures() {
    }

    static Spec.SvcSpec jenkins() {
        return new Spec.SvcSpec("default/jenkins", IpAddress.parse("10.252.77.85"),
                List.of(new Spec.PortSpec(80, Protocol.TCP, 30080)),
                List.of(new Spec.EpSpec(IpAddress.parse("10.252.100.5"), 8080)), List.of());
    }

    static Spec seed() {
        return new Spec("seed-2017", Spec.Flannel.vxlan("10.252.0.0/16").withLeases(List.of(
                new Spec.LeaseSpec(Cidr.parse("10.252.61.0/24"), IpAddress.parse("10.252.158.72")))),
                List.of(Spec.NodeSpec.of("node-71", "10.252.158.71", "10.252.158.0/24", "10.252.100.0/24"),
                        Spec.NodeSpec.of("node-72", "10.252.158.72", "10.252.158.0/24", null)),
                List.of(Cidr.parse("10.252.77.0/24")),
                Spec.Proxy.of(ProxyMode.IPTABLES, "10.252.0.0/16"),
                List.of(jenkins()),
                List.of(new Spec.PodSpec("default/jenkins", IpAddress.parse("10.252.100.5"), "node-71"),
                        new Spec.PodSpec("default/busybox", IpAddress.parse("10.252.61.7"), "node-72")),
                List.of(), false);
    }

    /** The seed with the Network fixed to 10.244.0.0/16 (leases and pods moved into it). */
    static Spec fixed() {
        Spec s = seed();
        return new Spec("fixed", Spec.Flannel.vxlan("10.244.0.0/16").withLeases(List.of(
                new Spec.LeaseSpec(Cidr.parse("10.244.61.0/24"), IpAddress.parse("10.252.158.72")))),
                List.of(s.nodes().get(0).withPodCidr(Cidr.parse("10.244.100.0/24")), s.nodes().get(1)),
                s.serviceCidrs(), Spec.Proxy.of(ProxyMode.IPTABLES, "10.244.0.0/16"),
                List.of(new Spec.SvcSpec("default/jenkins", IpAddress.parse("10.252.77.85"),
                        List.of(new Spec.PortSpec(80, Protocol.TCP, 30080)),
                        List.of(new Spec.EpSpec(IpAddress.parse("10.244.100.5"), 8080)), List.of())),
                List.of(new Spec.PodSpec("default/jenkins", IpAddress.parse("10.244.100.5"), "node-71"),
                        new Spec.PodSpec("default/busybox", IpAddress.parse("10.244.61.7"), "node-72")),
                List.of(), false);
    }

    static Spec withRp(Spec s, RpFilter rp) {
        return s.withNodes(s.nodes().stream().map(n -> n.withRp(rp)).toList());
    }
}
