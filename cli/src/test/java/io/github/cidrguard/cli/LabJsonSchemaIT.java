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
}
