package io.github.cidrguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceCommandTest {
    static final String RETURN_RULE = "-A FLANNEL-POSTRTG -s 10.252.100.0/24 -d 10.252.0.0/16 -m comment --comment "
            + "\"flanneld masq\" -j RETURN";

    @Test
    void seedPodToOtherNodeIsDroppedByRpFilter() {
        Run r = Run.of("trace", Run.scenario("seed.yaml"), "--from", "pod:10.252.100.5", "--to", "10.252.158.72");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().startsWith("pod 10.252.100.5 (node-71) -> 10.252.158.72  ICMP\nDROPPED (RP_FILTER)\n"),
                r.out());
        assertTrue(r.out().contains(RETURN_RULE), r.out());
        assertTrue(r.out().contains("\nrequest:\n"), r.out());
    }

    @Test
    void deliveredExitsZeroAndJsonIsTheTrace() throws Exception {
        Run r = Run.of("trace", Run.scenario("seed.yaml"), "--from", "pod:default/busybox", "--to",
                "svc:default/jenkins:80/TCP", "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = CheckCommandTest.JSON.readTree(r.out());
        assertEquals("DELIVERED", j.get("verdict").asText());
        assertTrue(j.get("reason").isNull());
        assertTrue(j.get("request").size() > 0);
    }

    @Test
    void unknownEndpointIsBadInput() {
        Run r = Run.of("trace", Run.scenario("seed.yaml"), "--from", "pod:default/nobody", "--to", "10.252.158.72");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("cidrguard trace: no pod named default/nobody; known pods: default/busybox"),
                r.err());
        assertEquals(2, Run.of("trace", Run.scenario("seed.yaml"), "--to", "1.2.3.4").code(), "--from is required");
        assertEquals(2, Run.of("trace", Run.scenario("seed.yaml"), "--from", "node:node-71", "--to", "10.0.0.1",
                "--port", "99999/TCP").code());
    }
}
