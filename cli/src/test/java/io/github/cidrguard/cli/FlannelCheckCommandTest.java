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
}
