package io.github.cidrguard.trace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A hop's typed stage and action beside its strings, and every hop of real traces typed without error. */
class HopKindTest {

    @ParameterizedTest(name = "{0} / {2}")
    @CsvSource(delimiter = '|', value = {
        "nat/PREROUTING|NETFILTER|JUMP KUBE-SERVICES|JUMP",
        "ip kube-proxy/nat-prerouting|NETFILTER|DNAT|DNAT",
        "routing|ROUTING|ROUTE|ROUTE",
        "pod routing|POD_ROUTING|UNREACHABLE|UNREACHABLE",
        "bridge|BRIDGE|BRIDGE|BRIDGE",
        "rp_filter|RP_FILTER|ACCEPT|ACCEPT",
        "conntrack|CONNTRACK|UNSNAT|UNSNAT",
        "ipvs|IPVS|DNAT|DNAT",
        "neighbour|NEIGHBOUR|UNREACHABLE|UNREACHABLE",
        "flannel.1|TUNNEL|ENCAP|ENCAP",
        "underlay|UNDERLAY|FORWARD|FORWARD",
        "deliver|DELIVER|DELIVER|DELIVER"})
    void typedFromTheStrings(String stage, Hop.Stage kind, String action, Hop.Action actionKind) {
        Hop h = new Hop("node-71", stage, "", action, "");
        assertEquals(kind, h.stageKind());
        assertEquals(actionKind, h.actionKind());
        assertEquals(stage, h.stage());
        assertEquals(action, h.action());
    }

    @Test
    void aJumpNamesItsChain() {
        assertEquals(Optional.of("KUBE-SVC-X"), new Hop("n", "nat/OUTPUT", "", "GOTO KUBE-SVC-X", "").jumpTarget());
        assertEquals(Optional.empty(), new Hop("n", "nat/OUTPUT", "", "ACCEPT", "").jumpTarget());
        assertThrows(IllegalArgumentException.class, () -> new Hop("n", "x", "", "TELEPORT", "").actionKind());
    }

    @Test
    void everyHopOfTheFixturesTracesIsTyped() {
        Tracer t = Tracer.of(Fixtures.fixed());
        int hops = 0;
        for (String to : List.of("svc:default/jenkins:80/TCP", "node:node-72", "pod:default/busybox", "8.8.8.8")) {
            Trace tr = t.trace("pod:default/busybox", to, to.startsWith("svc:") ? null : "80/TCP");
            for (Hop h : tr.request()) {
                h.actionKind();
                h.stageKind();
                hops++;
            }
            for (Hop h : tr.reply()) {
                h.actionKind();
                hops++;
            }
        }
        assertFalse(hops == 0, "no hop was typed");
    }
}
