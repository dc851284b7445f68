package io.github.cidrguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void seedHasErrorsAndExitsOne() {
        Run r = Run.of("check", Run.scenario("seed.yaml"));
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().startsWith("seed-2017: 4 errors, 1 warning, 1 info"), r.out());
        assertTrue(r.out().contains("ERROR    POD_NETWORK_CONTAINS_NODE_IP  10.252.158.71/32"), r.out());
        assertTrue(r.out().contains("fix: "), r.out());
        assertFalse(r.out().contains("\u001b["), "no colour when stdout is not a terminal");
        assertEquals("", r.err());
    }

    @Test
    void seedAsJsonIsTheReport() throws Exception {
        Run r = Run.of("check", "--format", "json", Run.scenario("seed.yaml"));
        assertEquals(1, r.code());
        JsonNode j = JSON.readTree(r.out());
        assertEquals("seed-2017", j.get("scenario").asText());
        assertEquals(4, j.get("summary").get("errors").asInt());
        assertEquals("POD_NETWORK_CONTAINS_NODE_IP", j.get("findings").get(0).get("code").asText());
    }

    @Test
    void cleanExitsZero() {
        Run r = Run.of("check", Run.scenario("clean.yaml"));
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().startsWith("clean: 0 errors, 0 warnings"), r.out());
    }

    @Test
    void warningsFailOnlyWhenStrict() {
        String f = Run.scenario("findings/KUBE_PROXY_CLUSTER_CIDR_MISSING.yaml");
        assertEquals(0, Run.of("check", f).code());
        assertEquals(1, Run.of("check", "--strict", f).code());
    }

    @Test
    void readsStdin() throws Exception {
        String text = java.nio.file.Files.readString(java.nio.file.Path.of(Run.scenario("clean.yaml")));
        Run r = Run.withStdin(text, "check", "-", "--format", "json");
        assertEquals(0, r.code(), r.err());
        assertEquals("clean", JSON.readTree(r.out()).get("scenario").asText());
    }

    @Test
    void missingFileIsOneLineAndExitTwo() {
        Run r = Run.of("check", "no/such.yaml");
        assertEquals(2, r.code());
        assertEquals("cidrguard check: no/such.yaml: no such file; give the path of the scenario file",
                r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void badScenarioNamesLineAndKey() {
        Run r = Run.withStdin("cidrguard: 1\nnodes:\n  - {name: a, ip: 10.0.0.1, podCIRD: 10.1.0.0/24}\n",
                "check", "-");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("cidrguard check: stdin line 3: "), r.err());
        assertTrue(r.err().contains("podCIRD"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, Run.of("check").code());
        assertEquals(2, Run.of("check", "--format", "xml", Run.scenario("seed.yaml")).code());
        assertEquals(2, Run.of("bogus").code());
        assertEquals(2, Run.of().code());
    }

    @Test
    void helpHasExamples() {
        Run r = Run.of("check", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Examples:"), r.out());
        assertTrue(Run.of("--help").out().contains("Exit codes"));
    }
}
