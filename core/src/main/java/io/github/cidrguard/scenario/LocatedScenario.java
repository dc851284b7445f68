package io.github.cidrguard.scenario;

import io.github.cidrguard.analysis.Finding;
import io.github.cidrguard.analysis.Location;
import io.github.cidrguard.analysis.Report;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Scenario;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A scenario read from a file together with the line of every element of that file, so that findings can point at
 * the line they are about while the model ({@link Scenario}) stays free of file positions.
 *
 * <p>Elements are named by their path in the file, as the reader's error messages name them: {@code nodes[0]} (a list
 * item: the line of its first key), {@code nodes[0].ip}, {@code flannel.config}, {@code flannel.leases[1]},
 * {@code kubernetes.serviceCidr}, {@code kubernetes.services[2]}, {@code networks[1]} (a key: the line of the key).
 * {@link #element(Finding)} maps a finding to the element it is about from its subjects (docs/findings.md): a node's
 * address to {@code nodes[i].ip}, the flannel Network to {@code flannel.config}, a lease to its item, and so on.
 */
public final class LocatedScenario {
    private final Scenario scenario;
    private final String source;
    /*
     * The reader's located tree, kept instead of a map of every path: a 65 536-node file has half a million element
     * paths, and building their strings and map was about a third of a cold `cidrguard check` (and most of its
     * garbage), while a report needs the lines of a handful of them. Paths are resolved in the tree on demand.
     */
    private final ScenarioReader.Value root;
    /** Per named list ({@code nodes}), the index of each item's first occurrence by name, built on first use. */
    private final Map<String, Map<String, Integer>> names = new ConcurrentHashMap<>();
    private volatile Map<String, Integer> lines;

    LocatedScenario(Scenario scenario, String source, ScenarioReader.Value root) {
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.source = Objects.requireNonNull(source, "source");
        this.root = Objects.requireNonNull(root, "root");
    }

    /** The scenario, exactly as {@link ScenarioFormat#parse} reads it. */
    public Scenario scenario() {
        return scenario;
    }

    /** The source name the scenario was read under (a file name, {@code stdin}). */
    public String source() {
        return source;
    }

    /**
     * Every element path of the file and its 1-based line, in file order (built on the first call: for a large file
     * this is a large map, and {@link #line} needs none of it).
     */
    public Map<String, Integer> lines() {
        Map<String, Integer> l = lines;
        if (l == null) {
            Map<String, Integer> all = new LinkedHashMap<>();
            ScenarioReader.paths(root, "", all);
            l = Collections.unmodifiableMap(all);
            lines = l;
        }
        return l;
    }

    /** The line of an element, e.g. {@code nodes[1].ip}; empty when the file does not write that element. */
    public OptionalInt line(String path) {
        return path.isEmpty() ? OptionalInt.empty() : ScenarioReader.lineOf(root, path);
    }

    /**
     * The element a finding is about: the first of its subjects that names an element the file writes, narrowed to
     * the deepest part of that element the file has (a node written without {@code hostNetwork} gives the node's
     * item). Empty when no subject names an element of the file (say, a reserved range).
     */
    public Optional<String> element(Finding finding) {
        for (String subject : finding.subjects()) {
            Optional<String> p = elementOf(subject);
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    /**
     * The report with every finding located in {@code file}: at the line of its {@link #element}, or at the file
     * alone when it has none.
     *
     * @param file the file's name as the user should read it (e.g. relative to the working directory)
     */
    public Report locate(Report report, String file) {
        return report.locate(f -> Optional.of(element(f).flatMap(p -> {
            OptionalInt l = line(p);
            return l.isPresent() ? Optional.of(Location.of(file, l.getAsInt())) : Optional.empty();
        }).orElse(Location.of(file))));
    }

    private Optional<String> elementOf(String subject) {
        String[] w = subject.split(" ");
        if (subject.startsWith("flannel.")) {
            return deepest("flannel.config");
        }
        if (subject.startsWith("kubernetes.serviceCidr")) {
            return deepest("kubernetes.serviceCidr");
        }
        if (subject.startsWith("kubernetes.clusterDns")) {
            return deepest("kubernetes.clusterDns");
        }
        if (subject.startsWith("kubeProxy.")) {
            return deepest("kubernetes.kubeProxy." + w[0].substring("kubeProxy.".length()));
        }
        if (w.length < 2) {
            return Optional.empty();
        }
        return switch (w[0]) {
            case "node" -> named("nodes", w[1]).flatMap(p -> deepest(p + (subject.contains(" podCidr ")
                    ? ".podCidr" : ".ip")));
            case "nodes" -> deepest("nodes");
            case "lease" -> named("flannel.leases", w[1]).flatMap(this::deepest);
            case "service" -> named("kubernetes.services", w[1]).flatMap(this::deepest);
            case "network" -> named("networks", w[1]).flatMap(this::deepest);
            case "hostNetwork" -> nodeWith(n -> n.hostNetworks().stream().anyMatch(c -> c.toString().equals(w[1])),
                    ".hostNetwork");
            case "docker" -> w.length > 2 ? nodeWith(n -> n.docker().map(c -> c.toString().equals(w[2]))
                    .orElse(false), ".docker") : Optional.empty();
            default -> Optional.empty();
        };
    }

    private Optional<String> named(String list, String name) {
        Integer i = names.computeIfAbsent(list, l -> ScenarioReader.itemNames(root, l)).get(name);
        return i == null ? Optional.empty() : Optional.of(list + "[" + i + "]");
    }

    private Optional<String> nodeWith(java.util.function.Predicate<Node> test, String suffix) {
        List<Node> nodes = scenario.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            if (test.test(nodes.get(i))) {
                return deepest("nodes[" + i + "]" + suffix);
            }
        }
        return Optional.empty();
    }

    /** The path itself when the file writes it, else its nearest written parent ({@code a.b[2].c} → {@code a.b[2]}). */
    private Optional<String> deepest(String path) {
        String p = path;
        while (!p.isEmpty()) {
            if (line(p).isPresent()) {
                return Optional.of(p);
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "LocatedScenario[" + source + ": " + scenario.name() + "]";
    }
}
