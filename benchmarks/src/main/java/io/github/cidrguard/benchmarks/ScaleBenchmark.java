package io.github.cidrguard.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.cidrguard.analysis.Analysis;
import io.github.cidrguard.analysis.Report;
import io.github.cidrguard.ingest.ScenarioImport;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.testing.ScalePlans;
import io.github.cidrguard.trace.Reachability;
import io.github.cidrguard.trace.Tracer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Issue 14: 65 536 nodes end to end, every figure a ratio to {@link #sortLongsBaseline} ({@code Arrays.sort} of 1 M
 * random longs) measured in the same run. The plans come from {@link ScalePlans}: valid at every size, healthy or with
 * findings in proportion to the size. Targets (× the baseline): {@code load} of the YAML and of the JSON file ≤ 4;
 * {@code checkHealthy} ≤ 0.1; {@code checkFindings} (≥ 10 000 findings) ≤ 1 and linear (its 16 384 / 65 536 ratio
 * within 5 × … of 4); {@code reach} ≤ 8; {@code importNodes} of {@code kubectl get nodes -o json} (realistic objects
 * of about 4.5 KB, -Xmx1g) ≤ 25.
 *
 * <p>Run (short, for a shared machine):
 * {@code java -jar benchmarks/target/benchmarks.jar ScaleBenchmark -f 1 -wi 2 -i 3 -p nodes=65536}; the figures and
 * their load are in benchmarks/README.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ScaleBenchmark {
    /** The size of the plan, for the benchmarks that take one. */
    @State(Scope.Benchmark)
    public static class Size {
        /** Number of nodes. */
        @Param({"16384", "65536"})
        public int nodes;
    }

    /** 1 M random longs, copied before each sort. */
    @State(Scope.Benchmark)
    public static class Longs {
        long[] data;
        long[] work;

        /** Seeded, once per fork. */
        @Setup
        public void setUp() {
            Random r = new Random(42);
            data = new long[1_000_000];
            for (int i = 0; i < data.length; i++) {
                data[i] = r.nextLong();
            }
            work = new long[data.length];
        }
    }

    /** The healthy plan. */
    @State(Scope.Benchmark)
    public static class Healthy {
        Scenario scenario;

        /** Builds the plan and checks that it is healthy. */
        @Setup
        public void setUp(Size size) {
            scenario = ScalePlans.healthy(size.nodes);
            int findings = Analysis.of(scenario).findings().size();
            if (findings != 0) {
                throw new IllegalStateException("the healthy plan has " + findings + " findings: "
                        + Analysis.of(scenario).findings().get(0));
            }
        }
    }

    /** The healthy plan on one flat LAN (see {@link ScalePlans#healthyFlat}). */
    @State(Scope.Benchmark)
    public static class Flat {
        Scenario scenario;

        /** Builds the plan. */
        @Setup
        public void setUp(Size size) {
            scenario = ScalePlans.healthyFlat(size.nodes);
        }
    }

    /** The plan with findings in proportion to its size. */
    @State(Scope.Benchmark)
    public static class WithFindings {
        Scenario scenario;

        /** Builds the plan and checks its number of findings: at least n/4 (≥ 10 000 at 65 536 nodes). */
        @Setup
        public void setUp(Size size) {
            scenario = ScalePlans.withFindings(size.nodes);
            int findings = Analysis.of(scenario).findings().size();
            if (findings < size.nodes / 4 || size.nodes >= 65_536 && findings < 10_000) {
                throw new IllegalStateException("the findings plan has only " + findings + " findings");
            }
            System.out.println("\n" + size.nodes + " nodes: " + findings + " findings");
        }
    }

    /** The healthy plan written as a YAML and a JSON scenario file, and kubectl's nodes output. */
    @State(Scope.Benchmark)
    public static class Files_ {
        Path dir;
        Path yaml;
        Path json;
        String kubectlNodes;

        /** Writes the files into a temporary directory. */
        @Setup
        public void setUp(Size size) throws IOException {
            dir = Files.createTempDirectory("cidrguard-scale");
            Scenario s = ScalePlans.healthy(size.nodes);
            yaml = dir.resolve("plan.yaml");
            json = dir.resolve("plan.json");
            Files.writeString(yaml, s.toYaml());
            Files.writeString(json, toJson(s));
            System.out.printf("%nYAML %d bytes, JSON %d bytes%n", Files.size(yaml), Files.size(json));
        }

        /** Removes the files. */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            Files.deleteIfExists(yaml);
            Files.deleteIfExists(json);
            Files.deleteIfExists(dir);
        }
    }

    /** kubectl's nodes output, on disk as the command reads it. */
    @State(Scope.Benchmark)
    public static class KubectlNodes {
        Path file;

        /** Writes {@code kubectl get nodes -o json} for the plan's nodes. */
        @Setup
        public void setUp(Size size) throws IOException {
            file = Files.createTempFile("cidrguard-nodes", ".json");
            try (var w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                ScalePlans.writeKubectlNodes(size.nodes, w);
            }
            System.out.printf("%nkubectl get nodes -o json: %d bytes, %d per node%n", Files.size(file),
                    Files.size(file) / size.nodes);
        }

        /** Removes the file. */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            Files.deleteIfExists(file);
        }
    }

    /** The yardstick: {@code Arrays.sort} of a fresh copy of 1 M random longs. */
    @Benchmark
    public long[] sortLongsBaseline(Longs l) {
        System.arraycopy(l.data, 0, l.work, 0, l.data.length);
        java.util.Arrays.sort(l.work);
        return l.work;
    }

    /** {@code Scenario.load} of the YAML file (read, parse, build the model). */
    @Benchmark
    public Scenario loadYaml(Files_ f) {
        return Scenario.load(f.yaml);
    }

    /** {@code Scenario.load} of the JSON file. */
    @Benchmark
    public Scenario loadJson(Files_ f) {
        return Scenario.load(f.json);
    }

    /** {@code Analysis.of} of the healthy plan. */
    @Benchmark
    public Report checkHealthy(Healthy h) {
        return Analysis.of(h.scenario);
    }

    /** {@code Analysis.of} of the plan with findings. */
    @Benchmark
    public Report checkFindings(WithFindings w) {
        return Analysis.of(w.scenario);
    }

    /**
     * {@code reach()} of all sources of the healthy plan (263 LANs of 250 nodes): tracer, reachability and every
     * source's failure list. Its plain LANs share their equivalence classes (see the trace package's Reach), so it
     * costs about what one flat LAN costs.
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    public long reach(Healthy h) {
        return failures(h.scenario);
    }

    /** {@code reach()} of all sources of the same plan on one flat LAN. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    public long reachFlat(Flat f) {
        return failures(f.scenario);
    }

    private static long failures(Scenario s) {
        Reachability r = Tracer.of(s).reach();
        long failures = 0;
        for (Reachability.Source src : r.sources()) {
            failures += src.failures().size();
        }
        return failures;
    }

    /**
     * The import of {@code kubectl get nodes -o json} as the command does it: the file read streaming (its text is
     * never one String: 65 536 realistic nodes are about 600 MB), one item's tree at a time, then the scenario built.
     * The fork has -Xmx1g, the heap the issue allows.
     */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
    public Scenario importNodes(KubectlNodes k) {
        return ScenarioImport.named("imported").withKubectlNodes(k.file, "nodes.json").toScenario();
    }

    /** The scenario as a JSON scenario file (the YAML file's tree, written as JSON). */
    static String toJson(Scenario s) {
        LoaderOptions o = new LoaderOptions();
        o.setCodePointLimit(Integer.MAX_VALUE);
        ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder().loaderOptions(o).build());
        try {
            JsonNode tree = yaml.readTree(s.toYaml());
            StringWriter w = new StringWriter();
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(w, tree);
            return w.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
