package io.github.cidrguard.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdSettingsTest {

    @Test
    void defaultsAreFlannelsPrefixAndFiveSeconds() {
        EtcdSettings s = EtcdSettings.builder().endpoints("http://127.0.0.1:2379").build();
        assertEquals("/coreos.com/network", s.prefix());
        assertEquals("/coreos.com/network/config", s.configKey());
        assertEquals("/coreos.com/network/subnets/", s.subnetsPrefix());
        assertEquals(Duration.ofSeconds(5), s.callTimeout());
        assertEquals(Duration.ofSeconds(5), s.connectTimeout());
        assertFalse(s.tls());
    }

    @Test
    void thePasswordNeverShows() {
        EtcdSettings s = EtcdSettings.builder().endpoints("http://127.0.0.1:2379")
                .credentials("flannel", "s3cret-Pa55").build();
        assertFalse(s.toString().contains("s3cret-Pa55"), s.toString());
        assertTrue(s.toString().contains("user=flannel"), s.toString());
        assertEquals("s3cret-Pa55", s.password());
    }

    @Test
    void eachOptionIsSetOnce() {
        EtcdSettings.Builder b = EtcdSettings.builder().endpoints("http://a:1").prefix("/x").callTimeout(Duration.ofSeconds(1));
        assertTrue(assertThrows(IllegalStateException.class, () -> b.endpoints("http://b:2")).getMessage()
                .contains("already set"));
        assertThrows(IllegalStateException.class, () -> b.prefix("/y"));
        assertThrows(IllegalStateException.class, () -> b.callTimeout(Duration.ofSeconds(2)));
    }

    @Test
    void contradictionsAreRefusedNamingBoth(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.crt"), "x");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EtcdSettings.builder().endpoints("http://a:1").caFile(ca).build());
        assertTrue(e.getMessage().contains("cannot combine"), e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> EtcdSettings.builder().endpoints("https://a:1").build());
        assertThrows(IllegalStateException.class,
                () -> EtcdSettings.builder().endpoints("http://a:1", "https://b:2").caFile(ca).build());
        assertThrows(IllegalStateException.class,
                () -> EtcdSettings.builder().endpoints("https://a:1").caFile(dir.resolve("missing.crt")).build());
        assertThrows(IllegalStateException.class, () -> EtcdSettings.builder().build());
    }

    @Test
    void keysAreTheOnesFlanneldBuildsWithPathJoin() {
        EtcdSettings s = EtcdSettings.builder().endpoints("http://h:1").prefix("/coreos.com//network/").build();
        assertEquals("/coreos.com/network/config", s.configKey());
        assertEquals("/coreos.com/network/subnets/", s.subnetsPrefix());
        EtcdSettings plain = EtcdSettings.builder().endpoints("http://h:1").prefix("/a/b").build();
        assertEquals("/a/b/config", plain.configKey());
        assertEquals("/a/b/subnets/", plain.subnetsPrefix());
    }

    @Test
    void badInputsNameTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EtcdSettings.builder().endpoints("127.0.0.1:2379"));
        assertTrue(e.getMessage().contains("'127.0.0.1:2379'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EtcdSettings.builder().endpoints("http://host"));
        assertThrows(IllegalArgumentException.class, () -> EtcdSettings.builder().prefix("coreos.com"));
        assertThrows(IllegalArgumentException.class, () -> EtcdSettings.builder().callTimeout(Duration.ZERO));
        assertEquals("/a/b", EtcdSettings.builder().endpoints("http://h:1").prefix("/a/b/").build().prefix());
        // flanneld --etcd-prefix=/ : path.Join("/", "config") is /config
        EtcdSettings root = EtcdSettings.builder().endpoints("http://h:1").prefix("/").build();
        assertEquals("/", root.prefix());
        assertEquals("/config", root.configKey());
        assertEquals("/subnets/", root.subnetsPrefix());
        assertThrows(IllegalArgumentException.class, () -> EtcdSettings.builder().prefix(""));
    }

    @Test
    void prefixEndIsTheNextKeyAfterThePrefix() {
        assertEquals("/coreos.com/network/subnets0",
                FlannelEtcd.prefixEnd("/coreos.com/network/subnets/").toString(java.nio.charset.StandardCharsets.UTF_8));
    }
}
