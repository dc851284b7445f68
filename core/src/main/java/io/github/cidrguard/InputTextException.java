package io.github.cidrguard;

/**
 * Input text that cannot be read as text: a missing or unreadable file, an input past one of the limits of
 * {@link InputText} (the message names the limit and the system property that raises it), a NUL byte, bytes that are
 * not UTF-8 (the message gives the byte offset and line). The message reads like
 * {@code plan.yaml line 3: byte 17 is not valid UTF-8 (0xe9 0x74); save the file as UTF-8 …}.
 */
public final class InputTextException extends CidrguardInputException {
    private static final long serialVersionUID = 1L;

    InputTextException(String source, int line, String message, Throwable cause) {
        super(source, line, (source == null ? "input" : source) + (line > 0 ? " line " + line : "") + ": " + message,
                cause);
    }

    InputTextException(String source, int line, String message) {
        this(source, line, message, null);
    }
}
