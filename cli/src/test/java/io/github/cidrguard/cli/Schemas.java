package io.github.cidrguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Validates real outputs against the schemas of docs/schema/ (JSON Schema 2020-12, formats asserted) and SARIF logs
 * against OASIS's SARIF 2.1.0 schema (src/test/resources/sarif/).
 */
public final class Schemas {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).build();
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private Schemas() {
    }

    /** {@code <root>/docs/schema}. */
    public static Path dir() {
        return Path.of(Run.file("docs/schema")).toAbsolutePath().normalize();
    }

    /** A schema of docs/schema by file name, e.g. {@code report.schema.json}. */
    public static JsonSchema of(String name) {
        return CACHE.computeIfAbsent(name, n -> JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of(dir().resolve(n).toUri().toString()), CONFIG));
    }

    /** OASIS's SARIF 2.1.0 schema (draft 04). */
    public static JsonSchema sarif() {
        return CACHE.computeIfAbsent("sarif", n -> {
            try (InputStream in = Schemas.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
                if (in == null) {
                    throw new IllegalStateException("src/test/resources/sarif/sarif-schema-2.1.0.json is missing");
                }
                return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in, CONFIG);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Asserts that the JSON text is valid against the schema, and returns it parsed. */
    public static JsonNode assertValid(JsonSchema schema, String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
        assertTrue(node != null && !node.isMissingNode(), "no JSON document: '" + json + "'");
        Set<ValidationMessage> errors = schema.validate(node);
        assertTrue(errors.isEmpty(), schema.getSchemaLocation() + ": " + errors + "\n" + json);
        return node;
    }

    /** {@link #assertValid} for a docs/schema file, and the document carries {@code "cidrguard": 1}. */
    public static JsonNode assertValid(String schemaName, String json) {
        JsonNode node = assertValid(of(schemaName), json);
        assertEquals(1, node.path("cidrguard").asInt(-1), "cidrguard: 1 in " + json);
        return node;
    }
}
