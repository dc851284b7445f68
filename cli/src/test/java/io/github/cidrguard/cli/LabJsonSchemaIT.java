package io.github.cidrguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code cidrguard lab --format json} on the real kernel (root, network namespaces), validated against its schema. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LabJsonSchemaIT {
    @Test
    void labJsonMatchesItsSchema() {
        Run r = Run.of("lab", Run.scenario("lab/story-fixed.yaml"), "--format", "json", "--max-flows", "3");
        assertEquals(0, r.code(), r.out() + r.err());
        JsonNode lab = Schemas.assertValid("lab.schema.json", r.out());
        assertEquals(3, lab.get("flows").size(), r.out());
        assertTrue(lab.get("agree").asBoolean(), r.out());
    }

    /**
     * The IPv6 story: its flows are judged against the tracer, which models IPv6, and where story-ipv6.expect.yml
     * beside the scenario names a flow, against that kernel-derived expectation too; the JSON says both per flow.
     */
    @Test
    void ipv6FlowsAreCheckedAgainstTheTracerAndTheExpectationFile() {
        Run r = Run.of("lab", Run.scenario("lab/story-ipv6.yaml"), "--format", "json", "--max-flows", "4");
        assertEquals(0, r.code(), r.out() + r.err());
        JsonNode lab = Schemas.assertValid("lab.schema.json", r.out());
        assertEquals(4, lab.get("flows").size(), r.out());
        int expected = 0;
        for (JsonNode f : lab.get("flows")) {
            assertEquals("IPv6", f.get("family").asText(), r.out());
            assertEquals("tracer", f.get("checkedAgainst").asText(), r.out());
            assertTrue(!"NOT_MODELLED".equals(f.get("tracer").get("verdict").asText()), r.out());
            assertTrue(f.get("agree").asBoolean(), r.out());
            if (f.hasNonNull("expected")) {
                assertTrue(f.get("expected").get("matches").asBoolean(), r.out());
                expected++;
            }
        }
        assertTrue(expected > 0, "no flow was checked against the expectation file: " + r.out());
        assertTrue(lab.get("agree").asBoolean(), r.out());
    }
}
