package io.github.cidrguard.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The kernel verdicts a scenario's author derived for flows the tracer does not model yet (IPv6), read from the file
 * beside the scenario, {@code <scenario>.expect.yml} ({@code .yml}, not {@code .yaml}: every {@code .yaml} file under
 * examples/scenarios is a scenario):
 *
 * <pre>
 * cidrguard-lab-expect: 1
 * flows:
 *   "pod:default/busybox -&gt; node:node-71 IPv6": DELIVERED
 * </pre>
 *
 * <p>Keys are flow labels as the lab prints them; values are the tracer's verdict words. The lab probes such a flow,
 * reports "tracer: IPv6 not modelled" and checks the kernel against the expectation, so a run still fails when the
 * kernel does something else; it never counts as agreement with the tracer (examples/scenarios/lab/README.md,
 * "IPv6 and dual stack").
 */
public final class LabExpectations {
    private static final Set<String> VERDICTS = Set.of("DELIVERED", "DROPPED", "REJECTED", "HIJACKED", "NO_ROUTE");
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final LabExpectations NONE = new LabExpectations(Map.of(), "");

    private final Map<String, String> verdicts;
    private final String source;

    private LabExpectations(Map<String, String> verdicts, String source) {
        this.verdicts = Map.copyOf(verdicts);
        this.source = source;
    }

    /** @return no expectations */
    public static LabExpectations none() {
        return NONE;
    }

    /**
     * Expectations from a map of flow label to verdict.
     *
     * @param verdicts flow label to DELIVERED, DROPPED, REJECTED, HIJACKED or NO_ROUTE
     * @param source what the report names as their origin, e.g. a file name
     * @return the expectations
     * @throws IllegalArgumentException when a verdict is not one of the tracer's words
     */
    public static LabExpectations of(Map<String, String> verdicts, String source) {
        for (Map.Entry<String, String> e : verdicts.entrySet()) {
            if (!VERDICTS.contains(e.getValue())) {
                throw new IllegalArgumentException(source + ": flow '" + e.getKey() + "' expects '" + e.getValue()
                        + "'; write one of " + new java.util.TreeSet<>(VERDICTS));
            }
        }
        return new LabExpectations(verdicts, source);
    }

    /** @return the expectation file beside a scenario file, {@code <stem>.expect.yml}, if it exists */
    public static Optional<Path> besides(Path scenario) {
        String name = scenario.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path p = scenario.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".expect.yml");
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /**
     * Reads an expectation file.
     *
     * @param file the {@code .expect.yml} file
     * @return its expectations
     * @throws IllegalArgumentException when the file is not of the format above (the message names the file and the
     *     fix)
     * @throws java.io.UncheckedIOException when it cannot be read
     */
    public static LabExpectations load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not YAML: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("cidrguard-lab-expect").isInt()
                || root.path("cidrguard-lab-expect").asInt() != 1 || !root.path("flows").isObject()) {
            throw new IllegalArgumentException(file + ": write 'cidrguard-lab-expect: 1' and a map 'flows:' of flow"
                    + " label to verdict, e.g. \"pod:default/busybox -> node:node-71 IPv6\": DELIVERED");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("flows").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().asText());
        }
        return of(m, file.getFileName().toString());
    }

    /** @return the verdict expected for the flow with this label, if any */
    public Optional<String> verdict(String label) {
        return Optional.ofNullable(verdicts.get(label));
    }

    /** @return every flow label with an expectation */
    public Set<String> labels() {
        return verdicts.keySet();
    }

    /** @return where they come from, e.g. {@code story-ipv6.expect.yml}; empty for none */
    public String source() {
        return source;
    }
}
