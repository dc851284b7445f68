package io.github.cidrguard.cli;

/** Bad input the user can fix: printed as one line, exit 2. */
final class UserInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserInputException(String message) {
        super(message);
    }

    UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
