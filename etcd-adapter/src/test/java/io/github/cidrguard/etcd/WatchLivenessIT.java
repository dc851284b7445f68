package io.github.cidrguard.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The watch keeps the call deadline: a member going away while others answer is survived without a gap; an etcd
 * that hangs (SIGSTOP: sockets open, no answers) ends the watch with onError within 4/3 of a deadline, not after
 * gRPC's ~40 s keepalive.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WatchLivenessIT {

    private static final Duration DEADLINE = Duration.ofSeconds(2);
    /**
     * A hang is noticed by the next liveness read (a third of a deadline away) timing out: about 2.7 s here. The bound
     * leaves room for a loaded two-core CI machine and still tells it from the ~40 s of gRPC's keepalive.
     */
    private static final long NOTICE_MS = DEADLINE.toMillis() * 3 + 3000;

    /** What a watch reported: changes and, at most once, an error. */
    static final class Recorder implements ConfigListener {
        final BlockingQueue<ConfigChange> changes = new LinkedBlockingQueue<>();
        final BlockingQueue<EtcdException> errors = new LinkedBlockingQueue<>();

        @Override
        public void onChange(ConfigChange change) {
            changes.add(change);
        }

        @Override
        public void onError(EtcdException error) {
            errors.add(error);
        }
    }

    @Test
    void aHangingEtcdEndsTheWatchWithinTheDeadline() throws Exception {
        try (EtcdCluster cluster = EtcdCluster.start(1, false);
                Raw raw = new Raw(cluster);
                FlannelEtcd etcd = FlannelEtcd.open(cluster.settings(DEADLINE).build())) {
            raw.put(Raw.CONFIG, "{\"Network\":\"10.96.0.0/16\"}");
            Recorder r = new Recorder();
            try (AutoCloseable w = etcd.watch(r)) {
                assertNotNull(r.changes.poll(5, TimeUnit.SECONDS), "the current state");
                // Alive and quiet for more than a deadline is no failure.
                assertNull(r.errors.poll(DEADLINE.toMillis() * 2, TimeUnit.MILLISECONDS), "a quiet etcd is no failure");
                long t0 = System.nanoTime();
                cluster.pause(0);
                EtcdException e = r.errors.poll(NOTICE_MS + 5000, TimeUnit.MILLISECONDS);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertInstanceOf(EtcdUnreachableException.class, e);
                assertTrue(ms <= NOTICE_MS, "noticed after " + ms + " ms with a " + DEADLINE.toMillis() + " ms deadline");
                assertTrue(e.getMessage().contains(cluster.endpoints().get(0)), e.getMessage());
                cluster.resume(0);
                raw.put(Raw.CONFIG, "{\"Network\":\"10.97.0.0/16\"}");
                assertNull(r.changes.poll(500, TimeUnit.MILLISECONDS), "an ended watch still delivers");
                assertNull(r.errors.poll(100, TimeUnit.MILLISECONDS), "onError twice");
            }
        }
    }

    @Test
    void losingAMemberWhileTwoServeIsNoFailure() throws Exception {
        try (EtcdCluster cluster = EtcdCluster.start(3, false);
                Raw raw = new Raw(cluster);
                FlannelEtcd etcd = FlannelEtcd.open(cluster.settings(DEADLINE).build())) {
            raw.put(Raw.CONFIG, "{\"Network\":\"10.96.0.0/16\"}");
            Recorder r = new Recorder();
            try (AutoCloseable w = etcd.watch(r)) {
                assertNotNull(r.changes.poll(5, TimeUnit.SECONDS), "the current state");
                // The watch's stream is on one member, unknown which: each in turn goes, one at a time.
                for (int i = 0; i < cluster.size(); i++) {
                    cluster.kill(i);
                    cluster.leader(); // the test's own write waits out an election, if i led
                    String value = "{\"Network\":\"10." + (100 + i) + ".0.0/16\"}";
                    // exactly one write, even when the first send dies with the killed member's connection
                    raw.putOnce(Raw.CONFIG, value);
                    // generous: an election and jetcd resuming the stream elsewhere, on a possibly loaded machine
                    ConfigChange c = r.changes.poll(DEADLINE.toMillis() + 10_000, TimeUnit.MILLISECONDS);
                    assertNull(r.errors.peek(), "member " + i + " gone, two serving: " + r.errors.peek());
                    assertNotNull(c, "no change delivered with member " + i + " gone");
                    assertEquals(value, c.config().orElseThrow().value());
                    assertEquals(raw.modRevision(Raw.CONFIG), c.revision());
                    cluster.restart(i);
                }
            }
        }
    }
}
