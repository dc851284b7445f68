package io.github.cidrguard.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cidrguard.net.Cidr;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS works; each way of getting it wrong is a typed error within the deadline. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EtcdTlsIT {

    @RegisterExtension
    static final EtcdExtension ETCD = EtcdExtension.tls();

    private static final Duration DEADLINE = Duration.ofSeconds(3);

    private Path cert(String name) {
        return ETCD.cluster().certs().resolve(name);
    }

    private String url() {
        return ETCD.cluster().endpoints().get(0);
    }

    @Test
    void mutualTlsReadsAndWrites(@TempDir Path tmp) {
        ETCD.cluster().etcdctl("put", "/coreos.com/network/config", "{\"Network\":\"10.96.0.0/16\"}");
        try (FlannelEtcd etcd = FlannelEtcd.open(ETCD.cluster().settings().build())) {
            assertEquals("{\"Network\":\"10.96.0.0/16\"}", etcd.readConfig().value());
            ApplyResult r = etcd.apply(etcd.planNetwork(Cidr.parse("10.97.0.0/16"), true), tmp.resolve("b.json"));
            assertTrue(r.revision() > 0);
        }
        assertTrue(ETCD.cluster().etcdctl("get", "/coreos.com/network/config").contains("10.97.0.0/16"));
    }

    @Test
    void noClientCertificateIsATlsError() {
        assertTlsError(EtcdSettings.builder().endpoints(url()).caFile(cert("ca.crt")).callTimeout(DEADLINE).build());
    }

    @Test
    void aClientCertificateFromAnotherCaIsATlsError() {
        assertTlsError(EtcdSettings.builder().endpoints(url()).caFile(cert("ca.crt"))
                .clientCertificate(cert("rogue-client.crt"), cert("rogue-client.key")).callTimeout(DEADLINE).build());
    }

    @Test
    void theWrongCaIsATlsError() {
        assertTlsError(EtcdSettings.builder().endpoints(url()).caFile(cert("rogue-ca.crt"))
                .clientCertificate(cert("client.crt"), cert("client.key")).callTimeout(DEADLINE).build());
    }

    @Test
    void plainTextToATlsServerFailsTypedWithinTheDeadline() {
        EtcdSettings s = EtcdSettings.builder().endpoints(url().replace("https:", "http:")).callTimeout(DEADLINE)
                .build();
        long t0 = System.nanoTime();
        EtcdException e = assertThrows(EtcdException.class, () -> FlannelEtcd.open(s));
        assertTrue(e instanceof EtcdUnreachableException || e instanceof EtcdTlsException, e.toString());
        assertWithin(t0);
    }

    @Test
    void aKeyThatIsNotPemIsBadLocalInputNamingTheFile() {
        EtcdSettings s = EtcdSettings.builder().endpoints(url()).caFile(cert("ca.crt"))
                .clientCertificate(cert("client.crt"), cert("client.ext")).callTimeout(DEADLINE).build();
        // our own file, nothing sent: bad input (exit 2 in the command), not etcd refusing TLS
        EtcdInputException e = assertThrows(EtcdInputException.class, () -> FlannelEtcd.open(s));
        assertTrue(e.getMessage().contains("client.ext"), e.getMessage());
    }

    private void assertTlsError(EtcdSettings s) {
        long t0 = System.nanoTime();
        EtcdTlsException e = assertThrows(EtcdTlsException.class, () -> FlannelEtcd.open(s));
        assertWithin(t0);
        assertTrue(e.getMessage().contains(url()), e.getMessage());
    }

    private static void assertWithin(long t0) {
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < DEADLINE.toMillis() + 1000, "took " + ms + " ms");
    }
}
