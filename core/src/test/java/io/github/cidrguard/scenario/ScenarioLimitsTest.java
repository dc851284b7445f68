package io.github.cidrguard.scenario;

import io.github.cidrguard.InputText;
import io.github.cidrguard.InputTextException;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.ScenarioException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The limits of the scenario reader: size, nesting, aliases, long YAML lines, and a plan past SnakeYAML's 3 MiB. */
class ScenarioLimitsTest {
    @TempDir
    Path dir;

    /** A valid YAML plan of n nodes, one per /24 of 10.0.0.0/8 (valid at every size up to 65 536). */
    static String yamlPlan(int n) {
        StringBuilder b = new StringBuilder("cidrguard: 1\nname: big\nflannel:\n  config: '{\"Network\": "
                + "\"10.0.0.0/8\"}'\nnodes:\n");
        for (int i = 0; i < n; i++) {
            b.append("- name: node-").append(i).append("\n  ip: 172.16.").append(i >> 8 & 255).append('.')
                    .append(i & 255).append("\n  hostNetwork: 172.16.0.0/12\n  podCidr: 10.")
                    .append(i >> 8).append('.').append(i & 255).append(".0/24\n");
        }
        return b.toString();
    }

    @Test
    void aPlanPastSnakeYamlsDefaultCodePointLimitLoads() throws IOException {
        String text = yamlPlan(40_000);
        assertTrue(text.length() > 3 * 1024 * 1024, "the plan is only " + text.length() + " characters");
        Path f = dir.resolve("big.yaml");
        Files.writeString(f, text);
        Scenario s = ScenarioFormat.load(f);
        assertEquals(40_000, s.nodes().size());
        assertEquals("node-39999", s.nodes().get(39_999).name());
    }

    @Test
    void aTextPastTheSizeLimitNamesTheLimitNotTheSyntax() {
        String text = yamlPlan(50);
        System.setProperty(InputText.MAX_BYTES_PROPERTY, "1000");
        try {
            ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioFormat.parse(text, "p.yaml"));
            assertTrue(e.getMessage().startsWith("p.yaml: the scenario is " + text.length() + " characters, more"
                    + " than the input limit of 1000 bytes (cidrguard.input.maxBytes);"), e.getMessage());
            assertTrue(e.getMessage().contains("-Dcidrguard.input.maxBytes=2000"), e.getMessage());
            assertTrue(!e.getMessage().contains("syntax"), e.getMessage());
        } finally {
            System.clearProperty(InputText.MAX_BYTES_PROPERTY);
        }
    }

    @Test
    void aFilePastTheSizeLimitIsRefusedUnread() throws IOException {
        Path f = dir.resolve("p.yaml");
        Files.writeString(f, yamlPlan(50));
        System.setProperty(InputText.MAX_BYTES_PROPERTY, "1000");
        try {
            InputTextException e = assertThrows(InputTextException.class, () -> ScenarioFormat.load(f));
            assertTrue(e.getMessage().contains("more than the input limit of 1000 bytes (cidrguard.input.maxBytes)"),
                    e.getMessage());
        } finally {
            System.clearProperty(InputText.MAX_BYTES_PROPERTY);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"yaml", "json"})
    void nestingPastTheLimitNamesTheLimit(String format) {
        int depth = 150;
        String text = format.equals("json")
                ? "{\"nodes\": " + "[".repeat(depth) + "]".repeat(depth) + "}"
                : "nodes: " + "[".repeat(depth) + "]".repeat(depth) + "\n";
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioFormat.parse(text, "deep." + format));
        assertEquals("deep." + format + " line 1: nests objects and lists 101 levels deep, more than the limit of 100"
                + " (cidrguard.input.maxNesting); no scenario or Kubernetes object nests that deep — check that it is"
                + " the right file, or raise the limit with -Dcidrguard.input.maxNesting=200", e.getMessage());
    }

    @Test
    void billionLaughsIsRefusedAtTheFirstAliasWithoutExpanding() {
        StringBuilder b = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            b.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                b.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            b.append("]\n");
        }
        b.append("nodes: *a9\n");
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> ScenarioFormat.parse(b.toString(), "laughs.yaml"));
        assertEquals("laughs.yaml line 2: YAML alias '*a0': cidrguard does not expand anchors and aliases (a file"
                + " must not grow when read); write the value out in full", e.getMessage());
    }

    @Test
    void aYamlLinePastTheLimitNamesTheLimitAndTheWayOut() {
        String text = "name: x\nnodes: [{name: a, ip: 10.0.0.1}]\nflannel:\n  config: '" + "x".repeat(1 << 20) + "'\n";
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioFormat.parse(text, "long.yaml"));
        assertEquals("long.yaml line 4: the line is longer than 1048576 characters (cidrguard.input.maxYamlLine),"
                + " and the YAML parser's time grows with the square of a token's length; break the value over lines"
                + " (a YAML block scalar, |), write the file as JSON (no such limit), or raise the limit with"
                + " -Dcidrguard.input.maxYamlLine=4194304", e.getMessage());
    }

    @Test
    void aLongJsonLineHasNoLimitAndReadsInLinearTime() {
        // 16 MiB on one line: SnakeYAML would take minutes; Jackson's JSON parser reads it at once
        String config = "{\\\"Network\\\": \\\"10.244.0.0/16\\\", \\\"Pad\\\": \\\"" + "x".repeat(16 << 20)
                + "\\\"}";
        String text = "{\"nodes\": [{\"name\": \"a\", \"ip\": \"10.0.0.1\"}], \"flannel\": {\"config\": \"" + config
                + "\"}}";
        Scenario s = ScenarioFormat.parse(text, "long.json");
        assertTrue(s.flannel().orElseThrow().config().length() > 16 << 20);
    }
}
