package io.github.cidrguard.net;

import org.jspecify.annotations.Nullable;

import io.github.cidrguard.CidrguardInputException;

/**
 * Thrown when text is not an address, CIDR or range in the strict syntax this package accepts. The message quotes
 * the input, says what is wrong and how to write it instead; {@link #input()} gives the offending text.
 */
public final class AddressFormatException extends CidrguardInputException {
    private static final long serialVersionUID = 0;

    private final @Nullable String input;

    AddressFormatException(@Nullable String input, String message) {
        super(null, 0, message, null);
        this.input = input;
    }

    /** The text that failed to parse, exactly as given (may be {@code null}). */
    public @Nullable String input() {
        return input;
    }
}
