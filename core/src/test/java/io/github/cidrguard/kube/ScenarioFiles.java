package io.github.cidrguard.kube;

import java.nio.file.Path;

/** Where the example scenarios live: surefire sets {@code cidrguard.root} to the project root. */
public final class ScenarioFiles {
    private ScenarioFiles() {
    }

    /** {@code <root>/examples/scenarios}. */
    public static Path dir() {
        return Path.of(System.getProperty("cidrguard.root", ".."), "examples", "scenarios");
    }

    /** A scenario file by its path under {@code examples/scenarios}. */
    public static Path file(String name) {
        return dir().resolve(name);
    }
}
