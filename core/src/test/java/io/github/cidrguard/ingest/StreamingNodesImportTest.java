package io.github.cidrguard.ingest;

import io.github.cidrguard.CidrguardInputException;
import io.github.cidrguard.InputText;
import io.github.cidrguard.testing.ScalePlans;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streaming import of kubectl's nodes ({@code withKubectlNodes(Path|InputStream, …)}) against the String import
 * of the same bytes read by {@link InputText#read}: the same scenario, or the same error with the same source and
 * line, for good input, broken input and input past InputText's limits.
 */
class StreamingNodesImportTest {
    private static final String WHAT = "the kubectl get nodes -o json output";

    /** What the String path makes of the bytes: the scenario's YAML, or the error's source, line and message. */
    static String viaText(byte[] bytes) {
        try {
            String text = InputText.read(new ByteArrayInputStream(bytes), "stdin", WHAT);
            return ScenarioImport.named("x").withKubectlNodes(text, "stdin").toScenario().toYaml();
        } catch (CidrguardInputException e) {
            return outcome(e);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String viaStream(byte[] bytes) {
        try {
            return ScenarioImport.named("x").withKubectlNodes(new ByteArrayInputStream(bytes), "stdin").toScenario()
                    .toYaml();
        } catch (CidrguardInputException e) {
            return outcome(e);
        }
    }

    private static String outcome(CidrguardInputException e) {
        return "error " + e.source() + ":" + e.line() + ": " + e.getMessage();
    }

    static List<String> inputs() {
        String nodes = ScenarioImportTest.fixture("nodes.json");
        String yaml = ScenarioImportTest.fixture("dual-stack-nodes.yaml");
        List<String> l = new ArrayList<>();
        l.add(nodes);
        l.add(yaml);
        l.add("\n\n  " + nodes);
        l.add("");
        l.add("   \n ");
        l.add("{\"kind\": ");
        l.add("[1, 2]");
        l.add(nodes.replace("\"kind\": \"Node\"", "\"kind\": \"Pod\""));
        l.add(nodes + "\n{}");
        l.add(nodes.replaceFirst("\"InternalIP\"", "\"ExternalIP\""));
        l.add(nodes.replaceFirst("(\"address\": \")[0-9.]+", "$1300.1.2.3"));
        l.add(yaml.replace("\n", "\n" + "#" + "x".repeat(InputText.maxYamlLine()) + "\n"));
        l.add(nodes.replaceFirst("\n", "\n" + "\u0000"));
        l.add(nodes.replaceFirst("\n", "\n" + "\u00e9\uFFFD"));
        return l;
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void streamingAgreesWithText(String input) {
        byte[] bytes = input.replace("\uFFFD", "").getBytes(StandardCharsets.UTF_8);
        if (input.contains("\uFFFD")) { // a lone continuation byte after a valid é: not UTF-8
            bytes = input.replace("\uFFFD", "\u0001").getBytes(StandardCharsets.UTF_8);
            int i = new String(bytes, StandardCharsets.ISO_8859_1).indexOf('\u0001');
            bytes[i] = (byte) 0x80;
        }
        String text = viaText(bytes);
        assertEquals(text, viaStream(bytes));
    }

    @Test
    void brokenInputsReallyFail() {
        List<String> in = inputs();
        long errors = in.stream().map(s -> viaStream(s.getBytes(StandardCharsets.UTF_8)))
                .filter(o -> o.startsWith("error ")).count();
        assertTrue(errors >= 9, errors + " of " + in.size() + " failed");
        assertTrue(viaStream(in.get(0).getBytes(StandardCharsets.UTF_8)).contains("nodes:"));
    }

    /** Every prefix of a real document: the same scenario or the same error (the line where the text ends). */
    @Property(tries = 200)
    void everyPrefixAgrees(@ForAll @IntRange(min = 0, max = 100_000) int cut) {
        byte[] all = ScenarioImportTest.fixture("nodes.json").getBytes(StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(all, cut % (all.length + 1));
        assertEquals(viaText(bytes), viaStream(bytes));
    }

    /** A file of realistic nodes (ScalePlans' kubectl objects), read from its path, one item at a time. */
    @Test
    void realisticFileFromItsPath(@TempDir Path dir) throws IOException {
        StringWriter w = new StringWriter();
        ScalePlans.writeKubectlNodes(300, w);
        Path f = dir.resolve("nodes.json");
        Files.writeString(f, w.toString());
        assertTrue(Files.size(f) / 300 >= 4_000, "realistic objects: " + Files.size(f) / 300 + " bytes each");
        String viaPath = ScenarioImport.named("x").withKubectlNodes(f, "nodes.json").toScenario().toYaml();
        assertEquals(ScenarioImport.named("x").withKubectlNodes(w.toString(), "nodes.json").toScenario().toYaml(),
                viaPath);
        assertTrue(viaPath.contains("node-00299"), viaPath.substring(0, 300));
    }
}
