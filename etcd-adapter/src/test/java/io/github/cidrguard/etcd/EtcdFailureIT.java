package io.github.cidrguard.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Nothing listening: the typed error, within the deadline. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EtcdFailureIT {

    /**
     * Setting up the client (no network) is outside the deadline by design and slow in a cold JVM on a loaded
     * machine; one throwaway open first, so the timings below measure the calls.
     */
    @org.junit.jupiter.api.BeforeAll
    static void warmUp() {
        try (FlannelEtcd e = FlannelEtcd.open(EtcdSettings.builder()
                .endpoints("http://127.0.0.1:" + EtcdCluster.freePort()).callTimeout(Duration.ofSeconds(1)).build())) {
            throw new IllegalStateException("nothing listens there, yet open() succeeded: " + e);
        } catch (EtcdUnreachableException expected) {
            // the point was loading the client classes
        }
    }

    @Test
    void anUnreachableEndpointFailsFastWithTheTypedError() {
        int port = EtcdCluster.freePort();
        EtcdSettings s = EtcdSettings.builder().endpoints("http://127.0.0.1:" + port)
                .callTimeout(Duration.ofSeconds(3)).connectTimeout(Duration.ofSeconds(1)).build();
        long t0 = System.nanoTime();
        EtcdUnreachableException e = assertThrows(EtcdUnreachableException.class, () -> FlannelEtcd.open(s));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 4000, "took " + ms + " ms");
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        assertTrue(e.getMessage().contains("/coreos.com/network/config"), e.getMessage());
    }

    @Test
    void anUnreachableClusterOfThreeEndsWithinTheDeadline() {
        EtcdSettings s = EtcdSettings.builder().endpoints("http://127.0.0.1:" + EtcdCluster.freePort(),
                "http://127.0.0.1:" + EtcdCluster.freePort(), "http://127.0.0.1:" + EtcdCluster.freePort())
                .callTimeout(Duration.ofSeconds(2)).build();
        long t0 = System.nanoTime();
        assertThrows(EtcdUnreachableException.class, () -> FlannelEtcd.open(s));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 3000, "took " + ms + " ms");
        assertEquals(3, s.endpoints().size());
    }
}
