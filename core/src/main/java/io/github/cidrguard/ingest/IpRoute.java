package io.github.cidrguard.ingest;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;

import io.github.cidrguard.net.IpFamily;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ip route} or {@code ip -6 route} (or either with {@code show table all}) of one node: its connected LAN
 * prefixes and own addresses, Docker's bridge ({@code dev docker0}), the node's own pod subnets ({@code dev cni0}),
 * and the other nodes' leases routed through flannel's devices ({@code dev flannel.1}, {@code flannel-v6.1} for
 * vxlan over IPv6, {@code flannel0}, …), per family; two outputs of one node (IPv4 and IPv6) merge.
 *
 * <p>The families print differently: an IPv4 connected route is {@code proto kernel scope link src <addr>}; an IPv6
 * one is {@code proto kernel metric 256} with neither scope nor src, so its address comes from the {@code local …
 * table local} entry of {@code ip -6 route show table all} on the same device, and the IPv6 default route is usually
 * {@code default via fe80::… proto ra}. Link-local ({@code fe80::/64}) and multicast routes are not networks.
 */
final class IpRoute {
    static final String COMMAND = "ip route or ip -6 route (run on the node)";
    /** Route types {@code ip route} prints before the destination. */
    private static final Set<String> TYPES = Set.of("unicast", "local", "broadcast", "multicast", "blackhole",
            "unreachable", "prohibit", "throw", "nat", "anycast");
    /** Devices that are not the host's own network. */
    private static final List<String> VIRTUAL = List.of("cni", "docker", "flannel", "veth", "cali", "cilium",
            "kube-ipvs", "br-", "virbr", "lo", "tunl", "vxlan", "weave", "nodelocaldns", "wg", "tun", "tap");

    /**
     * What one node's routing tables say.
     *
     * @param nodeIps the node's own addresses, at most one per family, IPv4 first
     * @param hostNetworks its connected LAN prefixes, at most one per family, the default route's first
     * @param podCidrs cni0's prefixes, at most one per family, IPv4 first
     */
    record Facts(List<IpAddress> nodeIps, List<Cidr> hostNetworks, Optional<Cidr> docker, List<Cidr> podCidrs,
                 List<Cidr> flannelRoutes, boolean vxlan) {
        Facts {
            nodeIps = List.copyOf(nodeIps);
            hostNetworks = List.copyOf(hostNetworks);
            podCidrs = List.copyOf(podCidrs);
            flannelRoutes = List.copyOf(flannelRoutes);
        }

        /** The node's first address (IPv4 when known). */
        Optional<IpAddress> nodeIp() {
            return nodeIps.stream().findFirst();
        }

        /** cni0's IPv4 prefix, else its IPv6 one. */
        Optional<Cidr> podCidr() {
            return podCidrs.stream().findFirst();
        }

        /** cni0's prefix of one family. */
        Optional<Cidr> podCidr(IpFamily family) {
            return podCidrs.stream().filter(c -> c.family() == family).findFirst();
        }

        /** Both outputs of one node: what this one knows per family, else the other's. */
        Facts merge(Facts other) {
            return new Facts(perFamily(nodeIps, other.nodeIps, IpAddress::family),
                    perFamily(hostNetworks, other.hostNetworks, Cidr::family), docker.or(other::docker),
                    perFamily(podCidrs, other.podCidrs, Cidr::family),
                    java.util.stream.Stream.concat(flannelRoutes.stream(), other.flannelRoutes.stream()).distinct()
                            .toList(), vxlan || other.vxlan);
        }

        private static <T> List<T> perFamily(List<T> a, List<T> b, java.util.function.Function<T, IpFamily> fam) {
            List<T> out = new ArrayList<>();
            for (IpFamily f : IpFamily.values()) {
                a.stream().filter(x -> fam.apply(x) == f).findFirst()
                        .or(() -> b.stream().filter(x -> fam.apply(x) == f).findFirst()).ifPresent(out::add);
            }
            return out;
        }
    }

    private IpRoute() {
    }

    static Facts parse(String text, String source) {
        Map<IpFamily, String> defaultDev = new EnumMap<>(IpFamily.class);
        List<String[]> connected = new ArrayList<>(); // {dev, cidr, src}
        List<String[]> locals = new ArrayList<>(); // {dev, address}: IPv6 addresses of the table local
        Cidr docker = null;
        List<Cidr> cni = new ArrayList<>();
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
                if (t.get(0).equals("local") && t.size() > 1 && t.get(1).contains(":")) {
                    String dev = value(t, "dev");
                    IpAddress a = address(t.get(1), source, i + 1, l);
                    if (dev != null && !virtual(dev) && !LINK_LOCAL.contains(a) && !a.equals(LOOPBACK6)) {
                        locals.add(new String[] {dev, a.toString()});
                    }
                }
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
                String via = value(t, "via");
                for (IpFamily f : via == null ? List.of(IpFamily.values())
                        : List.of(via.contains(":") ? IpFamily.IPV6 : IpFamily.IPV4)) {
                    defaultDev.putIfAbsent(f, dev);
                }
                continue;
            }
            Cidr c = cidr(dst, source, i + 1, l);
            if (dev == null || LINK_LOCAL.overlaps(c) || MULTICAST6.overlaps(c)) {
                continue;
            }
            if (dev.startsWith("flannel")) {
                vxlan |= dev.startsWith("flannel.") || dev.startsWith("flannel-v6.");
                flannel.add(c);
            } else if (dev.equals("docker0")) {
                docker = docker == null ? c : docker;
            } else if (dev.equals("cni0")) {
                if (cni.stream().noneMatch(x -> x.family() == c.family())) {
                    cni.add(c);
                }
            } else if (!virtual(dev) && (c.family() == IpFamily.IPV4 ? "link".equals(value(t, "scope"))
                    : value(t, "via") == null && "kernel".equals(value(t, "proto")))) {
                connected.add(new String[] {dev, c.toString(), value(t, "src")});
            }
        }
        if (seen == 0 && locals.isEmpty()) {
            throw new ImportException(source, 0, "holds no routes; give the output of " + COMMAND);
        }
        List<Cidr> hosts = new ArrayList<>();
        List<IpAddress> nodeIps = new ArrayList<>();
        for (IpFamily fam : IpFamily.values()) {
            // the default route's interface first: its src (IPv6: its local address) is the node's address
            for (int pass = 0; pass < 2; pass++) {
                for (String[] c : connected) {
                    Cidr cidr = Cidr.parse(c[1]);
                    boolean isDefault = c[0].equals(defaultDev.get(fam));
                    if (cidr.family() != fam || pass == 0 != isDefault
                            || hosts.stream().anyMatch(h -> h.family() == fam)) {
                        continue;
                    }
                    hosts.add(cidr);
                    Optional<IpAddress> own = c[2] != null ? Optional.of(IpAddress.parse(c[2]))
                            : locals.stream().filter(x -> x[0].equals(c[0])).map(x -> IpAddress.parse(x[1]))
                            .filter(cidr::contains).findFirst();
                    own.ifPresent(nodeIps::add);
                }
            }
        }
        cni.sort(java.util.Comparator.comparing(Cidr::family));
        return new Facts(nodeIps, hosts, Optional.ofNullable(docker), cni, flannel, vxlan);
    }

    private static final Cidr LINK_LOCAL = Cidr.parse("fe80::/10");
    private static final Cidr MULTICAST6 = Cidr.parse("ff00::/8");
    private static final IpAddress LOOPBACK6 = IpAddress.parse("::1");

    private static boolean virtual(String dev) {
        return VIRTUAL.stream().anyMatch(dev::startsWith);
    }

    private static String value(List<String> t, String key) {
        int i = t.indexOf(key);
        return i >= 0 && i + 1 < t.size() ? t.get(i + 1) : null;
    }

    private static IpAddress address(String text, String source, int line, String whole) {
        try {
            return IpAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ImportException(source, line, "'" + whole + "' names no address (" + e.getMessage()
                    + "); give the output of " + COMMAND, e);
        }
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
