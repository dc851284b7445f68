package io.github.cidrguard.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cidrguard.net.Cidr;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subnet reset while a flanneld-like writer adds a lease every few milliseconds: every backed-up lease is deleted,
 * every lease written meanwhile survives, in every round. The reset spans several transactions (more leases than
 * etcd takes in one), so the writer runs between them too.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ResetRaceIT {

    @RegisterExtension
    static final EtcdExtension ETCD = EtcdExtension.single();

    static final int ROUNDS = 5;
    static final int BACKED_UP = 450;

    @TempDir
    Path tmp;

    @Test
    void aResetNeverDeletesALeaseWrittenDuringIt() throws Exception {
        int written = 0;
        try (Raw raw = new Raw(ETCD.cluster());
                FlannelEtcd etcd = FlannelEtcd.open(ETCD.cluster().settings().build())) {
            for (int round = 0; round < ROUNDS; round++) {
                raw.deletePrefix(Raw.PREFIX + "/");
                raw.put(Raw.CONFIG, "{\"Network\": \"10." + (10 + round) + ".0.0/16\"}");
                Map<String, String> old = new LinkedHashMap<>();
                for (int i = 0; i < BACKED_UP; i++) {
                    old.put(Raw.SUBNETS + "10." + (10 + round) + "." + (i / 2) + "." + (i % 2 * 128) + "-25",
                            Raw.leaseValue("192.168.1." + (i % 250 + 1), "aa:bb:cc:dd:ee:ff"));
                }
                raw.putAll(old);
                List<String> fresh = new CopyOnWriteArrayList<>();
                AtomicBoolean stop = new AtomicBoolean();
                int r = round;
                // the new-range leases a restarted flanneld would take, one every 2 ms, from before the reset
                // starts until after it ends; also the re-taking of a key of the old range that the reset deletes
                Thread writer = new Thread(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String k = i % 10 == 9
                                ? Raw.SUBNETS + "10." + (10 + r) + ".250." + (i % 256) + "-32"
                                : Raw.SUBNETS + "10.99." + (i / 256) + "." + (i % 256) + "-32";
                        raw.put(k, Raw.leaseValue("192.168.2." + (i % 250 + 1), "aa:bb:cc:dd:ee:02"));
                        fresh.add(k);
                        EtcdCluster.sleep(2);
                    }
                }, "lease writer");
                writer.start();
                EtcdCluster.sleep(30);
                RewritePlan plan = etcd.planNetwork(Cidr.parse("10.99.0.0/16"), true);
                Path backup = tmp.resolve("reset-" + round + ".json");
                ApplyResult applied = etcd.apply(plan, backup);
                EtcdCluster.sleep(30);
                stop.set(true);
                writer.join();
                Map<String, String> now = raw.dump(Raw.PREFIX + "/");
                Backup b = Backup.read(backup);
                for (String k : fresh) {
                    boolean backedUp = b.leases().stream().anyMatch(l -> l.key().equals(k));
                    assertTrue(backedUp || now.containsKey(k), "round " + round + ": " + k + " was written during"
                            + " the reset, is not in the backup, and is gone");
                }
                for (String k : old.keySet()) {
                    assertFalse(now.containsKey(k), "round " + round + ": backed-up " + k + " survived the reset");
                }
                for (StoredLease l : b.leases()) {
                    assertTrue(!now.containsKey(l.key()) || applied.leasesKept().contains(l.key()),
                            "round " + round + ": " + l.key() + " is in the backup and was not deleted");
                }
                assertEquals(b.leases().size() - applied.leasesKept().size(), applied.subnetsDeleted());
                assertTrue(b.leases().size() >= BACKED_UP);
                assertTrue(fresh.size() > 10, "the writer wrote during the reset: " + fresh.size());
                written += fresh.size();
            }
        }
        assertTrue(written > ROUNDS * 10);
    }
}
