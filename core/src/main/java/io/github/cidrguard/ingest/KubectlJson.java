package io.github.cidrguard.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.cidrguard.kube.Kubernetes;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;

import java.util.ArrayList;
import java.util.List;

/** Reading {@code kubectl get … -o json} (or {@code -o yaml}) documents: a List of items, or one object. */
final class KubectlJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private KubectlJson() {
    }

    /** The document's tree; JSON first, YAML when it does not start like JSON. */
    static JsonNode tree(String text, String source, String command) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new ImportException(source, 0, "is empty; give the output of " + command);
        }
        try {
            JsonNode n = (t.startsWith("{") || t.startsWith("[") ? JSON : YAML).readTree(t);
            if (n == null || !n.isObject()) {
                throw new ImportException(source, 0, "is not a Kubernetes object; give the output of " + command);
            }
            return n;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ImportException(source, line, "is not valid JSON or YAML (" + e.getOriginalMessage()
                    + "); give the output of " + command, e);
        }
    }

    /** The items of a {@code kind: List} (or {@code …List}), or the object itself when it has the expected kind. */
    static List<JsonNode> items(JsonNode root, String kind, String source, String command) {
        String k = root.path("kind").asText("");
        List<JsonNode> out = new ArrayList<>();
        if (root.has("items")) {
            root.get("items").forEach(out::add);
        } else if (k.equals(kind)) {
            out.add(root);
        } else {
            throw new ImportException(source, 0, "has kind '" + k + "', not " + kind + " or a List of them; give the "
                    + "output of " + command);
        }
        for (int i = 0; i < out.size(); i++) {
            String ik = out.get(i).path("kind").asText(kind);
            if (!ik.equals(kind)) {
                throw new ImportException(source, 0, "items[" + i + "] has kind '" + ik + "', not " + kind
                        + "; give the output of " + command);
            }
        }
        return out;
    }

    static String name(JsonNode item, boolean namespaced) {
        JsonNode md = item.path("metadata");
        String name = md.path("name").asText("");
        if (!namespaced) {
            return name;
        }
        String ns = md.path("namespace").asText("default");
        return ns + "/" + name;
    }

    static IpAddress ip(String text, String where, String source, String command) {
        try {
            return IpAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ImportException(source, 0, where + " '" + text + "' is not an IP address (" + e.getMessage()
                    + "); give the output of " + command, e);
        }
    }

    static Cidr cidr(String text, String where, String source, String command) {
        try {
            return Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ImportException(source, 0, where + " '" + text + "' is not a CIDR (" + e.getMessage()
                    + "); give the output of " + command, e);
        }
    }
}
