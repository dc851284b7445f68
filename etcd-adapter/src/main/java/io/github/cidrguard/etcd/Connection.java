package io.github.cidrguard.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jetcd client behind {@link FlannelEtcd}: builds it so that nothing waits forever, runs each call under a
 * deadline, and turns jetcd's and gRPC's failures into our typed exceptions. Everything jetcd-specific about
 * connecting and failing lives here.
 */
final class Connection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    /** Pause between attempts when the cluster has no leader for a moment (elections take ~0.5–2 s). */
    private static final long RETRY_PAUSE_MS = 100;

    private final EtcdSettings settings;
    private final Client client;
    private final ExecutorService starter = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cidrguard-etcd-call");
        t.setDaemon(true);
        return t;
    });

    Connection(EtcdSettings settings) {
        this.settings = settings;
        ClientBuilder b = Client.builder()
                .endpoints(settings.endpoints().toArray(java.net.URI[]::new))
                .connectTimeout(settings.connectTimeout())
                // jetcd's default waitForReady(true) parks a call forever when no endpoint is usable
                //; fail it instead and let our deadline loop decide.
                .waitForReady(false)
                .retryMaxDuration(settings.callTimeout());
        if (settings.tls()) {
            try {
                b.sslContext(s -> {
                    s.trustManager(settings.caFile().orElseThrow().toFile());
                    if (settings.certFile().isPresent()) {
                        s.keyManager(settings.certFile().get().toFile(), settings.keyFile().orElseThrow().toFile());
                    }
                });
            } catch (SSLException | RuntimeException e) {
                // The files are ours to read, nothing was sent: bad local input, not a TLS refusal by etcd.
                String files = settings.caFile().orElseThrow()
                        + settings.certFile().map(c -> ", " + c + ", " + settings.keyFile().orElseThrow()).orElse("");
                throw new EtcdInputException(files, "cannot load the TLS files (" + files + ") for "
                        + settings.endpointList() + ": " + e.getMessage() + notPem(settings)
                        + "; give PEM files (the CA and the certificate BEGIN CERTIFICATE, the key in PKCS#8 form"
                        + " BEGIN PRIVATE KEY; convert with openssl pkcs8 -topk8 -nocrypt). Nothing was sent to etcd.",
                        e);
            }
        }
        if (settings.user().isPresent()) {
            b.user(bytes(settings.user().get())).password(bytes(settings.password()));
        }
        this.client = b.build();
        // Creates the gRPC channel and stubs now (no network I/O: gRPC connects on the first request), so that this
        // one-time set-up, slow in a cold JVM on a busy machine, is not taken out of the first call's deadline.
        client.getKVClient();
    }

    /** Names the TLS files that do not even look like PEM (no "-----BEGIN"), so the message points at the culprit. */
    private static String notPem(EtcdSettings settings) {
        List<java.nio.file.Path> files = new java.util.ArrayList<>();
        settings.caFile().ifPresent(files::add);
        settings.certFile().ifPresent(files::add);
        settings.keyFile().ifPresent(files::add);
        List<String> bad = new java.util.ArrayList<>();
        for (java.nio.file.Path f : files) {
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(f)) {
                String head = new String(in.readNBytes(64 * 1024), StandardCharsets.ISO_8859_1);
                if (!head.contains("-----BEGIN ")) {
                    bad.add(f.toString());
                }
            } catch (java.io.IOException e) {
                bad.add(f + " (unreadable: " + e.getMessage() + ")");
            }
        }
        return bad.isEmpty() ? "" : " (not PEM: " + String.join(", ", bad) + ")";
    }

    Client client() {
        return client;
    }

    EtcdSettings settings() {
        return settings;
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** A monotonic deadline for one public call. */
    long deadline() {
        return System.nanoTime() + settings.callTimeout().toNanos();
    }

    /**
     * Runs one request under the call deadline; with several endpoints, a request that got no answer is tried again
     * (on whichever member jetcd picks) until the deadline: an etcd member that lost its leader holds a request for
     * seconds, and the next member may already have a new one. Only idempotent or compare-guarded requests may come
     * here.
     *
     * @param what the request in words, with its key, for messages
     */
    <T> T call(String what, long deadline, Supplier<CompletableFuture<T>> request) {
        return run(what, deadline, request, null);
    }

    /**
     * As {@link #call}, for a write: when it ends without an answer after a request may have reached etcd (no answer
     * within the deadline, a connection that broke after sending, as opposed to a connection refused), the outcome
     * is unknown and it throws {@link EtcdOutcomeUnknownException} with {@code ifUnknown} (what each outcome leaves
     * and how to find out) instead of calling it failed. gRPC reports such a call as DEADLINE_EXCEEDED or
     * UNAVAILABLE, exactly as one that never left; only a refused connection proves nothing was sent.
     *
     * @param ifUnknown what to tell the user when the outcome is unknown
     */
    <T> T write(String what, long deadline, Supplier<CompletableFuture<T>> request, String ifUnknown) {
        return run(what, deadline, request, java.util.Objects.requireNonNull(ifUnknown, "ifUnknown"));
    }

    private <T> T run(String what, long deadline, Supplier<CompletableFuture<T>> request, String ifUnknown) {
        // One attempt may use at most ~40 % of the budget, so a request stuck on a dead leader leaves time for a retry.
        long attemptBudget = Math.max(TimeUnit.MILLISECONDS.toNanos(500), settings.callTimeout().toNanos() * 2 / 5);
        boolean retry = settings.endpoints().size() > 1;
        Throwable last = null;
        boolean maybeSent = false;
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw giveUp(what, last, maybeSent, ifUnknown);
            }
            long attempt = retry ? Math.min(remaining, attemptBudget) : remaining;
            // Building the request happens on a helper thread too: jetcd's first request in a JVM loads and starts
            // gRPC and Netty synchronously, which on a busy machine alone can outlast the deadline.
            CompletableFuture<T> f = CompletableFuture.supplyAsync(request, starter).thenCompose(x -> x);
            try {
                return f.get(attempt, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                last = e;
                maybeSent = true;
                LOG.debug("{} got no answer within {} ms", what, TimeUnit.NANOSECONDS.toMillis(attempt));
            } catch (InterruptedException e) {
                f.cancel(true);
                Thread.currentThread().interrupt();
                throw new EtcdException(what + " was interrupted", e);
            } catch (ExecutionException e) {
                EtcdException mapped = map(what, e.getCause());
                if (!(mapped instanceof EtcdUnreachableException)) {
                    throw mapped;
                }
                maybeSent |= !refused(e.getCause());
                if (!retry) {
                    throw giveUp(what, e.getCause(), maybeSent, ifUnknown);
                }
                last = e.getCause();
                LOG.debug("{} failed, trying again: {}", what, e.getCause().toString());
            }
            if (!retry) {
                throw giveUp(what, last, maybeSent, ifUnknown);
            }
            sleep(Math.min(RETRY_PAUSE_MS, Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtcdException("interrupted while waiting to retry", e);
        }
    }

    private EtcdException giveUp(String what, Throwable last, boolean maybeSent, String ifUnknown) {
        EtcdUnreachableException u = unreachable(what, last);
        if (ifUnknown == null || !maybeSent) {
            return u;
        }
        String why = last == null || last instanceof TimeoutException
                ? "no answer within " + settings.callTimeout().toMillis() + " ms"
                : describe(last);
        return new EtcdOutcomeUnknownException(what + ": outcome UNKNOWN, the request was sent to etcd at "
                + settings.endpointList() + " but no answer came back (" + why + "); etcd may have applied it, may"
                + " still apply it (a frozen member that resumes), or may not. " + ifUnknown, u);
    }

    /** Whether a transport failure proves the request never left: the connection itself was refused. */
    private static boolean refused(Throwable t) {
        return hasCause(t, java.net.ConnectException.class)
                || describe(t).toLowerCase(Locale.ROOT).contains("connection refused");
    }

    /** No answer within the deadline ({@code cause} null) or a transport failure: the message says what to check. */
    EtcdUnreachableException unreachable(String what, Throwable cause) {
        String why = cause == null || cause instanceof TimeoutException
                ? "no answer within " + settings.callTimeout().toMillis() + " ms"
                : describe(cause);
        return new EtcdUnreachableException(what + " failed: etcd at " + settings.endpointList() + " is unreachable ("
                + why + "). Check that etcd runs and listens there, that the URL scheme (http/https) and port are"
                + " right, and that a majority of members is up.", cause);
    }

    /** Maps a failure of a jetcd future (or of a watch) to our exception family. */
    EtcdException map(String what, Throwable t) {
        if (t instanceof EtcdException e) {
            return e;
        }
        String code = code(t);
        String text = describe(t);
        String lower = text.toLowerCase(Locale.ROOT);
        if (hasCause(t, SSLException.class) || lower.contains("ssl") || lower.contains("handshake")
                || lower.contains("certificate")) {
            return new EtcdTlsException(what + " failed: TLS with " + settings.endpointList() + " was refused (" + text
                    + "). Check that the CA file verifies the server certificate, that the client certificate and key"
                    + " are ones etcd trusts (--trusted-ca-file), and that the endpoints use https:// exactly when etcd"
                    + " serves TLS.", t);
        }
        if ("UNAUTHENTICATED".equals(code) || lower.contains("authentication failed")
                || lower.contains("user name is empty") || lower.contains("invalid auth token")
                || lower.contains("auth: invalid")) {
            return new EtcdAuthenticationException(what + " failed: etcd at " + settings.endpointList()
                    + " did not accept " + settings.user().map(u -> "user " + u).orElse("an anonymous client") + " ("
                    + text + "). " + (settings.user().isPresent()
                            ? "Check the user name and password (etcdctl user get " + settings.user().get() + ")."
                            : "etcd has auth enabled: give credentials(user, password)."), t);
        }
        if ("PERMISSION_DENIED".equals(code) || lower.contains("permission denied")) {
            return new EtcdPermissionDeniedException(what + " failed: etcd at " + settings.endpointList()
                    + " denied " + settings.user().map(u -> "user " + u).orElse("the client") + " (" + text
                    + "). Grant its role readwrite on the prefix: etcdctl role grant-permission <role> --prefix=true"
                    + " readwrite " + (settings.prefix().endsWith("/") ? settings.prefix() : settings.prefix() + "/"),
                    t);
        }
        // A member killed mid-request surfaces as UNKNOWN "channel closed" (seen in the leader-loss IT): a transport
        // failure like UNAVAILABLE, so the guarded request may be tried on another member.
        if ("UNAVAILABLE".equals(code) || "DEADLINE_EXCEEDED".equals(code) || t instanceof TimeoutException
                || lower.contains("leader") || lower.contains("timed out") || lower.contains("connection refused")
                || lower.contains("channel closed") || hasCause(t, java.nio.channels.ClosedChannelException.class)
                || ("UNKNOWN".equals(code) && hasCause(t, java.io.IOException.class))) {
            return unreachable(what, t);
        }
        return new EtcdException(what + " failed at " + settings.endpointList() + ": " + text, t);
    }

    private static String code(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof io.etcd.jetcd.common.exception.EtcdException e && e.getErrorCode() != null) {
                return e.getErrorCode().name();
            }
            Status s = c instanceof StatusRuntimeException r ? r.getStatus()
                    : c instanceof StatusException x ? x.getStatus() : null;
            if (s != null) {
                return s.getCode().name();
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return "";
    }

    private static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null && sb.length() < 400; c = c.getCause()) {
            String m = c.getMessage() == null ? null : c.getMessage().lines().findFirst().orElse("").strip();
            if (m != null && !m.isBlank() && sb.indexOf(m) < 0) {
                if (sb.length() > 0) {
                    sb.append(": ");
                }
                sb.append(m);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return sb.length() == 0 ? t.getClass().getSimpleName() : sb.toString();
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    @Override
    public void close() {
        client.close();
        starter.shutdownNow();
    }
}
