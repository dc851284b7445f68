package io.github.cidrguard.cli;

import picocli.CommandLine.Option;

/**
 * {@code --format}, {@code --output}, {@code --color} and {@code --strict}, mixed into every command. The command line
 * applies {@code --output} and {@code --color} to the {@link Io} before a command runs, and keeps {@code --strict}
 * only on the commands whose exit code it changes ({@link Main#STRICT_COMMANDS}).
 */
final class OutputOptions {
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: text (default) or json; check also writes sarif (SARIF 2.1.0 for code "
                    + "scanning), junit (JUnit XML) or github (GitHub Actions annotations).")
    Format format = Format.text;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the output to FILE instead of stdout (progress and notes stay on stderr).")
    String output;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour text output: auto (default: when stdout is a terminal and NO_COLOR is unset), "
                    + "always or never.")
    Colour color = Colour.auto;

    @Option(names = "--strict", description = "Exit 1 on warnings too, not only on errors: WARNING findings (check, "
            + "demo, etcd), flannel's warnings (flannel check), the notes of what was inferred (import).")
    boolean strict;

    boolean json() {
        return format == Format.json;
    }

    /** {@code --color}. */
    enum Colour {
        auto, always, never
    }
}
