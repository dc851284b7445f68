package io.github.cidrguard.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** 8 writers × 200 compare-and-swap rounds on one config key: every increment survives. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConcurrentCasIT {

    @RegisterExtension
    static final EtcdExtension ETCD = EtcdExtension.single();

    private static final int WRITERS = 8;
    private static final int ROUNDS = 200;
    private static final Pattern COUNTER = Pattern.compile("\"cidrguardCounter\":(\\d+)");

    private static String config(long n) {
        return "{\"Network\":\"10.96.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"},\"cidrguardCounter\":" + n + "}";
    }

    private static long counter(String json) {
        Matcher m = COUNTER.matcher(json);
        assertTrue(m.find(), json);
        return Long.parseLong(m.group(1));
    }

    @Test
    void noUpdateIsLost() throws Exception {
        try (Raw raw = new Raw(ETCD.cluster());
                FlannelEtcd etcd = FlannelEtcd.open(ETCD.cluster().settings().build())) {
            raw.put(Raw.CONFIG, config(0));
            AtomicLong conflicts = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<Integer>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                done.add(pool.submit(() -> {
                    int wins = 0;
                    while (wins < ROUNDS) {
                        StoredConfig c = etcd.readConfig();
                        try {
                            etcd.compareAndSet(config(counter(c.value()) + 1), c.modRevision());
                            wins++;
                        } catch (EtcdConflictException e) {
                            // the loser learns the winner's value without another read
                            assertTrue(e.current().orElseThrow().modRevision() > c.modRevision());
                            conflicts.incrementAndGet();
                        }
                    }
                    return wins;
                }));
            }
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get(110, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertEquals(WRITERS * ROUNDS, total);
            assertEquals(WRITERS * ROUNDS, counter(etcd.readConfig().value()), "lost updates");
            assertTrue(conflicts.get() > 0, "the writers never raced: the test proves nothing");
            System.out.println("ConcurrentCasIT: " + total + " CAS wins, " + conflicts.get() + " conflicts");
        }
    }
}
