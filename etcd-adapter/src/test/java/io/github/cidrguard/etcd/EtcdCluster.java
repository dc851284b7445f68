package io.github.cidrguard.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real etcd processes (Debian's etcd-server) on loopback with free ports and a temp data dir, for the ITs: a single
 * node or a cluster, optionally with mutual TLS. Stopped by pid; a shutdown hook catches what close() misses.
 */
final class EtcdCluster implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final boolean tls;
    private final List<String> names = new ArrayList<>();
    private final List<Integer> clientPorts = new ArrayList<>();
    private final List<Integer> peerPorts = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final Thread hook;
    /** root's password once {@link #enableAuth} turned auth on: etcdctl needs it from then on. */
    private volatile String rootPassword;

    private EtcdCluster(Path root, boolean tls) {
        this.root = root;
        this.tls = tls;
        this.hook = new Thread(() -> processes.forEach(Process::destroyForcibly));
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static EtcdCluster start(int members, boolean tls) {
        requireBinary("etcd");
        requireBinary("etcdctl");
        Path root;
        try {
            // fsync on a shared CI disk dominates etcd's write latency; these tests are about atomicity and deadlines,
            // not durability, so the data dir goes to tmpfs when there is one.
            Path shm = Path.of("/dev/shm");
            root = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "cidrguard-etcd-")
                    : Files.createTempDirectory("cidrguard-etcd-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EtcdCluster c = new EtcdCluster(root, tls);
        try {
            if (tls) {
                Certs.generate(root.resolve("certs"));
            }
            String token = "cidrguard-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
            StringBuilder initial = new StringBuilder();
            for (int i = 0; i < members; i++) {
                c.names.add("m" + i);
                c.clientPorts.add(freePort());
                c.peerPorts.add(freePort());
                initial.append(i == 0 ? "" : ",").append("m").append(i).append('=').append(c.peerUrl(i));
            }
            for (int i = 0; i < members; i++) {
                c.processes.add(c.launch(i, initial.toString(), token));
            }
            for (int i = 0; i < members; i++) {
                c.awaitServing(i);
            }
            return c;
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    private static void requireBinary(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return;
            }
        }
        throw new IllegalStateException(name + " is not on the PATH: the etcd ITs need a real etcd."
                + " Install it with: apt-get install etcd-server etcd-client (test.sh does this), or skip them with -DskipITs");
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String scheme() {
        return tls ? "https" : "http";
    }

    String clientUrl(int i) {
        return scheme() + "://127.0.0.1:" + clientPorts.get(i);
    }

    private String peerUrl(int i) {
        return "http://127.0.0.1:" + peerPorts.get(i);
    }

    List<String> endpoints() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < clientPorts.size(); i++) {
            out.add(clientUrl(i));
        }
        return out;
    }

    Path certs() {
        return root.resolve("certs");
    }

    Path root() {
        return root;
    }

    private Path log(int i) {
        return root.resolve(names.get(i) + ".log");
    }

    private Process launch(int i, String initialCluster, String token) {
        List<String> cmd = new ArrayList<>(List.of("etcd", "--name", names.get(i),
                "--data-dir", root.resolve(names.get(i) + ".etcd").toString(),
                "--logger", "zap", "--log-outputs", "stderr",
                "--listen-client-urls", clientUrl(i), "--advertise-client-urls", clientUrl(i),
                "--listen-peer-urls", peerUrl(i), "--initial-advertise-peer-urls", peerUrl(i),
                "--initial-cluster", initialCluster, "--initial-cluster-state", "new",
                "--initial-cluster-token", token,
                "--heartbeat-interval", "50", "--election-timeout", "500"));
        if (tls) {
            Path d = certs();
            cmd.addAll(List.of("--cert-file", d.resolve("server.crt").toString(),
                    "--key-file", d.resolve("server.key").toString(),
                    "--client-cert-auth", "--trusted-ca-file", d.resolve("ca.crt").toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log(i).toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("ETCD"));
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start etcd (apt-get install etcd-server)", e);
        }
    }

    private void awaitServing(int i) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            String log = readLog(i);
            if (log.contains("serving client traffic")) {
                return;
            }
            if (!processes.get(i).isAlive()) {
                throw new IllegalStateException("etcd member " + names.get(i) + " exited with "
                        + processes.get(i).exitValue() + "; its log:\n" + tail(log));
            }
            sleep(20);
        }
        throw new IllegalStateException("etcd member " + names.get(i) + " not serving after 30 s; its log:\n"
                + tail(readLog(i)));
    }

    private String readLog(int i) {
        try {
            return Files.readString(log(i), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String s) {
        return s.length() < 3000 ? s : s.substring(s.length() - 3000);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Settings for this cluster: all endpoints, with TLS the CA and client certificate, and a generous 15 s deadline:
     * functional tests must not read a cold JVM on a loaded CI machine as an outage. Deadline tests use
     * {@link #settings(java.time.Duration)}.
     */
    EtcdSettings.Builder settings() {
        return settings(java.time.Duration.ofSeconds(15));
    }

    /** As {@link #settings()}, with this call deadline. */
    EtcdSettings.Builder settings(java.time.Duration callTimeout) {
        EtcdSettings.Builder b = EtcdSettings.builder().endpoints(endpoints()).callTimeout(callTimeout);
        if (tls) {
            b.caFile(certs().resolve("ca.crt"))
                    .clientCertificate(certs().resolve("client.crt"), certs().resolve("client.key"));
        }
        return b;
    }

    /** Runs etcdctl against all live members; returns stdout, fails on a non-zero exit. */
    String etcdctl(String... args) {
        return etcdctlAt(String.join(",", liveEndpoints()), args);
    }

    String etcdctlAt(String endpoints, String... args) {
        List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoints,
                "--command-timeout=10s", "--dial-timeout=3s"));
        if (tls) {
            cmd.addAll(List.of("--cacert", certs().resolve("ca.crt").toString(),
                    "--cert", certs().resolve("client.crt").toString(),
                    "--key", certs().resolve("client.key").toString()));
        }
        if (rootPassword != null) {
            cmd.add("--user=root:" + rootPassword);
        }
        cmd.addAll(List.of(args));
        return run(cmd, Map.of("ETCDCTL_API", "3"));
    }

    /**
     * Turns etcd auth on, as an operator would for flannel: user root (role root) and {@code user} whose role of the
     * same name may read and write {@code prefix}/ and nothing else. etcdctl acts as root from then on.
     *
     * @param prefix e.g. {@code /coreos.com/network}, without the trailing slash
     */
    void enableAuth(String rootPw, String user, String password, String prefix) {
        etcdctl("user", "add", "root:" + rootPw, "--interactive=false");
        etcdctl("user", "grant-role", "root", "root");
        etcdctl("role", "add", user);
        etcdctl("role", "grant-permission", user, "--prefix=true", "readwrite", prefix + "/");
        etcdctl("user", "add", user + ":" + password, "--interactive=false");
        etcdctl("user", "grant-role", user, user);
        etcdctl("auth", "enable");
        rootPassword = rootPw;
    }

    static String run(List<String> cmd, Map<String, String> extraEnv) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
        pb.environment().putAll(extraEnv);
        try {
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + cmd);
            }
            String s = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(cmd + " exited " + p.exitValue() + ":\n" + s);
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<String> liveEndpoints() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            if (processes.get(i).isAlive()) {
                out.add(clientUrl(i));
            }
        }
        return out;
    }

    /** Index of the current leader among live members, asking each with etcdctl endpoint status. */
    int leader() {
        for (int attempt = 0; attempt < 100; attempt++) {
            for (int i = 0; i < processes.size(); i++) {
                if (!processes.get(i).isAlive()) {
                    continue;
                }
                try {
                    JsonNode st = JSON.readTree(etcdctlAt(clientUrl(i), "endpoint", "status", "-w", "json")).get(0)
                            .get("Status");
                    if (st.get("leader").asLong() != 0 && st.get("leader").asLong() == st.get("header")
                            .get("member_id").asLong()) {
                        return i;
                    }
                } catch (IOException | RuntimeException e) {
                    // not answering yet; try the next one
                }
            }
            sleep(50);
        }
        throw new IllegalStateException("no etcd leader found");
    }

    int size() {
        return processes.size();
    }

    boolean alive(int i) {
        return processes.get(i).isAlive();
    }

    /** SIGKILL, by pid. */
    void kill(int i) {
        Process p = processes.get(i);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Freezes a member with SIGSTOP, by pid: its sockets stay open and the kernel still accepts connections, but nothing
     * answers (a hung process or a partition that drops packets, as opposed to {@link #kill}'s refused connections).
     */
    void pause(int i) {
        signal(i, "STOP");
    }

    /** SIGCONT: a {@link #pause}d member runs again. */
    void resume(int i) {
        signal(i, "CONT");
    }

    private void signal(int i, String signal) {
        run(List.of("kill", "-" + signal, Long.toString(processes.get(i).pid())), Map.of());
    }

    /** Starts a killed member again with its data dir (it rejoins the cluster). */
    void restart(int i) {
        List<String> cmd = new ArrayList<>(List.of("etcd", "--name", names.get(i),
                "--data-dir", root.resolve(names.get(i) + ".etcd").toString(),
                "--logger", "zap", "--log-outputs", "stderr",
                "--listen-client-urls", clientUrl(i), "--advertise-client-urls", clientUrl(i),
                "--listen-peer-urls", peerUrl(i), "--initial-advertise-peer-urls", peerUrl(i),
                "--heartbeat-interval", "50", "--election-timeout", "500"));
        try {
            Files.writeString(log(i), "");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log(i).toFile()).start();
            processes.set(i, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitServing(i);
    }

    @Override
    public void close() {
        for (int i = 0; i < processes.size(); i++) {
            if (processes.get(i).isAlive()) {
                // a paused member would hold SIGTERM until continued
                signal(i, "CONT");
            }
        }
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(2, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp dir is harmless
        }
    }
}
