package io.github.cidrguard.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.cidrguard.InputText;
import io.github.cidrguard.kube.Kubernetes;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reading {@code kubectl get … -o json} (or {@code -o yaml}) documents: a List of items, or one object. A List is
 * read streaming ({@link #items(String, String, String, String)}): the parser walks to each item and only that item
 * becomes a tree, so the heap holds the model being built, not the tree of a few hundred MB of cluster output.
 *
 * <p>Limits: the parsers' own size limits are set out of the way explicitly (SnakeYAML's codePointLimit of 3 MiB,
 * Jackson's string and document lengths), and the limits of {@link InputText} apply instead: size, nesting (counted
 * by the parsers, set to {@link InputText#maxNesting()} on every call) and the length of a YAML line. Jackson's YAML parser reports an
 * alias as its anchor's name instead of expanding it, so a "billion laughs" document stays its own size.
 */
final class KubectlJson {
    /** Reads trees from parsers made per call by {@link #parser}, which carry the limits. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A parser over the text with the limits of the moment. */
    private static JsonParser parser(String text, boolean json) throws IOException {
        return factory(json).createParser(text);
    }

    /** A factory whose parsers carry the limits of the moment. */
    private static JsonFactory factory(boolean json) {
        StreamReadConstraints limits = StreamReadConstraints.builder()
                .maxDocumentLength(-1)
                .maxStringLength(Integer.MAX_VALUE)
                .maxNestingDepth(InputText.maxNesting())
                .build();
        if (json) {
            return JsonFactory.builder().streamReadConstraints(limits).build().setCodec(MAPPER);
        }
        LoaderOptions o = new LoaderOptions();
        o.setCodePointLimit(Integer.MAX_VALUE);
        o.setNestingDepthLimit(InputText.maxNesting());
        return YAMLFactory.builder().streamReadConstraints(limits).loaderOptions(o).build().setCodec(MAPPER);
    }

    private KubectlJson() {
    }

    /** The document's tree; JSON first, YAML when it does not start like JSON. */
    static JsonNode tree(String text, String source, String command) {
        boolean json = json(text, source, command);
        try (JsonParser p = parser(text, json)) {
            JsonNode n = MAPPER.readTree(p);
            if (n == null || !n.isObject()) {
                throw new ImportException(source, 0, "is not a Kubernetes object; give the output of " + command);
            }
            return n;
        } catch (IOException e) {
            throw syntax(e, source, command);
        }
    }

    /** Whether the text is JSON (it starts like JSON) rather than YAML, after the checks of {@link InputText}. */
    private static boolean json(String text, String source, String command) {
        if (text.isBlank()) {
            throw new ImportException(source, 0, "is empty; give the output of " + command);
        }
        if (text.length() > InputText.maxBytes()) {
            throw new ImportException(source, 0, InputText.tooLarge("the text is " + text.length() + " characters"));
        }
        int start = 0;
        while (Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        char c = text.charAt(start);
        if (c == '{' || c == '[') {
            return true;
        }
        int longLine = InputText.firstLongYamlLine(text);
        if (longLine > 0) {
            throw new ImportException(source, longLine, InputText.yamlLineTooLong());
        }
        return false;
    }

    private static ImportException syntax(IOException e, String source, String command) {
        int line = 0;
        String what = e.toString();
        if (e instanceof JsonProcessingException j) {
            line = j.getLocation() == null ? 0 : j.getLocation().getLineNr();
            what = j.getOriginalMessage();
            if (e instanceof StreamConstraintsException && what.contains("nesting depth")) {
                return new ImportException(source, line, InputText.tooDeep(InputText.maxNesting() + 1) + "; give the"
                        + " output of " + command, e);
            }
        }
        return new ImportException(source, line, "is not valid JSON or YAML (" + what + "); give the output of "
                + command, e);
    }

    /**
     * The items of a {@code kind: List} (or {@code …List}), or the object itself when it has the expected kind, read
     * streaming: the iteration parses one item at a time, so only the current item is a tree. Errors of syntax, and
     * items of another kind, surface during the iteration, with the line where the parser stood.
     */
    static Iterable<JsonNode> items(String text, String kind, String source, String command) {
        boolean json = json(text, source, command);
        return () -> {
            try {
                return new Items(parser(text, json), kind, source, command);
            } catch (IOException e) {
                throw syntax(e, source, command);
            }
        };
    }

    /**
     * {@link #items(String, String, String, String)} from a reader ({@code InputText.open}, which bounds size, NUL
     * bytes, UTF-8 and YAML lines as it reads): the text is never held whole, so a {@code kubectl get nodes -o json}
     * of hundreds of MB costs the heap one item at a time. Line numbers are the parser's, as with a String. The
     * iteration can be made once; it closes the reader when it ends or fails.
     */
    static Iterable<JsonNode> items(Reader reader, String kind, String source, String command) {
        return () -> {
            BufferedReader in = new BufferedReader(reader, 1 << 16);
            try {
                boolean json;
                while (true) {
                    in.mark(1);
                    int c = in.read();
                    if (c < 0) {
                        in.close();
                        throw new ImportException(source, 0, "is empty; give the output of " + command);
                    }
                    if (!Character.isWhitespace(c)) {
                        json = c == '{' || c == '[';
                        in.reset();
                        break;
                    }
                }
                return new Items(factory(json).createParser(in), kind, source, command);
            } catch (IOException e) {
                throw syntax(e, source, command);
            }
        };
    }

    /**
     * Walks a document: top-level fields other than {@code items} are kept (small); each element of {@code items} is
     * read as a tree when asked for. A document without {@code items} is one object, the item itself.
     */
    private static final class Items implements Iterator<JsonNode> {
        private final String kind;
        private final String source;
        private final String command;
        private final JsonParser p;
        private final ObjectNode root;
        private boolean inItems;
        private boolean sawItems;
        private boolean done;
        private int index;
        private JsonNode next;

        Items(JsonParser parser, String kind, String source, String command) {
            this.kind = kind;
            this.source = source;
            this.command = command;
            this.root = MAPPER.createObjectNode();
            this.p = parser;
            try {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    p.close();
                    throw new ImportException(source, 0, "is not a Kubernetes object; give the output of " + command);
                }
            } catch (IOException e) {
                throw syntax(e, source, command);
            }
        }

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                try {
                    next = advance();
                } catch (IOException e) {
                    done = true;
                    close();
                    throw syntax(e, source, command);
                } catch (RuntimeException e) { // the input's limits (InputText) or a wrong item: the file is done
                    done = true;
                    close();
                    throw e;
                }
            }
            return next != null;
        }

        @Override
        public JsonNode next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            JsonNode n = next;
            next = null;
            return n;
        }

        private JsonNode advance() throws IOException {
            while (true) {
                if (inItems) {
                    JsonToken t = p.nextToken();
                    if (t == JsonToken.END_ARRAY) {
                        inItems = false;
                        continue;
                    }
                    int line = p.currentTokenLocation().getLineNr();
                    JsonNode item = MAPPER.readTree(p);
                    String ik = item.path("kind").asText(kind);
                    if (!ik.equals(kind)) {
                        throw new ImportException(source, line, "items[" + index + "] has kind '" + ik + "', not "
                                + kind + "; give the output of " + command);
                    }
                    index++;
                    return item;
                }
                JsonToken t = p.nextToken();
                if (t == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if (name.equals("items") && v == JsonToken.START_ARRAY && !sawItems) {
                        inItems = true;
                        sawItems = true;
                    } else if (name.equals("items") && v == JsonToken.VALUE_NULL) {
                        sawItems = true; // kubectl prints "items": null for an empty List at times
                    } else {
                        root.set(name, MAPPER.readTree(p));
                    }
                    continue;
                }
                // END_OBJECT of the document
                done = true;
                if (p.nextToken() != null) {
                    int line = p.currentTokenLocation().getLineNr();
                    close();
                    throw new ImportException(source, line, "has content after the object; give the output of "
                            + command);
                }
                close();
                if (sawItems) {
                    return null;
                }
                String k = root.path("kind").asText("");
                if (!k.equals(kind)) {
                    throw new ImportException(source, 0, "has kind '" + k + "', not " + kind + " or a List of them;"
                            + " give the output of " + command);
                }
                return root;
            }
        }

        private void close() {
            try {
                p.close();
            } catch (IOException e) {
                // nothing to do: the input was read to its end or has failed already
            }
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
