package io.github.cidrguard.benchmarks;

import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.testing.ScalePlans;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The plans of {@link ScalePlans} (core's test fixture: valid at every size up to 131 070 nodes, healthy, flat or with
 * findings in proportion) as files, for the cold command measurements of benchmarks/README.md and benchmarks/scale.sh:
 * {@code java -cp benchmarks/target/benchmarks.jar io.github.cidrguard.benchmarks.Plans DIR [n]} writes
 * {@code plan-n.yaml}, {@code plan-n.json} and {@code nodes-n.json} (kubectl's output for the plan's nodes, realistic
 * objects of about 4.5 KB each) into DIR.
 */
public final class Plans {
    private Plans() {
    }

    /**
     * Writes {@code plan-n.yaml}, {@code plan-n.json} (the same plan) and {@code nodes-n.json} into a directory.
     *
     * @param args the directory, and n (65 536 unless given)
     * @throws IOException when a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 65_536;
        Files.createDirectories(dir);
        Scenario s = ScalePlans.healthy(n);
        Files.writeString(dir.resolve("plan-" + n + ".yaml"), s.toYaml());
        Files.writeString(dir.resolve("plan-" + n + ".json"), ScaleBenchmark.toJson(s));
        try (Writer w = Files.newBufferedWriter(dir.resolve("nodes-" + n + ".json"), StandardCharsets.UTF_8)) {
            ScalePlans.writeKubectlNodes(n, w);
        }
        System.out.println("wrote " + dir.resolve("plan-" + n + ".yaml") + ", .json and nodes-" + n + ".json");
    }
}
