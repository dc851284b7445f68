package io.github.cidrguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoCommandTest {
    @Test
    void tellsTheStoryAndTheFixPasses() {
        Run r = Run.of("demo");
        assertEquals(0, r.code(), r.out() + r.err());
        String o = r.out();
        assertTrue(o.contains("the pod network is 10.252.0.0/16"), o);
        assertTrue(o.contains("ERROR    POD_NETWORK_CONTAINS_NODE_IP"), o);
        assertTrue(o.contains("Network 10.244.0.0/16"), o);
        assertTrue(o.contains("The hand fix 172.17.0.0/16 would not do"), o);
        assertTrue(o.contains("DROPPED (RP_FILTER)  pod 10.252.100.5 (node-71) -> 10.252.158.72"), o);
        assertTrue(o.contains(TraceCommandTest.RETURN_RULE), o);
        assertTrue(o.contains("DELIVERED  pod 10.244.1.5 (node-71) -> 10.252.158.72"), o);
        assertTrue(o.lines().count() <= 40, "one screen: " + o.lines().count() + " lines");
    }

    @Test
    void json() throws Exception {
        Run r = Run.of("demo", "--format", "json");
        assertEquals(0, r.code());
        JsonNode j = CheckCommandTest.JSON.readTree(r.out());
        assertEquals(4, j.get("diagnosis").get("summary").get("errors").asInt());
        assertEquals("10.244.0.0/16", j.get("network").asText());
        assertEquals(0, j.get("fixed").get("summary").get("errors").asInt());
        assertTrue(j.get("handFix").get("summary").get("errors").asInt() > 0);
        assertEquals("DROPPED", j.get("trace").get("verdict").asText());
        assertEquals("DELIVERED", j.get("fixedTrace").get("verdict").asText());
    }

    @Test
    void fixedPlanMovesLeasesPodsAndClusterCidr() {
        DemoCommand.Story s = DemoCommand.story();
        var f = s.fixed();
        assertEquals("10.244.1.0/24", f.nodes().get(0).podCidrs().get(0).toString());
        assertEquals("10.244.1.0-24", f.flannel().get().leases().get(0).key());
        assertEquals("10.244.2.7", f.pods().get(0).ip().toString());
        assertEquals("10.244.1.5:8080", f.kubernetes().get().services().get(0).endpoints().get(0).toString());
        assertEquals("10.244.0.0/16", f.kubernetes().get().kubeProxy().get().clusterCidrs().get(0).toString());
    }
}
