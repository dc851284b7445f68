package io.github.cidrguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlannelCheckCommandTest {
    static final String SEED = "{\"Network\": \"10.252.61.0/16\", \"Backend\": {\"Type\": \"vxlan\"}}";

    @Test
    void seedIsAcceptedWithAHostBitsWarning() {
        Run r = Run.withStdin(SEED, "flannel", "check");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("flanneld accepts this config; effective values:\n"), r.out());
        assertTrue(r.out().contains("  Network        10.252.0.0/16\n"), r.out());
        assertTrue(r.out().contains("  SubnetLen      24\n"), r.out());
        assertTrue(r.out().contains("WARNING Network 10.252.61.0/16 has host bits set; flannel silently uses "
                + "10.252.0.0/16"), r.out());
        assertEquals(1, Run.withStdin(SEED, "flannel", "check", "--strict", "-").code());
    }

    @Test
    void jsonHasFlannelsFieldNames() throws Exception {
        Run r = Run.withStdin(SEED, "flannel", "check", "--format", "json", "-");
        JsonNode j = CheckCommandTest.JSON.readTree(r.out());
        assertTrue(j.get("valid").asBoolean());
        JsonNode c = j.get("config");
        assertEquals("10.252.0.0/16", c.get("Network").asText());
        assertEquals(24, c.get("SubnetLen").asInt());
        assertEquals("10.252.1.0", c.get("SubnetMin").asText());
        assertEquals("10.252.255.0", c.get("SubnetMax").asText());
        assertEquals("vxlan", c.get("Backend").get("Type").asText());
        assertTrue(c.get("EnableIPv4").asBoolean());
        assertEquals(1, j.get("warnings").size());
    }

    @Test
    void rejectedConfigCarriesFlannelsText() throws Exception {
        String small = "{\"Network\": \"10.0.0.0/29\"}";
        Run r = Run.withStdin(small, "flannel", "check");
        assertEquals(1, r.code());
        assertTrue(r.out().startsWith("flanneld rejects this config: network is too small. Minimum useful network "
                + "prefix is /28"), r.out());
        JsonNode j = CheckCommandTest.JSON.readTree(Run.withStdin(small, "flannel", "check", "--format=json").out());
        assertEquals(false, j.get("valid").asBoolean());
        assertEquals("CheckNetworkConfig", j.get("stage").asText());
        assertEquals("network is too small. Minimum useful network prefix is /28", j.get("error").asText());
    }

    @Test
    void syntaxErrorIsAVerdictNotAUsageError() {
        Run r = Run.withStdin("{\"Network\": ", "flannel", "check");
        assertEquals(1, r.code());
        assertTrue(r.out().startsWith("flanneld rejects this config: "), r.out());
    }

    @Test
    void missingFileExitsTwo() {
        Run r = Run.of("flannel", "check", "/nonexistent/net-conf.json");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no such file"), r.err());
        assertEquals(2, Run.of("flannel").code());
    }

    /** Configs flanneld accepts (Backend is a json.RawMessage to it) that Jackson's default limits refuse. */
    @Test
    void jsonOutputAcceptsWhatFlanneldAccepts() throws Exception {
        String digits = "9".repeat(1500);
        java.util.Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("number of 1 500 digits", "{\"Network\": \"10.244.0.0/16\", \"Backend\": {\"Type\": \"vxlan\", "
                + "\"VNI\": " + digits + "}}");
        cases.put("Backend nested 999 deep", "{\"Network\": \"10.244.0.0/16\", \"Backend\": {\"Type\": \"vxlan\", "
                + "\"x\": " + "[".repeat(998) + "]".repeat(998) + "}}");
        cases.put("Backend nested 5 000 deep", "{\"Network\": \"10.244.0.0/16\", \"Backend\": {\"Type\": \"vxlan\", "
                + "\"x\": " + "[".repeat(5000) + "]".repeat(5000) + "}}");
        cases.put("string of 21 MB", "{\"Network\": \"10.244.0.0/16\", \"Backend\": {\"Type\": \"vxlan\", "
                + "\"x\": \"" + "a".repeat(21_000_000) + "\"}}");
        com.fasterxml.jackson.databind.ObjectMapper lenient = new com.fasterxml.jackson.databind.ObjectMapper(
                com.fasterxml.jackson.core.JsonFactory.builder().streamReadConstraints(
                        com.fasterxml.jackson.core.StreamReadConstraints.builder().maxNestingDepth(100_000)
                                .maxNumberLength(100_000).maxStringLength(Integer.MAX_VALUE).build()).build());
        for (var c : cases.entrySet()) {
            Run text = Run.withStdin(c.getValue(), "flannel", "check", "-");
            assertEquals(0, text.code(), c.getKey() + ": " + text.err());
            Run r = Run.withStdin(c.getValue(), "flannel", "check", "--format", "json", "-");
            assertEquals(0, r.code(), c.getKey() + ": " + r.err().substring(0, Math.min(500, r.err().length())));
            JsonNode j = lenient.readTree(r.out());
            assertTrue(j.get("valid").asBoolean(), c.getKey());
            assertEquals("vxlan", j.get("config").get("Backend").get("Type").asText(), c.getKey());
        }
        Run r = Run.withStdin(cases.get("number of 1 500 digits"), "flannel", "check", "--format", "json", "-");
        assertTrue(r.out().contains(digits), "the number is printed as flanneld keeps it, digit for digit");
    }
}
