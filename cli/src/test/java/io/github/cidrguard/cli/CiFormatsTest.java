package io.github.cidrguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cidrguard.analysis.FindingCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.cidrguard.cli.CheckCommandTest.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code check --format sarif|junit|github}, {@code --output}, and the formats refused where there are no findings. */
class CiFormatsTest {
    private static final String SEED = Run.scenario("seed.yaml");

    /** The seed's line that each finding is about: the flannel config, the lease, node-71's keys (seed.yaml). */
    @ParameterizedTest(name = "{0} at line {1}")
    @CsvSource({"POD_NETWORK_CONTAINS_NODE_IP, 5", "NETWORK_HOST_BITS_SET, 5", "LEASE_ORPHANED, 9",
            "SERVICE_CIDR_OVERLAPS_POD_NETWORK, 5"})
    void sarifPointsEachResultAtItsLine(String code, int line) throws Exception {
        Run r = Run.of("check", SEED, "--format", "sarif");
        assertEquals(1, r.code(), r.err());
        JsonNode run = JSON.readTree(r.out()).get("runs").get(0);
        JsonNode result = find(run.get("results"), code);
        JsonNode physical = result.get("locations").get(0).get("physicalLocation");
        assertEquals(Scenarios.displayPath(SEED), physical.get("artifactLocation").get("uri").asText());
        assertEquals(line, physical.get("region").get("startLine").asInt(), result.toString());
        String text = Files.readAllLines(Path.of(SEED)).get(line - 1);
        assertFalse(text.isBlank(), "line " + line + " of seed.yaml");
    }

    @Test
    void sarifHasOneRulePerCodeAndLevelsBySeverity() throws Exception {
        JsonNode log = JSON.readTree(Run.of("check", SEED, "--format", "sarif").out());
        assertEquals("2.1.0", log.get("version").asText());
        assertEquals(1, log.get("properties").get("cidrguard").asInt());
        JsonNode driver = log.get("runs").get(0).get("tool").get("driver");
        assertEquals("cidrguard", driver.get("name").asText());
        JsonNode rules = driver.get("rules");
        assertEquals(FindingCode.values().length, rules.size());
        for (FindingCode c : FindingCode.values()) {
            JsonNode rule = rules.get(c.ordinal());
            assertEquals(c.name(), rule.get("id").asText());
            assertFalse(rule.get("shortDescription").get("text").asText().startsWith("See "), c + " has help text");
        }
        JsonNode results = log.get("runs").get(0).get("results");
        assertEquals(6, results.size(), results.toString());
        List<String> levels = new ArrayList<>();
        results.forEach(r -> levels.add(r.get("level").asText()));
        assertEquals(List.of("error", "error", "error", "error", "warning", "note"), levels);
        for (JsonNode r : results) {
            assertEquals(r.get("ruleId").asText(), rules.get(r.get("ruleIndex").asInt()).get("id").asText());
        }
    }

    @Test
    void junitHasOneCasePerCodeAndAFailurePerErrorOrWarning() throws Exception {
        Run r = Run.of("check", SEED, "--format", "junit");
        assertEquals(1, r.code(), r.err());
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8)));
        Element suite = (Element) d.getElementsByTagName("testsuite").item(0);
        assertEquals("seed-2017", suite.getAttribute("name"));
        NodeList cases = d.getElementsByTagName("testcase");
        assertEquals(FindingCode.values().length, cases.getLength());
        assertEquals(String.valueOf(FindingCode.values().length), suite.getAttribute("tests"));
        assertEquals(5, d.getElementsByTagName("failure").getLength(), "4 ERROR + 1 WARNING; INFO does not fail");
        Element story = testcase(cases, "POD_NETWORK_CONTAINS_NODE_IP");
        assertEquals(Scenarios.displayPath(SEED), story.getAttribute("file"));
        assertEquals("5", story.getAttribute("line"));
        Element failure = (Element) story.getElementsByTagName("failure").item(0);
        assertEquals("ERROR", failure.getAttribute("type"));
        assertTrue(failure.getTextContent().contains("fix: "), failure.getTextContent());
        Element orphan = testcase(cases, "LEASE_ORPHANED");
        assertEquals(0, orphan.getElementsByTagName("failure").getLength());
        assertTrue(orphan.getElementsByTagName("system-out").item(0).getTextContent().contains("INFO LEASE_ORPHANED"));
        assertEquals(5, Integer.parseInt(suite.getAttribute("failures")) + 0, "5 codes fail");
    }

    @Test
    void githubWritesOneWorkflowCommandPerFinding() {
        Run r = Run.of("check", SEED, "--format", "github");
        assertEquals(1, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(7, lines.size(), r.out());
        String file = CiReport.property(Scenarios.displayPath(SEED));
        assertTrue(lines.get(0).startsWith("::error file=" + file + ",line=5,title=POD_NETWORK_CONTAINS_NODE_IP"
                + " 10.252.158.71/32::"), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("::warning file=")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("::notice file=" + file + ",line=9,title=LEASE_ORPHANED")),
                r.out());
        assertEquals("seed-2017: 4 errors, 1 warnings, 1 infos", lines.get(6));
    }

    @Test
    void githubEscapesAsTheRunnerExpects() {
        String[][] cases = {
                {"100% sure\r\nnext", "100%25 sure%0D%0Anext", "100%25 sure%0D%0Anext"},
                {"a:b,c", "a:b,c", "a%3Ab%2Cc"},
                {"plain text", "plain text", "plain text"}};
        for (String[] c : cases) {
            assertEquals(c[1], CiReport.data(c[0]), c[0]);
            assertEquals(c[2], CiReport.property(c[0]), c[0]);
        }
    }

    @Test
    void stdinFindingsHaveNoFileButStillRender() throws Exception {
        String text = Files.readString(Path.of(SEED));
        Run r = Run.withStdin(text, "check", "-", "--format", "github");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().startsWith("::error title=POD_NETWORK_CONTAINS_NODE_IP"), r.out());
        JsonNode sarif = JSON.readTree(Run.withStdin(text, "check", "-", "--format", "sarif").out());
        assertFalse(sarif.get("runs").get(0).get("results").get(0).has("locations"));
    }

    @Test
    void everyFormatGoesToTheOutputFile(@TempDir Path dir) throws Exception {
        for (Format f : Format.values()) {
            Path file = dir.resolve("out." + f);
            Run r = Run.of("check", SEED, "--format", f.name(), "--output", file.toString());
            assertEquals(1, r.code(), f + ": " + r.err());
            assertEquals("", r.out(), f + " writes nothing on stdout with --output");
            assertEquals(Run.of("check", SEED, "--format", f.name()).out(), Files.readString(file), f.name());
        }
    }

    @Test
    void anOutputFileThatCannotBeWrittenIsBadInput(@TempDir Path dir) {
        Run r = Run.of("check", SEED, "--output", dir.resolve("no/such/dir/out.txt").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--output"), r.err());
    }

    @ParameterizedTest(name = "{0} --format {1}")
    @CsvSource({"trace, sarif", "reach, junit", "suggest, github"})
    void ciFormatsAreRefusedWhereThereAreNoFindings(String command, String format) {
        List<String> args = new ArrayList<>(List.of(command, SEED, "--format", format));
        if (command.equals("trace")) {
            args.addAll(List.of("--from", "node:node-71", "--to", "10.252.158.72"));
        }
        Run r = Run.of(args.toArray(String[]::new));
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("--format " + format + " is for reports of findings (cidrguard check)"), r.err());
    }

    @Test
    void textNamesTheLineOfEachFinding() {
        Run r = Run.of("check", SEED);
        assertTrue(r.out().contains("POD_NETWORK_CONTAINS_NODE_IP  10.252.158.71/32  "
                + Scenarios.displayPath(SEED) + ":5"), r.out());
    }

    @Test
    void everyCodeHasTheHelpTextOfTheCatalogue() throws Exception {
        String catalogue = Files.readString(Path.of(Run.file("docs/findings.md")));
        for (FindingCode c : FindingCode.values()) {
            String help = CiReport.help(c);
            assertFalse(help.startsWith("See "), c + " lacks a line in finding-codes.properties");
            String row = catalogue.lines().filter(l -> l.startsWith("| `" + c.name() + "` |")).findFirst()
                    .orElseThrow(() -> new AssertionError(c + " is not in docs/findings.md"));
            assertTrue(row.replace("`", "").contains("| " + help + " |"), c + ": " + help + " vs " + row);
        }
    }

    @Test
    void colourFollowsNoColorAndTheFlag() {
        String[] args = {"check", SEED};
        assertTrue(terminal(Map.of(), args).contains("\u001b["), "colour on a terminal");
        assertFalse(terminal(Map.of("NO_COLOR", "1"), args).contains("\u001b["), "NO_COLOR");
        assertTrue(terminal(Map.of("NO_COLOR", ""), args).contains("\u001b["), "an empty NO_COLOR is unset");
        assertTrue(terminal(Map.of("NO_COLOR", "1"), "check", SEED, "--color", "always").contains("\u001b["));
        assertFalse(terminal(Map.of(), "check", SEED, "--color=never").contains("\u001b["));
        assertTrue(Run.of("check", SEED, "--color", "always").out().contains("\u001b["), "always, even to a pipe");
        assertFalse(terminal(Map.of(), "check", SEED, "--format", "json", "--color", "always").contains("\u001b["),
                "JSON is never coloured");
    }

    @Test
    void anOutputFileIsNotColouredUnlessAsked(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out.txt");
        terminal(Map.of(), "check", SEED, "--output", file.toString());
        assertFalse(Files.readString(file).contains("\u001b["), Files.readString(file));
        terminal(Map.of(), "check", SEED, "--output", file.toString(), "--color", "always");
        assertTrue(Files.readString(file).contains("\u001b["));
    }

    private static String terminal(Map<String, String> env, String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        Main.run(args, new ByteArrayInputStream(new byte[0]), new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(new java.io.StringWriter(), true), true, false, env);
        return out.toString();
    }

    private static JsonNode find(JsonNode results, String code) {
        for (JsonNode r : results) {
            if (r.get("ruleId").asText().equals(code)) {
                return r;
            }
        }
        throw new AssertionError("no result " + code + " in " + results);
    }

    private static Element testcase(NodeList cases, String name) {
        for (int i = 0; i < cases.getLength(); i++) {
            Element e = (Element) cases.item(i);
            if (e.getAttribute("name").equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no test case " + name);
    }
}
