package io.github.cidrguard;

import org.jspecify.annotations.Nullable;

/**
 * The root of every error that bad input causes: text that is not an address or CIDR, a flannel config or lease value
 * flanneld rejects, a scenario file that cannot be used, cluster output an importer cannot read. Each subtype's
 * message quotes the input, says what is wrong and how to fix it, so a caller can print {@link #getMessage()} as it
 * is; a command maps the whole family to one exit code (bad input), apart from the outside world failing.
 *
 * <p>It is unchecked, like {@link IllegalArgumentException} which it extends, so {@code catch
 * (IllegalArgumentException e)} written against earlier releases still catches it. {@link #source()} and
 * {@link #line()} say where the input came from when that is known, for tools that point at a file and a line (the
 * command's SARIF, JUnit and GitHub formats).
 */
public abstract class CidrguardInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final @Nullable String source;
    private final int line;

    /**
     * For subtypes.
     *
     * @param source the file or source name the input came from, or {@code null} when it has none (text given in code)
     * @param line the 1-based line of the offending input, or 0 when unknown
     * @param message the whole message, already naming the input, the problem and the fix
     * @param cause the underlying error, or {@code null}
     */
    protected CidrguardInputException(@Nullable String source, int line, String message,
                                      @Nullable Throwable cause) {
        super(message, cause);
        this.source = source;
        this.line = Math.max(0, line);
    }

    /** The file or source name the input came from, or {@code null} when the input has none (text given in code). */
    public @Nullable String source() {
        return source;
    }

    /** The 1-based line of the offending input, or 0 when unknown. */
    public int line() {
        return line;
    }
}
