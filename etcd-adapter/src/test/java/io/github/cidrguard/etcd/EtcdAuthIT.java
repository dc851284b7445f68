package io.github.cidrguard.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cidrguard.net.Cidr;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** etcd auth: a user whose role covers only flannel's prefix works there and is denied elsewhere. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EtcdAuthIT {

    @RegisterExtension
    static final EtcdExtension ETCD = EtcdExtension.single();

    private static final String PASSWORD = "flannel-Pa55-word";

    @BeforeAll
    static void enableAuth() {
        EtcdCluster c = ETCD.cluster();
        c.etcdctl("put", "/coreos.com/network/config", "{\"Network\":\"10.96.0.0/16\"}");
        c.etcdctl("put", "/other/network/config", "{\"Network\":\"10.50.0.0/16\"}");
        c.enableAuth("root-pw", "flannel", PASSWORD, "/coreos.com/network");
    }

    private EtcdSettings.Builder base() {
        return EtcdSettings.builder().endpoints(ETCD.cluster().endpoints()).callTimeout(Duration.ofSeconds(3));
    }

    @Test
    void theUserWorksUnderItsPrefix(@TempDir Path tmp) {
        try (FlannelEtcd etcd = FlannelEtcd.open(base().credentials("flannel", PASSWORD).build())) {
            assertEquals("{\"Network\":\"10.96.0.0/16\"}", etcd.readConfig().value());
            assertTrue(etcd.leases().isEmpty());
            ApplyResult r = etcd.apply(etcd.planNetwork(Cidr.parse("10.97.0.0/16"), true), tmp.resolve("b.json"));
            assertEquals(r.revision(), etcd.readConfig().modRevision());
            etcd.restore(tmp.resolve("b.json"));
            assertEquals("{\"Network\":\"10.96.0.0/16\"}", etcd.readConfig().value());
        }
    }

    @Test
    void anotherPrefixIsPermissionDeniedNamingUserAndPrefix() {
        EtcdPermissionDeniedException e = assertThrows(EtcdPermissionDeniedException.class,
                () -> FlannelEtcd.open(base().credentials("flannel", PASSWORD).prefix("/other/network").build()));
        assertTrue(e.getMessage().contains("user flannel"), e.getMessage());
        assertTrue(e.getMessage().contains("/other/network"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD));
    }

    @Test
    void aWrongPasswordIsAnAuthenticationError() {
        long t0 = System.nanoTime();
        EtcdAuthenticationException e = assertThrows(EtcdAuthenticationException.class,
                () -> FlannelEtcd.open(base().credentials("flannel", "wrong").build()));
        assertTrue(e.getMessage().contains("user flannel"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong"), e.getMessage());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 4000);
    }

    @Test
    void noCredentialsOnAnAuthEnabledServerIsAnAuthenticationError() {
        EtcdException e = assertThrows(EtcdException.class, () -> FlannelEtcd.open(base().build()));
        assertTrue(e instanceof EtcdAuthenticationException || e instanceof EtcdPermissionDeniedException,
                e.toString());
    }
}
