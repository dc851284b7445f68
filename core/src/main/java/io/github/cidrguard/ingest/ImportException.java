package io.github.cidrguard.ingest;

import org.jspecify.annotations.Nullable;

import io.github.cidrguard.CidrguardInputException;

/**
 * Cluster output that {@link ScenarioImport} cannot read: not the expected tool's format, or a value that is not what
 * the tool prints. The message names the source, the line when known, quotes the offending input and says which
 * command produces the expected output, e.g. {@code nodes.json: items[1].status.addresses[0].address '10.0.0.300'
 * is not an IP address; give the output of kubectl get nodes -o json}.
 */
public final class ImportException extends CidrguardInputException {
    private static final long serialVersionUID = 0;

    ImportException(@Nullable String source, int line, String message) {
        this(source, line, message, null);
    }

    ImportException(@Nullable String source, int line, String message, @Nullable Throwable cause) {
        super(source, line, source + (line > 0 ? " line " + line : "") + ": " + message, cause);
    }
}
