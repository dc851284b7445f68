package io.github.cidrguard.trace;

import io.github.cidrguard.net.AddressSet;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes reachability. Atoms are computed once; nodes are grouped into equivalence classes by a signature of
 * everything but their identity (LAN, rp_filter, docker, lease size, how their address relates to the Network and
 * the kube-proxy cluster CIDR); nodes with any other special relation get a class of their own. An atom's role is its
 * owner kind and attributes with owner nodes replaced by their class (or "self" for the source's own node). One trace
 * decides each (source class, role) pair.
 *
 * <p>LANs that nothing else touches ("plain" LANs: IPv4, disjoint from every other LAN, the Network, the leases, the
 * service and cluster CIDRs, Docker bridges, declared networks and the special ranges, holding no Service address or
 * endpoint outside a lease and no lease's public IP but its node's) are interchangeable: the data plane treats a node
 * on one exactly as a node on another of the same prefix length with its gateway at the same offset. So a plain LAN
 * enters a signature or a role only as its shape and as "the source's own LAN" or "another LAN", and the nodes of a
 * plan spread over hundreds of LANs still fall into a handful of classes. Each source's list is then its class's
 * shared list (every atom seen from another LAN), patched with the atoms that touch its own LAN (shared by the class
 * members on that LAN), patched with its own atoms.
 *
 * <p>One family per instance. IPv4 atoms are held as their first and last address numbers; IPv6 addresses do not fit
 * a long, so an IPv6 instance holds each atom's index as both its "first" and "last" coordinate (adjacent atoms stay
 * adjacent) and keeps the atoms' real first addresses in {@link #bounds6}. IPv6 LANs are never plain.
 */
final class Reach {
    static final int DELIVERED = -1;
    /** An atom no member of the class on a LAN could decide (each member it concerns has it among its own). */
    private static final int UNDECIDED = Integer.MIN_VALUE + 1;

    private final Plane plane;
    private final long[] first;
    private final long[] last;
    private final int atoms;
    private final int[] ownerNode;
    private final int[] leaseNode;
    private final int[] epNode;
    private final String[] attrs;
    private final int[] otherRole;
    private final boolean[] special;
    private final String[] nodeSig;
    private final Map<String, Integer> roleIds = new HashMap<>();
    /*
     * Keyed by (class << 32 | role). Not a HashMap<Long, Integer>: Long.hashCode is class ^ role, so the keys of a
     * large plan (about a thousand classes times a thousand roles) crowd into a few bins and every lookup walks a
     * tree; at 65 536 nodes reach() spent most of its time there.
     */
    private final LongIntMap verdicts = new LongIntMap();
    private final Map<String, Integer> classIds = new HashMap<>();
    private final List<Integer>[] ownAtoms;
    /** The nodes' LANs, sorted. */
    private final List<Cidr> lans;
    /** Per LAN: whether it is plain (see the class comment). */
    private final boolean[] plain;
    /** Per node: the index of its LAN in {@link #lans}. */
    private final int[] lanOf;
    /** Per atom: the plain LAN holding its addresses, or -1. */
    private final int[] atomLan;
    /** Per plain LAN: the atoms that touch it (held in it, or owned, leased or served by a node on it), ascending. */
    private final int[][] lanAtoms;
    /** The LANs that are not plain: an address in one is named by its absolute LAN, as before. */
    private final List<Cidr> namedLans = new ArrayList<>();
    private final java.util.Set<IpAddress> dockerGateways = new java.util.HashSet<>();
    /** IPv6 only: the first address of every atom, sorted (null for IPv4). */
    private final IpAddress[] bounds6;

    @SuppressWarnings("unchecked")
    private Reach(Plane plane) {
        this.plane = plane;
        if (plane.family == io.github.cidrguard.net.IpFamily.IPV6) {
            this.bounds6 = boundaries6(plane);
            this.atoms = bounds6.length;
            this.first = new long[atoms];
            this.last = new long[atoms];
            for (int i = 0; i < atoms; i++) {
                first[i] = i;
                last[i] = i;
            }
        } else {
            this.bounds6 = null;
            long[] b = boundaries(plane);
            this.atoms = b.length - 1;
            this.first = new long[atoms];
            this.last = new long[atoms];
            for (int i = 0; i < atoms; i++) {
                first[i] = b[i];
                last[i] = b[i + 1] - 1;
            }
        }
        int n = plane.size();
        java.util.Set<Cidr> hs = new java.util.TreeSet<>();
        for (Spec.NodeSpec s : plane.nodes) {
            hs.add(s.hostNetwork());
            if (s.docker() != null) {
                dockerGateways.add(s.docker().first().plus(1));
            }
        }
        this.lans = List.copyOf(hs);
        this.plain = plainLans();
        for (int i = 0; i < lans.size(); i++) {
            if (!plain[i]) {
                namedLans.add(lans.get(i));
            }
        }
        this.lanOf = new int[n];
        for (int i = 0; i < n; i++) {
            lanOf[i] = java.util.Collections.binarySearch(lans, plane.nodes[i].hostNetwork());
        }
        // a LAN whose gateway is one of the nodes: that node forwards (and may loop) what the others send off the LAN,
        // which no signature describes, so each node there is a class of its own
        java.util.Set<Cidr> routedByNode = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            if (gatewayNode(i) != null) {
                routedByNode.add(plane.nodes[i].hostNetwork());
            }
        }
        this.nodeSig = new String[n];
        for (int i = 0; i < n; i++) {
            nodeSig[i] = routedByNode.contains(plane.nodes[i].hostNetwork()) ? "unique:" + i : signature(i);
        }
        this.ownerNode = new int[atoms];
        this.leaseNode = new int[atoms];
        this.epNode = new int[atoms];
        this.attrs = new String[atoms];
        this.otherRole = new int[atoms];
        this.special = new boolean[atoms];
        this.atomLan = new int[atoms];
        this.ownAtoms = new List[n];
        int[] lanCount = new int[lans.size()];
        for (int a = 0; a < atoms; a++) {
            IpAddress x = at(first[a]);
            Owner o = plane.owner(x);
            ownerNode[a] = o.kind() == Owner.Kind.POD || o.kind() == Owner.Kind.NODE ? o.node() : -1;
            leaseNode[a] = plane.network == null ? -1 : plane.leaseNode(x);
            Spec.SvcSpec svc = plane.svcByIp.get(x);
            epNode[a] = svc == null || svc.endpoints().isEmpty() ? -1 : endpointNode(svc.endpoints().get(0).ip());
            atomLan[a] = bounds6 == null ? plainLanHolding(first[a]) : -1;
            attrs[a] = attributes(x, o);
            special[a] = plane.special.contains(x);
            otherRole[a] = role(a, -2, -1);
            for (int k : new int[] {ownerNode[a], leaseNode[a], epNode[a]}) {
                if (k >= 0) {
                    if (ownAtoms[k] == null) {
                        ownAtoms[k] = new ArrayList<>(4);
                    }
                    if (ownAtoms[k].isEmpty() || ownAtoms[k].get(ownAtoms[k].size() - 1) != a) {
                        ownAtoms[k].add(a);
                    }
                }
            }
            forEachTouchedLan(a, l -> lanCount[l]++);
        }
        this.lanAtoms = new int[lans.size()][];
        for (int l = 0; l < lans.size(); l++) {
            lanAtoms[l] = new int[lanCount[l]];
            lanCount[l] = 0;
        }
        for (int a = 0; a < atoms; a++) {
            int atom = a;
            forEachTouchedLan(a, l -> lanAtoms[l][lanCount[l]++] = atom);
        }
    }

    /** The node that answers for an endpoint: the one whose lease holds it, or whose address it is; else -1. */
    private int endpointNode(IpAddress ep) {
        int n = plane.network == null ? -1 : plane.leaseNode(ep);
        Integer byIp = plane.nodeByIp.get(ep);
        return n >= 0 ? n : byIp == null ? -1 : byIp;
    }

    static Reachability all(Plane plane) {
        Reach r = new Reach(plane);
        List<Reachability.Source> out = new ArrayList<>();
        for (Owner.Kind kind : new Owner.Kind[] {Owner.Kind.POD, Owner.Kind.NODE}) {
            for (int i = 0; i < plane.size(); i++) {
                Walk.Client c = r.client(kind, i);
                if (c != null) {
                    out.add(r.source(c));
                }
            }
        }
        for (Spec.NetSpec net : plane.spec.networks()) {
            out.add(r.source(networkClient(net)));
        }
        return new Reachability(plane.spec.name(), out, List.of(r.coverage(out.size())));
    }

    static Reachability one(Plane plane, Walk.Client c) {
        Reach r = new Reach(plane);
        Walk.Client cls;
        if (c.kind() == Owner.Kind.POD || c.kind() == Owner.Kind.NODE) {
            cls = r.client(c.kind(), c.node());
        } else {
            Spec.NetSpec net = plane.declared(c.ip());
            cls = net != null ? networkClient(net) : c;
        }
        return new Reachability(plane.spec.name(), List.of(r.source(cls)), List.of(r.coverage(1)));
    }

    /** This family's coverage for a number of sources, with what it leaves out. */
    private Reachability.Coverage coverage(int sources) {
        String note = plane.kubeProxyModelled() ? "" : "kube-proxy's " + plane.family.label() + " "
                + plane.proxyMode().name().toLowerCase(java.util.Locale.ROOT) + " rules are not modelled, so its"
                + " ClusterIPs are traced without Service rules";
        return new Reachability.Coverage(plane.family, sources, atoms, (long) sources * atoms, note);
    }

    /** The coverage of a family the plan has no address of. */
    static Reachability.Coverage absent(io.github.cidrguard.net.IpFamily family) {
        return new Reachability.Coverage(family, 0, 0, 0, "not covered: no node has an " + family.label()
                + " address");
    }

    private static Walk.Client networkClient(Spec.NetSpec net) {
        Cidr c = net.cidr();
        IpAddress rep = c.hostBits() <= 1 ? c.first() : c.first().plus(1);
        return new Walk.Client(Owner.Kind.NETWORK_HOST, -1, rep, "network " + net.name());
    }

    private Walk.Client client(Owner.Kind kind, int i) {
        Spec.NodeSpec n = plane.nodes[i];
        if (kind == Owner.Kind.NODE) {
            return new Walk.Client(Owner.Kind.NODE, i, n.ip(), "node " + n.name());
        }
        Cidr lease = plane.network == null ? null : plane.leaseOf[i];
        if (lease == null || lease.hostBits() < 2) {
            return null;
        }
        return new Walk.Client(Owner.Kind.POD, i, lease.first().plus(2), "pods of " + n.name());
    }

    // ------------------------------------------------------------------ plain LANs

    private boolean[] plainLans() {
        int k = lans.size();
        boolean[] p = new boolean[k];
        if (plane.family != IpFamily.IPV4) {
            return p;
        }
        Spec.Proxy px = plane.spec.proxy();
        AddressSet leases = AddressSet.ofCidrs(Arrays.asList(plane.leases.leases()));
        long maxLast = -1;
        for (int i = 0; i < k; i++) {
            Cidr h = lans.get(i);
            if (h.family() != IpFamily.IPV4) {
                continue;
            }
            // sorted by first address: an overlap with an earlier LAN shows in the running maximum of their ends
            boolean ok = h.first().low() > maxLast && (i + 1 == k || lans.get(i + 1).family() != IpFamily.IPV4
                    || lans.get(i + 1).first().low() > h.last().low());
            maxLast = Math.max(maxLast, h.last().low());
            ok &= (plane.network == null || !plane.network.overlaps(h)) && !leases.overlaps(h)
                    && !plane.serviceCidrs.overlaps(h) && !plane.dockerBridges.overlaps(h) && !plane.special.overlaps(h)
                    && (px == null || px.clusterCidr() == null || !px.clusterCidr().overlaps(h));
            for (Spec.NetSpec net : plane.spec.networks()) {
                ok &= !net.cidr().overlaps(h);
            }
            p[i] = ok;
        }
        // what the roles do not name: Service addresses and endpoints outside the leases, and public IPs of leases
        // that are not their node's address, tie a LAN to one place
        List<IpAddress> pinned = new ArrayList<>();
        for (Spec.SvcSpec s : plane.spec.services()) {
            pinned.add(s.clusterIp());
            pinned.addAll(s.externalIps());
            pinned.addAll(s.loadBalancerIps());
            s.endpoints().forEach(e -> pinned.add(e.ip()));
        }
        for (int i = 0; i < plane.size(); i++) {
            if (gatewayNode(i) != null) {
                pinned.add(plane.nodes[i].ip());
            }
        }
        Cidr[] ls = plane.leases.leases();
        for (int i = 0; i < ls.length; i++) {
            int owner = plane.leases.owner(i);
            IpAddress pub = plane.publicIps.get(ls[i]);
            if (owner < 0 || pub != null && !pub.equals(plane.nodes[owner].ip())) {
                pinned.add(pub);
            }
        }
        for (IpAddress a : pinned) {
            if (a != null && a.isIpv4() && (leases.isEmpty() || !leases.contains(a) || plane.nodeByIp.containsKey(a))) {
                for (int i = 0; i < k; i++) {
                    if (p[i] && lans.get(i).contains(a)) {
                        p[i] = false;
                    }
                }
            }
        }
        return p;
    }

    /** The node whose address is node i's default gateway, or null. */
    private Integer gatewayNode(int i) {
        IpAddress gw = Plane.gateway(plane.nodes[i].hostNetwork(), plane.nodes[i].ip());
        return gw == null ? null : plane.nodeByIp.get(gw);
    }

    private int plainLanHolding(long x) {
        int lo = 0;
        int hi = lans.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Cidr h = lans.get(mid);
            if (h.family() != IpFamily.IPV4 || h.first().low() > x) {
                hi = mid - 1;
            } else if (h.last().low() < x) {
                lo = mid + 1;
            } else {
                return plain[mid] ? mid : -1;
            }
        }
        return -1;
    }

    /** The plain LAN of node i, or -1. */
    private int plainLanOf(int node) {
        return node < 0 || !plain[lanOf[node]] ? -1 : lanOf[node];
    }

    private void forEachTouchedLan(int a, java.util.function.IntConsumer f) {
        int l0 = atomLan[a];
        int l1 = plainLanOf(ownerNode[a]);
        int l2 = plainLanOf(leaseNode[a]);
        int l3 = plainLanOf(epNode[a]);
        if (l0 >= 0) {
            f.accept(l0);
        }
        if (l1 >= 0 && l1 != l0) {
            f.accept(l1);
        }
        if (l2 >= 0 && l2 != l0 && l2 != l1) {
            f.accept(l2);
        }
        if (l3 >= 0 && l3 != l0 && l3 != l1 && l3 != l2) {
            f.accept(l3);
        }
    }

    private boolean touches(int a, int lan) {
        return lan >= 0 && (atomLan[a] == lan || plainLanOf(ownerNode[a]) == lan || plainLanOf(leaseNode[a]) == lan
                || plainLanOf(epNode[a]) == lan);
    }

    // ------------------------------------------------------------------ classes and roles

    private String signature(int i) {
        Spec.NodeSpec n = plane.nodes[i];
        IpAddress ip = n.ip();
        Cidr lease = plane.leaseOf[i];
        Integer same = plane.nodeByIp.get(ip);
        boolean special = same == null || same != i
                || plane.serviceCidrs.contains(ip) || plane.dockerBridges.contains(ip) || plane.declared(ip) != null
                || plane.svcByIp.containsKey(ip) || plane.leaseNode(ip) >= 0 || plane.special.contains(ip);
        if (lease != null && !special) {
            special = plane.hostNetworks.overlaps(lease) || plane.serviceCidrs.overlaps(lease)
                    || plane.dockerBridges.overlaps(lease) || plane.leaseNode(lease.first()) != i
                    || plane.leaseNode(lease.last()) != i || plane.special.overlaps(lease);
            for (Spec.NetSpec net : plane.spec.networks()) {
                special |= net.cidr().overlaps(lease);
            }
        }
        if (special) {
            return "unique:" + i;
        }
        Spec.Proxy px = plane.spec.proxy();
        Cidr hn = n.hostNetwork();
        IpAddress gw = Plane.gateway(hn, ip);
        String lan = plain[lanOf[i]] ? "plain/" + hn.prefixLength() : hn.toString();
        String gwText = gw == null ? "-" : plain[lanOf[i]] ? "+" + (gw.low() - hn.first().low()) : gw.toString();
        return "hn=" + lan + "|rp=" + n.rp() + "|docker=" + n.docker() + "|lease="
                + (lease == null ? "-" : lease.prefixLength()) + "|inN=" + (plane.network != null
                && plane.network.contains(ip)) + "|inCC=" + (px != null && px.clusterCidr() != null
                && px.clusterCidr().contains(ip)) + "|gw=" + gwText;
    }

    private String attributes(IpAddress x, Owner o) {
        StringBuilder sb = new StringBuilder().append(o.kind());
        if (o.kind() == Owner.Kind.NODE) {
            sb.append(plane.nodeByIp.containsKey(x) ? ":ip" : ":lease-local");
        }
        for (Cidr h : namedLans) {
            if (h.contains(x)) {
                sb.append("|hn=").append(h);
            }
        }
        Spec.SvcSpec svc = plane.svcByIp.get(x);
        if (svc != null) {
            sb.append("|svc=").append(svc.name());
        }
        Spec.NetSpec net = plane.declared(x);
        if (net != null) {
            sb.append("|net=").append(net.name());
        }
        sb.append(plane.network != null && plane.network.contains(x) ? "|N" : "");
        sb.append(plane.serviceCidrs.contains(x) ? "|S" : "");
        sb.append(plane.dockerBridges.contains(x) ? "|D" : "");
        if (dockerGateways.contains(x)) {
            sb.append("|docker-gw");
        }
        sb.append(plane.special.contains(x) ? "|X" : "");
        Spec.Proxy px = plane.spec.proxy();
        sb.append(px != null && px.clusterCidr() != null && px.clusterCidr().contains(x) ? "|CC" : "");
        return sb.toString();
    }

    /** A plain LAN as seen from a source on LAN {@code srcLan}: its shape, and whether it is the source's own. */
    private String lanRelation(int lan, int srcLan) {
        return lan < 0 ? "" : (lan == srcLan ? "@same/" : "@other/") + lans.get(lan).prefixLength();
    }

    private String ref(int node, int self, int srcLan) {
        if (node < 0) {
            return "-";
        }
        return node == self ? "self" : nodeSig[node] + lanRelation(plainLanOf(node), srcLan);
    }

    /** Role id of atom a relative to source node self (-2 = no node source) on plain LAN srcLan (-1 = none). */
    private int role(int a, int self, int srcLan) {
        String key = attrs[a] + "|hn" + lanRelation(atomLan[a], srcLan) + "|o=" + ref(ownerNode[a], self, srcLan)
                + "|l=" + ref(leaseNode[a], self, srcLan) + "|e=" + ref(epNode[a], self, srcLan);
        return roleIds.computeIfAbsent(key, k -> roleIds.size());
    }

    private int classId(Walk.Client c) {
        String key = c.node() >= 0 ? c.kind() + "|" + nodeSig[c.node()] : c.kind() + "|" + c.label();
        return classIds.computeIfAbsent(key, k -> classIds.size());
    }

    private int verdict(int cls, int role, Walk.Client c, int atom) {
        long key = ((long) cls << 32) | role;
        int v = verdicts.get(key);
        if (v == LongIntMap.ABSENT) {
            IpAddress dst = at(first[atom]);
            Spec.SvcSpec svc = plane.svcByIp.get(dst);
            Protocol proto = Protocol.ICMP;
            int port = 0;
            if (svc != null && !svc.ports().isEmpty()) {
                proto = svc.ports().get(0).proto();
                port = svc.ports().get(0).port();
            }
            Walk w = new Walk(plane, c, false).run(dst, proto, port);
            v = w.verdict == Verdict.DELIVERED ? DELIVERED : (w.verdict.ordinal() << 8) | w.reason.ordinal();
            verdicts.put(key, v);
        }
        return v;
    }

    // ------------------------------------------------------------------ per class lists

    private final Map<Integer, List<Walk.Client>> members = new HashMap<>();

    private Reachability.Source source(Walk.Client c) {
        int cls = classId(c);
        members.computeIfAbsent(cls, k -> new ArrayList<>()).add(c);
        String rep = c.ip().toString();
        String name = plane.family == io.github.cidrguard.net.IpFamily.IPV6 ? c.label() + " (IPv6)" : c.label();
        return new Reachability.Source(name, rep, c.node() >= 0, () -> failures(cls, c));
    }

    private static boolean involved(Walk.Client m, int owner, int lease, int ep) {
        return m.node() == owner || m.node() == lease || m.node() == ep;
    }

    /**
     * The atoms the class fails on (sorted) and their outcome codes, every atom seen by a member on another LAN that
     * is not its owner, lease holder or endpoint; computed once per class. Only the failing atoms are kept: a dense
     * code per atom and class would hold classes × atoms ints (about 1 000 × 400 000 for 65 536 nodes on 263 LANs
     * before plain LANs shared their classes, more than a 1 GiB heap).
     */
    private int[][] failing(int cls, Walk.Client c) {
        int[][] kept = classFailing.get(cls);
        if (kept != null) {
            return kept;
        }
        int[] fail = new int[16];
        int[] code = new int[16];
        int n = 0;
        // up to four members per LAN: an atom involves at most three nodes, so one of any four is free to trace it
        Map<Integer, List<Walk.Client>> byLan = new java.util.LinkedHashMap<>();
        for (Walk.Client o : members.get(cls)) {
            List<Walk.Client> few = byLan.computeIfAbsent(plainLanOf(o.node()), k -> new ArrayList<>(4));
            if (few.size() < 4) {
                few.add(o);
            }
        }
        List<List<Walk.Client>> groups = new ArrayList<>(byLan.values());
        for (int a = 0; a < atoms; a++) {
            if (special[a]) {
                continue;
            }
            Walk.Client src = c;
            if (c.node() >= 0 && (involved(c, ownerNode[a], leaseNode[a], epNode[a])
                    || touches(a, plainLanOf(c.node())))) {
                src = null;
                for (int g = 0; src == null && g < groups.size(); g++) {
                    List<Walk.Client> few = groups.get(g);
                    if (touches(a, plainLanOf(few.get(0).node()))) {
                        continue;
                    }
                    for (Walk.Client o : few) {
                        if (!involved(o, ownerNode[a], leaseNode[a], epNode[a])) {
                            src = o;
                            break;
                        }
                    }
                }
                if (src == null) {
                    continue;
                }
            }
            int v = verdict(cls, otherRole[a], src, a);
            if (v != DELIVERED) {
                if (n == fail.length) {
                    fail = Arrays.copyOf(fail, n * 2);
                    code = Arrays.copyOf(code, n * 2);
                }
                fail[n] = a;
                code[n] = v;
                n++;
            }
        }
        kept = new int[][] {Arrays.copyOf(fail, n), Arrays.copyOf(code, n)};
        classFailing.put(cls, kept);
        return kept;
    }

    private final Map<Integer, int[][]> classFailing = new HashMap<>();
    private final Map<Long, int[][]> lanPatches = new HashMap<>();

    /**
     * The outcomes of the atoms touching plain LAN {@code lan} for the members of the class on that LAN where they
     * differ from the class's list, each seen by a member there that is not its owner, lease holder or endpoint (where
     * there is none, every member concerned has the atom among its own and the entry is left out); computed once per
     * class and LAN.
     */
    private int[][] lanPatch(int cls, int lan, Walk.Client c) {
        long key = ((long) cls << 32) | lan;
        int[][] kept = lanPatches.get(key);
        if (kept != null) {
            return kept;
        }
        List<Walk.Client> here = new ArrayList<>();
        for (Walk.Client o : members.get(cls)) {
            if (plainLanOf(o.node()) == lan) {
                here.add(o);
            }
        }
        // kept sparse: only where the class's list is wrong for this LAN, so that a LAN holding most of the atoms (one
        // flat LAN) costs each source no more than its failures
        int[][] base = failing(cls, c);
        int[] at = lanAtoms[lan];
        int[] diff = new int[16];
        int[] code = new int[16];
        int n = 0;
        int b = 0;
        for (int a : at) {
            while (b < base[0].length && base[0][b] < a) {
                b++;
            }
            int was = b < base[0].length && base[0][b] == a ? base[1][b] : DELIVERED;
            int v;
            if (special[a]) {
                v = DELIVERED;
            } else {
                Walk.Client src = involved(c, ownerNode[a], leaseNode[a], epNode[a]) ? null : c;
                for (int j = 0; src == null && j < here.size(); j++) {
                    if (!involved(here.get(j), ownerNode[a], leaseNode[a], epNode[a])) {
                        src = here.get(j);
                    }
                }
                v = src == null ? UNDECIDED : verdict(cls, role(a, -2, lan), src, a);
            }
            if (v != UNDECIDED && v != was) {
                if (n == diff.length) {
                    diff = Arrays.copyOf(diff, n * 2);
                    code = Arrays.copyOf(code, n * 2);
                }
                diff[n] = a;
                code[n] = v;
                n++;
            }
        }
        kept = new int[][] {Arrays.copyOf(diff, n), Arrays.copyOf(code, n)};
        lanPatches.put(key, kept);
        return kept;
    }

    private List<Reachability.Failure> failures(int cls, Walk.Client c) {
        int[][] list = failing(cls, c);
        int lan = plainLanOf(c.node());
        if (lan >= 0) {
            list = overlay(list, lanPatch(cls, lan, c));
        }
        if (c.node() >= 0 && ownAtoms[c.node()] != null) {
            List<Integer> l = ownAtoms[c.node()];
            int[] own = new int[l.size()];
            int[] ownCode = new int[l.size()];
            for (int i = 0; i < own.length; i++) {
                own[i] = l.get(i);
                ownCode[i] = special[own[i]] ? DELIVERED : verdict(cls, role(own[i], c.node(), lan), c, own[i]);
            }
            list = overlay(list, new int[][] {own, ownCode});
        }
        int[] at = list[0];
        int[] code = list[1];
        long[] f = new long[at.length];
        long[] t = new long[at.length];
        int[] k = new int[at.length];
        int n = 0;
        for (int i = 0; i < at.length; i++) {
            if (code[i] != DELIVERED) {
                f[n] = first[at[i]];
                t[n] = last[at[i]];
                k[n] = code[i];
                n++;
            }
        }
        return Reachability.Source.merge(f, t, k, n, this::at, this::lastAt);
    }

    /** Two sorted (atom, code) lists merged; where both hold an atom, the top's code wins. */
    private static int[][] overlay(int[][] base, int[][] top) {
        int[] ba = base[0];
        int[] bc = base[1];
        int[] ta = top[0];
        int[] tc = top[1];
        int[] at = new int[ba.length + ta.length];
        int[] code = new int[at.length];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < ba.length || j < ta.length) {
            if (j >= ta.length || i < ba.length && ba[i] < ta[j]) {
                at[n] = ba[i];
                code[n++] = bc[i++];
            } else if (i >= ba.length || ta[j] < ba[i]) {
                at[n] = ta[j];
                code[n++] = tc[j++];
            } else {
                at[n] = ta[j];
                code[n++] = tc[j];
                i++;
                j++;
            }
        }
        return new int[][] {Arrays.copyOf(at, n), Arrays.copyOf(code, n)};
    }

    // ------------------------------------------------------------------ atoms

    /** The number of atoms the address space of the plane's family is cut into. */
    int atomCount() {
        return atoms;
    }

    /** The first address of the atom at a coordinate (an IPv4 address number, or an IPv6 atom's index). */
    private IpAddress at(long coordinate) {
        return bounds6 == null ? IpAddress.ofIpv4(coordinate) : bounds6[(int) coordinate];
    }

    /** The last address of the atom ending at a coordinate. */
    private IpAddress lastAt(long coordinate) {
        if (bounds6 == null) {
            return IpAddress.ofIpv4(coordinate);
        }
        int i = (int) coordinate;
        return i + 1 < bounds6.length ? bounds6[i + 1].plus(-1) : Cidr.all(plane.family).last();
    }

    /** IPv6 atoms: the first address of each, cut by the same boundaries as {@link #boundaries} cuts IPv4. */
    static IpAddress[] boundaries6(Plane plane) {
        java.util.TreeSet<IpAddress> b = new java.util.TreeSet<>();
        java.util.function.Consumer<Cidr> cidr = c -> {
            if (c != null && c.family() == io.github.cidrguard.net.IpFamily.IPV6) {
                b.add(c.first());
                if (!c.last().isMax()) {
                    b.add(c.last().plus(1));
                }
            }
        };
        java.util.function.Consumer<IpAddress> one = a -> {
            if (a != null && !a.isIpv4()) {
                cidr.accept(Cidr.of(a));
            }
        };
        b.add(Cidr.all(io.github.cidrguard.net.IpFamily.IPV6).first());
        modelled(plane, cidr, one);
        return b.toArray(new IpAddress[0]);
    }

    static long[] boundaries(Plane plane) {
        List<long[]> ranges = new ArrayList<>();
        java.util.function.Consumer<Cidr> cidr = c -> {
            if (c != null && c.family() == io.github.cidrguard.net.IpFamily.IPV4) {
                ranges.add(new long[] {c.first().low(), c.last().low()});
            }
        };
        java.util.function.Consumer<IpAddress> one = a -> {
            if (a != null && a.isIpv4()) {
                ranges.add(new long[] {a.low(), a.low()});
            }
        };
        modelled(plane, cidr, one);
        long[] b = new long[ranges.size() * 2 + 2];
        int k = 0;
        b[k++] = 0;
        b[k++] = 1L << 32;
        for (long[] r : ranges) {
            b[k++] = r[0];
            b[k++] = r[1] + 1;
        }
        Arrays.sort(b, 0, k);
        int u = 0;
        for (int i = 0; i < k; i++) {
            if (u == 0 || b[i] != b[u - 1]) {
                b[u++] = b[i];
            }
        }
        return Arrays.copyOf(b, u);
    }

    /**
     * Hands every modelled boundary to the consumers: each node IP, LAN, docker bridge (and its .1), lease (its first
     * two addresses), the Network, service CIDRs, cluster CIDR, ClusterIPs, externalIPs, endpoints, pods, declared
     * networks and the special ranges. The consumers drop what is not of their family.
     */
    private static void modelled(Plane plane, java.util.function.Consumer<Cidr> cidr,
                                 java.util.function.Consumer<IpAddress> one) {
        for (int i = 0; i < plane.size(); i++) {
            Spec.NodeSpec s = plane.nodes[i];
            one.accept(s.ip());
            cidr.accept(s.hostNetwork());
            if (s.docker() != null) {
                cidr.accept(s.docker());
                one.accept(s.docker().first().plus(1));
            }
        }
        for (Cidr l : plane.leases.leases()) {
            cidr.accept(l);
            one.accept(l.first());
            one.accept(l.first().plus(1));
        }
        cidr.accept(plane.network);
        plane.spec.serviceCidrs().forEach(cidr);
        Spec.Proxy px = plane.spec.proxy();
        if (px != null) {
            cidr.accept(px.clusterCidr());
        }
        for (Spec.SvcSpec s : plane.spec.services()) {
            one.accept(s.clusterIp());
            s.externalIps().forEach(one);
            s.loadBalancerIps().forEach(one);
            s.endpoints().forEach(e -> one.accept(e.ip()));
        }
        plane.spec.pods().forEach(p -> one.accept(p.ip()));
        plane.spec.networks().forEach(net -> cidr.accept(net.cidr()));
        plane.special.cidrs().forEach(cidr);
    }

    /** An open-addressing map from long to int with a mixing hash; {@link #ABSENT} marks a missing key. */
    static final class LongIntMap {
        static final int ABSENT = Integer.MIN_VALUE;
        private long[] keys = new long[1 << 10];
        private int[] values = new int[1 << 10];
        private boolean[] used = new boolean[1 << 10];
        private int size;

        int get(long key) {
            int mask = keys.length - 1;
            for (int i = slot(key, mask); used[i]; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    return values[i];
                }
            }
            return ABSENT;
        }

        void put(long key, int value) {
            if (2 * (size + 1) > keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            int i = slot(key, mask);
            while (used[i] && keys[i] != key) {
                i = (i + 1) & mask;
            }
            if (!used[i]) {
                used[i] = true;
                size++;
            }
            keys[i] = key;
            values[i] = value;
        }

        private void grow() {
            long[] k = keys;
            int[] v = values;
            boolean[] u = used;
            keys = new long[k.length * 2];
            values = new int[k.length * 2];
            used = new boolean[k.length * 2];
            size = 0;
            for (int i = 0; i < k.length; i++) {
                if (u[i]) {
                    put(k[i], v[i]);
                }
            }
        }

        private static int slot(long key, int mask) {
            long h = key ^ (key >>> 33); // MurmurHash3's fmix64: every key bit reaches the low bits
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            h *= 0xc4ceb9fe1a85ec53L;
            h ^= h >>> 33;
            return (int) h & mask;
        }
    }
}
