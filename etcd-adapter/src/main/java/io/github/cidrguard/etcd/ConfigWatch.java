package io.github.cidrguard.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch of the config key behind {@link FlannelEtcd#watch}, held to the call deadline: it delivers changes, or it
 * ends with {@link ConfigListener#onError} once etcd has failed it for a whole deadline.
 *
 * <p>Why not jetcd's watch alone: jetcd resumes a broken watch stream by itself (every 0.5 s, on whichever member
 * answers, from the next revision) and reports every failed attempt to the listener, so passing its errors on would
 * end a watch that a surviving member is about to carry on; and when etcd hangs without closing its sockets (a frozen
 * process, a partition that drops packets) no error comes at all until gRPC's keepalive gives up after about 40 s.
 * So stream failures etcd may recover from (unreachable; auth and permission, which jetcd retries with a fresh token)
 * end the watch only if the stream is not back within a deadline; any other failure (a compacted revision, a refused
 * watch) ends it at once; and a small read of the config key, under the call deadline, a few times per deadline
 * notices an etcd that answers nothing. Left to gRPC's keepalive: one hanging member of a cluster whose others answer
 * the probe while it holds the watch stream; the watch then resumes elsewhere after ~40 s, late but without a gap.
 */
final class ConfigWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatch.class);

    private final Connection conn;
    private final String what;
    private final ConfigListener listener;
    private final Function<WatchEvent, ConfigChange> toChange;
    private final Supplier<CompletableFuture<GetResponse>> probe;
    private final long deadlineNanos;
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Held while a change is delivered: after ended is set, none is (the listener's contract). */
    private final Object delivering = new Object();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cidrguard-etcd-watch");
        t.setDaemon(true);
        return t;
    });
    private final Watch.Watcher watcher;
    /** System.nanoTime() of the first stream failure not followed by an answer; 0 while the stream is fine. */
    private volatile long failingSince;
    /** The last failure etcd may still recover from, reported if it does not within the deadline. */
    private volatile EtcdException lastFailure;

    /**
     * Starts watching.
     *
     * @param what the watch in words, with its key, for messages
     * @param fromRevision the first revision to deliver changes of
     * @param toChange turns an event into the change delivered (called on jetcd's thread)
     * @param probe a small idempotent read: answered means etcd is there
     */
    ConfigWatch(Connection conn, ByteSequence key, String what, long fromRevision, ConfigListener listener,
            Function<WatchEvent, ConfigChange> toChange, Supplier<CompletableFuture<GetResponse>> probe) {
        this.conn = conn;
        this.what = what;
        this.listener = listener;
        this.toChange = toChange;
        this.probe = probe;
        this.deadlineNanos = conn.settings().callTimeout().toNanos();
        // created-notify: a stream jetcd resumes on another member answers as soon as it exists, before any change
        WatchOption opt = WatchOption.builder().withRevision(fromRevision).withCreateNotify(true).build();
        this.watcher = conn.client().getWatchClient().watch(key, opt, Watch.listener(this::onResponse, this::onFailure));
        // Three checks per deadline: a hanging etcd is noticed within 4/3 of it.
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(50), deadlineNanos / 3);
        timer.scheduleWithFixedDelay(this::check, period, period, TimeUnit.NANOSECONDS);
    }

    private void onResponse(WatchResponse response) {
        failingSince = 0;
        lastFailure = null;
        for (WatchEvent e : response.getEvents()) {
            if (ended.get()) {
                return;
            }
            ConfigChange change = toChange.apply(e);
            synchronized (delivering) {
                if (ended.get()) {
                    return;
                }
                try {
                    listener.onChange(change);
                } catch (RuntimeException ex) {
                    LOG.warn("config listener failed: {}", ex.toString());
                }
            }
        }
    }

    /** Called by jetcd, holding its watch lock: ending (which closes the watcher) happens on the timer thread. */
    private void onFailure(Throwable t) {
        EtcdException mapped = conn.map(what, t);
        if (mapped instanceof EtcdUnreachableException || mapped instanceof EtcdAuthenticationException
                || mapped instanceof EtcdPermissionDeniedException) {
            LOG.debug("{}: {}; jetcd resumes the watch", what, mapped.getMessage());
            lastFailure = mapped;
            if (failingSince == 0) {
                failingSince = System.nanoTime();
            }
            return;
        }
        submit(() -> end(mapped));
    }

    /** On the timer thread: a stream failure not recovered within the deadline, or a probe that fails, ends it. */
    private void check() {
        long since = failingSince;
        EtcdException failure = lastFailure;
        if (since != 0 && failure != null && System.nanoTime() - since > deadlineNanos) {
            end(failure);
            return;
        }
        try {
            conn.call(what, conn.deadline(), probe);
        } catch (EtcdException e) {
            end(e);
        }
    }

    private void submit(Runnable task) {
        try {
            timer.execute(task);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void end(EtcdException failure) {
        if (!stop()) {
            return;
        }
        timer.shutdown();
        watcher.close();
        try {
            listener.onError(failure);
        } catch (RuntimeException ex) {
            LOG.warn("config listener failed on an error: {}", ex.toString());
        }
    }

    /** Stops watching; nothing is delivered afterwards. */
    @Override
    public void close() {
        if (stop()) {
            timer.shutdownNow();
            watcher.close();
        }
    }

    /** Marks the watch ended once a change being delivered is through; true for the one caller that ended it. */
    private boolean stop() {
        synchronized (delivering) {
            return ended.compareAndSet(false, true);
        }
    }
}
