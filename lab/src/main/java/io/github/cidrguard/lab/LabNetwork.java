package io.github.cidrguard.lab;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LabSpec} built in network namespaces. Closing it ends its listeners and deletes every namespace; the
 * shutdown hook in {@link Namespaces} does the same if the JVM stops first.
 *
 * <p>Layout: namespace {@code <prefix>-lan} holds bridge {@code br0}; node i is {@code <prefix>-n<i>} with
 * {@code eth0} (a veth whose peer {@code n<i>} is a port of br0), {@code cni0} with the lease's first address, and the
 * backend's devices; pod j is {@code <prefix>-p<j>} with {@code eth0} (a veth whose peer {@code veth<j>} is a port of
 * its node's cni0). Veths are created from inside a lab namespace with the peer placed straight into another, so no
 * link ever exists in the host's namespace.
 */
final class LabNetwork implements AutoCloseable {
    /** The listener's lifetime bound, so that even a SIGKILLed JVM leaves no socat behind for long. */
    private static final int LISTENER_MAX_SECONDS = 1800;

    private final LabSpec spec;
    private final String prefix;
    private final Map<String, String> namespaces = new LinkedHashMap<>();
    private final List<Process> listeners = new ArrayList<>();
    private final Map<String, Process> holders = new LinkedHashMap<>();
    private final Map<String, List<String>> stage1 = new LinkedHashMap<>();
    private final Map<String, List<String>> stage2 = new LinkedHashMap<>();
    private final Map<String, List<String>> fdb = new LinkedHashMap<>();
    private final Map<String, List<String>> sysctls = new LinkedHashMap<>();
    private final Map<String, Integer> rpFilter = new LinkedHashMap<>();
    /** Keys of the namespaces with an IPv6 address of the scenario: they get a TCP6 listener too. */
    private final java.util.Set<String> v6Namespaces = new java.util.HashSet<>();
    private boolean closed;

    private LabNetwork(LabSpec spec, String prefix) {
        this.spec = spec;
        this.prefix = prefix;
    }

    /** Builds {@code spec}; on any failure, whatever was created is removed before the exception propagates. */
    static LabNetwork build(LabSpec spec) {
        LabNetwork net = new LabNetwork(spec, Namespaces.newPrefix());
        Namespaces.register(net);
        try {
            net.create();
            return net;
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /** @return namespace key ({@code lan}, {@code node:<name>}, {@code pod:<name>}) to namespace name */
    Map<String, String> namespaces() {
        return Collections.unmodifiableMap(namespaces);
    }

    String namespace(String key) {
        String ns = namespaces.get(key);
        if (ns == null) {
            throw new IllegalArgumentException("no namespace for " + key + "; known: " + namespaces.keySet());
        }
        return ns;
    }

    LabSpec spec() {
        return spec;
    }

    /** @return the {@code cg<pid>x<run>} every namespace of this lab starts with */
    String prefix() {
        return prefix;
    }

    private void create() {
        String lan = addNamespace("lan", prefix + "-lan");
        ip(lan, "link", "add", "br0", "type", "bridge");
        ip(lan, "link", "set", "br0", "up");
        List<LabSpec.Gateway> gws = spec.gateways();
        for (int g = 0; g < gws.size(); g++) {
            createGateway(g, gws.get(g), lan);
        }
        List<LabSpec.Node> nodes = spec.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            createNode(i, nodes.get(i), lan);
        }
        for (int i = 0; i < nodes.size(); i++) {
            createBackend(i, nodes.get(i));
        }
        List<LabSpec.Pod> pods = spec.pods();
        for (int j = 0; j < pods.size(); j++) {
            createPod(j, pods.get(j));
        }
        // Starting a process costs tens of milliseconds here, so each namespace's commands run as one batch:
        // first what a namespace creates itself, then what it does with links other namespaces created in it.
        flush(stage1, "ip");
        flush(stage2, "ip");
        flush(fdb, "bridge");
        // Rules and rp_filter last: the same order as on a node, where flanneld and kube-proxy start after the links.
        rpFilter.forEach(this::setRpFilter);
        for (Map.Entry<String, List<String>> e : sysctls.entrySet()) {
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", e.getKey(), "sysctl", "-qw"));
            cmd.addAll(e.getValue());
            Exec.check(cmd);
        }
        for (LabSpec.Node n : nodes) {
            if (!n.iptables().isBlank()) {
                Exec.check(List.of("ip", "netns", "exec", namespace("node:" + n.name()), "iptables-restore"),
                        n.iptables(), Exec.DEFAULT_TIMEOUT);
            }
            if (!n.nftables().isBlank()) {
                Preflight.requireNft();
                Exec.check(List.of("ip", "netns", "exec", namespace("node:" + n.name()), "nft", "-f", "-"),
                        n.nftables(), Exec.DEFAULT_TIMEOUT);
            }
            if (n.v6() != null && !n.v6().ip6tables().isBlank()) {
                Exec.check(List.of("ip", "netns", "exec", namespace("node:" + n.name()), "ip6tables-restore"),
                        n.v6().ip6tables(), Exec.DEFAULT_TIMEOUT);
            }
            if (n.v6() != null && !n.v6().nftables().isBlank()) {
                Preflight.requireNft();
                Exec.check(List.of("ip", "netns", "exec", namespace("node:" + n.name()), "nft", "-f", "-"),
                        n.v6().nftables(), Exec.DEFAULT_TIMEOUT);
            }
        }
        startListeners();
    }

    /** Runs each namespace's queued lines with {@code <tool> -n <ns> -batch -}; a failure names the failing line. */
    private static void flush(Map<String, List<String>> queue, String tool) {
        for (Map.Entry<String, List<String>> e : queue.entrySet()) {
            List<String> lines = e.getValue();
            Exec.Result r = Exec.run(List.of(tool, "-n", e.getKey(), "-batch", "-"), String.join("\n", lines) + "\n",
                    Exec.DEFAULT_TIMEOUT);
            if (!r.ok()) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("-:(\\d+)").matcher(r.err());
                String line = m.find() && Integer.parseInt(m.group(1)) <= lines.size()
                        ? lines.get(Integer.parseInt(m.group(1)) - 1) : String.join("; ", lines);
                throw new LabException("`" + tool + " -n " + e.getKey() + " " + line + "` failed: " + r.err().strip());
            }
        }
        queue.clear();
    }

    /**
     * The IPv6 default gateway the tracer assumes (its Plane.gateway): the LAN's first host address, its last but one
     * when that is the node; none on a /127 or /128.
     */
    static String gateway6(LabSpec.V6 v6) {
        IpAddress ip = IpAddress.parse(v6.ip());
        Cidr lan = Cidr.ofMasked(ip, v6.prefixLength());
        if (lan.hostBits() <= 1) {
            return null;
        }
        IpAddress gw = lan.first().plus(1);
        return (gw.equals(ip) ? lan.last().plus(-1) : gw).toString();
    }

    private void createNode(int i, LabSpec.Node n, String lan) {
        String ns = addNamespace("node:" + n.name(), prefix + "-n" + i);
        ip(ns, "link", "add", "eth0", "type", "veth", "peer", "name", "n" + i, "netns", lan);
        ipLater(lan, "link", "set", "n" + i, "master", "br0");
        ipLater(lan, "link", "set", "n" + i, "up");
        if (n.ip() != null) {
            ip(ns, "addr", "add", n.ip() + "/" + n.prefixLength(), "dev", "eth0");
        }
        if (n.v6() != null) {
            // nodad: usable at once, as after DAD on a real LAN (accept_dad=0 covers the link-local addresses)
            ip(ns, "addr", "add", n.v6().ip() + "/" + n.v6().prefixLength(), "dev", "eth0", "nodad");
        }
        ip(ns, "link", "set", "eth0", "up");
        if (n.gateway() != null) {
            ip(ns, "route", "add", "default", "via", n.gateway(), "dev", "eth0");
        }
        String gw6 = n.v6() == null ? null : gateway6(n.v6());
        if (gw6 != null) {
            // A real node has an IPv6 default route (RA or static), and the tracer gives it one via the LAN's first
            // address; local output needs a route even to a ClusterIP, since it is routed before kube-proxy's DNAT.
            // No namespace holds that gateway: the lab probes no IPv6 host outside the cluster.
            ip(ns, "route", "add", "default", "via", gw6, "dev", "eth0");
        }
        String lease6 = n.v6() == null ? null : n.v6().lease();
        if (n.lease() != null || lease6 != null) {
            ip(ns, "link", "add", "cni0", "type", "bridge");
            if (n.lease() != null) {
                Cidr lease = Cidr.parse(n.lease());
                ip(ns, "addr", "add", lease.network().plus(1) + "/" + lease.prefixLength(), "dev", "cni0");
            }
            if (lease6 != null) {
                // flannel's CNI config hands the bridge plugin the IPv6 lease too: cni0 gets <lease>::1
                Cidr l6 = Cidr.parse(lease6);
                ip(ns, "addr", "add", l6.network().plus(1) + "/" + l6.prefixLength(), "dev", "cni0", "nodad");
            }
            ip(ns, "link", "set", "cni0", "up");
        }
        if (n.docker() != null) {
            // Docker Engine's bridge: no containers, so no carrier, but its connected route is there all the same.
            Cidr docker = Cidr.parse(n.docker());
            ip(ns, "link", "add", "docker0", "type", "bridge");
            ip(ns, "addr", "add", docker.network().plus(1) + "/" + docker.prefixLength(), "dev", "docker0");
            ip(ns, "link", "set", "docker0", "up");
        }
        sysctl(ns, "net.ipv4.ip_forward", "1");
        if (n.v6() != null) {
            // flanneld's requirement for IPv6 (it checks net.ipv6.conf.all.forwarding, as kube-proxy does)
            sysctl(ns, "net.ipv6.conf.all.forwarding", "1");
        }
        if (Preflight.brNetfilter()) {
            // kube-proxy's requirement on every node: frames bridged between pods on cni0 pass iptables (and
            // conntrack, which un-DNATs a same-node endpoint's reply). The tracer assumes it.
            sysctl(ns, "net.bridge.bridge-nf-call-iptables", "1");
            if (n.v6() != null) {
                sysctl(ns, "net.bridge.bridge-nf-call-ip6tables", "1");
            }
        }
        rpFilter.put(ns, LabSpec.sysctlValue(n.rpFilter()));
        if (n.v6() != null) {
            v6Namespaces.add("node:" + n.name());
        }
    }

    private void createGateway(int g, LabSpec.Gateway gw, String lan) {
        String ns = addNamespace("gw:" + gw.ip(), prefix + "-g" + g);
        ip(ns, "link", "add", "eth0", "type", "veth", "peer", "name", "g" + g, "netns", lan);
        ipLater(lan, "link", "set", "g" + g, "master", "br0");
        ipLater(lan, "link", "set", "g" + g, "up");
        ip(ns, "addr", "add", gw.ip() + "/" + gw.prefixLength(), "dev", "eth0");
        ip(ns, "link", "set", "eth0", "up");
        for (String h : gw.hosts()) {
            // On lo as a /32: the gateway owns exactly that host, not the whole declared network (and lo needs no
            // kernel module, unlike a dummy device).
            ip(ns, "addr", "add", h.substring(0, h.indexOf('/')) + "/32", "dev", "lo");
        }
        // Not a router: it forwards nothing, and says so as a router without a route does (ICMP net unreachable,
        // unthrottled): what the tracer means by "the underlay has no route". Silence would read as a drop.
        sysctl(ns, "net.ipv4.ip_forward", "1");
        sysctl(ns, "net.ipv4.icmp_ratelimit", "0");
        Exec.check(List.of("ip", "netns", "exec", ns, "iptables", "-A", "FORWARD", "-j", "REJECT", "--reject-with",
                "icmp-net-unreachable"), null, Exec.DEFAULT_TIMEOUT);
        rpFilter.put(ns, 0);
    }

    private void createBackend(int i, LabSpec.Node n) {
        if (n.v6() != null && n.v6().lease() != null) {
            createBackend6(i, n);
        }
        if (n.lease() == null) {
            return;
        }
        String ns = namespace("node:" + n.name());
        if (spec.backend() == LabSpec.Backend.VXLAN) {
            String dev = vxlanDevice();
            // As flanneld: learning off, kernel-default port 8472 on Linux, the lease's network address as a /32.
            ip(ns, "link", "add", dev, "address", vtepMac(i), "type", "vxlan", "id", Integer.toString(spec.vni()),
                    "local", n.ip(), "dev", "eth0", "nolearning", "dstport", "8472");
            ip(ns, "addr", "add", Cidr.parse(n.lease()).network() + "/32", "dev", dev);
            ip(ns, "link", "set", dev, "up");
        }
        List<LabSpec.Node> nodes = spec.nodes();
        for (int r = 0; r < nodes.size(); r++) {
            if (r == i || nodes.get(r).lease() == null) {
                continue;
            }
            LabSpec.Node remote = nodes.get(r);
            Cidr lease = Cidr.parse(remote.lease());
            if (spec.backend() == LabSpec.Backend.VXLAN) {
                String dev = vxlanDevice();
                IpAddress gw = lease.network();
                ip(ns, "route", "replace", lease.toString(), "via", gw.toString(), "dev", dev, "onlink");
                ip(ns, "neigh", "replace", gw.toString(), "lladdr", vtepMac(r), "dev", dev, "nud", "permanent");
                fdb.computeIfAbsent(ns, k -> new ArrayList<>())
                        .add("fdb append " + vtepMac(r) + " dev " + dev + " dst " + remote.ip());
            } else {
                ip(ns, "route", "replace", lease.toString(), "via", remote.ip(), "dev", "eth0");
            }
        }
    }

    private void createPod(int j, LabSpec.Pod p) {
        LabSpec.Node n = spec.node(p.node()).orElseThrow();
        String nodeNs = namespace("node:" + n.name());
        String ns = addNamespace("pod:" + p.name(), prefix + "-p" + j);
        ip(ns, "link", "add", "eth0", "type", "veth", "peer", "name", "veth" + j, "netns", nodeNs);
        ipLater(nodeNs, "link", "set", "veth" + j, "master", "cni0");
        // flannel's CNI config delegates to the bridge plugin with hairpinMode true: a pod reaches itself through
        // its own Service (DNAT back to the port it came from).
        ipLater(nodeNs, "link", "set", "veth" + j, "type", "bridge_slave", "hairpin", "on");
        ipLater(nodeNs, "link", "set", "veth" + j, "up");
        if (p.ip() != null) {
            Cidr lease = Cidr.parse(n.lease());
            ip(ns, "addr", "add", p.ip() + "/" + lease.prefixLength(), "dev", "eth0");
        }
        if (p.ip6() != null) {
            Cidr lease6 = Cidr.parse(n.v6().lease());
            ip(ns, "addr", "add", p.ip6() + "/" + lease6.prefixLength(), "dev", "eth0", "nodad");
        }
        ip(ns, "link", "set", "eth0", "up");
        if (p.ip() != null) {
            ip(ns, "route", "add", "default", "via", Cidr.parse(n.lease()).network().plus(1).toString());
        }
        if (p.ip6() != null) {
            ip(ns, "route", "add", "default", "via", Cidr.parse(n.v6().lease()).network().plus(1).toString());
        }
        if (p.ip6() != null) {
            v6Namespaces.add("pod:" + p.name());
        }
        // A pod's own rp_filter is not part of any model: keep it out of the way whatever the netns default is.
        rpFilter.put(ns, 0);
    }

    /**
     * The IPv6 half of flannel's data plane (flannel's pkg/backend/vxlan and hostgw): {@code flannel-v6.<VNI>} whose
     * VTEP is the node's IPv6 address, the lease's network address as a /128, and per remote IPv6 lease an onlink
     * route, a permanent neighbour and an FDB entry to the remote's IPv6; for host-gw a route via the remote's IPv6.
     */
    private void createBackend6(int i, LabSpec.Node n) {
        String ns = namespace("node:" + n.name());
        boolean overIpv4 = spec.underlay6() == LabSpec.Underlay6.IPV4;
        if (spec.backend() == LabSpec.Backend.VXLAN) {
            String dev = vxlanDevice6();
            String local = overIpv4 ? n.ip() : n.v6().ip();
            if (local == null) {
                throw new LabException("node " + n.name() + " has no IPv4 address for flannel-v6's IPv4 underlay");
            }
            ip(ns, "link", "add", dev, "address", vtepMac6(i), "type", "vxlan", "id", Integer.toString(spec.vni()),
                    "local", local, "dev", "eth0", "nolearning", "dstport", "8472");
            ip(ns, "addr", "add", Cidr.parse(n.v6().lease()).network() + "/128", "dev", dev, "nodad");
            ip(ns, "link", "set", dev, "up");
        }
        List<LabSpec.Node> nodes = spec.nodes();
        for (int r = 0; r < nodes.size(); r++) {
            LabSpec.Node remote = nodes.get(r);
            if (r == i || remote.v6() == null || remote.v6().lease() == null) {
                continue;
            }
            Cidr lease = Cidr.parse(remote.v6().lease());
            if (spec.backend() == LabSpec.Backend.VXLAN) {
                String dev = vxlanDevice6();
                String gw = lease.network().toString();
                ip(ns, "route", "replace", lease.toString(), "via", gw, "dev", dev, "onlink");
                ip(ns, "neigh", "replace", gw, "lladdr", vtepMac6(r), "dev", dev, "nud", "permanent");
                fdb.computeIfAbsent(ns, k -> new ArrayList<>()).add("fdb append " + vtepMac6(r) + " dev " + dev
                        + " dst " + (overIpv4 ? remote.ip() : remote.v6().ip()));
            } else {
                ip(ns, "route", "replace", lease.toString(), "via", remote.v6().ip(), "dev", "eth0");
            }
        }
    }

    private String vxlanDevice() {
        return "flannel." + spec.vni();
    }

    private String vxlanDevice6() {
        return "flannel-v6." + spec.vni();
    }

    /** flannel-v6's MAC per node: flanneld gives the v6 device its own address, so must the lab (BackendV6Data). */
    private static String vtepMac6(int index) {
        return String.format("0e:2a:00:01:%02x:%02x", (index >> 8) & 0xff, index & 0xff);
    }

    /** A locally administered unicast MAC per node, so FDB and neighbour entries are predictable. */
    private static String vtepMac(int index) {
        return String.format("0e:2a:00:00:%02x:%02x", (index >> 8) & 0xff, index & 0xff);
    }

    private void setRpFilter(String ns, int value) {
        String v = Integer.toString(value);
        sysctl(ns, "net.ipv4.conf.all.rp_filter", v);
        sysctl(ns, "net.ipv4.conf.default.rp_filter", v);
        for (String dev : links(ns)) {
            // sysctl names use '/' where the device name has '.', e.g. flannel.1 -> flannel/1
            sysctl(ns, "net.ipv4.conf." + dev.replace('.', '/') + ".rp_filter", v);
        }
    }

    private static List<String> links(String ns) {
        Exec.Result r = Exec.check(List.of("ip", "-n", ns, "-o", "link", "show"));
        List<String> devs = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            String[] f = line.split(":\\s+", 3);
            if (f.length >= 2) {
                devs.add(f[1].split("@")[0]);
            }
        }
        return devs;
    }

    private void startListeners() {
        for (Map.Entry<String, String> e : namespaces.entrySet()) {
            if (e.getKey().equals("lan")) {
                continue;
            }
            for (int port : spec.listenPorts()) {
                // Each connection is answered with the owner's key, so a probe can tell delivery from hijacking.
                Process p = Exec.spawn(List.of("ip", "netns", "exec", e.getValue(), "timeout",
                        Integer.toString(LISTENER_MAX_SECONDS), "socat",
                        "TCP4-LISTEN:" + port + ",fork,reuseaddr", "SYSTEM:echo " + identity(e.getKey())));
                listeners.add(p);
                holders.putIfAbsent(e.getKey(), p);
                if (v6Namespaces.contains(e.getKey())) {
                    // A listener of its own per family (ipv6only), so the IPv4 one behaves exactly as before.
                    listeners.add(Exec.spawn(List.of("ip", "netns", "exec", e.getValue(), "timeout",
                            Integer.toString(LISTENER_MAX_SECONDS), "socat",
                            "TCP6-LISTEN:" + port + ",fork,reuseaddr,ipv6only=1",
                            "SYSTEM:echo " + identity(e.getKey()))));
                }
            }
            if (!holders.containsKey(e.getKey())) {
                Process p = Exec.spawn(List.of("ip", "netns", "exec", e.getValue(), "timeout",
                        Integer.toString(LISTENER_MAX_SECONDS), "sleep", Integer.toString(LISTENER_MAX_SECONDS)));
                listeners.add(p);
                holders.put(e.getKey(), p);
            }
        }
        if (!spec.listenPorts().isEmpty()) {
            awaitListeners();
        }
    }

    /**
     * A process living in the namespace ({@code ip netns exec} execs its command, so the pid stays in the namespace):
     * its {@code /proc/<pid>/net/*} files are the namespace's, readable without starting a process per snapshot.
     */
    long holderPid(String key) {
        Process p = holders.get(key);
        if (p == null || !p.isAlive()) {
            throw new LabException("the lab's process in " + namespace(key) + " is gone; cannot read its counters");
        }
        return p.pid();
    }

    /** Waits until every namespace has its TCP ports bound, so the first probe does not race the listeners. */
    private void awaitListeners() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Map.Entry<String, String> e : namespaces.entrySet()) {
            if (e.getKey().equals("lan")) {
                continue;
            }
            for (int port : spec.listenPorts()) {
                while (true) {
                    Exec.Result r = Exec.run(List.of("ip", "netns", "exec", e.getValue(), "ss", "-Hltn",
                            "sport = :" + port), null, Exec.DEFAULT_TIMEOUT);
                    long bound = r.out().lines().filter(l -> !l.isBlank()).count();
                    if (r.ok() && bound >= (v6Namespaces.contains(e.getKey()) ? 2 : 1)) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new LabException("socat did not listen on port " + port + " in " + e.getValue()
                                + " within 10 s");
                    }
                    sleep(50);
                }
            }
        }
    }

    /** The listener's answer: the namespace key with ':' spelt '=', since socat splits its addresses at ':'. */
    static String identity(String key) {
        return key.replace(':', '=');
    }

    /** The namespace key a listener's answer names. */
    static String keyOf(String identity) {
        return identity.replaceFirst("=", ":");
    }

    private String addNamespace(String key, String name) {
        // Recorded before creation, so a half-built lab is still torn down.
        namespaces.put(key, name);
        Exec.check(List.of("ip", "netns", "add", name));
        if (spec.ipv6()) {
            // Before any link exists, so that no address of the lab (link-local ones included) waits for duplicate
            // address detection: a tentative address cannot be used, and the first probes would race it.
            Exec.check(List.of("ip", "netns", "exec", name, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0",
                    "net.ipv6.conf.default.accept_dad=0"));
        }
        ip(name, "link", "set", "lo", "up");
        return name;
    }

    private void ip(String ns, String... args) {
        stage1.computeIfAbsent(ns, k -> new ArrayList<>()).add(String.join(" ", args));
    }

    /** Queued after every namespace's own commands: for links another namespace's batch puts here. */
    private void ipLater(String ns, String... args) {
        stage2.computeIfAbsent(ns, k -> new ArrayList<>()).add(String.join(" ", args));
    }

    private void sysctl(String ns, String key, String value) {
        sysctls.computeIfAbsent(ns, k -> new ArrayList<>()).add(key + "=" + value);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Process p : listeners) {
            p.destroy();
        }
        for (Process p : listeners) {
            try {
                if (!p.waitFor(2, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        List<String> names = new ArrayList<>(namespaces.values());
        Collections.reverse(names);
        for (String ns : names) {
            Namespaces.delete(ns);
        }
        Namespaces.unregister(this);
    }

    @Override
    public String toString() {
        return "lab " + prefix + " " + namespaces.keySet();
    }
}
