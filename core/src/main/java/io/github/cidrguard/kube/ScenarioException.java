package io.github.cidrguard.kube;

import org.jspecify.annotations.Nullable;

import io.github.cidrguard.CidrguardInputException;

/**
 * A scenario file or model that cannot be used: bad syntax, an unknown key, a bad value or a missing required field.
 * The message reads like {@code seed.yaml line 14: unknown key 'podCIRD' under nodes[0]; did you mean 'podCidr'?}.
 */
public final class ScenarioException extends CidrguardInputException {
    private static final long serialVersionUID = 0;

    /**
     * A scenario error at this place; the message starts with the source and the line.
     *
     * @param source the file or source name, or {@code null} for a scenario built in code
     * @param line the 1-based line of the offending key or value, or 0 when unknown
     * @param message what is wrong and how to fix it
     * @param cause the underlying error, or {@code null}
     */
    public ScenarioException(@Nullable String source, int line, String message, @Nullable Throwable cause) {
        super(source, line, (source == null ? "scenario" : source) + (line > 0 ? " line " + line : "") + ": " + message,
                cause);
    }
}
