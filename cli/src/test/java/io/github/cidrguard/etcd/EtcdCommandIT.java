package io.github.cidrguard.etcd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The etcd commands against a real etcd (the adapter's test extension). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EtcdCommandIT {
    @RegisterExtension
    static final EtcdExtension ETCD = EtcdExtension.single();

    static final String SEED = "{\"Network\": \"10.252.61.0/16\", \"Backend\": {\"Type\": \"vxlan\"}}";

    @TempDir
    Path tmp;

    Cli.Result cli(String... args) {
        return Cli.against(ETCD.cluster(), args);
    }

    /** The story: a Network written with host bits whose real range holds the lease owner 10.252.158.71. */
    static void seed(EtcdCluster etcd) {
        etcd.etcdctl("put", "/coreos.com/network/config", SEED);
        etcd.etcdctl("put", "/coreos.com/network/subnets/10.252.100.0-24",
                "{\"PublicIP\":\"10.252.158.71\",\"BackendType\":\"vxlan\"}");
    }

    void seed() {
        seed(ETCD.cluster());
    }

    @Test
    void showCheckSetNetworkRestore() throws Exception {
        seed();
        Cli.Result show = cli("etcd", "show");
        assertEquals(0, show.code(), show.err());
        assertTrue(show.out().contains("10.252.100.0-24"), show.out());
        Cli.Result check = cli("etcd", "check");
        assertEquals(1, check.code(), check.out() + check.err());
        Cli.Result refused = cli("etcd", "set-network", "10.252.0.0/16", "--backup", tmp.resolve("no.json").toString());
        // the lease owner 10.252.158.71 counts as a node: the story's Network is refused, nothing written
        assertEquals(1, refused.code(), refused.out() + refused.err());
        assertTrue(refused.out().contains("POD_NETWORK_CONTAINS_NODE_IP"), refused.out());
        assertTrue(refused.out().contains("refused: the plan has ERROR findings"), refused.out());
        assertTrue(cli("etcd", "show").out().contains("10.252.61.0/16"), "unchanged");
        Path backup = tmp.resolve("b.json");
        Cli.Result set = cli("etcd", "set-network", "10.244.0.0/16", "--reset-subnets", "--backup", backup.toString(),
                "--format", "json");
        assertEquals(0, set.code(), set.out() + set.err());
        assertTrue(set.out().contains("\"applied\":true"), set.out());
        assertTrue(Files.exists(backup));
        assertTrue(cli("etcd", "show").out().contains("10.244.0.0/16"));
        Cli.Result restore = cli("etcd", "restore", backup.toString());
        assertEquals(0, restore.code(), restore.out() + restore.err());
        assertTrue(cli("etcd", "show").out().contains("10.252.61.0/16"), "the seed config is back");
    }
}
