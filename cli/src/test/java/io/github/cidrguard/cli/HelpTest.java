package io.github.cidrguard.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The help: nested commands, whole summaries, options that say what they do. */
class HelpTest {
    @ParameterizedTest(name = "help {0}")
    @CsvSource({"etcd set-network, cidrguard etcd set-network", "etcd, cidrguard etcd", "check, cidrguard check",
            "flannel check, cidrguard flannel check", "'', cidrguard"})
    void helpShowsTheNamedCommand(String path, String usage) {
        String[] args = ("help " + path).strip().split(" +");
        Run r = Run.of(args);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Usage: " + usage + " "), r.out());
        assertEquals(Run.of((path + " --help").strip().split(" +")).out(), r.out(), "same as --help");
    }

    @Test
    void helpOfAnUnknownCommandIsAUsageError() {
        Run r = Run.of("help", "etcd", "nope");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown command 'nope' under 'cidrguard etcd'"), r.err());
    }

    @Test
    void everySummaryInTheCommandListIsAWholeSentence() {
        String help = Run.of("--help").out();
        assertTrue(help.contains("lab      Build SCENARIO in Linux network namespaces, probe its flows and"), help);
        assertFalse(help.contains("socat),"), help);
    }

    @Test
    void formatAndOutputAreDocumented() {
        String help = Run.of("check", "--help").out();
        assertTrue(help.contains("--format=FORMAT") && help.contains("sarif") && help.contains("github"), help);
        assertTrue(help.contains("--output=FILE") && help.contains("--color=WHEN"), help);
    }
}
