package io.github.cidrguard.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a standard stream is a terminal. Java 17 can only tell that stdin and stdout both are
 * ({@code System.console()}); on Linux {@code /proc/self/fd/N} names the device behind each descriptor, so stdout and
 * stderr are told apart (progress goes to stderr whenever stderr is a terminal, even with stdout piped).
 */
final class Terminal {
    private Terminal() {
    }

    /** stdout (1) or stderr (2) is a terminal; without /proc, whether the JVM has a console. */
    static boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        try {
            String target = Files.readSymbolicLink(link).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}
