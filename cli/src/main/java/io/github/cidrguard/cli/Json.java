package io.github.cidrguard.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/**
 * The command's one ObjectMapper, created on first use (not while picocli builds the command tree: cold start), and
 * the rule that every JSON document the command writes starts with {@code "cidrguard": 1}, the output format's
 * version (docs/schema/).
 */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** The version of the command's JSON outputs; a document of another version is not one this command writes. */
    static final int VERSION = 1;

    private Json() {
    }

    /** A new JSON object that already holds {@code "cidrguard": 1}. */
    static ObjectNode object() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("cidrguard", VERSION);
        return o;
    }

    /** The library's JSON (e.g. a trace's) with {@code "cidrguard": 1} first, the rest unchanged and in order. */
    static String versioned(String json) {
        return write(versionedTree(json));
    }

    /** {@link #versioned} as a tree. */
    static ObjectNode versionedTree(String json) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the library wrote JSON that does not parse: " + e.getOriginalMessage(), e);
        }
        if (!(tree instanceof ObjectNode in)) {
            throw new IllegalStateException("the library wrote JSON that is not an object: " + json);
        }
        ObjectNode o = object();
        for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("cidrguard")) {
                o.set(e.getKey(), e.getValue());
            }
        }
        return o;
    }

    /** One line of JSON. */
    static String write(JsonNode tree) {
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The JSON error object of docs/schema/error.schema.json: {@code {"cidrguard": 1, "error": {"code": 2,
     * "command": "cidrguard check", "message": "…"}}}.
     */
    static String error(int code, String command, String message) {
        ObjectNode o = object();
        ObjectNode e = o.putObject("error");
        e.put("code", code);
        e.put("command", command);
        e.put("message", message);
        return write(o);
    }
}
