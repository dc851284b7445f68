package io.github.cidrguard.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cidrguard.net.Cidr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3 000-lease restore survives etcd being SIGKILLed (by pid) at several points: the interrupted run says it is
 * partial and names the command that completes it, the re-run leaves exactly the backup, a third run writes nothing.
 * A backup refused by its checks writes nothing at all.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RestoreKillIT {

    @RegisterExtension
    static final EtcdExtension ETCD = EtcdExtension.single();

    static final int LEASES = 3000;
    static final String CONFIG = "{\"Network\": \"10.200.0.0/16\", \"SubnetLen\": 28, \"Backend\": {\"Type\": \"vxlan\"}}";

    @TempDir
    Path tmp;

    /** Where to kill etcd: just before a write transaction, or while it is on its way. */
    record KillPoint(String step, int batch, boolean inFlight) {
    }

    static final List<KillPoint> POINTS = List.of(
            new KillPoint("restore-put", 0, false),
            new KillPoint("restore-put", 14, true),
            new KillPoint("restore-delete", 0, false),
            new KillPoint("restore-config", 0, true));

    /** 3 000 leases of 10.200/16 and a config: the state backed up. */
    static Map<String, String> backedUp() {
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put(Raw.CONFIG, CONFIG);
        for (int i = 0; i < LEASES; i++) {
            kv.put(Raw.SUBNETS + "10.200." + (i / 16) + "." + (i % 16 * 16) + "-28",
                    Raw.leaseValue("192.168." + (i / 250) + "." + (i % 250 + 1), "aa:bb:cc:dd:ee:ff"));
        }
        return kv;
    }

    @Test
    void aRestoreKilledAtAnyOfSeveralPointsIsCompletedExactlyByRunningItAgain() throws Exception {
        assertFalse(POINTS.isEmpty());
        Map<String, String> expected = backedUp();
        int partials = 0;
        for (KillPoint k : POINTS) {
            Path dir = Files.createDirectories(tmp.resolve(k.step() + "-" + k.batch()));
            Path file = dir.resolve("backup.json");
            try (Raw raw = new Raw(ETCD.cluster())) {
                raw.deletePrefix(Raw.PREFIX + "/");
                raw.putAll(expected);
                try (FlannelEtcd etcd = FlannelEtcd.open(ETCD.cluster().settings().build())) {
                    etcd.backup(file);
                    // the reset: 3 000 backed-up leases deleted in 30 guarded batches, then new leases appear
                    ApplyResult r = etcd.apply(etcd.planNetwork(Cidr.parse("10.201.0.0/16"), true),
                            dir.resolve("reset.json"));
                    assertEquals(LEASES, r.subnetsDeleted());
                }
                for (int i = 0; i < 150; i++) {
                    raw.put(Raw.SUBNETS + "10.201." + i + ".0-24", Raw.leaseValue("192.168.9." + (i + 1),
                            "aa:bb:cc:dd:ee:01"));
                }
                assertEquals(151, raw.dump(Raw.PREFIX + "/").size());
            }
            FlannelEtcd etcd = FlannelEtcd.open(ETCD.cluster().settings(Duration.ofSeconds(3)).build());
            Thread[] killer = new Thread[1];
            try {
                etcd.hook = (step, batch) -> {
                    if (step.equals(k.step()) && batch == k.batch()) {
                        if (k.inFlight()) {
                            killer[0] = new Thread(() -> {
                                EtcdCluster.sleep(3);
                                ETCD.cluster().kill(0);
                            });
                            killer[0].start();
                        } else {
                            ETCD.cluster().kill(0);
                        }
                    }
                };
                Path runDir = Files.createDirectories(dir.resolve("run1"));
                try {
                    etcd.restore(file, runDir, false, false);
                    // a kill meant for a transaction in flight may come just after its answer: then the run is
                    // complete, and the re-run below must find nothing to do
                    assertTrue(k.inFlight(), k + ": etcd was killed before the write, yet the restore succeeded");
                } catch (RestorePartialException e) {
                    partials++;
                    assertTrue(e.getMessage().contains("restore of " + file + " is PARTIAL"), e.getMessage());
                    assertTrue(e.getMessage().contains("cidrguard etcd restore " + file), e.getMessage());
                    assertTrue(e.getMessage().contains("Nothing is lost: the state before the restore is in "
                            + runDir), e.getMessage());
                }
                if (killer[0] != null) {
                    killer[0].join();
                }
                try (var files = Files.list(runDir)) {
                    assertEquals(1, files.count(), "the state before is backed up before any write");
                }
            } finally {
                etcd.close();
            }
            ETCD.cluster().restart(0);
            try (FlannelEtcd again = FlannelEtcd.open(ETCD.cluster().settings().build());
                    Raw raw = new Raw(ETCD.cluster())) {
                RestoreResult r = again.restore(file, Files.createDirectories(dir.resolve("run2")), false, false);
                assertEquals(expected, raw.dump(Raw.PREFIX + "/"), k + ": exactly the backup, nothing more or less");
                assertEquals(LEASES, r.leasesWritten() + r.unchanged(), r.toString());
                RestoreResult third = again.restore(file, dir, false, false);
                assertTrue(third.nothingToDo(), k + ": a completed restore run again writes nothing: " + third);
                assertEquals(LEASES, third.unchanged());
            }
        }
        assertTrue(partials >= POINTS.stream().filter(k -> !k.inFlight()).count(), "partial runs: " + partials);
    }

    @Test
    void aRefusedBackupWritesNothing() throws Exception {
        try (Raw raw = new Raw(ETCD.cluster());
                FlannelEtcd etcd = FlannelEtcd.open(ETCD.cluster().settings().build())) {
            raw.deletePrefix(Raw.PREFIX + "/");
            raw.put(Raw.CONFIG, CONFIG);
            raw.put(Raw.SUBNETS + "10.200.1.0-24", Raw.leaseValue("192.168.0.1", "aa:bb:cc:dd:ee:ff"));
            Path file = tmp.resolve("good.json");
            etcd.backup(file);
            raw.put(Raw.SUBNETS + "10.200.2.0-24", Raw.leaseValue("192.168.0.2", "aa:bb:cc:dd:ee:ff"));
            Map<String, String> before = raw.dump("/");
            String good = Files.readString(file);
            Map<String, String> tampered = Map.of(
                    "outside", good.replace(Raw.SUBNETS + "10.200.1.0-24", "/registry/secrets/kube-system/evil"),
                    "truncated", good.substring(0, good.length() / 2),
                    "config flanneld rejects", good.replace("10.200.0.0/16", "10.200.0.0/30"));
            for (var t : tampered.entrySet()) {
                Path f = tmp.resolve(t.getKey().replace(' ', '-') + ".json");
                Files.writeString(f, t.getValue());
                assertThrows(EtcdInputException.class, () -> etcd.restore(f), t.getKey());
                assertEquals(before, raw.dump("/"), t.getKey() + ": nothing written, anywhere");
            }
            // re-signed by someone who knows the format: the key checks still refuse it
            var root = (com.fasterxml.jackson.databind.node.ObjectNode) BackupTest.JSON.readTree(
                    good.replace(Raw.SUBNETS + "10.200.1.0-24", "/registry/secrets/kube-system/evil"));
            BackupTest.resign(root);
            Path f = tmp.resolve("resigned.json");
            Files.writeString(f, BackupTest.JSON.writeValueAsString(root));
            assertTrue(assertThrows(EtcdInputException.class, () -> etcd.restore(f)).getMessage()
                    .contains("outside flannel's lease range"));
            assertEquals(before, raw.dump("/"));
            // a config flanneld rejects goes back only when forced, with the finding in the result
            var bad = (com.fasterxml.jackson.databind.node.ObjectNode) BackupTest.JSON.readTree(
                    good.replace("10.200.0.0/16", "10.200.0.0/30"));
            BackupTest.resign(bad);
            Path forced = tmp.resolve("forced.json");
            Files.writeString(forced, BackupTest.JSON.writeValueAsString(bad));
            assertThrows(EtcdInputException.class, () -> etcd.restore(forced));
            RestoreResult r = etcd.restore(forced, tmp, true, false);
            assertTrue(r.findings().stream().anyMatch(x -> x.code() == io.github.cidrguard.analysis.FindingCode
                    .FLANNEL_CONFIG_INVALID), r.findings().toString());
            assertEquals(1, r.leasesDeleted());
        }
    }
}
