package io.github.cidrguard.cli;

/** {@code --format}: aligned text for people (the default) or JSON for tools. */
enum Format {
    /** Aligned, coloured when stdout is a terminal. */
    text,
    /** One JSON document on stdout. */
    json
}
