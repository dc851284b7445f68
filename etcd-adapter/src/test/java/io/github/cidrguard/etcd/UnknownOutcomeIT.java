package io.github.cidrguard.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cidrguard.net.Cidr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd frozen (SIGSTOP, by pid) while the transaction is on its way: the apply reports an UNKNOWN outcome, never
 * "failed", and says how to find out; once etcd runs again the change is there. Two fresh clusters handled from one
 * directory keep one backup each.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UnknownOutcomeIT {

    static final String CONFIG = "{\"Network\": \"10.252.0.0/16\"}";

    @TempDir
    Path tmp;

    @Test
    void aFrozenEtcdDuringTheTransactionIsAnUnknownOutcome() throws Exception {
        try (EtcdCluster cluster = EtcdCluster.start(1, false);
                Raw raw = new Raw(cluster)) {
            raw.put(Raw.CONFIG, CONFIG);
            raw.put(Raw.SUBNETS + "10.252.1.0-24", Raw.leaseValue("10.0.0.1", "aa:bb:cc:dd:ee:ff"));
            RewritePlan plan;
            // set up and plan with the generous deadline (a cold JVM on a loaded machine is no outage); only the
            // frozen write runs under the short one
            try (FlannelEtcd setup = FlannelEtcd.open(cluster.settings().build())) {
                plan = setup.planNetwork(Cidr.parse("10.96.0.0/16"), true);
            }
            FlannelEtcd etcd = FlannelEtcd.open(cluster.settings(Duration.ofSeconds(3)).build());
            // freeze etcd just after the request leaves: it is read off the socket once etcd runs again
            etcd.hook = (step, batch) -> {
                Thread t = new Thread(() -> {
                    EtcdCluster.sleep(1);
                    cluster.pause(0);
                });
                t.start();
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            EtcdOutcomeUnknownException e = assertThrows(EtcdOutcomeUnknownException.class,
                    () -> etcd.apply(plan, tmp.resolve("b.json")));
            assertTrue(e.getMessage().contains("outcome UNKNOWN"), e.getMessage());
            assertTrue(e.getMessage().contains("may have applied it"), e.getMessage());
            assertTrue(e.getMessage().contains("cidrguard etcd show"), e.getMessage());
            assertTrue(!e.getMessage().contains(" failed:"), "never called failed: " + e.getMessage());
            cluster.resume(0);
            // the request was sent: the resumed etcd applies it
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!raw.dump(Raw.PREFIX + "/").equals(java.util.Map.of(Raw.CONFIG, plan.newConfig()))
                    && System.nanoTime() < giveUp) {
                EtcdCluster.sleep(100);
            }
            assertEquals(java.util.Map.of(Raw.CONFIG, plan.newConfig()), raw.dump(Raw.PREFIX + "/"));
            assertTrue(Files.exists(tmp.resolve("b.json")), "the backup came first");
            etcd.close();
        }
    }

    @Test
    void twoFreshClustersHandledFromOneDirectoryKeepOneBackupEach() throws Exception {
        try (EtcdCluster a = EtcdCluster.start(1, false);
                EtcdCluster b = EtcdCluster.start(1, false);
                Raw ra = new Raw(a);
                Raw rb = new Raw(b)) {
            ra.put(Raw.CONFIG, CONFIG);
            rb.put(Raw.CONFIG, CONFIG.replace("10.252", "10.253"));
            Path fa;
            Path fb;
            try (FlannelEtcd ea = FlannelEtcd.open(a.settings().build());
                    FlannelEtcd eb = FlannelEtcd.open(b.settings().build())) {
                assertEquals(ea.readConfig().modRevision(), eb.readConfig().modRevision(),
                        "both configs at the same revision: what made the old names clash");
                fa = ea.applyWithBackupIn(ea.planNetwork(Cidr.parse("10.96.0.0/16"), false), tmp).backup();
                fb = eb.applyWithBackupIn(eb.planNetwork(Cidr.parse("10.97.0.0/16"), false), tmp).backup();
            }
            try (var files = Files.list(tmp)) {
                assertEquals(2, files.count());
            }
            assertTrue(Backup.read(fa).config().orElseThrow().value().contains("10.252"));
            assertTrue(Backup.read(fb).config().orElseThrow().value().contains("10.253"));
        }
    }
}
