package io.github.cidrguard.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names, tracks and removes the lab's network namespaces. Every name is {@code cg<pid>x<run>-<suffix>}, so a lab never
 * touches a namespace it did not create, and a later run can tell which leftovers belong to a dead JVM.
 */
final class Namespaces {
    private static final Pattern LAB_NAME = Pattern.compile("^cg(\\d+)x(\\d+)-\\S+");
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Set<LabNetwork> LIVE = ConcurrentHashMap.newKeySet();
    /** Prefixes of this JVM's labs that have been torn down: none of their namespaces may still exist. */
    private static final Set<String> CLOSED = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;

    private Namespaces() {
    }

    /** @return a prefix no other lab, in this JVM or another, uses */
    static String newPrefix() {
        return "cg" + ProcessHandle.current().pid() + "x" + RUNS.incrementAndGet();
    }

    /** Tracks a network so that a JVM shutdown (Ctrl-C, test timeout) still removes it. */
    static synchronized void register(LabNetwork network) {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                for (LabNetwork n : List.copyOf(LIVE)) {
                    n.close();
                }
            }, "cidrguard-lab-teardown"));
            hookInstalled = true;
        }
        LIVE.add(network);
    }

    /** Called once {@code network}'s namespaces have been deleted. */
    static void unregister(LabNetwork network) {
        CLOSED.add(network.prefix());
        LIVE.remove(network);
    }

    /**
     * The namespaces of this JVM's labs that were torn down but still exist: a teardown that did not finish. Labs
     * still running (in another test class, say) are not counted, so this can be asked at any moment.
     *
     * @return the names, empty when every finished lab cleaned up after itself
     */
    static List<String> leftBehind() {
        return list().stream().filter(ns -> {
            int dash = ns.indexOf('-');
            return dash > 0 && CLOSED.contains(ns.substring(0, dash));
        }).toList();
    }

    /** @return the names of all namespaces, as {@code ip netns list} prints them (without the id) */
    static List<String> list() {
        Exec.Result r = Exec.check(List.of("ip", "netns", "list"));
        List<String> names = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            String s = line.strip();
            if (!s.isEmpty()) {
                names.add(s.split("\\s+")[0]);
            }
        }
        return names;
    }

    /**
     * Removes lab namespaces left by JVMs that are gone (killed with SIGKILL, crashed). A namespace of a live java
     * process is left alone: it may be another lab running right now.
     *
     * @return the namespaces removed
     */
    static List<String> sweepStale() {
        List<String> removed = new ArrayList<>();
        for (String ns : list()) {
            Matcher m = LAB_NAME.matcher(ns);
            if (!m.matches() || isLiveJava(Long.parseLong(m.group(1)))) {
                continue;
            }
            killListeners(ns);
            if (Exec.run(List.of("ip", "netns", "del", ns), null, Exec.DEFAULT_TIMEOUT).ok()) {
                removed.add(ns);
            }
        }
        return removed;
    }

    /** Ends the socat listeners a dead lab left in {@code ns}; nothing else, so no stranger's process is hit. */
    private static void killListeners(String ns) {
        Exec.Result pids = Exec.run(List.of("ip", "netns", "pids", ns), null, Exec.DEFAULT_TIMEOUT);
        if (!pids.ok()) {
            return;
        }
        for (String line : pids.out().split("\n")) {
            String s = line.strip();
            if (s.isEmpty()) {
                continue;
            }
            long pid = Long.parseLong(s);
            String cmd = cmdline(pid);
            if (cmd.startsWith("socat") || cmd.startsWith("timeout")) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static boolean isLiveJava(long pid) {
        return ProcessHandle.of(pid).isPresent() && cmdline(pid).contains("java");
    }

    private static String cmdline(long pid) {
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(b, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Deletes one namespace; a namespace that is already gone is fine. */
    static void delete(String ns) {
        Exec.run(List.of("ip", "netns", "del", ns), null, Duration.ofSeconds(10));
    }
}
