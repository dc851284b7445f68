package io.github.cidrguard.etcd;

import io.github.cidrguard.cli.Schemas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every etcd command's JSON, from a real etcd, validated against its schema in docs/schema/. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EtcdJsonSchemaIT {
    @RegisterExtension
    static final EtcdExtension ETCD = EtcdExtension.single();

    @TempDir
    Path tmp;

    Cli.Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--format", "json", "--endpoints", String.join(",", ETCD.cluster().endpoints())));
        return Cli.run(Map.of(), all);
    }

    @Test
    void showCheckSetNetworkRestoreAndWatchWriteTheirSchemas() {
        EtcdCommandIT.seed(ETCD.cluster());
        Cli.Result show = cli("etcd", "show");
        assertEquals(0, show.code(), show.both());
        assertFalse(Schemas.assertValid("etcd-show.schema.json", show.out()).get("leases").isEmpty());

        Cli.Result check = cli("etcd", "check");
        assertEquals(1, check.code(), check.both());
        assertTrue(Schemas.assertValid("etcd-check.schema.json", check.out()).get("report").get("summary")
                .get("errors").asInt() > 0, check.out());

        Cli.Result refused = cli("etcd", "set-network", "10.252.0.0/16", "--backup", tmp.resolve("no.json")
                .toString());
        assertEquals(1, refused.code(), refused.both());
        assertTrue(Schemas.assertValid("etcd-set-network.schema.json", refused.out()).get("refused").asBoolean());

        Path backup = tmp.resolve("b.json");
        Cli.Result set = cli("etcd", "set-network", "10.244.0.0/16", "--reset-subnets", "--backup",
                backup.toString());
        assertEquals(0, set.code(), set.both());
        assertTrue(Schemas.assertValid("etcd-set-network.schema.json", set.out()).get("applied").asBoolean());

        Cli.Result watch = cli("etcd", "watch", "--count", "1");
        assertEquals(0, watch.code(), watch.both());
        List<String> events = watch.out().lines().toList();
        assertEquals(1, events.size(), watch.out());
        Schemas.assertValid("etcd-watch.schema.json", events.get(0));

        Cli.Result restore = cli("etcd", "restore", backup.toString());
        assertEquals(0, restore.code(), restore.both());
        Schemas.assertValid("etcd-restore.schema.json", restore.out());

        Cli.Result missing = cli("etcd", "restore", tmp.resolve("none.json").toString());
        assertEquals(2, missing.code(), missing.both());
        Schemas.assertValid("error.schema.json", missing.out().strip());
    }
}
