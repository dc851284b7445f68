package io.github.cidrguard.trace;

import io.github.cidrguard.kube.RpFilter;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoryTest {
    static final String RETURN_RULE =
            "-A FLANNEL-POSTRTG -s 10.252.100.0/24 -d 10.252.0.0/16 -m comment --comment \"flanneld masq\" -j RETURN";

    static boolean has(Trace t, String rule) {
        return t.request().stream().anyMatch(h -> h.rule().equals(rule))
                || t.reply().stream().anyMatch(h -> h.rule().equals(rule));
    }

    @Test
    void podToOtherNodeIsDroppedByRpFilter() {
        Trace t = Tracer.of(Fixtures.seed()).trace("pod:default/jenkins", "10.252.158.72", null);
        assertEquals(Verdict.DROPPED, t.verdict(), t.toJson());
        assertEquals(Reason.RP_FILTER, t.reason().orElseThrow());
        assertTrue(t.request().stream().anyMatch(h -> h.rule().equals(RETURN_RULE)
                && h.stage().equals("nat/POSTROUTING") && h.action().equals("RETURN")
                && h.packet().equals("10.252.100.5 > 10.252.158.72")), t.toJson());
        assertEquals("pod default/jenkins 10.252.100.5 (node-71)", t.from());
        assertTrue(t.toJson().contains("\"verdict\" : \"DROPPED\""));
    }

    @Test
    void podToPodIsDeliveredThroughVxlan() {
        Trace t = Tracer.of(Fixtures.seed()).trace("pod:default/jenkins", "pod:default/busybox", null);
        assertEquals(Verdict.DELIVERED, t.verdict(), t.toJson());
        assertTrue(t.request().stream().anyMatch(h -> h.rule().equals("10.252.61.0/24 via 10.252.61.0 dev flannel.1 onlink")));
        assertTrue(t.request().stream().anyMatch(h -> h.action().equals("ENCAP")));
        assertTrue(t.reply().stream().anyMatch(h -> h.action().equals("ENCAP")));
    }

    @Test
    void podToClusterIpIsDeliveredByDnat() {
        Trace t = Tracer.of(Fixtures.seed()).trace("pod:default/busybox", "svc:default/jenkins:80/TCP", null);
        assertEquals(Verdict.DELIVERED, t.verdict(), t.toJson());
        assertTrue(t.request().stream().anyMatch(h -> h.action().equals("DNAT")
                && h.rule().endsWith("-j DNAT --to-destination 10.252.100.5:8080")), t.toJson());
        assertTrue(t.reply().stream().anyMatch(h -> h.action().equals("UNDNAT")), t.toJson());
    }

    @Test
    void nodeToNodeIsDelivered() {
        Trace t = Tracer.of(Fixtures.seed()).trace("node:node-71", "node:node-72", null);
        assertEquals(Verdict.DELIVERED, t.verdict(), t.toJson());
    }

    @Test
    void looseRpFilterDelivers() {
        Trace t = Tracer.of(Fixtures.withRp(Fixtures.seed(), RpFilter.LOOSE))
                .trace("pod:default/jenkins", "10.252.158.72", null);
        assertEquals(Verdict.DELIVERED, t.verdict(), t.toJson());
        // asymmetric: the reply comes back through the tunnel
        assertTrue(t.reply().stream().anyMatch(h -> h.action().equals("ENCAP")), t.toJson());
    }

    @Test
    void antiSpoofingDrops() {
        Trace t = Tracer.of(Fixtures.withRp(Fixtures.seed(), RpFilter.LOOSE).withAntiSpoofing(true))
                .trace("pod:default/jenkins", "10.252.158.72", null);
        assertEquals(Verdict.DROPPED, t.verdict(), t.toJson());
        assertEquals(Reason.ANTI_SPOOFING, t.reason().orElseThrow());
    }

    @Test
    void fixedNetworkDeliversWithSnatToTheNodeIp() {
        Trace t = Tracer.of(Fixtures.fixed()).trace("pod:default/jenkins", "10.252.158.72", null);
        assertEquals(Verdict.DELIVERED, t.verdict(), t.toJson());
        assertTrue(t.request().stream().anyMatch(h -> h.action().equals("MASQUERADE")
                && h.rule().equals("-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "
                + "\"flanneld masq\" -j MASQUERADE --random-fully")
                && h.packet().equals("10.252.158.71 > 10.252.158.72")), t.toJson());
    }
}
