package io.github.cidrguard.lab;

import io.github.cidrguard.kube.RpFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Sends one flow's probe through a built lab and classifies what happened, in the tracer's vocabulary. Around each
 * probe it snapshots every node's netfilter packet counters and the per-namespace SNMP counters, so the outcome says
 * which rules the packets went through and which node's reverse-path filter dropped them.
 */
final class Prober {
    /** A failed probe is tried once more before it counts as lost (an ARP or listener hiccup is not a verdict). */
    private static final int ATTEMPTS = 2;

    /** SNMP counters that rise when the kernel discards a packet somewhere other than rp_filter. */
    private static final List<String> DROP_COUNTERS = List.of("Ip.InAddrErrors", "Ip.InNoRoutes", "Ip.InDiscards",
            "Ip.OutNoRoutes", "Ip.OutDiscards", "Ip.InHdrErrors", "TcpExt.ArpFilter",
            "Icmp.OutDestUnreachs", "Ip6.InAddrErrors", "Ip6.InNoRoutes", "Ip6.InDiscards", "Ip6.OutNoRoutes",
            "Ip6.OutDiscards", "Ip6.InHdrErrors", "Icmp6.OutDestUnreachs");

    private static final ExecutorService POOL = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "cidrguard-lab-snapshot");
        t.setDaemon(true);
        return t;
    });

    private final LabNetwork net;

    Prober(LabNetwork net) {
        this.net = net;
    }

    KernelOutcome probe(LabFlow flow) {
        Snapshot before = snapshot();
        Attempt a = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            a = flow.port() == null ? ping(flow) : connect(flow);
            if (a.answered() || a.definite()) {
                break;
            }
        }
        Snapshot after = snapshot();
        String answeredBy = a.answeredBy();
        if (a.answered() && answeredBy.isEmpty()) {
            answeredBy = after.echoReplier(before);
        }
        String verdict;
        String detail = a.detail();
        List<String> counters = new ArrayList<>(after.dropCounters(before));
        counters.addAll(after.newlyUnresolved(before));
        if (a.answered()) {
            verdict = answeredBy.isEmpty() || flow.owners().contains(answeredBy) ? "DELIVERED" : "HIJACKED";
        } else {
            verdict = a.failure();
            List<String> circular = after.circularRoutes(before);
            if (verdict.equals("DROPPED") && !circular.isEmpty()) {
                // The kernel's own diagnosis ("circular route to <VTEP>"): the only route to the remote VTEP is the
                // tunnel itself, so the packet has no usable route; that is the tracer's NO_ROUTE.
                verdict = "NO_ROUTE";
                detail = "vxlan circular route on " + String.join(", ", circular) + "; " + detail;
            }
        }
        List<String> rpDrops = new ArrayList<>(after.rpFilterDrops(before));
        if (!a.answered() && rpDrops.isEmpty()) {
            for (Map.Entry<String, Set<String>> e : after.newlyUnresolvedByNs(before).entrySet()) {
                for (String ip : e.getValue()) {
                    arpRpFilterNode(e.getKey(), ip).ifPresent(n -> {
                        if (!rpDrops.contains(n)) {
                            rpDrops.add(n);
                        }
                    });
                }
            }
            if (!rpDrops.isEmpty()) {
                detail = "ARP refused by rp_filter on " + String.join(", ", rpDrops) + " (inferred); " + detail;
            } else if (verdict.equals("DROPPED")
                    && after.unresolved.getOrDefault(flow.from(), Set.of()).contains(flow.to())) {
                // The sender itself asked for the destination by ARP (it is on-link there) and nobody on the segment
                // owns it: given its three seconds the kernel answers "Destination Host Unreachable" (the sender's
                // Icmp.OutDestUnreachs rises); the probe's timeout is shorter. That is the tracer's NO_ROUTE.
                verdict = "NO_ROUTE";
                detail = "ARP for " + flow.to() + " from " + flow.from() + " unanswered: on-link there, owned by"
                        + " nobody on that segment; " + detail;
            } else if (verdict.equals("DROPPED")) {
                // A node on the way asked for the destination by ARP on its cni0 (its lease holds the address) and
                // nobody on that bridge answers: after its three seconds that node sends "Destination Host
                // Unreachable" back (the tracer's NO_ROUTE, NEIGHBOR_UNREACHABLE); the probe gives up sooner.
                for (Map.Entry<String, Set<String>> e : after.unresolved.entrySet()) {
                    if (e.getKey().startsWith("node:") && e.getValue().contains(flow.to())) {
                        verdict = "NO_ROUTE";
                        detail = "ARP for " + flow.to() + " from " + e.getKey() + " unanswered; " + detail;
                        break;
                    }
                }
            }
        }
        return new KernelOutcome(verdict, answeredBy, rpDrops, counters, after.ruleHits(before), detail);
    }

    /**
     * The node whose reverse-path filter refused an ARP request, inferred. rp_filter also applies to ARP (the kernel
     * validates the sender's address before answering) but then counts nothing, so the lab infers it: the request came
     * from {@code ns} for {@code ip}; the only machine on that segment owning {@code ip} is a node (the pod's own node
     * answers for all its local addresses; on the LAN, the node with that uplink); that node filters reverse paths.
     */
    private java.util.Optional<String> arpRpFilterNode(String ns, String ip) {
        LabSpec spec = net.spec();
        LabSpec.Node owner = null;
        if (ns.startsWith("pod:")) {
            LabSpec.Pod pod = spec.pod(ns.substring(4)).orElse(null);
            LabSpec.Node node = pod == null ? null : spec.node(pod.node()).orElse(null);
            if (node != null && localAddresses(node).contains(ip)) {
                owner = node;
            }
        } else if (ns.startsWith("node:")) {
            owner = spec.nodes().stream().filter(n -> ip.equals(n.ip())).findFirst().orElse(null);
        }
        return owner == null || owner.rpFilter() == RpFilter.OFF ? java.util.Optional.empty()
                : java.util.Optional.of(owner.name());
    }

    private static Set<String> localAddresses(LabSpec.Node n) {
        Set<String> a = new TreeSet<>();
        if (n.ip() != null) {
            a.add(n.ip());
        }
        if (n.lease() != null) {
            io.github.cidrguard.net.Cidr lease = io.github.cidrguard.net.Cidr.parse(n.lease());
            a.add(lease.network().toString());
            a.add(lease.network().plus(1).toString());
        }
        if (n.docker() != null) {
            a.add(io.github.cidrguard.net.Cidr.parse(n.docker()).network().plus(1).toString());
        }
        return a;
    }

    /** The result of one probe command. {@code definite}: the failure was an explicit answer, not a timeout. */
    private record Attempt(boolean answered, String answeredBy, String failure, boolean definite, String detail) {
    }

    private Attempt ping(LabFlow flow) {
        Exec.Result r = Exec.run(List.of("ip", "netns", "exec", net.namespace(flow.from()), "ping",
                flow.ipv6() ? "-6" : "-4", "-n", "-c", "1", "-W", "1", flow.to()), null, Duration.ofSeconds(5));
        String all = r.out() + r.err();
        String summary = all.lines().filter(l -> l.contains("packets transmitted") || l.contains("nreachable")
                || l.contains("rohibited") || l.startsWith("ping:")).findFirst().orElse(all.strip());
        if (r.ok()) {
            return new Attempt(true, "", "", true, summary);
        }
        if (all.contains("Port Unreachable") || all.contains("rohibited")) {
            return new Attempt(false, "", "REJECTED", true, summary);
        }
        if (all.contains("nreachable")) {
            return new Attempt(false, "", "NO_ROUTE", true, summary);
        }
        return new Attempt(false, "", "DROPPED", false, summary);
    }

    private Attempt connect(LabFlow flow) {
        Exec.Result r = Exec.run(List.of("ip", "netns", "exec", net.namespace(flow.from()), "socat", "-T", "2", "-u",
                (flow.ipv6() ? "TCP6:[" + flow.to() + "]:" : "TCP4:" + flow.to() + ":") + flow.port()
                        + ",connect-timeout=2", "STDOUT"), null,
                Duration.ofSeconds(8));
        String who = LabNetwork.keyOf(r.out().strip());
        if (r.ok() && !who.isEmpty()) {
            return new Attempt(true, who, "", true, "connected, answered by " + who);
        }
        String err = r.err().strip();
        String last = err.isEmpty() ? "exit " + r.exit() : err.lines().reduce((x, y) -> y).orElse(err);
        if (err.contains("Connection refused")) {
            return new Attempt(false, "", "REJECTED", true, last);
        }
        if (err.contains("No route to host") || err.contains("Network is unreachable")) {
            return new Attempt(false, "", "NO_ROUTE", true, last);
        }
        return new Attempt(false, "", "DROPPED", false, last);
    }

    private Snapshot snapshot() {
        // Counters come from /proc/<pid>/net of a process inside each namespace (no process start: starting one costs
        // tens of milliseconds here); only iptables-save needs a command, run for all nodes at once.
        Map<String, CompletableFuture<String>> saves = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : net.namespaces().entrySet()) {
            if (e.getKey().startsWith("node:")) {
                List<String> cmd = List.of("ip", "netns", "exec", e.getValue(), "iptables-save", "-c");
                saves.put(e.getKey(), CompletableFuture.supplyAsync(() -> Exec.check(cmd).out(), POOL));
                LabSpec.Node n = net.spec().node(e.getKey().substring(5)).orElse(null);
                if (n != null && n.v6() != null && !n.v6().ip6tables().isBlank()) {
                    // keyed apart ("ip6 node:<name>"), so an IPv6 rule never meets the IPv4 rule of the same text
                    List<String> cmd6 = List.of("ip", "netns", "exec", e.getValue(), "ip6tables-save", "-c");
                    saves.put("ip6 " + e.getKey(), CompletableFuture.supplyAsync(() -> Exec.check(cmd6).out(), POOL));
                }
            }
        }
        Map<String, Map<String, Long>> snmp = new LinkedHashMap<>();
        Map<String, Set<String>> unresolved = new LinkedHashMap<>();
        for (String key : net.namespaces().keySet()) {
            if (key.equals("lan")) {
                continue;
            }
            Path dir = Path.of("/proc", Long.toString(net.holderPid(key)), "net");
            Map<String, Long> m = parseSnmp(read(dir.resolve("snmp")) + read(dir.resolve("netstat")));
            m.putAll(parseSnmp6(read(dir.resolve("snmp6"))));
            m.put("Vxlan.CircularRoute", vxlanCollisions(read(dir.resolve("dev"))));
            snmp.put(key, m);
            unresolved.put(key, unresolvedArp(read(dir.resolve("arp"))));
        }
        Map<String, Map<String, Long>> rules = new LinkedHashMap<>();
        for (Map.Entry<String, CompletableFuture<String>> e : saves.entrySet()) {
            try {
                rules.put(e.getKey(), parseCounters(e.getValue().join()));
            } catch (java.util.concurrent.CompletionException x) {
                throw x.getCause() instanceof RuntimeException r ? r : x;
            }
        }
        return new Snapshot(snmp, rules, unresolved);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new LabException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /**
     * The tx "colls" of the flannel VXLAN devices in {@code /proc/net/dev}: the kernel counts a packet dropped because
     * the route to the remote VTEP leads back into the device ("circular route") there.
     */
    static long vxlanCollisions(String dev) {
        long sum = 0;
        for (String line : dev.split("\n")) {
            int colon = line.indexOf(':');
            String name = line.substring(0, Math.max(colon, 0)).strip();
            if (colon < 0 || !(name.startsWith("flannel.") || name.startsWith("flannel-v6."))) {
                continue;
            }
            String[] f = line.substring(colon + 1).strip().split("\\s+");
            if (f.length >= 14) {
                sum += Long.parseLong(f[13]);
            }
        }
        return sum;
    }

    /** Addresses in {@code /proc/net/arp} without a resolved hardware address (flags 0x0): ARP went unanswered. */
    static Set<String> unresolvedArp(String arp) {
        Set<String> out = new TreeSet<>();
        for (String line : arp.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 4 && f[2].equals("0x0") && Character.isDigit(f[0].charAt(0))) {
                out.add(f[0]);
            }
        }
        return out;
    }

    /**
     * {@code /proc/net/snmp6}, one {@code Ip6InReceives 12} pair a line, to {@code Ip6.InReceives}: the same
     * group-dot-name keys as {@link #parseSnmp}.
     */
    static Map<String, Long> parseSnmp6(String text) {
        Map<String, Long> out = new HashMap<>();
        java.util.regex.Pattern name = java.util.regex.Pattern.compile("(Ip6|Icmp6|Udp6|UdpLite6)(\\w+)");
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\s+");
            java.util.regex.Matcher m = name.matcher(f[0]);
            if (f.length == 2 && m.matches()) {
                try {
                    out.put(m.group(1) + "." + m.group(2), Long.parseLong(f[1]));
                } catch (NumberFormatException e) {
                    // not a counter; skip
                }
            }
        }
        return out;
    }

    /** {@code "Icmp: InMsgs …"} header lines followed by value lines, flattened to {@code Icmp.InMsgs}. */
    static Map<String, Long> parseSnmp(String text) {
        Map<String, Long> out = new HashMap<>();
        String[] lines = text.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            String[] h = lines[i].trim().split("\\s+");
            String[] v = lines[i + 1].trim().split("\\s+");
            if (h.length > 1 && h.length == v.length && h[0].equals(v[0]) && h[0].endsWith(":")
                    && !v[1].isEmpty() && Character.isDigit(v[1].charAt(v[1].length() - 1))) {
                String group = h[0].substring(0, h[0].length() - 1);
                for (int k = 1; k < h.length; k++) {
                    try {
                        out.put(group + "." + h[k], Long.parseLong(v[k]));
                    } catch (NumberFormatException e) {
                        // not a counter line pair; skip
                    }
                }
                i++;
            }
        }
        return out;
    }

    /**
     * {@code iptables-save -c} to rule → packets. The key is {@code <n>\t<rule>}, numbering repeated identical rules,
     * so duplicates are told apart.
     */
    static Map<String, Long> parseCounters(String save) {
        Map<String, Long> out = new LinkedHashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : save.split("\n")) {
            if (!line.startsWith("[")) {
                continue;
            }
            int close = line.indexOf("] ");
            if (close < 0) {
                continue;
            }
            long packets = Long.parseLong(line.substring(1, line.indexOf(':')));
            String rule = line.substring(close + 2);
            int n = seen.merge(rule, 1, Integer::sum);
            out.put(n + "\t" + rule, packets);
        }
        return out;
    }

    private record Snapshot(Map<String, Map<String, Long>> snmp, Map<String, Map<String, Long>> rules,
            Map<String, Set<String>> unresolved) {
        /** Nodes whose VXLAN device dropped a packet because its underlay route led back into itself. */
        List<String> circularRoutes(Snapshot before) {
            List<String> nodes = new ArrayList<>();
            for (var e : snmp.entrySet()) {
                if (delta(e.getValue(), before.snmp.get(e.getKey()), "Vxlan.CircularRoute") > 0) {
                    nodes.add(name(e.getKey()));
                }
            }
            return nodes;
        }

        Map<String, Set<String>> newlyUnresolvedByNs(Snapshot before) {
            Map<String, Set<String>> out = new LinkedHashMap<>();
            for (var e : unresolved.entrySet()) {
                for (String ip : e.getValue()) {
                    if (!before.unresolved.getOrDefault(e.getKey(), Set.of()).contains(ip)) {
                        out.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(ip);
                    }
                }
            }
            return out;
        }

        /** Neighbours that became unresolvable during the probe: an ARP request nobody answered. */
        List<String> newlyUnresolved(Snapshot before) {
            List<String> out = new ArrayList<>();
            for (var e : unresolved.entrySet()) {
                for (String ip : e.getValue()) {
                    if (!before.unresolved.getOrDefault(e.getKey(), Set.of()).contains(ip)) {
                        out.add(e.getKey() + " ARP for " + ip + " unanswered");
                    }
                }
            }
            return out;
        }

        /** Counters that name a drop site, e.g. {@code node-72 Ip.OutNoRoutes +1}; rp_filter is reported apart. */
        List<String> dropCounters(Snapshot before) {
            List<String> out = new ArrayList<>();
            for (var e : snmp.entrySet()) {
                for (String c : DROP_COUNTERS) {
                    long d = delta(e.getValue(), before.snmp.get(e.getKey()), c);
                    if (d > 0) {
                        out.add(e.getKey() + " " + c + " +" + d);
                    }
                }
            }
            return out;
        }

        List<String> rpFilterDrops(Snapshot before) {
            List<String> nodes = new ArrayList<>();
            for (var e : snmp.entrySet()) {
                if (delta(e.getValue(), before.snmp.get(e.getKey()), "TcpExt.IPReversePathFilter") > 0) {
                    nodes.add(name(e.getKey()));
                }
            }
            return nodes;
        }

        /** The namespace that sent an ICMP echo reply during the probe, or empty. */
        String echoReplier(Snapshot before) {
            for (var e : snmp.entrySet()) {
                if (delta(e.getValue(), before.snmp.get(e.getKey()), "Icmp.OutEchoReps") > 0
                        || delta(e.getValue(), before.snmp.get(e.getKey()), "Icmp6.OutEchoReplies") > 0) {
                    return e.getKey();
                }
            }
            return "";
        }

        List<Prediction.RuleHit> ruleHits(Snapshot before) {
            List<Prediction.RuleHit> hits = new ArrayList<>();
            for (var e : rules.entrySet()) {
                Map<String, Long> old = before.rules.getOrDefault(e.getKey(), Map.of());
                for (var r : e.getValue().entrySet()) {
                    if (r.getValue() > old.getOrDefault(r.getKey(), 0L)) {
                        hits.add(new Prediction.RuleHit(name(e.getKey()), r.getKey().split("\t", 2)[1]));
                    }
                }
            }
            return hits;
        }

        private static long delta(Map<String, Long> now, Map<String, Long> then, String key) {
            return now.getOrDefault(key, 0L) - (then == null ? 0L : then.getOrDefault(key, 0L));
        }

        private static String name(String key) {
            return key.substring(key.indexOf(':') + 1);
        }
    }
}
