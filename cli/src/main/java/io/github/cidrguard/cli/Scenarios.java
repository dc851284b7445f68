package io.github.cidrguard.cli;

import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.scenario.LocatedScenario;
import io.github.cidrguard.scenario.ScenarioFormat;

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

    /** A scenario with the line of every element, for findings that point at their line. */
    static LocatedScenario loadLocated(Io io, String file) {
        String text = io.read(file, "scenario file");
        String source = file.equals("-") ? "stdin" : fileName(file);
        return ScenarioFormat.parseWithLocations(text, source);
    }

    /**
     * The file as findings name it: relative to the working directory when it lies below it (as code scanning and
     * annotations want paths relative to the checkout), with forward slashes; as given otherwise.
     */
    static String displayPath(String file) {
        Path p = Path.of(file).normalize();
        if (p.isAbsolute()) {
            Path cwd = Path.of("").toAbsolutePath().normalize();
            if (p.startsWith(cwd)) {
                p = cwd.relativize(p);
            }
        }
        String s = p.toString().replace('\\', '/');
        return s.isEmpty() ? file : s;
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
