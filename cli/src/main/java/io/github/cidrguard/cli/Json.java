package io.github.cidrguard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The command's one ObjectMapper, created on first use (not while picocli builds the command tree: cold start). */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }
}
