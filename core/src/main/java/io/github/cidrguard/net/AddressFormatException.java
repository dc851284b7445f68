package io.github.cidrguard.net;

/**
 * Thrown when text is not an address, CIDR or range in the strict syntax this package accepts. The message quotes
 * the input, says what is wrong and how to write it instead; {@link #input()} gives the offending text.
 */
public final class AddressFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 0;

    private final String input;

    AddressFormatException(String input, String message) {
        super(message);
        this.input = input;
    }

    /** The text that failed to parse, exactly as given (may be {@code null}). */
    public String input() {
        return input;
    }
}
