package io.github.cidrguard.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs external commands, each with a deadline; a command that outlives it is destroyed. */
final class Exec {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private Exec() {
    }

    /** The outcome of one command. */
    record Result(List<String> command, int exit, String out, String err) {
        boolean ok() {
            return exit == 0;
        }

        String commandLine() {
            return String.join(" ", command);
        }
    }

    /** Runs {@code command} and fails (naming the command and its stderr) unless it exits 0. */
    static Result check(List<String> command) {
        return check(command, null, DEFAULT_TIMEOUT);
    }

    static Result check(List<String> command, String stdin, Duration timeout) {
        Result r = run(command, stdin, timeout);
        if (!r.ok()) {
            throw new LabException("`" + r.commandLine() + "` failed with exit code " + r.exit() + ": "
                    + (r.err().isBlank() ? r.out().strip() : r.err().strip()));
        }
        return r;
    }

    /** Runs {@code command}; a non-zero exit is returned, not thrown. Only a timeout or a start failure throws. */
    static Result run(List<String> command, String stdin, Duration timeout) {
        Process p;
        try {
            p = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new LabException("cannot start `" + String.join(" ", command) + "`: " + e.getMessage(), e);
        }
        // Drain both streams concurrently: a full pipe would otherwise block the child until the deadline.
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // The child may exit before reading its input; its exit code and stderr tell the story.
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
                throw new LabException("`" + String.join(" ", command) + "` did not finish within " + timeout
                        + " and was killed; stderr: " + err.getNow("").strip());
            }
            return new Result(List.copyOf(command), p.exitValue(), out.get(), err.get());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while running `" + String.join(" ", command) + "`", e);
        } catch (ExecutionException e) {
            throw new LabException("cannot read the output of `" + String.join(" ", command) + "`", e);
        }
    }

    /** Starts a long-running command with its output discarded; the caller must destroy it. */
    static Process spawn(List<String> command) {
        try {
            return new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new LabException("cannot start `" + String.join(" ", command) + "`: " + e.getMessage(), e);
        }
    }

    private static CompletableFuture<String> drain(InputStream s) {
        return CompletableFuture.supplyAsync(() -> {
            try (s) {
                return new String(s.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
