package io.github.cidrguard.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lab helper's command is wired in as {@code cidrguard lab}; its own tests cover what it does. */
class LabWiringTest {
    @Test
    void labIsASubcommand() {
        Run r = Run.of("lab", "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("network namespaces"), r.out());
        assertTrue(Run.of("--help").out().contains("lab"));
        assertEquals(2, Run.of("lab").code(), "SCENARIO is required");
    }
}
