package io.github.cidrguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cidrguard.testing.ScalePlans;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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

    @Test
    void summaryLineCountsSourcesGroupsAndVerdicts() {
        Run r = Run.of("reach", Run.scenario("seed.yaml"));
        List<String> lines = r.out().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.matches("5 sources in [1-5] groups: \\d+ failing flows \\(.*DROPPED \\d+.*\\)"), last);
        assertTrue(!last.contains("not shown"), last);
    }

    @Test
    void limitShowsThatManyGroupsAndSaysHowManyWereLeftOut() {
        Run all = Run.of("reach", Run.scenario("seed.yaml"));
        Run one = Run.of("reach", Run.scenario("seed.yaml"), "--limit", "1");
        assertEquals(all.code(), one.code(), "the limit changes the output, not the verdict");
        long headers = one.out().lines().filter(l -> l.contains("(traced from") || l.contains("sources, traced from"))
                .count();
        assertEquals(1, headers, one.out());
        long groups = all.out().lines().filter(l -> l.contains("traced from")).count();
        assertTrue(one.out().contains("; " + (groups - 1) + " groups not shown (--limit 1; --format json lists every "
                + "source)") || groups == 2 && one.out().contains("; 1 group not shown"), one.out());
        Run none = Run.of("reach", Run.scenario("seed.yaml"), "--limit", "0");
        // what was covered per family, then the summary
        assertEquals(2, none.out().lines().count(), none.out());
        assertTrue(none.out().startsWith("covered: IPv4: "), none.out());
        assertEquals(2, Run.of("reach", Run.scenario("seed.yaml"), "--limit", "-1").code());
    }

    /** JSON keeps today's per-source list and adds every source once in a group, with the same failures. */
    @Test
    void jsonGroupsHoldEverySourceOnce() throws Exception {
        Run r = Run.of("reach", Run.scenario("seed.yaml"), "--format", "json");
        JsonNode j = Schemas.assertValid("reach.schema.json", r.out());
        Set<String> members = new HashSet<>();
        long flows = 0;
        for (JsonNode g : j.get("groups")) {
            assertEquals(g.get("members").size(), g.get("count").asInt());
            for (JsonNode m : g.get("members")) {
                assertTrue(members.add(m.asText()), m + " in two groups");
                JsonNode own = null;
                for (JsonNode s : j.get("sources")) {
                    own = s.get("source").asText().equals(m.asText()) ? s : own;
                }
                assertEquals(own.get("failures"), g.get("failures"), m.asText());
                flows += g.get("failures").size();
            }
        }
        assertEquals(j.get("sources").size(), members.size());
        assertEquals(flows, j.get("summary").get("failingFlows").asLong());
        assertEquals(j.get("groups").size(), j.get("summary").get("groups").asInt());
    }

    /** 16 384 nodes: 32 772 sources, printed in a number of lines bounded by the groups, not the sources. */
    @Test
    void largePlanOutputIsBounded(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, ScalePlans.healthy(16_384).toYaml());
        Run r = Run.of("reach", plan.toString());
        // check finds nothing, but reach does: Docker's 172.17.0.0/16 on every tenth node shadows that range
        // (LOCAL_SHADOW), and unleased Network space comes back on the wrong interface (RP_FILTER)
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().contains("LOCAL_SHADOW"), r.out());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.size() < 5_000, lines.size() + " lines");
        assertTrue(lines.stream().allMatch(l -> l.length() < 300), "a line too long");
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("32 772 sources in "), last);
        assertTrue(r.out().contains("pods of node-"), r.out().substring(0, 500));
        assertTrue(lines.stream().anyMatch(l -> l.matches(".*node-\\d{5}…node-\\d{5}.* sources, traced from .*")),
                lines.get(0));
        Run limited = Run.of("reach", plan.toString(), "--limit", "1");
        assertTrue(limited.out().lines().count() < 200, limited.out());
        assertTrue(limited.out().strip().endsWith("--format json lists every source)"), limited.out());
        Schemas.assertValid("reach.schema.json", Run.of("reach", plan.toString(), "--format", "json").out());
    }
}
