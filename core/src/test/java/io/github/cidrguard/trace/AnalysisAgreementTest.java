package io.github.cidrguard.trace;

import io.github.cidrguard.analysis.Analysis;
import io.github.cidrguard.analysis.FindingCode;
import io.github.cidrguard.analysis.Report;
import io.github.cidrguard.kube.DetectLocalMode;
import io.github.cidrguard.kube.Endpoint;
import io.github.cidrguard.kube.Flannel;
import io.github.cidrguard.kube.KubeProxy;
import io.github.cidrguard.kube.Kubernetes;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.ProxyMode;
import io.github.cidrguard.kube.RpFilter;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.Service;
import io.github.cidrguard.kube.ServicePort;
import io.github.cidrguard.kube.Underlay;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The analysis and the tracer agree on generated clusters (vxlan, one LAN, 2-4 nodes, a Network that is clean or
 * covers the LAN, random rp_filter and anti-spoofing), and reachability's shared-class answer equals a brute-force
 * trace of every atom.
 */
class AnalysisAgreementTest {

    record Plan(String lan, String network, List<RpFilter> rp, boolean antiSpoofing) {
    }

    @Provide
    Arbitrary<Plan> plans() {
        Arbitrary<String> lan = Arbitraries.of("10.10.0.0/24", "192.168.1.0/24");
        Arbitrary<String> net = Arbitraries.of("10.244.0.0/16", "10.10.0.0/16", "192.168.0.0/16");
        Arbitrary<List<RpFilter>> rp = Arbitraries.of(RpFilter.class).list().ofMinSize(2).ofMaxSize(4);
        return Combinators.combine(lan, net, rp, Arbitraries.of(true, false)).as(Plan::new);
    }

    static Scenario scenario(Plan p) {
        Cidr lan = Cidr.parse(p.lan());
        Cidr net = Cidr.parse(p.network());
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < p.rp().size(); i++) {
            Cidr lease = Cidr.of(net.first().plus(256L * (i + 200)), 24);
            nodes.add(Node.of("node-" + i, lan.first().plus(10 + i)).withHostNetwork(lan).withPodCidr(lease)
                    .withRpFilter(p.rp().get(i)));
        }
        IpAddress ep = nodes.get(0).podCidrs().get(0).first().plus(5);
        Service svc = new Service("default/web", List.of(IpAddress.parse("10.96.0.20")),
                List.of(ServicePort.parse("80/TCP")), List.of(), List.of(new Endpoint(ep, 8080)), List.of());
        KubeProxy kp = new KubeProxy(ProxyMode.IPTABLES, List.of(net), DetectLocalMode.CLUSTER_CIDR, false,
                List.of());
        return Scenario.builder("generated")
                .flannel(Flannel.of("{\"Network\": \"" + net + "\", \"Backend\": {\"Type\": \"vxlan\"}}"))
                .nodes(nodes)
                .kubernetes(new Kubernetes(List.of(Cidr.parse("10.96.0.0/12")),
                        List.of(IpAddress.parse("10.96.0.10")), Optional.of(kp), List.of(svc)))
                .underlay(new Underlay(p.antiSpoofing()))
                .build();
    }

    @Property(tries = 50)
    void overlapFindingsPredictFailingTraces(@ForAll("plans") Plan p) {
        Scenario s = scenario(p);
        Report report = Analysis.of(s);
        Tracer t = Tracer.of(s);
        List<Node> nodes = s.nodes();
        Cidr net = Cidr.parse(p.network());
        for (Node b : nodes) {
            boolean finding = report.findings(FindingCode.POD_NETWORK_CONTAINS_NODE_IP).stream()
                    .anyMatch(f -> f.range().orElse("").equals(b.ip() + "/32"));
            assertEquals(net.contains(b.ip()), finding, "analysis: " + b.name() + " in " + net);
            for (Node a : nodes) {
                if (a == b) {
                    continue;
                }
                boolean drops = p.antiSpoofing() || a.rpFilter() == RpFilter.STRICT
                        || b.rpFilter() == RpFilter.STRICT;
                Trace tr = t.trace("pod:" + a.podCidrs().get(0).first().plus(5), "node:" + b.name(), null);
                assertEquals(finding && drops, tr.verdict() != Verdict.DELIVERED,
                        "pods of " + a.name() + " -> " + b.name() + ": " + tr + "\n" + tr.explanation());
            }
        }
        Cidr lan = Cidr.parse(p.lan());
        boolean overlapFinding = report.has(FindingCode.POD_NETWORK_OVERLAPS_HOST_NETWORK);
        IpAddress lanHost = lan.first().plus(100);
        Trace toHost = t.trace("pod:" + nodes.get(0).podCidrs().get(0).first().plus(5), lanHost.toString(), null);
        assertEquals(overlapFinding, toHost.verdict() != Verdict.DELIVERED, toHost + ": " + toHost.explanation());
        if (report.errors() == 0) {
            for (Node a : nodes) {
                for (Node b : nodes) {
                    String pa = "pod:" + a.podCidrs().get(0).first().plus(5);
                    String pb = "pod:" + b.podCidrs().get(0).first().plus(7);
                    for (Trace tr : List.of(t.trace(pa, "node:" + b.name(), null), t.trace(pa, pb, null),
                            t.trace("node:" + a.name(), "node:" + b.name(), null),
                            t.trace(pa, "svc:default/web:80/TCP", null))) {
                        assertEquals(Verdict.DELIVERED, tr.verdict(), "clean report but " + tr + ": "
                                + tr.explanation() + "\n" + report.toJson());
                    }
                }
            }
        }
    }

    @Property(tries = 30)
    void reachabilityEqualsBruteForce(@ForAll("plans") Plan p) {
        Scenario s = scenario(p);
        Tracer t = Tracer.of(s);
        Plane plane = t.reachPlane();
        Reachability r = t.reach();
        long[] b = Reach.boundaries(plane);
        for (Reachability.Source src : r.sources()) {
            Walk.Client c = client(plane, src);
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
                assertEquals(w.verdict == Verdict.DELIVERED, f.isEmpty(), src.name() + " -> " + x + ": " + w.verdict
                        + " " + w.explanation);
                if (f.isPresent()) {
                    assertEquals(w.verdict, f.get().verdict(), src.name() + " -> " + x);
                    assertEquals(w.reason, f.get().reason(), src.name() + " -> " + x);
                }
            }
        }
    }

    static Walk.Client client(Plane plane, Reachability.Source src) {
        String name = src.name();
        IpAddress rep = IpAddress.parse(src.representative());
        if (name.startsWith("pods of ")) {
            return new Walk.Client(Owner.Kind.POD, plane.nodeByName.get(name.substring(8)), rep, name);
        }
        if (name.startsWith("node ")) {
            return new Walk.Client(Owner.Kind.NODE, plane.nodeByName.get(name.substring(5)), rep, name);
        }
        return new Walk.Client(Owner.Kind.NETWORK_HOST, -1, rep, name);
    }
}
