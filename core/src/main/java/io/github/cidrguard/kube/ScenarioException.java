package io.github.cidrguard.kube;

/**
 * A scenario file or model that cannot be used: bad syntax, an unknown key, a bad value or a missing required field.
 * The message reads like {@code seed.yaml line 14: unknown key 'podCIRD' under nodes[0]; did you mean 'podCidr'?}.
 */
public final class ScenarioException extends IllegalArgumentException {
    private static final long serialVersionUID = 0;

    private final String source;
    private final int line;

    ScenarioException(String source, int line, String message, Throwable cause) {
        super((source == null ? "scenario" : source) + (line > 0 ? " line " + line : "") + ": " + message, cause);
        this.source = source;
        this.line = line;
    }

    /** The file name or source name the scenario came from (may be null for one built in code). */
    public String source() {
        return source;
    }

    /** The 1-based line of the offending key or value, or 0 when unknown. */
    public int line() {
        return line;
    }
}
