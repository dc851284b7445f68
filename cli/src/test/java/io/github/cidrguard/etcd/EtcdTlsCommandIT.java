package io.github.cidrguard.etcd;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The etcd commands' TLS flags against an etcd that demands mutual TLS (the adapter's harness makes the CA, server and
 * client certificates, and a rogue CA): the right files work; a wrong CA or client certificate is exit 3 naming the
 * endpoint and what to check; a missing flag or file is bad input, exit 2, before etcd is asked.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EtcdTlsCommandIT {
    @RegisterExtension
    static final EtcdExtension ETCD = EtcdExtension.tls();

    @BeforeAll
    static void seed() {
        EtcdCommandIT.seed(ETCD.cluster());
    }

    static String url() {
        return ETCD.cluster().endpoints().get(0);
    }

    static String cert(String name) {
        return ETCD.cluster().certs().resolve(name).toString();
    }

    /** The command against the TLS etcd, with a 3 s deadline so the failures stay quick. */
    static Cli.Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoints", url(), "--timeout", "3"));
        return Cli.run(Map.of(), all);
    }

    @Test
    void showAndWatchWithCaAndClientCertificate() {
        Cli.Result show = cli("etcd", "show", "--cacert", cert("ca.crt"), "--cert", cert("client.crt"),
                "--key", cert("client.key"));
        assertEquals(0, show.code(), show.both());
        assertTrue(show.out().contains(EtcdCommandIT.SEED) && show.out().contains("10.252.100.0-24"), show.out());
        Cli.Result watch = cli("etcd", "watch", "--count", "1", "--format", "json", "--cacert", cert("ca.crt"),
                "--cert", cert("client.crt"), "--key", cert("client.key"));
        assertEquals(0, watch.code(), watch.both());
        assertTrue(watch.out().contains("POD_NETWORK_CONTAINS_NODE_IP"), watch.out());
    }

    @Test
    void aCaThatDidNotSignTheServerIsExitThreeNamingEndpointAndCa() {
        Cli.Result r = cli("etcd", "show", "--cacert", cert("rogue-ca.crt"), "--cert", cert("client.crt"),
                "--key", cert("client.key"));
        assertEquals(3, r.code(), r.both());
        assertTrue(r.err().startsWith("cidrguard etcd show: "), r.err());
        assertTrue(r.err().contains("TLS with " + url() + " was refused"), r.err());
        assertTrue(r.err().contains("Check that the CA file verifies the server certificate"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aClientCertificateEtcdDoesNotTrustIsExitThree() {
        Cli.Result r = cli("etcd", "check", "--cacert", cert("ca.crt"), "--cert", cert("rogue-client.crt"),
                "--key", cert("rogue-client.key"));
        assertEquals(3, r.code(), r.both());
        assertTrue(r.err().contains(url()) && r.err().contains("TLS"), r.err());
    }

    @Test
    void httpsWithoutCacertIsBadInputNamingTheFlag() {
        Cli.Result r = cli("etcd", "show", "--cert", cert("client.crt"), "--key", cert("client.key"));
        assertEquals(2, r.code(), r.both());
        assertTrue(r.err().startsWith("cidrguard etcd show: "), r.err());
        assertTrue(r.err().contains(url()) && r.err().contains("--cacert"), r.err());
        assertTrue(!r.err().contains("internal error") && !r.err().contains("caFile"), r.err());
    }

    @Test
    void aMissingKeyFileIsBadInputNamingTheFile() {
        String missing = ETCD.cluster().certs().resolve("no-such-client.key").toString();
        Cli.Result r = cli("etcd", "show", "--cacert", cert("ca.crt"), "--cert", cert("client.crt"), "--key", missing);
        assertEquals(2, r.code(), r.both());
        assertTrue(r.err().contains("--key " + missing), r.err());
        assertTrue(!r.err().contains("internal error"), r.err());
    }

    @Test
    void plainHttpToTheTlsServerIsExitThreeNamingTheScheme() {
        String http = url().replace("https:", "http:");
        Cli.Result r = Cli.run(Map.of(), List.of("etcd", "show", "--endpoints", http, "--timeout", "2"));
        assertEquals(3, r.code(), r.both());
        assertTrue(r.err().contains(http) && r.err().contains("http/https"), r.err());
    }
}
