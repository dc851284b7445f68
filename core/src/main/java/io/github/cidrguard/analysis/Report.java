package io.github.cidrguard.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The findings of one analysis, sorted (severity, code, range, subjects, message) so that the same plan always gives
 * the same report whatever the order of its inputs; {@link #toJson()} prints docs/architecture.md ("Report JSON").
 */
public final class Report {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A finding with its range's sort key worked out once. */
    private record Keyed(Finding finding, RangeKey range) {
    }

    private static final Comparator<Keyed> ORDER = Comparator.comparing((Keyed k) -> k.finding().severity())
            .thenComparing(k -> k.finding().code())
            .thenComparing(Keyed::range)
            .thenComparing(k -> String.join("\n", k.finding().subjects()))
            .thenComparing(k -> k.finding().message());

    private final String scenario;
    private final List<Finding> findings;

    private Report(String scenario, List<Finding> findings) {
        this.scenario = scenario;
        this.findings = findings;
    }

    /** A report of the given findings (sorted and de-duplicated here) for the named scenario. */
    public static Report of(String scenario, List<Finding> findings) {
        List<Keyed> keyed = new ArrayList<>();
        for (Finding f : new LinkedHashSet<>(findings)) {
            keyed.add(new Keyed(f, RangeKey.of(f.range().orElse(""))));
        }
        keyed.sort(ORDER);
        return new Report(Objects.requireNonNull(scenario, "scenario"), keyed.stream().map(Keyed::finding).toList());
    }

    /**
     * This report with every finding pointing where {@code where} says (findings it gives no location keep none).
     * The scenario reader's location table supplies {@code where} for a report of a file
     * ({@code io.github.cidrguard.scenario.LocatedScenario#locate}).
     */
    public Report locate(Function<Finding, Optional<Location>> where) {
        Objects.requireNonNull(where, "where");
        List<Finding> located = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            located.add(where.apply(f).map(f::withLocation).orElse(f));
        }
        return new Report(scenario, List.copyOf(located));
    }

    /** The scenario's name. */
    public String scenario() {
        return scenario;
    }

    /** The findings, ERROR first. */
    public List<Finding> findings() {
        return findings;
    }

    /** The findings with this code. */
    public List<Finding> findings(FindingCode code) {
        return findings.stream().filter(f -> f.code() == code).toList();
    }

    /** The distinct codes raised. */
    public Set<FindingCode> codes() {
        Set<FindingCode> codes = EnumSet.noneOf(FindingCode.class);
        findings.forEach(f -> codes.add(f.code()));
        return codes;
    }

    /** Whether some finding has this code. */
    public boolean has(FindingCode code) {
        return findings.stream().anyMatch(f -> f.code() == code);
    }

    /** The number of ERROR findings. */
    public int errors() {
        return count(Severity.ERROR);
    }

    /** The number of WARNING findings. */
    public int warnings() {
        return count(Severity.WARNING);
    }

    /** The number of INFO findings. */
    public int infos() {
        return count(Severity.INFO);
    }

    private int count(Severity s) {
        return (int) findings.stream().filter(f -> f.severity() == s).count();
    }

    /**
     * The report as docs/architecture.md ("Report JSON") JSON: {@code cidrguard}, {@code scenario}, {@code findings} (each {@code code,
     * severity, subjects, range, message, remedy}; {@code range} is null when a finding has none; when it claims traffic
     * breaks, {@code flow {from, to, port}} with {@code port} null for ICMP or a {@code svc:} destination; an optional
     * {@code location {file, line}} when the finding was located in its file, {@code line} left out when only the file
     * is known) and {@code summary} {@code {errors, warnings, infos}}, in that order.
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("cidrguard", 1);
        root.put("scenario", scenario);
        ArrayNode arr = root.putArray("findings");
        for (Finding f : findings) {
            ObjectNode o = arr.addObject();
            o.put("code", f.code().name());
            o.put("severity", f.severity().name());
            ArrayNode subjects = o.putArray("subjects");
            f.subjects().forEach(subjects::add);
            if (f.range().isPresent()) {
                o.put("range", f.range().get());
            } else {
                o.putNull("range");
            }
            o.put("message", f.message());
            o.put("remedy", f.remedy());
            if (f.flow().isPresent()) {
                ObjectNode flow = o.putObject("flow");
                flow.put("from", f.flow().get().from());
                flow.put("to", f.flow().get().to());
                flow.put("port", f.flow().get().portText().orElse(null));
            }
            f.location().ifPresent(l -> {
                ObjectNode loc = o.putObject("location");
                loc.put("file", l.file());
                l.line().ifPresent(line -> loc.put("line", line));
            });
        }
        ObjectNode summary = root.putObject("summary");
        summary.put("errors", errors());
        summary.put("warnings", warnings());
        summary.put("infos", infos());
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report of " + scenario, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Report r && r.scenario.equals(scenario) && r.findings.equals(findings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scenario, findings);
    }

    /** {@code Report[seed-2017: 4 errors, 1 warnings, 1 infos]}. */
    @Override
    public String toString() {
        return "Report[" + scenario + ": " + errors() + " errors, " + warnings() + " warnings, " + infos() + " infos]";
    }
}
