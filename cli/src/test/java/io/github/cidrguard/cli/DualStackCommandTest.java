package io.github.cidrguard.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command on dual-stack plans: traces in either family, cross-family traces refused, reach per family. */
class DualStackCommandTest {
    static final String DUAL = "lab/story-dual-stack.yaml";

    @Test
    void theIpv6StoryIsDeliveredWhereIpv4Drops() {
        Run v6 = Run.of("trace", Run.scenario(DUAL), "--from", "pod:fd00:10:252:61::7", "--to", "fd00:10:252:158::71");
        assertEquals(0, v6.code(), v6.out() + v6.err());
        assertTrue(v6.out().contains("DELIVERED"), v6.out());
        Run v4 = Run.of("trace", Run.scenario(DUAL), "--from", "pod:10.252.61.7", "--to", "10.252.158.71");
        assertEquals(1, v4.code(), v4.out() + v4.err());
        assertTrue(v4.out().contains("DROPPED (RP_FILTER)"), v4.out());
    }

    @Test
    void familyPicksWhatNamesMean() {
        Run v6 = Run.of("trace", Run.scenario(DUAL), "--from", "pod:default/busybox", "--to", "node:node-71",
                "--family", "6");
        assertEquals(0, v6.code(), v6.out() + v6.err());
        assertTrue(v6.out().startsWith("pod default/busybox fd00:10:252:61::7 (node-72) -> node node-71"
                + " fd00:10:252:158::71"), v6.out());
        Run v4 = Run.of("trace", Run.scenario(DUAL), "--from", "pod:default/busybox", "--to", "node:node-71");
        assertEquals(1, v4.code(), v4.out() + v4.err());
        assertEquals(2, Run.of("trace", Run.scenario(DUAL), "--from", "pod:default/busybox", "--to", "node:node-71",
                "--family", "5").code());
    }

    @Test
    void aTraceBetweenFamiliesIsBadInput() {
        Run r = Run.of("trace", Run.scenario(DUAL), "--from", "pod:10.252.61.7", "--to", "fd00:10:252:158::71");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("pod:10.252.61.7 is IPv4 and fd00:10:252:158::71 is IPv6"), r.err());
        assertTrue(!r.err().contains("models IPv4 only"), r.err());
    }

    @Test
    void reachSaysWhatItCoveredPerFamily() {
        Run r = Run.of("reach", Run.scenario(DUAL));
        assertTrue(r.out().matches("(?s).*\ncovered: IPv4: 4 sources, \\d+ flows; IPv6: 4 sources, \\d+ flows\n"
                + "8 sources in \\d+ groups: .*"), r.out());
        Run seed = Run.of("reach", Run.scenario("seed.yaml"));
        assertTrue(seed.out().contains("; IPv6: not covered: no node has an IPv6 address"), seed.out());
    }
}
