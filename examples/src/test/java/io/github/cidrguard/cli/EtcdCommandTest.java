package io.github.cidrguard.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EtcdCommandTest {
    static String deadEndpoint() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    void unreachableEtcdExitsThreeWithinTheDeadline() throws Exception {
        long t0 = System.nanoTime();
        Run r = Run.of("etcd", "show", "--endpoints", deadEndpoint(), "--timeout", "1");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("cidrguard etcd show: "), r.err());
        assertTrue(ms < 10_000, ms + " ms");
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        assertEquals(2, Run.of("etcd").code());
        assertEquals(2, Run.of("etcd", "set-network", "10.252.61.0/16", "--endpoints", deadEndpoint()).code(),
                "host bits: bad input before any etcd call");
        Run r = Run.of("etcd", "show", "--cert", "c.pem", "--endpoints", deadEndpoint());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--cert and --key go together"), r.err());
        r = Run.withEnv("", Map.of(), "etcd", "check", "--user", "root", "--endpoints", deadEndpoint());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("CIDRGUARD_ETCD_PASSWORD"), r.err());
        assertEquals(2, Run.of("etcd", "restore", "/no/such/backup.json").code());
        assertTrue(Run.of("etcd", "set-network", "--help").out().contains("Examples:"));
    }
}
