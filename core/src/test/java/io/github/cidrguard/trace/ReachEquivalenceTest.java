package io.github.cidrguard.trace;

import io.github.cidrguard.kube.RpFilter;
import io.github.cidrguard.kube.ProxyMode;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reachability's shared classes give exactly what one trace per (source, atom) gives, on messier clusters than
 * {@link AnalysisAgreementTest}: two LANs, Docker on some nodes, every proxy mode and backend, a ClusterIP that may
 * equal a node IP, leases that may sit on the LAN, anti-spoofing, a LoadBalancer address on a node or on a LAN with
 * either traffic policy; and up to four "plain" LANs outside every other range (which Reach shares across LANs), with
 * a Service endpoint that may sit on a node's address and a LAN gateway that may be a node.
 */
class ReachEquivalenceTest {

    /** {@code lb}: 0 no LoadBalancer address, 1 one equal to the last node's IP, 2 one on a LAN. */
    record Mess(List<Integer> nodeKinds, ProxyMode mode, String backend, boolean vipOnNode, boolean leaseOnLan,
                boolean antiSpoofing, int plainLans, boolean endpointOnNode, boolean gatewayIsNode, int lb,
                boolean local) {
    }

    @Provide
    Arbitrary<Mess> messes() {
        // six flags as one list: Combinators.combine takes at most eight arbitraries
        return Combinators.combine(Arbitraries.integers().between(0, 11).list().ofMinSize(2).ofMaxSize(7),
                Arbitraries.of(ProxyMode.class), Arbitraries.of("vxlan", "host-gw", "udp", "ipip"),
                Arbitraries.of(true, false).list().ofSize(6), Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 2))
                .as((kinds, mode, backend, f, lans, lb) -> new Mess(kinds, mode, backend, f.get(0), f.get(1),
                        f.get(2), lans, f.get(3), f.get(4), lb, f.get(5)));
    }

    static Spec spec(Mess m) {
        List<Spec.NodeSpec> nodes = new ArrayList<>();
        Cidr lanA = Cidr.parse("10.10.0.0/24");
        Cidr lanB = Cidr.parse("10.10.1.0/24");
        for (int i = 0; i < m.nodeKinds().size(); i++) {
            int k = m.nodeKinds().get(i);
            Cidr lan = m.plainLans() > 0 ? Cidr.parse("192.168." + (k % m.plainLans()) + ".0/24")
                    : k % 2 == 0 ? lanA : lanB;
            Cidr lease = m.leaseOnLan() && i == 1 ? lanB : Cidr.parse("10.10." + (100 + i) + ".0/24");
            RpFilter rp = RpFilter.values()[(k / 2) % 3];
            // the LAN's gateway (.1, or .254 for the node at .1) may be a node that forwards for the others
            IpAddress ip = m.gatewayIsNode() && i == 0 ? lan.first().plus(1)
                    : m.gatewayIsNode() && i == 1 ? lan.last().plus(-1) : lan.first().plus(10 + i);
            nodes.add(new Spec.NodeSpec("n" + i, ip, lan, lease, rp,
                    k >= 6 ? Cidr.parse("172.17.0.0/16") : null));
        }
        IpAddress vip = m.vipOnNode() ? nodes.get(0).ip() : IpAddress.parse("10.96.0.20");
        Spec.SvcSpec svc = new Spec.SvcSpec("default/web", vip, List.of(new Spec.PortSpec(80, Protocol.TCP, 30080)),
                List.of(new Spec.EpSpec(m.endpointOnNode() ? nodes.get(nodes.size() - 1).ip()
                        : nodes.get(nodes.size() - 1).podCidr().first().plus(5), 8080)), List.of());
        if (m.lb() > 0) {
            IpAddress lb = m.lb() == 1 ? nodes.get(nodes.size() - 1).ip()
                    : IpAddress.parse(m.plainLans() > 0 ? "192.168.0.240" : "10.10.0.240");
            io.github.cidrguard.kube.TrafficPolicy p = m.local() ? io.github.cidrguard.kube.TrafficPolicy.LOCAL
                    : io.github.cidrguard.kube.TrafficPolicy.CLUSTER;
            svc = svc.withLoadBalancer(List.of(lb), p, p);
        }
        return new Spec("mess", Spec.Flannel.vxlan("10.10.0.0/16").withBackend(m.backend()), nodes,
                List.of(Cidr.parse("10.96.0.0/12")), Spec.Proxy.of(m.mode(), "10.10.0.0/16"), List.of(svc),
                List.of(), List.of(new Spec.NetSpec("vpn", Cidr.parse("172.17.0.0/16"))), m.antiSpoofing());
    }

    @Property(tries = 80)
    void sharedClassesEqualBruteForce(@ForAll("messes") Mess m) {
        Statistics.label("plain LANs").collect(m.plainLans());
        Tracer t = Tracer.of(spec(m));
        Plane plane = t.reachPlane();
        long[] b = Reach.boundaries(plane);
        for (Reachability.Source src : t.reach().sources()) {
            Walk.Client c = AnalysisAgreementTest.client(plane, src);
            for (int i = 0; i + 1 < b.length; i++) {
                IpAddress x = IpAddress.ofIpv4(b[i]);
                if (Plane.SPECIAL.contains(x)) {
                    continue;
                }
                Spec.SvcSpec svc = plane.svcByIp.get(x);
                Protocol proto = svc == null ? Protocol.ICMP : svc.ports().get(0).proto();
                int port = svc == null ? 0 : svc.ports().get(0).port();
                Walk w = new Walk(plane, c, false).run(x, proto, port);
                var f = src.failureFor(x);
                String what = m + ": " + src.name() + " -> " + x + ": " + w.verdict + " " + w.explanation;
                assertEquals(w.verdict == Verdict.DELIVERED, f.isEmpty(), what);
                f.ifPresent(ff -> assertEquals(w.reason, ff.reason(), what));
            }
        }
    }
}
