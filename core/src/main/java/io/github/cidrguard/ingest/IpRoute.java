package io.github.cidrguard.ingest;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ip route} (or {@code ip route show table all}) of one node: its connected LAN prefixes and own address (the
 * {@code proto kernel scope link src …} routes of the host's interfaces, the one carrying the default route first),
 * Docker's bridge ({@code dev docker0}), the node's own pod subnet ({@code dev cni0}), and the other nodes' leases
 * routed through flannel's device ({@code dev flannel.1}, {@code flannel0}, …).
 */
final class IpRoute {
    static final String COMMAND = "ip route (run on the node)";
    /** Route types {@code ip route} prints before the destination. */
    private static final Set<String> TYPES = Set.of("unicast", "local", "broadcast", "multicast", "blackhole",
            "unreachable", "prohibit", "throw", "nat", "anycast");
    /** Devices that are not the host's own network. */
    private static final List<String> VIRTUAL = List.of("cni", "docker", "flannel", "veth", "cali", "cilium",
            "kube-ipvs", "br-", "virbr", "lo", "tunl", "vxlan", "weave", "nodelocaldns", "wg", "tun", "tap");

    /** What one node's routing table says. */
    record Facts(Optional<IpAddress> nodeIp, List<Cidr> hostNetworks, Optional<Cidr> docker, Optional<Cidr> podCidr,
                 List<Cidr> flannelRoutes, boolean vxlan) {
    }

    private IpRoute() {
    }

    static Facts parse(String text, String source) {
        String defaultDev = null;
        List<String[]> connected = new ArrayList<>(); // {dev, cidr, src}
        Cidr docker = null;
        Cidr cni = null;
        boolean vxlan = false;
        List<Cidr> flannel = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        int seen = 0;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty()) {
                continue;
            }
            List<String> t = new ArrayList<>(List.of(l.split("\\s+")));
            if (TYPES.contains(t.get(0))) {
                if (!t.get(0).equals("unicast")) {
                    continue; // local, broadcast, blackhole …: not a path to a network
                }
                t.remove(0);
            }
            seen++;
            String dst = t.get(0);
            String dev = value(t, "dev");
            String table = value(t, "table");
            if (table != null && !table.equals("main")) {
                continue;
            }
            if (dst.equals("default")) {
                if (defaultDev == null) {
                    defaultDev = dev;
                }
                continue;
            }
            Cidr c = cidr(dst, source, i + 1, l);
            if (dev == null || dst.startsWith("fe80:")) {
                continue;
            }
            if (dev.startsWith("flannel")) {
                vxlan |= dev.startsWith("flannel.");
                flannel.add(c);
            } else if (dev.equals("docker0")) {
                docker = c;
            } else if (dev.equals("cni0")) {
                cni = c;
            } else if ("link".equals(value(t, "scope")) && !virtual(dev)) {
                connected.add(new String[] {dev, c.toString(), value(t, "src")});
            }
        }
        if (seen == 0) {
            throw new ImportException(source, 0, "holds no routes; give the output of " + COMMAND);
        }
        List<Cidr> hosts = new ArrayList<>();
        IpAddress nodeIp = null;
        // the default route's interface first: its src is the node's address
        for (int pass = 0; pass < 2; pass++) {
            for (String[] c : connected) {
                boolean isDefault = c[0].equals(defaultDev);
                if (pass == 0 != isDefault) {
                    continue;
                }
                Cidr cidr = Cidr.parse(c[1]);
                if (hosts.stream().noneMatch(h -> h.family() == cidr.family())) {
                    hosts.add(cidr);
                    if (nodeIp == null && c[2] != null) {
                        nodeIp = IpAddress.parse(c[2]);
                    }
                }
            }
        }
        return new Facts(Optional.ofNullable(nodeIp), hosts, Optional.ofNullable(docker), Optional.ofNullable(cni),
                flannel, vxlan);
    }

    private static boolean virtual(String dev) {
        return VIRTUAL.stream().anyMatch(dev::startsWith);
    }

    private static String value(List<String> t, String key) {
        int i = t.indexOf(key);
        return i >= 0 && i + 1 < t.size() ? t.get(i + 1) : null;
    }

    private static Cidr cidr(String dst, String source, int line, String text) {
        try {
            return dst.contains("/") ? Cidr.parseMasked(dst) : Cidr.of(IpAddress.parse(dst));
        } catch (IllegalArgumentException e) {
            throw new ImportException(source, line, "'" + text + "' does not start with a destination ("
                    + e.getMessage() + "); give the output of " + COMMAND, e);
        }
    }
}
