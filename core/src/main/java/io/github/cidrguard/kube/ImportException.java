package io.github.cidrguard.kube;

/**
 * Cluster output that {@link ScenarioImport} cannot read: not the expected tool's format, or a value that is not what
 * the tool prints. The message names the source, the line when known, quotes the offending input and says which
 * command produces the expected output, e.g. {@code nodes.json: items[1].status.addresses[0].address '10.0.0.300'
 * is not an IP address; give the output of kubectl get nodes -o json}.
 */
public final class ImportException extends IllegalArgumentException {
    private static final long serialVersionUID = 0;

    private final String source;
    private final int line;

    ImportException(String source, int line, String message) {
        this(source, line, message, null);
    }

    ImportException(String source, int line, String message, Throwable cause) {
        super(source + (line > 0 ? " line " + line : "") + ": " + message, cause);
        this.source = source;
        this.line = line;
    }

    /** The source name given to the importer (e.g. a file name). */
    public String source() {
        return source;
    }

    /** The 1-based line of the offending input, or 0 when unknown (JSON documents). */
    public int line() {
        return line;
    }
}
