package io.github.cidrguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReachCommandTest {
    @Test
    void seedHasAnRpFilterHole() {
        Run r = Run.of("reach", Run.scenario("seed.yaml"));
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().startsWith("pods of node-71 (traced from 10.252.100.2): 6 ranges not delivered\n"), r.out());
        assertTrue(r.out().contains("  10.252.158.72/32              DROPPED    RP_FILTER\n"), r.out());
    }

    @Test
    void cleanOnlyLacksRoutesToUnassignedSpace() throws Exception {
        Run r = Run.of("reach", Run.scenario("clean.yaml"), "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = CheckCommandTest.JSON.readTree(r.out());
        assertEquals("clean", j.get("scenario").asText());
        for (JsonNode s : j.get("sources")) {
            for (JsonNode f : s.get("failures")) {
                assertEquals("NO_ROUTE", f.get("verdict").asText(), r.out());
            }
        }
    }

    /** A pod nobody can route to is breakage, though every failure is NO_ROUTE; a declared network's is not. */
    @Test
    void noRouteToSomethingAssignedFails() throws Exception {
        String clean = java.nio.file.Files.readString(java.nio.file.Path.of(Run.scenario("clean.yaml")));
        String ghost = clean.replace("  - {name: default/web-0, ip: 10.244.2.5, node: node-2}\n",
                "  - {name: default/web-0, ip: 10.244.2.5, node: node-2}\n  - {name: default/ghost, ip: 10.244.0.5}\n");
        assertTrue(ghost.contains("default/ghost"), "the fixture changed: " + clean);
        Run r = Run.withStdin(ghost, "reach", "-");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("10.244.0.0/24              NO_ROUTE   NO_ROUTE"), r.out());
        assertTrue(r.out().lines().noneMatch(l -> l.contains("DROPPED") || l.contains("REJECTED")
                || l.contains("HIJACKED")), r.out());
        // the office network has no route into the pod network either, which is not a failure of the plan
        assertEquals(0, Run.of("reach", Run.scenario("clean.yaml"), "--from", "host:192.168.100.7").code());
    }

    @Test
    void oneSource() {
        Run r = Run.of("reach", Run.scenario("seed.yaml"), "--from", "node:node-71");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().startsWith("node node-71 (traced from 10.252.158.71): 5 ranges not delivered"), r.out());
        assertEquals(2, Run.of("reach", Run.scenario("seed.yaml"), "--from", "node:nope").code());
    }
}
