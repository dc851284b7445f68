package io.github.cidrguard.trace;

import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.testing.ScalePlans;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReachGroupsTest {
    private static Reachability.Group group(String names) {
        List<Reachability.Source> members = new ArrayList<>();
        for (String n : names.split(",")) {
            members.add(new Reachability.Source(n, "10.0.0.1", true, List::of));
        }
        return new Reachability.Group(members, List.of());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "pods of node-71                                   | pods of node-71",
            "node-1,node-2,node-3                              | node-1…node-3",
            "pods of node-00009,pods of node-00010             | pods of node-00009…node-00010",
            "node a-1,node a-2,node b-3,node b-4               | node a-1…a-2, node b-3…b-4",
            "n-9,n-10                                          | n-9…n-10",
            "n-09,n-100                                        | n-09, n-100",
            "n-1,n-3,n-5,n-7,n-9,n-11                          | n-1, n-3, n-5, n-7 … and 2 more",
            "network office,network vpn                        | network office, network vpn",
            "node x1,node x2,node y                            | node x1…x2, node y",
    })
    void namesRunsCompactly(String members, String name) {
        assertEquals(name, group(members).name());
    }

    @Test
    void seedGroupsHoldEverySourceOnceUnderItsOwnList() {
        Reachability r = Tracer.of(SeedScenarioTest.seed()).reach();
        assertEveryMemberKeepsItsList(r);
        Reachability.Summary s = r.summary();
        assertEquals(r.sources().size(), s.sources());
        assertEquals(r.groups().size(), s.groups());
        long flows = r.sources().stream().mapToLong(x -> x.failures().size()).sum();
        assertTrue(flows > 0, "the seed has failures");
        assertEquals(flows, s.failingFlows());
        assertEquals(flows, s.byVerdict().values().stream().mapToLong(Long::longValue).sum());
        assertTrue(s.byVerdict().get(Verdict.DROPPED) >= 1, s.toString());
    }

    /** 16 384 nodes on 66 LANs: tens of thousands of sources fall into few groups, each list held once. */
    @Test
    void largePlanFallsIntoFewGroups() {
        Scenario plan = ScalePlans.healthy(16_384);
        Reachability r = Tracer.of(plan).reach();
        assertEquals(2 * 16_384 + 4, r.sources().size());
        assertEveryMemberKeepsItsList(r);
        assertTrue(r.groups().size() < 1_000, r.groups().size() + " groups");
        Reachability.Group biggest = r.groups().stream().max((a, b) -> a.members().size() - b.members().size())
                .orElseThrow();
        assertTrue(biggest.members().size() > 100, biggest.members().size() + " in the biggest group");
        assertTrue(biggest.name().length() < 200, biggest.name());
        for (Reachability.Source m : biggest.members()) {
            assertSame(biggest.failures(), m.failures(), "members share one list");
        }
    }

    private static void assertEveryMemberKeepsItsList(Reachability r) {
        List<List<Reachability.Failure>> before = r.sources().stream().map(s -> List.copyOf(s.failures())).toList();
        Set<Reachability.Source> seen = new HashSet<>();
        Set<List<Reachability.Failure>> lists = new HashSet<>();
        for (Reachability.Group g : r.groups()) {
            assertTrue(lists.add(g.failures()), "two groups with one list: " + g.name());
            for (Reachability.Source m : g.members()) {
                assertTrue(seen.add(m), m.name() + " in two groups");
                assertEquals(g.failures(), m.failures(), m.name());
            }
        }
        assertEquals(r.sources().size(), seen.size());
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i), r.sources().get(i).failures(), r.sources().get(i).name());
        }
        assertNotEquals(0, r.groups().size());
    }
}
