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
        assertTrue(java.util.regex.Pattern.compile("\\n  lab +Build SCENARIO in Linux network namespaces, probe its flows and")
                .matcher(help).find(), help);
        assertFalse(help.contains("socat),"), help);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"check, true", "demo, true", "flannel check, true", "import, true", "etcd check, true",
            "etcd set-network, true", "trace, false", "reach, false", "suggest, false", "etcd show, false",
            "etcd restore, false", "etcd watch, false"})
    void strictIsOfferedOnlyWhereItChangesTheExitCode(String command, boolean offered) {
        String help = Run.of((command + " --help").split(" ")).out();
        assertEquals(offered, help.contains("--strict"), help);
    }

    @Test
    void strictWhereItMeansNothingIsAUsageError() {
        Run r = Run.of("trace", Run.scenario("seed.yaml"), "--from", "node:node-71", "--to", "10.252.158.72",
                "--strict");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("--strict"), r.err());
    }

    @Test
    void formatAndOutputAreDocumented() {
        String help = Run.of("check", "--help").out();
        assertTrue(help.contains("--format=FORMAT") && help.contains("sarif") && help.contains("github"), help);
        assertTrue(help.contains("--output=FILE") && help.contains("--color=WHEN"), help);
    }
}
