package io.github.cidrguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cidrguard.testing.ScalePlans;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 14's CI smoke test: the 65 536-node plan with findings in proportion, generated now (core's ScalePlans),
 * written as the YAML a user would have, and run once through {@code check} in-process. It asserts what the check
 * finds, not how long it takes (speed is benchmarks/'s business).
 */
class ScaleSmokeTest {
    @Test
    void checkOf65536NodesFindsExactlyThePlantedFindings(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("plan-65536.yaml");
        Files.writeString(plan, ScalePlans.withFindings(65_536).toYaml());
        Run r = Run.of("check", "--format", "json", plan.toString());
        assertEquals(1, r.code(), r.err());
        JsonNode report = CheckCommandTest.JSON.readTree(r.out());
        Map<String, Integer> codes = new TreeMap<>();
        for (JsonNode f : report.get("findings")) {
            codes.merge(f.get("code").asText(), 1, Integer::sum);
        }
        // a quarter of n leases of removed nodes, and every 16th node sharing its neighbour's lease
        assertEquals(Map.of("LEASE_ORPHANED", 16_384, "LEASE_OVERLAP", 4_096), codes, r.err());
    }
}
