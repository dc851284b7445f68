package io.github.cidrguard.etcd;

import io.github.cidrguard.cli.Main;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the cidrguard command in-process ({@link Main#run}) as a user types it, with stdout and stderr captured: to
 * completion, or on a thread of its own for the long-running {@code etcd watch}, whose output the test reads while
 * it runs.
 */
final class Cli {

    private Cli() {
    }

    /** A finished run. */
    record Result(int code, String out, String err) {
        /** stdout and stderr, for assertion messages. */
        String both() {
            return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    static Result run(Map<String, String> env, List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args.toArray(String[]::new), new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out, true), new PrintWriter(err, true), false, false, env);
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs the command with {@code --endpoints} of the cluster appended, no environment. */
    static Result against(EtcdCluster cluster, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.add("--endpoints");
        all.add(String.join(",", cluster.endpoints()));
        return run(Map.of(), all);
    }

    /** Starts the command on a daemon thread; read its output with {@link Running#await}. */
    static Running start(Map<String, String> env, List<String> args) {
        return new Running(env, args);
    }

    /** A command running on its own thread. Closing it interrupts the thread if the command has not ended. */
    static final class Running implements AutoCloseable {
        /** StringWriter is synchronized: the test thread may read what the command thread writes. */
        private final StringWriter out = new StringWriter();
        private final StringWriter err = new StringWriter();
        private final CompletableFuture<Integer> code = new CompletableFuture<>();
        private final Thread thread;

        private Running(Map<String, String> env, List<String> args) {
            thread = new Thread(() -> {
                try {
                    code.complete(Main.run(args.toArray(String[]::new), new ByteArrayInputStream(new byte[0]),
                            new PrintWriter(out, true), new PrintWriter(err, true), false, false, env));
                } catch (Throwable t) {
                    code.completeExceptionally(t);
                }
            }, "cidrguard " + String.join(" ", args.subList(0, Math.min(2, args.size()))));
            thread.setDaemon(true);
            thread.start();
        }

        String out() {
            return out.toString();
        }

        String err() {
            return err.toString();
        }

        /** stdout's complete lines so far. */
        List<String> lines() {
            String s = out();
            int end = s.lastIndexOf('\n');
            return end < 0 ? List.of() : s.substring(0, end).lines().toList();
        }

        /**
         * Waits until stdout satisfies {@code ready} (polling; no sleeps standing in for order), failing with the
         * output so far when the command ends first or {@code within} passes.
         *
         * @return stdout at that moment
         */
        String await(Predicate<String> ready, String what, Duration within) {
            long until = System.nanoTime() + within.toNanos();
            while (true) {
                String s = out();
                if (ready.test(s)) {
                    return s;
                }
                if (code.isDone()) {
                    fail("the command ended before " + what + ": exit " + code.getNow(null) + "\nstdout:\n" + s
                            + "\nstderr:\n" + err());
                }
                if (System.nanoTime() > until) {
                    fail("no " + what + " within " + within.toMillis() + " ms\nstdout:\n" + s + "\nstderr:\n" + err());
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }

        /** Waits until stdout has {@code n} complete lines; returns them. */
        List<String> awaitLines(int n, Duration within) {
            await(s -> s.chars().filter(c -> c == '\n').count() >= n, n + " lines of output", within);
            return lines();
        }

        /** Waits for the command's exit code, failing with its output after {@code within}. */
        int awaitExit(Duration within) {
            try {
                return code.get(within.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                fail("the command did not end within " + within.toMillis() + " ms\nstdout:\n" + out() + "\nstderr:\n"
                        + err());
                throw new AssertionError(e);
            } catch (ExecutionException e) {
                throw new AssertionError("the command threw instead of returning an exit code", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(TimeUnit.SECONDS.toMillis(10));
            }
        }
    }
}
