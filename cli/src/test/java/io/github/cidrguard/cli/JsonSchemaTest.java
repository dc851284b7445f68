package io.github.cidrguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real outputs of the command, validated against docs/schema/ and, for SARIF, against OASIS's schema. */
class JsonSchemaTest {
    private static final String SEED = Run.scenario("seed.yaml");

    static Stream<String> scenarios() throws IOException {
        List<String> all;
        try (Stream<Path> s = Files.list(Path.of(Run.scenario("findings")))) {
            all = s.map(Path::toString).filter(p -> p.endsWith(".yaml")).sorted().toList();
        }
        assertTrue(all.size() > 20, all.toString());
        return Stream.concat(Stream.of(SEED, Run.scenario("clean.yaml"), Run.scenario("seed-fixed-docker.yaml")),
                all.stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void checkJsonIsAReportWithLocations(String file) {
        Run r = Run.of("check", file, "--format", "json");
        assertTrue(r.code() == 0 || r.code() == 1, r.err());
        JsonNode report = Schemas.assertValid("report.schema.json", r.out());
        for (JsonNode f : report.get("findings")) {
            assertTrue(f.get("location").get("line").asInt() >= 1, f.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void checkSarifIsValidSarif210(String file) {
        Run r = Run.of("check", file, "--format", "sarif");
        JsonNode log = Schemas.assertValid(Schemas.sarif(), r.out());
        assertEquals(findingCount(file), log.get("runs").get(0).get("results").size());
    }

    private static int findingCount(String file) {
        try {
            return CheckCommandTest.JSON.readTree(Run.of("check", file, "--format", "json").out()).get("findings")
                    .size();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aReportReadFromStdinHasNoLocation() throws Exception {
        Run r = Run.withStdin(Files.readString(Path.of(SEED)), "check", "-", "--format", "json");
        JsonNode report = Schemas.assertValid("report.schema.json", r.out());
        assertFalse(report.get("findings").get(0).has("location"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"pod:default/busybox, 10.252.158.71, ", "node:node-71, 10.252.158.72, ",
            "pod:default/busybox, svc:default/jenkins:80/TCP, ", "node:node-71, 10.252.61.7, 8080/TCP"})
    void traceJson(String from, String to, String port) {
        List<String> args = new java.util.ArrayList<>(List.of("trace", SEED, "--from", from, "--to", to, "--format",
                "json"));
        if (port != null) {
            args.addAll(List.of("--port", port));
        }
        Run r = Run.of(args.toArray(String[]::new));
        assertTrue(r.code() == 0 || r.code() == 1, r.out() + r.err());
        JsonNode t = Schemas.assertValid("trace.schema.json", r.out());
        assertFalse(t.get("request").isEmpty(), r.out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"seed.yaml", "clean.yaml", "seed-fixed-docker.yaml"})
    void reachAndSuggestJson(String name) {
        JsonNode reach = Schemas.assertValid("reach.schema.json", Run.of("reach", Run.scenario(name), "--format",
                "json").out());
        assertFalse(reach.get("sources").isEmpty());
        JsonNode suggest = Schemas.assertValid("suggest.schema.json", Run.of("suggest", Run.scenario(name),
                "--format", "json").out());
        assertFalse(suggest.get("networks").isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"Network\": \"10.252.61.0/16\"}                              | true",
            "{\"Network\": \"10.244.0.0/16\", \"Backend\": {\"Type\": \"vxlan\", \"VNI\": 4}, \"Foo\": 1} | true",
            "{\"Network\": \"10.252.61.0/33\"}                              | false",
            "{\"SubnetLen\": 24}                                            | false",
            "not json                                                       | false"})
    void flannelCheckJson(String config, boolean valid) {
        Run r = Run.withStdin(config, "flannel", "check", "--format", "json", "-");
        JsonNode j = Schemas.assertValid("flannel-check.schema.json", r.out());
        assertEquals(valid, j.get("valid").asBoolean(), r.out());
    }

    @Test
    void importJsonIsAScenarioAndItsNotesAreJsonLines() {
        Run r = Run.of("import", "--iptables-save", "node-71=" + ImportCommandTest.fx("node-71.iptables"),
                "--ip-route", "node-71=" + ImportCommandTest.fx("node-71.route"), "--format", "json");
        assertEquals(0, r.code(), r.err());
        Schemas.assertValid("scenario.schema.json", r.out());
        List<String> notes = r.err().lines().toList();
        assertFalse(notes.isEmpty());
        notes.forEach(n -> Schemas.assertValid("import-note.schema.json", n));
    }

    @Test
    void demoJson() {
        Run r = Run.of("demo", "--format", "json");
        JsonNode d = Schemas.assertValid("demo.schema.json", r.out());
        Schemas.assertValid("trace.schema.json", CheckCommandTest.JSON.createObjectNode().put("cidrguard", 1)
                .setAll((com.fasterxml.jackson.databind.node.ObjectNode) d.get("trace")).toString());
    }

    /** Each failure with --format json is the error object, with the exit code it has without JSON. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "check no/such.yaml                                         | 2",
            "check                                                      | 2",
            "check SEED --bogus                                         | 2",
            "trace SEED --from pod:nobody --to 10.0.0.1                 | 2",
            "trace SEED --to 10.0.0.1                                   | 2",
            "suggest no/such.yaml                                       | 2",
            "reach SEED --from node:nobody                              | 2",
            "flannel check no/such.json                                 | 2",
            "import                                                     | 2",
            "lab no/such.yaml                                           | 2",
            "etcd show --endpoints http://127.0.0.1:9 --timeout 1       | 3"})
    void errorsAreJsonObjects(String command, int code) {
        String[] args = (command.strip().replace("SEED", SEED) + " --format json").split(" +");
        Run r = Run.of(args);
        assertEquals(code, r.code(), r.out() + r.err());
        JsonNode e = Schemas.assertValid("error.schema.json", r.out().strip());
        assertEquals(code, e.get("error").get("code").asInt());
        assertTrue(e.get("error").get("command").asText().startsWith("cidrguard " + args[0]), r.out());
        String plain = Run.of(command.strip().replace("SEED", SEED).split(" +")).err();
        assertFalse(plain.isBlank(), "without --format json the error is text on stderr");
    }

    @Test
    void theSarifSchemaRejectsWhatIsNotSarif210() throws IOException {
        String good = Run.of("check", SEED, "--format", "sarif").out();
        for (String[] bad : new String[][] {{"\"version\":\"2.1.0\"", "\"version\":\"2.0.0\""},
                {"\"level\":\"error\"", "\"level\":\"fatal\""},
                {"\"startLine\":5", "\"startLine\":0"}}) {
            assertTrue(good.contains(bad[0]), bad[0]);
            String broken = good.replaceFirst(java.util.regex.Pattern.quote(bad[0]), bad[1]);
            assertFalse(Schemas.sarif().validate(CheckCommandTest.JSON.readTree(broken)).isEmpty(), bad[1]);
        }
    }

    /** The schemas themselves are valid JSON Schema 2020-12 documents. */
    @Test
    void everySchemaIsValidAgainstTheMetaSchema() throws IOException {
        var meta = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        List<Path> files;
        try (Stream<Path> s = Files.list(Schemas.dir())) {
            files = s.filter(p -> p.toString().endsWith(".schema.json")).sorted().toList();
        }
        assertTrue(files.size() >= 14, files.toString());
        for (Path p : files) {
            Schemas.assertValid(meta, Files.readString(p));
            Schemas.of(p.getFileName().toString());
        }
    }

    /** A schema that accepts anything checks nothing: each rejects a document that breaks it. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "report.schema.json        | {\"cidrguard\":1,\"scenario\":\"x\",\"findings\":[{\"code\":\"X\"}],\"summary\":{\"errors\":0,\"warnings\":0,\"infos\":0}}",
            "report.schema.json        | {\"cidrguard\":2,\"scenario\":\"x\",\"findings\":[],\"summary\":{\"errors\":0,\"warnings\":0,\"infos\":0}}",
            "error.schema.json         | {\"cidrguard\":1,\"error\":{\"code\":7,\"command\":\"cidrguard\",\"message\":\"m\"}}",
            "trace.schema.json         | {\"cidrguard\":1,\"from\":\"a\",\"to\":\"b\",\"protocol\":\"ICMP\",\"verdict\":\"LOST\",\"request\":[],\"reply\":[],\"explanation\":\"\"}",
            "flannel-check.schema.json | {\"cidrguard\":1,\"valid\":false}",
            "import-note.schema.json   | {\"cidrguard\":1}"})
    void schemasRejectWhatBreaksThem(String schema, String json) throws IOException {
        assertFalse(Schemas.of(schema).validate(CheckCommandTest.JSON.readTree(json)).isEmpty(), schema + ": " + json);
    }
}
