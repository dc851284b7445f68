package io.github.cidrguard.trace;

import io.github.cidrguard.trace.routing.Route;
import io.github.cidrguard.kube.RpFilter;

import io.github.cidrguard.net.IpAddress;

import io.github.cidrguard.trace.netfilter.Evaluator;
import io.github.cidrguard.trace.netfilter.Packet;
import io.github.cidrguard.trace.netfilter.Rule;
import io.github.cidrguard.trace.netfilter.Ruleset;
import io.github.cidrguard.trace.netfilter.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One packet's walk through the cluster, request then reply. Not thread-safe; one instance per trace.
 */
final class Walk {
    static final int EPHEMERAL_PORT = 40000;
    private static final int MAX_STEPS = 48;

    /** The client: a pod on a node, a node, or an outside machine (node = -1). */
    record Client(Owner.Kind kind, int node, IpAddress ip, String label) {
    }

    /** NAT done by one node's conntrack for this flow. */
    private static final class Nat {
        IpAddress dnatFrom;
        int dnatFromPort;
        IpAddress dnatTo;
        int dnatToPort;
        IpAddress snatFrom;
        IpAddress snatTo;
    }

    private final Plane plane;
    private final boolean record;
    final List<Hop> request;
    final List<Hop> reply;
    private List<Hop> hops;
    private final Client client;
    /** Who the client means to reach when it says so (a {@code svc:} destination); null: the address's owner. */
    private Owner intended;
    private Packet original;
    private final Map<Integer, Nat> ct = new HashMap<>();
    private final Set<Integer> seen = new HashSet<>();
    private boolean replyLeg;
    /** Who answered the request, with the address and port it was sent to (for the explanation). */
    private String answered;
    private boolean serviceDnat;
    private int steps;
    Verdict verdict;
    Reason reason;
    String explanation;

    Walk(Plane plane, Client client, boolean record) {
        this.plane = plane;
        this.client = client;
        this.record = record;
        this.request = record ? new ArrayList<>() : null;
        this.reply = record ? new ArrayList<>() : null;
        this.hops = request;
    }

    /**
     * Names who the client means to reach, for a destination addressed by name rather than by address: a Service
     * whose ClusterIP some node also holds is reached when its endpoint answers, not the node.
     */
    Walk intending(Owner o) {
        this.intended = o;
        return this;
    }

    /** The party the request is meant for: the named one, or whoever owns the original destination address. */
    private Owner want(IpAddress dst) {
        return intended != null && dst.equals(original.dst()) ? intended : owner(dst);
    }

    /**
     * Who holds an address in this walk: the plane's owner, except that the client holds its own address when
     * nobody else does, and a destination named as a pod ({@code pod:<ip>}) is that pod, though the scenario lists
     * neither.
     */
    private Owner owner(IpAddress a) {
        if (client.kind() == Owner.Kind.POD && a.equals(client.ip())) {
            Owner o = plane.owner(a);
            return o.kind() == Owner.Kind.NONE ? Owner.pod(client.node(), a.toString()) : o;
        }
        if (intended != null && intended.kind() == Owner.Kind.POD && original != null && a.equals(original.dst())) {
            return intended;
        }
        return plane.owner(a);
    }

    /** Runs the request (and, if it reaches the destination's owner, the reply). */
    Walk run(IpAddress dst, Protocol proto, int dport) {
        int sport = proto.hasPorts() ? EPHEMERAL_PORT : 0;
        switch (client.kind()) {
            case POD -> {
                original = new Packet(client.ip(), dst, proto, sport, dport, 0);
                if (plane.flannelDown[client.node()]) {
                    Spec.NodeSpec n = plane.nodes[client.node()];
                    finish(Verdict.NO_ROUTE, Reason.NO_ROUTE, "flanneld does not start on " + n.name() + ": its podCidr "
                            + n.podCidr() + " lies outside the flannel Network " + plane.network + ", so the flannel"
                            + " CNI plugin finds no subnet.env there and " + client.label() + " never gets its"
                            + " address.");
                    return this;
                }
                fromPod(client.node(), client.label(), original);
            }
            case NODE -> originate(client.node(), new Packet(null, dst, proto, sport, dport, 0));
            default -> {
                original = new Packet(client.ip(), dst, proto, sport, dport, 0);
                fromOutside(original);
            }
        }
        if (verdict == null) {
            finish(Verdict.DROPPED, Reason.NO_ROUTE, "the packet was lost without a modelled cause");
        }
        return this;
    }

    private boolean done() {
        return verdict != null;
    }

    private void finish(Verdict v, Reason r, String why) {
        if (verdict == null) {
            verdict = v;
            reason = r;
            explanation = (replyLeg ? "Reply: " : "") + why;
        }
    }

    private void hop(String node, String stage, String rule, String action, Packet p) {
        if (record) {
            hops.add(new Hop(node, stage, rule, action, p == null ? "" : p.render()));
        }
    }

    private String nodeName(int n) {
        return plane.nodes[n].name();
    }

    private boolean step() {
        if (++steps > MAX_STEPS) {
            finish(Verdict.DROPPED, Reason.NO_ROUTE, "routing loop: the packet was forwarded more than "
                    + MAX_STEPS + " times");
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ pod egress

    /**
     * A pod on node n sends p. flannel's CNI gives the pod an address with its node's lease prefix, so the pod holds
     * the connected route {@code <lease> dev eth0} next to its default route via cni0's address. Inside the lease it
     * asks for the destination by ARP on the cni0 bridge itself; only the node (any of its local addresses, as Linux
     * answers ARP with {@code arp_ignore=0}) and the pods on that bridge answer. A pod on the bridge gets the frame
     * bridged, not routed; anyone else inside the lease is unreachable from the pod: the node never sees the packet.
     * That is what a lease overlapping the LAN does to a pod talking to the other nodes.
     */
    private void fromPod(int n, String pod, Packet p) {
        NodePlane np = plane.node(n);
        IpAddress dst = p.dst();
        if (np.lease != null && np.lease.contains(dst) && !np.isLocal(dst)) {
            Owner o = owner(dst);
            if (o.kind() == Owner.Kind.POD && o.node() == n && np.cni0 != null) {
                receive(n, "cni0", p, np.cni0);
                return;
            }
            hop(np.name, "pod routing", Route.connected(np.lease, "eth0", p.src(), false).text(), "UNREACHABLE",
                    p);
            finish(Verdict.NO_ROUTE, Reason.NEIGHBOR_UNREACHABLE, pod + " has the connected route " + np.lease
                    + " on eth0 (its address carries the lease's prefix), so it asks for " + dst + " by " + resolution()
                    + " on " + np.name + "'s cni0 bridge; " + o.clause(dst) + (o.kind() == Owner.Kind.NONE ? ""
                    : ", not on that bridge") + ", nobody answers (" + incomplete() + ": Destination Host Unreachable)"
                    + ", and the packet never leaves the pod.");
            return;
        }
        receive(n, "cni0", p, null);
    }

    // ------------------------------------------------------------------ node stages

    /** A packet arrives at node n on interface iif. */
    private void receive(int n, String iif, Packet p) {
        receive(n, iif, p, null);
    }

    /**
     * A packet arrives at node n on interface iif, or, with {@code bridge}, crosses the cni0 bridge between two of
     * its pods. A bridged frame is not routed and not reverse-path filtered, but br_netfilter (which kube-proxy needs)
     * still runs it through conntrack and the iptables hooks; if PREROUTING rewrites its destination it is routed
     * after all.
     */
    private void receive(int n, String iif, Packet p, Route bridge) {
        if (!step()) {
            return;
        }
        NodePlane np = plane.node(n);
        if (bridge == null && !rpFilter(np, iif, p)) {
            return;
        }
        boolean ctNew = isNew(n);
        Nat nat = ct.get(n);
        if (!ctNew && nat != null && nat.snatTo != null && p.dst().equals(nat.snatTo)) {
            p = p.withDst(nat.snatFrom, p.dport() == 0 ? 0 : original.sport());
            hop(np.name, "conntrack", "reply of " + original.render(), "UNSNAT", p);
        }
        Ctx c = new Ctx(np, p, iif, ctNew);
        if (!hook(np, "PREROUTING", c)) {
            return;
        }
        p = c.packet;
        if (c.dnat) {
            recordDnat(n, p);
        }
        boolean bridged = bridge != null && bridge.dst().contains(p.dst()) && !c.dnat;
        Route r = bridged ? bridge : np.lookup(p.dst());
        if (r == null) {
            hop(np.name, "routing", "(no route to " + p.dst() + ")", "NO_ROUTE", p);
            finish(Verdict.NO_ROUTE, Reason.NO_ROUTE, np.name + " has no route to " + p.dst() + ".");
            return;
        }
        if (bridged) {
            hop(np.name, "bridge", "cni0: " + p.dst() + " is on the bridge (bridged, not routed)", "BRIDGE", p);
        } else {
            hop(np.name, "routing", r.text(), r.local() ? "LOCAL" : "ROUTE", p);
        }
        if (r.local()) {
            input(n, iif, p, r, ctNew);
        } else {
            Ctx f = new Ctx(np, p, iif, ctNew);
            if (!hook(np, "FORWARD", f)) {
                return;
            }
            postrouting(n, f.packet, r, ctNew);
        }
    }

    private boolean isNew(int n) {
        if (!replyLeg) {
            seen.add(n);
            return true;
        }
        return !seen.contains(n);
    }

    /**
     * The kernel's reverse-path filter. IPv4 only: Linux has no rp_filter for IPv6 (no {@code net.ipv6.conf.*.rp_filter}
     * sysctl; ip6_route_input never checks the source), so an IPv6 packet is judged by netfilter alone (an
     * {@code ip6tables -m rpfilter} or nft {@code fib} rule when the ruleset has one).
     */
    private boolean rpFilter(NodePlane np, String iif, Packet p) {
        if (np.rp == RpFilter.OFF || iif.equals("lo") || ipv6()) {
            return true;
        }
        String sysctl = "net.ipv4.conf." + iif + ".rp_filter=" + (np.rp == RpFilter.STRICT ? "1 (strict)" : "2 (loose)");
        Route back = np.lookup(p.src());
        boolean ok;
        String why;
        if (back == null) {
            ok = false;
            why = "no route back to " + p.src();
        } else if (back.local()) {
            ok = false;
            why = p.src() + " is a local address of " + np.name + " (martian source)";
        } else if (np.rp == RpFilter.STRICT) {
            ok = back.dev().equals(iif);
            why = "the route back to " + p.src() + " is `" + back.text() + "`"
                    + (ok ? "" : ", not via " + iif);
        } else {
            ok = true;
            why = "a route back to " + p.src() + " exists: `" + back.text() + "`";
        }
        hop(np.name, "rp_filter", sysctl + ": " + why, ok ? "ACCEPT" : "DROP", p);
        if (!ok) {
            finish(Verdict.DROPPED, Reason.RP_FILTER, np.name + " drops the packet from " + p.src() + " arriving on "
                    + iif + " with " + (np.rp == RpFilter.STRICT ? "strict" : "loose") + " reverse-path filtering: "
                    + why + ".");
        }
        return ok;
    }

    /** A host process on node n sends p (source chosen by the route when unset). */
    private void originate(int n, Packet p) {
        if (!step()) {
            return;
        }
        NodePlane np = plane.node(n);
        boolean ctNew = isNew(n);
        Route r = np.lookup(p.dst());
        if (r == null) {
            finish(Verdict.NO_ROUTE, Reason.NO_ROUTE, np.name + " has no route to " + p.dst() + ".");
            return;
        }
        if (p.src() == null) {
            p = p.withSrc(r.local() ? p.dst() : np.addressOf(r.dev()), p.sport());
            original = p;
        }
        hop(np.name, "routing", r.text(), r.local() ? "LOCAL" : "ROUTE", p);
        Ctx c = new Ctx(np, p, null, ctNew);
        if (!hook(np, "OUTPUT", c)) {
            return;
        }
        if (c.dnat) {
            recordDnat(n, c.packet);
            r = np.lookup(c.packet.dst());
            if (r == null) {
                finish(Verdict.NO_ROUTE, Reason.NO_ROUTE, np.name + " has no route to " + c.packet.dst() + ".");
                return;
            }
            hop(np.name, "routing", r.text(), r.local() ? "LOCAL" : "ROUTE", c.packet);
        }
        if (r.local()) {
            input(n, "lo", c.packet, r, ctNew);
        } else {
            postrouting(n, c.packet, r, ctNew);
        }
    }

    private void recordDnat(int n, Packet after) {
        Nat nat = ct.computeIfAbsent(n, k -> new Nat());
        if (nat.dnatFrom == null) {
            nat.dnatFrom = original.dst();
            nat.dnatFromPort = original.dport();
        }
        nat.dnatTo = after.dst();
        nat.dnatToPort = after.dport();
        serviceDnat = true;
    }

    private Packet unDnat(int n, Packet p) {
        Nat nat = ct.get(n);
        if (replyLeg && seen.contains(n) && nat != null && nat.dnatTo != null && p.src().equals(nat.dnatTo)) {
            p = p.withSrc(nat.dnatFrom, nat.dnatFromPort);
            hop(nodeName(n), "conntrack", "reply of " + original.render(), "UNDNAT", p);
        }
        return p;
    }

    private void input(int n, String iif, Packet p, Route r, boolean ctNew) {
        NodePlane np = plane.node(n);
        p = unDnat(n, p);
        Ctx c = new Ctx(np, p, iif, ctNew);
        if (!hook(np, "INPUT", c)) {
            return;
        }
        p = c.packet;
        if (ctNew && p.proto().hasPorts()) {
            List<Spec.EpSpec> eps = np.ipvs.get(p.dst() + "," + p.proto().lowerCase() + ":" + p.dport());
            if (eps != null && !eps.isEmpty()) {
                Spec.EpSpec ep = eps.get(0);
                String vs = KubeProxyNames.ipvsAddr(p.dst() + "," + p.proto().lowerCase() + ":" + p.dport());
                p = p.withDst(ep.ip(), ep.port());
                hop(np.name, "ipvs", "-a " + vs + " -r " + ep + " -m -w 1", "DNAT", p);
                recordDnat(n, p);
                Route r2 = np.lookup(p.dst());
                if (r2 == null) {
                    finish(Verdict.NO_ROUTE, Reason.NO_ROUTE, np.name + " has no route to " + p.dst() + ".");
                    return;
                }
                hop(np.name, "routing", r2.text(), r2.local() ? "LOCAL" : "ROUTE", p);
                if (r2.local()) {
                    deliver(Owner.node(n, np.name), n, p);
                } else {
                    postrouting(n, p, r2, true);
                }
                return;
            }
        }
        if (r.dev().equals("kube-ipvs0") || r.dev().equals("docker0")) {
            hop(np.name, "deliver", r.text(), "LOCAL", p);
        }
        deliver(Owner.node(n, np.name), n, p);
    }

    private void postrouting(int n, Packet p, Route r, boolean ctNew) {
        NodePlane np = plane.node(n);
        p = unDnat(n, p);
        Ctx c = new Ctx(np, p, null, ctNew);
        c.oifAddress = np.addressOf(r.dev());
        IpAddress before = p.src();
        if (!hook(np, "POSTROUTING", c)) {
            return;
        }
        p = c.packet;
        if (c.masquerade && !replyLeg) {
            Nat nat = ct.computeIfAbsent(n, k -> new Nat());
            nat.snatFrom = before;
            nat.snatTo = p.src();
        }
        egress(n, p, r);
    }

    private void egress(int n, Packet p, Route r) {
        NodePlane np = plane.node(n);
        String dev = r.dev();
        if (dev.equals("eth0")) {
            underlay(n, r.via() != null ? r.via() : p.dst(), p);
        } else if (dev.equals("cni0")) {
            Owner o = owner(p.dst());
            if (o.kind() == Owner.Kind.POD && o.node() == n) {
                deliver(o, n, p);
            } else {
                hop(np.name, "neighbour", "cni0: " + (ipv6() ? "neighbour solicitation" : "ARP") + " for " + p.dst()
                        + " (" + (ipv6() ? "FAILED" : "incomplete") + ")", "UNREACHABLE", p);
                finish(Verdict.NO_ROUTE, Reason.NEIGHBOR_UNREACHABLE, np.name + " sends " + p.dst() + " to cni0"
                        + " because its lease " + np.lease + " contains it (`" + r.text() + "`), but "
                        + o.clause(p.dst()) + (o.kind() == Owner.Kind.NONE ? "" : ", not on that bridge")
                        + ": nobody answers " + resolution() + " there, and " + np.name
                        + " answers Destination Host Unreachable.");
            }
        } else if (dev.equals("docker0")) {
            hop(np.name, "deliver", r.text(), "DROP", p);
            finish(Verdict.DROPPED, Reason.LOCAL_SHADOW, np.name + " routes " + p.dst() + " into its docker0 bridge (`"
                    + r.text() + "`), so it never leaves " + np.name + (owner(p.dst()).kind() == Owner.Kind.NONE
                    ? " (nobody holds " + p.dst() + " anyway)." : " and never reaches " + owner(p.dst()).name() + "."));
        } else if (dev.startsWith("flannel")) {
            tunnel(n, p, r);
        } else {
            finish(Verdict.NO_ROUTE, Reason.NO_ROUTE, np.name + " has no usable route for " + p.dst() + ".");
        }
    }

    private void tunnel(int n, Packet p, Route r) {
        NodePlane np = plane.node(n);
        // the lease the route leads to: via R.IP (vxlan), PublicIP (ipip), or the inner destination (udp, wireguard)
        IpAddress key = vxlan(r.dev()) && r.via() != null ? r.via() : p.dst();
        IpAddress publicIp;
        if (r.dev().equals("flannel.ipip")) {
            publicIp = r.via();
        } else {
            var lease = plane.leaseContaining(key);
            publicIp = lease == null ? null : plane.publicIps.get(lease);
        }
        if (publicIp == null) {
            hop(np.name, r.dev(), "(no lease contains " + key + ")", "DROP", p);
            finish(Verdict.NO_ROUTE, Reason.NO_ROUTE, np.name + " sends " + p.dst() + " into " + r.dev()
                    + " but no lease covers it.");
            return;
        }
        Route outer = np.lookup(publicIp);
        Packet op = new Packet(np.ip, publicIp, Protocol.UDP, EPHEMERAL_PORT,
                r.dev().equals("flannel-wg") ? 51820 : r.dev().equals("flannel-wg-v6") ? 51821
                        : r.dev().equals("flannel0") ? 8285 : Plane.VXLAN_PORT, 0);
        String enc = vxlan(r.dev())
                ? mac(publicIp) + " dev " + r.dev() + " dst " + publicIp + " self permanent"
                : r.dev() + " peer " + publicIp;
        hop(np.name, r.dev(), enc, "ENCAP", op);
        if (outer == null || outer.local() || !outer.dev().equals("eth0")) {
            finish(Verdict.NO_ROUTE, outer != null && outer.local() ? Reason.LOCAL_SHADOW : Reason.NO_ROUTE, np.name + " cannot send the encapsulated packet to the VTEP "
                    + publicIp + ": its route for it is `" + (outer == null ? "none" : outer.text())
                    + "`, not the uplink.");
            return;
        }
        if (plane.spec.antiSpoofing() && !op.src().equals(np.ip)) {
            finish(Verdict.DROPPED, Reason.ANTI_SPOOFING, "the underlay drops the tunnel packet from " + op.src());
            return;
        }
        Integer t = plane.nodeAt(publicIp);
        if (t == null) {
            hop("underlay", "underlay", "lease PublicIP " + publicIp, "DROP", op);
            finish(Verdict.NO_ROUTE, Reason.NO_ROUTE, "the lease for " + p.dst() + " belongs to PublicIP " + publicIp
                    + ", which is no node.");
            return;
        }
        hop("underlay", "underlay", np.ip + " -> " + publicIp + " (" + nodeName(t) + " eth0)", "FORWARD", op);
        NodePlane tp = plane.node(t);
        if (!rpFilter(tp, "eth0", op)) {
            return;
        }
        hop(tp.name, r.dev(), "decapsulated from " + np.ip, "DECAP", p);
        String inDev = r.dev().equals("flannel.ipip") ? "flannel.ipip" : r.dev();
        receive(t, inDev, p);
    }

    /** flannel's VXLAN devices: {@code flannel.<VNI>} and, for IPv6, {@code flannel-v6.<VNI>}. */
    private static boolean vxlan(String dev) {
        return dev.startsWith("flannel.") && !dev.equals("flannel.ipip") || dev.startsWith("flannel-v6.");
    }

    private boolean ipv6() {
        return plane.family == io.github.cidrguard.net.IpFamily.IPV6;
    }

    /** How a host finds an on-link neighbour: ARP in IPv4, neighbour discovery (RFC 4861) in IPv6. */
    private String resolution() {
        return ipv6() ? "neighbour discovery (NDP)" : "ARP";
    }

    /** What {@code ip neigh} shows for a neighbour nobody answers for. */
    private String incomplete() {
        return ipv6() ? "neighbour FAILED" : "ARP incomplete";
    }

    private static String mac(IpAddress a) {
        long v = a.low();
        return String.format("0e:%02x:%02x:%02x:%02x:%02x", 0x42, (v >> 24) & 255, (v >> 16) & 255, (v >> 8) & 255,
                v & 255);
    }

    // ------------------------------------------------------------------ underlay

    private void underlay(int from, IpAddress nextHop, Packet p) {
        NodePlane np = plane.node(from);
        if (plane.spec.antiSpoofing() && !p.src().equals(np.ip)) {
            hop("underlay", "underlay", "source/destination check of " + np.name + " (" + np.ip + ")", "DROP", p);
            finish(Verdict.DROPPED, Reason.ANTI_SPOOFING, "the underlay drops the packet leaving " + np.name
                    + " with source " + p.src() + ", which is not the node's own address " + np.ip + ".");
            return;
        }
        Integer t = plane.nodeAt(nextHop);
        if (t != null) {
            hop("underlay", "underlay", np.ip + " -> " + nextHop + " (" + nodeName(t) + " eth0)", "FORWARD", p);
            receive(t, "eth0", p);
            return;
        }
        toDestination(p, nextHop.equals(p.dst()) ? "LAN" : "gateway " + nextHop);
    }

    /** The underlay (LAN or its router) carries p to its destination address. */
    private void toDestination(Packet p, String via) {
        int t = plane.underlayTarget(p.dst());
        if (t >= 0) {
            hop("underlay", "underlay", via + " -> " + p.dst() + " (" + nodeName(t) + " eth0)", "FORWARD", p);
            receive(t, "eth0", p);
        } else if (t == -1) {
            Owner o = owner(p.dst());
            hop("underlay", "underlay", via + " -> " + p.dst(), "FORWARD", p);
            deliver(o.kind() == Owner.Kind.WORLD || o.kind() == Owner.Kind.NETWORK_HOST
                    || o.kind() == Owner.Kind.LAN_HOST ? o : Owner.lanHost(p.dst()), -1, p);
        } else {
            hop("underlay", "underlay", via + ": no route to " + p.dst(), "DROP", p);
            finish(Verdict.NO_ROUTE, Reason.NO_ROUTE, "the underlay has no route to " + p.dst() + ", which is "
                    + owner(p.dst()).name() + " (pod, service and bridge addresses are not routed outside the"
                    + " nodes).");
        }
    }

    private void fromOutside(Packet p) {
        toDestination(p, client.label());
    }

    // ------------------------------------------------------------------ ends

    private void deliver(Owner at, int node, Packet p) {
        if (done()) {
            return;
        }
        if (!replyLeg) {
            Owner want = want(original.dst());
            if (!sameParty(want, at, p) && !nodePortEndpoint(p)) {
                if (serviceDnat) {
                    finish(Verdict.HIJACKED, Reason.SERVICE_DNAT, "a Service rule DNATed " + original.dst()
                            + " to " + p.dst() + (p.proto().hasPorts() ? ":" + p.dport() : "") + " (" + at.name()
                            + "), so " + want.name() + " never sees it.");
                } else {
                    finish(Verdict.HIJACKED, Reason.LOCAL_SHADOW, at.name() + " holds " + p.dst()
                            + " as a local address and answers instead of " + want.name() + ".");
                }
                return;
            }
            if (at.kind() == Owner.Kind.NODE && p.proto().hasPorts() && plane.svcByIp.containsKey(p.dst())
                    && !plane.nodeByIp.containsKey(p.dst())) {
                finish(Verdict.DROPPED, Reason.NO_LISTENER, "nothing on " + at.name() + " listens on "
                        + p.dst() + ":" + p.dport() + ".");
                return;
            }
            hop(where(at), "deliver", "", "DELIVER", p);
            answered = at.name() + (p.proto().hasPorts() ? " " + p.dst() + ":" + p.dport() : " " + p.dst());
            startReply(at, node, p);
        } else {
            boolean client = switch (this.client.kind()) {
                case POD -> at.kind() == Owner.Kind.POD && node == this.client.node()
                        && p.dst().equals(this.client.ip());
                case NODE -> at.kind() == Owner.Kind.NODE && node == this.client.node();
                default -> node < 0 && p.dst().equals(this.client.ip());
            };
            if (!client) {
                finish(Verdict.DROPPED, Reason.REPLY_MISMATCH, "the reply to " + p.dst() + " reached " + at.name()
                        + " instead of the client " + this.client.label() + ".");
                return;
            }
            if (!p.src().equals(original.dst()) || p.dport() != original.sport()) {
                hop(this.client.label(), "deliver", "", "DROP", p);
                finish(Verdict.DROPPED, Reason.REPLY_MISMATCH, "the reply comes from " + p.src() + " but the client"
                        + " talked to " + original.dst() + "; no conntrack entry on the way back undid the DNAT.");
                return;
            }
            hop(this.client.label(), "deliver", "", "DELIVER", p);
            verdict = Verdict.DELIVERED;
            explanation = "Delivered to " + want(original.dst()).name() + (serviceDnat ? " via DNAT to "
                    + (answered == null ? "its endpoint" : answered) : "") + "; the reply returns to "
                    + this.client.label() + ".";
        }
    }

    /** The hop's place for a delivery: the pod's or node's bare name, else what the owner is. */
    private static String where(Owner at) {
        return at.kind() == Owner.Kind.POD || at.kind() == Owner.Kind.NODE
                ? at.name().substring(at.name().indexOf(' ') + 1) : at.name();
    }

    /** Whether p reached an endpoint of a Service whose NodePort the client addressed on a node. */
    private boolean nodePortEndpoint(Packet p) {
        if (!serviceDnat || !original.proto().hasPorts() || plane.nodeByIp.get(original.dst()) == null) {
            return false;
        }
        for (Spec.SvcSpec s : plane.spec.services()) {
            for (Spec.PortSpec port : s.ports()) {
                if (port.nodePort() == original.dport() && port.proto() == original.proto()) {
                    for (Spec.EpSpec e : s.endpoints()) {
                        if (e.ip().equals(p.dst())) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    private boolean sameParty(Owner want, Owner at, Packet p) {
        switch (want.kind()) {
            case POD:
                return at.kind() == Owner.Kind.POD && at.node() == want.node();
            case NODE:
                return at.kind() == Owner.Kind.NODE && at.node() == want.node();
            case SERVICE: {
                Spec.SvcSpec s = plane.svcByIp.get(original.dst());
                for (Spec.EpSpec e : s.endpoints()) {
                    if (e.ip().equals(p.dst())) {
                        return true;
                    }
                }
                return false;
            }
            case NONE:
                return false;
            default:
                return at.kind() == want.kind() && p.dst().equals(original.dst());
        }
    }

    private void startReply(Owner at, int node, Packet p) {
        replyLeg = true;
        hops = reply;
        steps = 0;
        Packet r = p.reversed();
        switch (at.kind()) {
            case POD -> fromPod(node, at.name().startsWith("pod ") ? at.name() : "pod " + at.name(), r);
            case NODE -> originate(node, r);
            default -> toDestination(r, at.name());
        }
        if (verdict == null) {
            finish(Verdict.DROPPED, Reason.NO_ROUTE, "the reply was lost without a modelled cause");
        }
    }

    // ------------------------------------------------------------------ netfilter

    private boolean hook(NodePlane np, String hook, Ctx c) {
        for (Ruleset.Base b : np.rules.bases(hook)) {
            if (b.nat() && !c.ctNew) {
                continue;
            }
            String stage = b.table().indexOf(' ') > 0 ? b.stage() : b.table() + "/" + hook; // nft: "<family> <name>"
            Evaluator.Outcome o = Evaluator.evaluate(np.rules, b.table(), b.chain(), c.packet, c);
            for (Evaluator.Step step : o.steps()) {
                hop(np.name, stage, step.rule().text(), step.rule().target().action(), step.packet());
            }
            c.packet = o.packet();
            c.masquerade |= o.masqueraded();
            c.dnat |= o.dnatted();
            if (o.stop().isPresent()) {
                Rule stop = o.stop().get();
                Owner want = want(c.packet.dst());
                Reason why = reasonOf(stop);
                boolean reject = stop.target() instanceof Target.Reject;
                Verdict v = reject ? Verdict.REJECTED : Verdict.DROPPED;
                String text = np.name + " " + (reject ? "rejects" : "drops") + " the packet in " + stage + ": `"
                        + stop.text() + "`.";
                if (reject && np.isLocal(c.packet.dst()) && !(want.kind() == Owner.Kind.NODE
                        && want.node() == np.index) && want.kind() != Owner.Kind.SERVICE) {
                    finish(Verdict.HIJACKED, Reason.LOCAL_SHADOW, np.name + " holds " + c.packet.dst()
                            + " on kube-ipvs0 and answers with a reject instead of " + want.name() + ": `"
                            + stop.text() + "`.");
                } else if (reject && want.kind() != Owner.Kind.SERVICE && want.kind() != Owner.Kind.NONE) {
                    finish(Verdict.HIJACKED, why, text + " The address belongs to " + want.name() + ".");
                } else {
                    finish(v, why, text);
                }
                return false;
            }
        }
        return true;
    }

    /**
     * Why a rule that dropped or rejected a packet did so, told from the rule itself so that a parsed rule is
     * classified as a rendered one: kube-proxy rejects a Service without endpoints (iptables' KUBE-* chains, nft's
     * {@code ip kube-proxy} table), its nft mode drops unallocated ClusterIPs in {@code cluster-ips-check}; any other
     * drop is a filter.
     */
    static Reason reasonOf(Rule r) {
        if (r.target() instanceof Target.Drop
                && r.matches().stream().anyMatch(m -> m instanceof io.github.cidrguard.trace.netfilter.Match.RpFilter)) {
            return Reason.RP_FILTER; // a netfilter reverse-path rule does what the kernel's rp_filter does
        }
        boolean kubeProxy = r.table().equals(KubeProxyRules.KP) || r.chain().startsWith("KUBE-");
        if (kubeProxy && r.target() instanceof Target.Reject) {
            return Reason.KUBE_PROXY_REJECT;
        }
        if (r.table().equals(KubeProxyRules.KP) && r.chain().equals("cluster-ips-check")
                && r.target() instanceof Target.Drop) {
            return Reason.NFT_SERVICE_CIDR_DROP;
        }
        return Reason.FILTERED;
    }
}
