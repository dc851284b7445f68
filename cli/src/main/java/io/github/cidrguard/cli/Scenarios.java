package io.github.cidrguard.cli;

import io.github.cidrguard.kube.Scenario;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Loading scenarios: from a file, stdin ({@code -}) or the jar (the seed of {@code demo}). */
final class Scenarios {
    static final String SEED_RESOURCE = "seed.yaml";

    private Scenarios() {
    }

    static Scenario load(Io io, String file) {
        String text = io.read(file, "scenario file");
        String source = file.equals("-") ? "stdin" : fileName(file);
        return Scenario.parse(text, source);
    }

    private static String fileName(String file) {
        Path name = Path.of(file).getFileName();
        return name == null ? file : name.toString();
    }

    /** The seed scenario of docs/architecture.md ("The story"), embedded in the jar. */
    static Scenario seed() {
        try (InputStream in = Scenarios.class.getResourceAsStream(SEED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks io/github/cidrguard/cli/" + SEED_RESOURCE
                        + "; rebuild it with mvn package");
            }
            return Scenario.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), SEED_RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the embedded seed scenario", e);
        }
    }
}
