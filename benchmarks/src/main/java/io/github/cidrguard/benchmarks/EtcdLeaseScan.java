package io.github.cidrguard.benchmarks;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import io.github.cidrguard.etcd.EtcdSettings;
import io.github.cidrguard.etcd.FlannelEtcd;
import io.github.cidrguard.etcd.LeaseAudit;
import io.github.cidrguard.etcd.StoredLease;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * docs/architecture.md ("Targets") "read and audit 65 536 leases from etcd ≤ 1.5 × etcdctl get --prefix of the same keys", measured once
 * against a real etcd (Debian's etcd-server) that this program starts on loopback, on tmpfs.
 *
 * <p>Not JMH: the baseline is a separate etcdctl process per run, so both sides are timed as wall clock, medians of
 * several runs after warm-up. Run: {@code java -cp <benchmarks classpath> io.github.cidrguard.benchmarks.EtcdLeaseScan
 * [leases] [--ttl]}; {@code --ttl} attaches one etcd lease per key, as flanneld does.
 */
public final class EtcdLeaseScan {

    private static final String PREFIX = "/coreos.com/network";
    private static final String CONFIG = "{\"Network\":\"10.0.0.0/8\",\"SubnetLen\":24,\"Backend\":{\"Type\":\"vxlan\"}}";
    private static final int RUNS = 7;
    /** JIT warm-up rounds of the Java side (etcdctl is a fresh process each time; it gets 2). */
    private static final int WARMUP = 8;

    private EtcdLeaseScan() {
    }

    /**
     * @param args {@code [leases] [--ttl]}
     * @throws Exception on any failure (a benchmark, not a library)
     */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 && !args[0].startsWith("--") ? Integer.parseInt(args[0]) : 65_536;
        boolean ttl = Arrays.asList(args).contains("--ttl");
        Path dir = Files.createTempDirectory(Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
                : Path.of(System.getProperty("java.io.tmpdir")), "etcd-bench-");
        int client = port();
        int peer = port();
        String url = "http://127.0.0.1:" + client;
        Process etcd = new ProcessBuilder("etcd", "--name", "bench", "--data-dir", dir.resolve("data").toString(),
                "--logger", "zap", "--log-outputs", "stderr", "--listen-client-urls", url,
                "--advertise-client-urls", url, "--listen-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-cluster", "bench=http://127.0.0.1:" + peer, "--quota-backend-bytes", "4294967296")
                .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
        try {
            while (!Files.readString(dir.resolve("etcd.log")).contains("serving client traffic")) {
                if (!etcd.isAlive()) {
                    throw new IllegalStateException("etcd exited: " + Files.readString(dir.resolve("etcd.log")));
                }
                Thread.sleep(20);
            }
            populate(url, n, ttl);
            System.out.printf("%d leases under %s/subnets/%s%n", n, PREFIX, ttl ? " (one etcd lease each)" : "");

            long bytes = 0;
            List<Long> ctl = new ArrayList<>();
            for (int i = 0; i < RUNS + 2; i++) {
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder("etcdctl", "--endpoints=" + url, "get", "--prefix", PREFIX + "/subnets/")
                        .redirectErrorStream(true).start();
                bytes = p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                p.waitFor();
                if (i >= 2) {
                    ctl.add(System.nanoTime() - t0);
                }
            }
            EtcdSettings settings = EtcdSettings.builder().endpoints(url).build();
            List<Long> audit = new ArrayList<>();
            List<Long> withTtl = new ArrayList<>();
            try (FlannelEtcd f = FlannelEtcd.open(settings)) {
                String config = f.readConfig().value();
                for (int i = 0; i < RUNS + WARMUP; i++) {
                    long t0 = System.nanoTime();
                    List<LeaseAudit> a = f.audit(config);
                    long t1 = System.nanoTime();
                    // 10.0.0.0/24 lies below the derived SubnetMin 10.0.1.0: flanneld would re-lease that one
                    long keep = a.stream().filter(x -> x.fate() == LeaseAudit.Fate.KEEP).count();
                    if (a.size() != n || keep != n - 1) {
                        throw new IllegalStateException("audit is wrong: " + a.size() + " leases, " + keep + " kept");
                    }
                    if (i >= WARMUP) {
                        audit.add(t1 - t0);
                    }
                }
                for (int i = 0; i < 3; i++) {
                    long t0 = System.nanoTime();
                    List<StoredLease> l = f.leases();
                    withTtl.add(System.nanoTime() - t0);
                    if (l.size() != n) {
                        throw new IllegalStateException("leases() returned " + l.size());
                    }
                }
            }
            double c = median(ctl);
            double a = median(audit);
            System.out.println("etcdctl runs (ms): " + ms(ctl) + "; audit runs (ms): " + ms(audit));
            System.out.printf("etcdctl get --prefix (process, %d bytes out): median %.0f ms of %d runs%n", bytes, c,
                    ctl.size());
            System.out.printf("FlannelEtcd.audit(config) read+audit:            median %.0f ms of %d runs -> %.2f x etcdctl%n",
                    a, audit.size(), a / c);
            System.out.printf("FlannelEtcd.leases() with remaining TTLs:        median %.0f ms of %d runs -> %.2f x etcdctl%n",
                    median(withTtl), withTtl.size(), median(withTtl) / c);
        } finally {
            etcd.destroy();
            if (!etcd.waitFor(2, TimeUnit.SECONDS)) {
                etcd.destroyForcibly();
            }
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void populate(String url, int n, boolean ttl) throws Exception {
        try (Client c = Client.builder().endpoints(url).build()) {
            c.getKVClient().put(bs(PREFIX + "/config"), bs(CONFIG)).get(10, TimeUnit.SECONDS);
            List<CompletableFuture<?>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String key = PREFIX + "/subnets/10." + ((i >> 8) & 255) + "." + (i & 255) + ".0-24";
                String value = "{\"PublicIP\":\"172.16." + ((i >> 8) & 255) + "." + (i & 255)
                        + "\",\"PublicIPv6\":null,\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"c6:d2:32:6f:8f:44\"}}";
                CompletableFuture<?> f = ttl
                        ? c.getLeaseClient().grant(86_400).thenCompose(g -> c.getKVClient().put(bs(key), bs(value),
                                PutOption.builder().withLeaseId(g.getID()).build()))
                        : c.getKVClient().put(bs(key), bs(value));
                fs.add(f);
                if (fs.size() == 1000) {
                    CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                    fs.clear();
                }
            }
            CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
    }

    private static ByteSequence bs(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static int port() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static List<Long> ms(List<Long> nanos) {
        return nanos.stream().map(x -> x / 1_000_000).toList();
    }

    private static double median(List<Long> nanos) {
        long[] a = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return a[a.length / 2] / 1e6;
    }
}
