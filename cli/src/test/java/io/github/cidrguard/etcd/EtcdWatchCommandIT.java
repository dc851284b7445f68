package io.github.cidrguard.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cidrguard etcd watch} against a real etcd: the current state first, then each change with its findings, in
 * order, until {@code --count}; and when etcd goes away, exit 3 instead of waiting forever. Each change is written only
 * after the command has printed the previous event, so the order is the test's, not the scheduler's.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EtcdWatchCommandIT {
    @RegisterExtension
    static final EtcdExtension ETCD = EtcdExtension.single();

    static final String CONFIG = "/coreos.com/network/config";
    /** Holds the lease 10.252.100.0/24 and not its owner 10.252.158.71: no findings. */
    static final String GOOD = "{\"Network\": \"10.252.64.0/18\", \"Backend\": {\"Type\": \"vxlan\"}}";
    static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    Cli.Running watch(String... args) {
        List<String> all = new ArrayList<>(List.of("etcd", "watch", "--endpoints", ETCD.cluster().endpoints().get(0)));
        all.addAll(List.of(args));
        return Cli.start(Map.of(), all);
    }

    /** etcdctl put, del or get; returns the revision in its answer (a write's own, or the current one for get). */
    static long revision(EtcdCluster etcd, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-w", "json"));
        return json(etcd.etcdctl(all.toArray(String[]::new))).get("header").get("revision").asLong();
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + s, e);
        }
    }

    static Set<String> codes(JsonNode event) {
        Set<String> out = new TreeSet<>();
        event.get("report").get("findings").forEach(f -> out.add(f.get("code").asText()));
        return out;
    }

    @Test
    void jsonPrintsTheCurrentConfigThenEachChangeWithItsFindings() throws Exception {
        EtcdCommandIT.seed(ETCD.cluster());
        long seeded = revision(ETCD.cluster(), "get", CONFIG);
        List<JsonNode> events;
        long good;
        long story;
        try (Cli.Running w = watch("--count", "3", "--format", "json")) {
            w.awaitLines(1, WAIT);
            good = revision(ETCD.cluster(), "put", CONFIG, GOOD);
            w.awaitLines(2, WAIT);
            story = revision(ETCD.cluster(), "put", CONFIG, EtcdCommandIT.SEED);
            assertEquals(0, w.awaitExit(WAIT), w.err());
            events = w.lines().stream().map(EtcdWatchCommandIT::json).toList();
        }
        assertEquals(3, events.size(), "one JSON object per event, --count 3: " + events);

        JsonNode first = events.get(0);
        assertEquals(seeded, first.get("revision").asLong(), "the first event is the state the watch started at");
        assertEquals(EtcdCommandIT.SEED, first.get("config").asText());
        assertEquals(Set.of("NETWORK_HOST_BITS_SET", "POD_NETWORK_CONTAINS_NODE_IP"), codes(first), first.toString());
        assertEquals(1, first.get("report").get("summary").get("errors").asInt(), first.toString());

        JsonNode second = events.get(1);
        assertEquals(good, second.get("revision").asLong());
        assertEquals(GOOD, second.get("config").asText());
        assertEquals(Set.of(), codes(second), second.toString());

        JsonNode third = events.get(2);
        assertEquals(story, third.get("revision").asLong());
        assertEquals(EtcdCommandIT.SEED, third.get("config").asText());
        assertEquals(codes(first), codes(third), "the story again: its findings again");
        assertTrue(seeded < good && good < story, seeded + " " + good + " " + story);
    }

    @Test
    void textShowsEachRevisionItsFindingsAndADeletedConfig() throws Exception {
        EtcdCommandIT.seed(ETCD.cluster());
        long seeded = revision(ETCD.cluster(), "get", CONFIG);
        long good;
        long deleted;
        String out;
        try (Cli.Running w = watch("--count", "3")) {
            w.await(s -> s.contains("POD_NETWORK_CONTAINS_NODE_IP"), "the first event's findings", WAIT);
            good = revision(ETCD.cluster(), "put", CONFIG, GOOD);
            w.await(s -> s.contains("revision " + good + ":"), "the good config's event", WAIT);
            deleted = revision(ETCD.cluster(), "del", CONFIG);
            assertEquals(0, w.awaitExit(WAIT), w.err());
            out = w.out();
        }
        List<String> lines = out.lines().toList();
        List<String> heads = lines.stream().filter(l -> l.startsWith("revision ")).toList();
        assertEquals(3, heads.size(), out);
        assertEquals("revision " + seeded + ": " + EtcdCommandIT.SEED + "  1 error, 1 warning, 0 infos", heads.get(0),
                out);
        assertTrue(lines.contains("  ERROR    POD_NETWORK_CONTAINS_NODE_IP  10.252.158.71/32"), out);
        assertTrue(lines.contains("  WARNING  NETWORK_HOST_BITS_SET  10.252.0.0/16"), out);
        assertEquals("revision " + good + ": " + GOOD + "  0 errors, 0 warnings, 0 infos", heads.get(1), out);
        assertTrue(heads.get(2).startsWith("revision " + deleted + ": (config deleted)  1 error"), out);
        assertTrue(out.endsWith("  ERROR    FLANNEL_CONFIG_INVALID\n"), out);
    }

    @Test
    void etcdGoingAwayEndsTheWatchWithExitThreeNamingTheEndpoint() throws Exception {
        String err = watchUntil(etcd -> etcd.kill(0), "");
        assertTrue(err.startsWith("cidrguard etcd watch: "), err);
        assertTrue(err.contains("unreachable"), err);
    }

    @Test
    void aHangingEtcdEndsTheWatchWithExitThreeWithinTheDeadline() throws Exception {
        // SIGSTOP: the sockets stay open and nothing answers, so no error arrives by itself (before the fix the
        // command sat silent for ~40 s, gRPC's keepalive, whatever --timeout said).
        watchUntil(etcd -> etcd.pause(0), " is unreachable (no answer within 2000 ms)");
    }

    /**
     * Watches a cluster of its own with {@code --timeout 2}, does {@code breakIt} to it once the first event is out,
     * and expects exit 3 soon after with stderr naming the endpoint, followed by {@code urlFollowedBy}.
     *
     * @return stderr
     */
    private static String watchUntil(java.util.function.Consumer<EtcdCluster> breakIt, String urlFollowedBy)
            throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(1, false)) {
            etcd.etcdctl("put", CONFIG, GOOD);
            String url = etcd.endpoints().get(0);
            try (Cli.Running w = Cli.start(Map.of(), List.of("etcd", "watch", "--endpoints", url, "--timeout", "2"))) {
                w.awaitLines(1, WAIT);
                long t0 = System.nanoTime();
                breakIt.accept(etcd);
                assertEquals(3, w.awaitExit(Duration.ofSeconds(30)), w.out() + w.err());
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                // about 2.5 s; the bound leaves room for a loaded CI machine, far below gRPC keepalive's ~40 s
                assertTrue(ms < 10_000, "took " + ms + " ms with --timeout 2");
                assertTrue(w.err().contains(url + urlFollowedBy), w.err());
                return w.err();
            }
        }
    }
}
