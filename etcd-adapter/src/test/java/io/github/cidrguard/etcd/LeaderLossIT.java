package io.github.cidrguard.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.cidrguard.net.Cidr;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-member cluster whose leader is SIGKILLed while an apply runs, round after round: each apply is all or nothing
 * and no call outlives its deadline.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class LeaderLossIT {

    @RegisterExtension
    static final EtcdExtension ETCD = EtcdExtension.members(3);

    private static final int ROUNDS = 10;
    private static final Duration DEADLINE = Duration.ofSeconds(5);
    /** Scheduling on a loaded 2-core machine, on top of the deadline. */
    private static final long SLACK_MS = 500;

    private static final String OLD = "{\"Network\":\"10.252.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}";

    @Test
    void everyApplyIsAllOrNothingWithinItsDeadline(@TempDir Path tmp) throws Exception {
        EtcdCluster cluster = ETCD.cluster();
        int committed = 0;
        int failed = 0;
        long worst = 0;
        try (Raw raw = new Raw(cluster);
                FlannelEtcd etcd = FlannelEtcd.open(cluster.settings(DEADLINE).build())) {
            for (int round = 0; round < ROUNDS; round++) {
                raw.deletePrefix(Raw.PREFIX + "/");
                raw.put(Raw.CONFIG, OLD);
                raw.put(Raw.SUBNETS + "10.252.1.0-24", Raw.leaseValue("192.168.0.1", "00:00:00:00:00:01"));
                raw.put(Raw.SUBNETS + "10.252.2.0-24", Raw.leaseValue("192.168.0.2", "00:00:00:00:00:02"));
                Map<String, String> before = raw.dump(Raw.PREFIX + "/");
                Cidr target = Cidr.parse("10." + (100 + round) + ".0.0/16");
                RewritePlan plan = etcd.planNetwork(target, true);

                int leader = cluster.leader();
                long delayMs = ThreadLocalRandom.current().nextLong(0, 40);
                CompletableFuture<Long> apply = CompletableFuture.supplyAsync(() -> {
                    long t0 = System.nanoTime();
                    try {
                        etcd.apply(plan, tmp.resolve("backup-" + plan.newConfig().hashCode() + ".json"));
                        return System.nanoTime() - t0;
                    } catch (EtcdUnreachableException e) {
                        return -(System.nanoTime() - t0) - 1;
                    }
                });
                Thread.sleep(delayMs);
                cluster.kill(leader);
                long nanos = apply.get(DEADLINE.toMillis() * 3, TimeUnit.MILLISECONDS);
                long ms = TimeUnit.NANOSECONDS.toMillis(Math.abs(nanos));
                worst = Math.max(worst, ms);
                assertTrue(ms <= DEADLINE.toMillis() + SLACK_MS, "round " + round + ": apply took " + ms + " ms");

                Map<String, String> after = raw.dump(Raw.PREFIX + "/");
                String config = after.get(Raw.CONFIG);
                if (config.equals(plan.newConfig())) {
                    assertEquals(Map.of(Raw.CONFIG, plan.newConfig()), after, "round " + round + ": half applied");
                    if (nanos > 0) {
                        committed++;
                    }
                } else {
                    assertEquals(before, after, "round " + round + ": half applied");
                    assertTrue(nanos < 0, "round " + round + ": apply reported success but nothing was written");
                    failed++;
                }
                cluster.restart(leader);
            }
        }
        System.out.println("LeaderLossIT: " + committed + " applies committed, " + failed
                + " failed typed, worst " + worst + " ms");
        if (committed == 0) {
            fail("no apply survived a leader loss: the retry within the deadline does not work");
        }
    }
}
