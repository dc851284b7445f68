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
        for (String command : new String[] {"show", "check", "watch"}) {
            String url = deadEndpoint();
            long t0 = System.nanoTime();
            Run r = Run.of("etcd", command, "--endpoints", url, "--timeout", "1");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(3, r.code(), r.out() + r.err());
            assertTrue(r.err().startsWith("cidrguard etcd " + command + ": "), r.err());
            assertTrue(r.err().contains("etcd at " + url + " is unreachable"), r.err());
            // --timeout 1; measured 1.0-1.3 s, the first including jetcd's class loading
            assertTrue(ms < 5_000, "etcd " + command + " took " + ms + " ms");
        }
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
        r = Run.of("etcd", "watch", "--count", "-1", "--endpoints", deadEndpoint());
        assertEquals(2, r.code(), "a negative count used to mean watch forever: " + r.err());
        assertTrue(r.err().contains("--count -1 must be positive"), r.err());
        assertTrue(Run.of("etcd", "set-network", "--help").out().contains("Examples:"));
    }

    @Test
    void contradictoryTlsFlagsAreBadInputNotInternalErrors() throws Exception {
        String ca = Run.file("pom.xml"); // any readable file: these are refused before it is parsed
        Run r = Run.of("etcd", "show", "--cacert", ca, "--endpoints", deadEndpoint());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("drop the TLS flags"), r.err());
        String https = deadEndpoint().replace("http:", "https:");
        r = Run.of("etcd", "check", "--endpoints", https);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--endpoints " + https + " speak TLS: give --cacert FILE"), r.err());
        r = Run.of("etcd", "show", "--cacert", ca, "--endpoints", https + "," + deadEndpoint());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("cannot combine http:// and https://"), r.err());
        r = Run.of("etcd", "watch", "--cacert", "/no/such/ca.pem", "--endpoints", https);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--cacert /no/such/ca.pem: no such readable file"), r.err());
        assertTrue(!r.err().contains("internal error"), r.err());
    }
}
