package io.github.cidrguard.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/architecture.md ("Traces")'s JSON shape. */
class TraceJsonTest {
    @Test
    void traceJsonHasTheFixedKeys() throws Exception {
        Trace t = Tracer.of(Fixtures.seed()).trace("pod:default/jenkins", "10.252.158.72", null);
        JsonNode j = new ObjectMapper().readTree(t.toJson());
        List<String> keys = new java.util.ArrayList<>();
        j.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("from", "to", "protocol", "verdict", "reason", "request", "reply", "explanation"), keys);
        assertEquals("pod default/jenkins 10.252.100.5 (node-71)", j.get("from").asText());
        assertEquals("10.252.158.72", j.get("to").asText());
        assertEquals("ICMP", j.get("protocol").asText());
        assertEquals("DROPPED", j.get("verdict").asText());
        assertEquals("RP_FILTER", j.get("reason").asText());
        for (JsonNode h : j.get("request")) {
            List<String> hk = new java.util.ArrayList<>();
            h.fieldNames().forEachRemaining(hk::add);
            assertEquals(List.of("node", "stage", "rule", "action", "packet"), hk);
        }
        assertTrue(j.get("explanation").asText().contains("rp_filter") || j.get("explanation").asText()
                .contains("reverse-path"));
        Trace ok = Tracer.of(Fixtures.seed()).trace("node:node-71", "svc:default/jenkins:80/TCP", null);
        JsonNode o = new ObjectMapper().readTree(ok.toJson());
        assertTrue(o.get("reason").isNull());
        assertEquals(80, o.get("port").asInt());
        assertEquals("TCP", o.get("protocol").asText());
    }

    @Test
    void reachJsonListsRanges() throws Exception {
        JsonNode j = new ObjectMapper().readTree(Tracer.of(Fixtures.seed()).reach().toJson());
        assertEquals(1, j.get("cidrguard").asInt());
        JsonNode first = j.get("sources").get(0);
        assertEquals("pods of node-71", first.get("source").asText());
        assertTrue(first.get("failures").size() > 0);
        JsonNode f = first.get("failures").get(0);
        assertTrue(f.has("range") && f.has("verdict") && f.has("reason"));
    }
}
