package io.github.cidrguard.cli;

/**
 * {@code --format}: aligned text for people (the default), JSON for tools, and for {@code check} the formats CI
 * systems read: SARIF 2.1.0 (code scanning), JUnit XML (test reports) and GitHub workflow commands (annotations).
 */
enum Format {
    /** Aligned, coloured when stdout is a terminal. */
    text,
    /** One JSON document with {@code "cidrguard": 1}. */
    json,
    /** A SARIF 2.1.0 log: one rule per finding code, one result per finding at its file and line. */
    sarif,
    /** JUnit XML: one test case per finding code, a failure per ERROR or WARNING finding. */
    junit,
    /** GitHub Actions workflow commands: {@code ::error file=…,line=…::message} per finding. */
    github;

    /** Whether this is one of the CI formats that only reports of findings have. */
    boolean ci() {
        return this == sarif || this == junit || this == github;
    }
}
