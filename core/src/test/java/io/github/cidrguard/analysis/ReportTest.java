package io.github.cidrguard.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.ScenarioFiles;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void seedReportIsTheStory() throws Exception {
        Report r = Analysis.of(Scenario.load(ScenarioFiles.file("seed.yaml")));
        JsonNode json = JSON.readTree(r.toJson());
        assertEquals(List.of("cidrguard", "scenario", "findings", "summary"), keys(json));
        assertEquals(1, json.get("cidrguard").asInt());
        assertEquals("seed-2017", json.get("scenario").asText());
        assertEquals(List.of("errors", "warnings", "infos"), keys(json.get("summary")));
        assertEquals(4, json.get("summary").get("errors").asInt());
        assertEquals(1, json.get("summary").get("warnings").asInt());
        assertEquals(1, json.get("summary").get("infos").asInt());
        JsonNode first = json.get("findings").get(0);
        assertEquals(List.of("code", "severity", "subjects", "range", "message", "remedy"), keys(first));
        assertEquals("POD_NETWORK_CONTAINS_NODE_IP", first.get("code").asText());
        assertEquals("ERROR", first.get("severity").asText());
        assertEquals("flannel.Network 10.252.0.0/16", first.get("subjects").get(0).asText());
        assertEquals("node node-71 10.252.158.71", first.get("subjects").get(1).asText());
        assertEquals("10.252.158.71/32", first.get("range").asText());
        assertTrue(first.get("message").asText().contains("-d 10.252.0.0/16 -j RETURN"));
        JsonNode hostBits = json.get("findings").get(4);
        assertEquals("NETWORK_HOST_BITS_SET", hostBits.get("code").asText());
        assertEquals("10.252.0.0/16", hostBits.get("range").asText());
    }

    @Test
    void findingsWithoutRangeWriteNull() throws Exception {
        Finding f = new Finding(FindingCode.KUBE_PROXY_CLUSTER_CIDR_MISSING, Severity.WARNING, List.of("x"),
                Optional.empty(), "m", "r");
        JsonNode json = JSON.readTree(Report.of("s", List.of(f)).toJson());
        assertTrue(json.get("findings").get(0).get("range").isNull());
    }

    @Test
    void orderIsSeverityThenCodeThenNumericRange() {
        Finding b = finding(FindingCode.LEASE_OVERLAP, Severity.ERROR, "10.0.0.0/8");
        Finding a = finding(FindingCode.LEASE_OVERLAP, Severity.ERROR, "9.0.0.0/8");
        Finding w = finding(FindingCode.NETWORK_HOST_BITS_SET, Severity.WARNING, "1.0.0.0/8");
        Finding e = finding(FindingCode.FLANNEL_BACKEND_UNKNOWN, Severity.ERROR, "");
        Report r = Report.of("s", List.of(w, b, a, e, a));
        assertEquals(List.of(e, a, b, w), r.findings());
        assertEquals(3, r.errors());
        assertFalse(r.has(FindingCode.LEASE_ORPHANED));
    }

    private static Finding finding(FindingCode c, Severity s, String range) {
        return new Finding(c, s, List.of(), range.isEmpty() ? Optional.empty() : Optional.of(range), "", "");
    }

    private static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
