package io.github.cidrguard.lab;

/** The lab could not run: not Linux, not root, a tool missing, or a command failed (the message names it). */
public final class LabException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, naming the command and its stderr where there is one */
    public LabException(String message) {
        super(message);
    }

    /**
     * @param message what failed
     * @param cause the underlying error
     */
    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
