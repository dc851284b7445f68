package io.github.cidrguard.cli;

import picocli.CommandLine.Option;

/** {@code --format} and {@code --strict}, mixed into every command. */
final class OutputOptions {
    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "Output format: text (default) or json.")
    Format format = Format.text;

    @Option(names = "--strict", description = "Exit 1 on WARNING findings too, not only on ERROR.")
    boolean strict;

    boolean json() {
        return format == Format.json;
    }
}
