package io.github.cidrguard.trace;

import io.github.cidrguard.kube.Endpoint;
import io.github.cidrguard.kube.Kubernetes;
import io.github.cidrguard.kube.Lease;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.RpFilter;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.Underlay;
import io.github.cidrguard.net.Cidr;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The story of docs/architecture.md ("The story") on examples/scenarios/seed.yaml. */
class SeedScenarioTest {
    static Scenario seed() {
        return Scenario.load(Path.of(System.getProperty("cidrguard.root", ".."), "examples/scenarios/seed.yaml"));
    }

    static Scenario withRp(Scenario s, RpFilter rp) {
        return s.toBuilder().nodes(s.nodes().stream().map(n -> n.withRpFilter(rp)).toList()).build();
    }

    @Test
    void podToTheOtherNodeIsDroppedByRpFilterAfterFlannelsReturnRule() {
        Trace t = Tracer.of(seed()).trace("pod:10.252.100.5", "10.252.158.72", null);
        assertEquals(Verdict.DROPPED, t.verdict(), t.toJson());
        assertEquals(Reason.RP_FILTER, t.reason().orElseThrow());
        assertTrue(t.request().stream().anyMatch(h -> h.rule().equals(StoryTest.RETURN_RULE)
                && h.action().equals("RETURN") && h.node().equals("node-71")), t.toJson());
        assertTrue(t.toJson().contains("\"reason\" : \"RP_FILTER\""));
    }

    @Test
    void podToPodGoesThroughFlannel1() {
        Trace t = Tracer.of(seed()).trace("pod:10.252.100.5", "pod:default/busybox", null);
        assertEquals(Verdict.DELIVERED, t.verdict(), t.toJson());
        assertTrue(t.request().stream().anyMatch(h -> h.stage().equals("flannel.1") && h.action().equals("ENCAP")));
    }

    @Test
    void podToJenkinsClusterIpIsDeliveredByDnat() {
        Trace t = Tracer.of(seed()).trace("pod:default/busybox", "svc:default/jenkins:80/TCP", null);
        assertEquals(Verdict.DELIVERED, t.verdict(), t.toJson());
        assertTrue(t.request().stream().anyMatch(h -> h.action().equals("DNAT")));
        Trace same = Tracer.of(seed()).trace("pod:default/busybox", "10.252.77.85", "80/TCP");
        assertEquals(Verdict.DELIVERED, same.verdict());
    }

    @Test
    void nodeToNodeIsDelivered() {
        Trace t = Tracer.of(seed()).trace("node:node-71", "10.252.158.72", null);
        assertEquals(Verdict.DELIVERED, t.verdict(), t.toJson());
    }

    @Test
    void looseRpFilterDelivers() {
        Trace t = Tracer.of(withRp(seed(), RpFilter.LOOSE)).trace("pod:10.252.100.5", "10.252.158.72", null);
        // the lease host flannel@10.252.158.72 is not declared, so it keeps the strict default
        assertEquals(Verdict.DROPPED, t.verdict(), t.toJson());
        Scenario s = withRp(seed(), RpFilter.LOOSE);
        Scenario both = s.toBuilder().node(Node.of("node-72", "10.252.158.72")
                .withHostNetwork(Cidr.parse("10.252.158.0/24")).withRpFilter(RpFilter.LOOSE)).build();
        Trace d = Tracer.of(both).trace("pod:10.252.100.5", "node:node-72", null);
        assertEquals(Verdict.DELIVERED, d.verdict(), d.toJson());
    }

    @Test
    void antiSpoofingDrops() {
        Scenario s = withRp(seed(), RpFilter.OFF).toBuilder().underlay(new Underlay(true)).build();
        Trace t = Tracer.of(s).trace("pod:10.252.100.5", "10.252.158.72", null);
        assertEquals(Verdict.DROPPED, t.verdict(), t.toJson());
        assertEquals(Reason.ANTI_SPOOFING, t.reason().orElseThrow());
    }

    @Test
    void fixedNetworkDeliversWithSnatToTheNodeIp() {
        Scenario s = seed();
        var f = s.flannel().orElseThrow();
        Kubernetes k = s.kubernetes().orElseThrow();
        Scenario fixed = s.toBuilder()
                .flannel(f.withConfig("{\"Network\": \"10.244.0.0/16\", \"Backend\": {\"Type\": \"vxlan\"}}")
                        .withLeases(List.of(Lease.of("10.244.61.0-24", "10.252.158.72"))))
                .nodes(s.nodes().stream().map(n -> n.withPodCidr(Cidr.parse("10.244.100.0/24"))).toList())
                .kubernetes(k.withServices(k.services().stream()
                        .map(v -> v.withEndpoints(List.of(Endpoint.parse("10.244.100.5:8080")))).toList()))
                .pods(List.of())
                .build();
        Trace t = Tracer.of(fixed).trace("pod:10.244.100.5", "10.252.158.72", null);
        assertEquals(Verdict.DELIVERED, t.verdict(), t.toJson());
        assertTrue(t.request().stream().anyMatch(h -> h.action().equals("MASQUERADE")
                && h.packet().equals("10.252.158.71 > 10.252.158.72")), t.toJson());
    }

    @Test
    void unknownEndpointsNameWhatExists() {
        Tracer t = Tracer.of(seed());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.trace("pod:default/busybx", "10.252.158.72", null));
        assertTrue(e.getMessage().contains("no pod named default/busybx; known pods: default/busybox"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.trace("node:node-7", "10.252.158.72", null));
        assertTrue(e.getMessage().contains("known nodes: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.trace("node:node-71", "svc:default/x:80/TCP", null));
        assertTrue(e.getMessage().contains("known services: default/jenkins"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.trace("node:node-71", "10.252.158.72", "80/ICMP"));
        assertTrue(e.getMessage().contains("80/ICMP"), e.getMessage());
    }

    @Test
    void rulesRenderTheWholeNode() {
        String r = Tracer.of(seed()).rules("node-71");
        assertTrue(r.contains("*nat\n"));
        assertTrue(r.contains(StoryTest.RETURN_RULE + "\n"));
        assertTrue(r.contains("10.252.61.0/24 via 10.252.61.0 dev flannel.1 onlink\n"), r);
        assertTrue(r.contains("-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000\n"));
    }
}
