package io.github.cidrguard.trace;

import io.github.cidrguard.trace.netfilter.Renderer;
import org.jspecify.annotations.Nullable;

import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Traces packets through a cluster's modelled data plane (routes, kube-proxy and flannel rules, rp_filter,
 * conntrack, the underlay) and answers reachability questions. Immutable after construction; node data planes are
 * built on first use, so a tracer is cheap to create even for thousands of nodes. Not thread-safe.
 *
 * <p>Each address family has a data plane of its own (a dual-stack scenario has both): a packet never changes family,
 * so a trace runs in the family of its endpoints and a trace between families is refused. What differs in IPv6 is
 * listed in the package documentation (Linux has no rp_filter for IPv6; neighbour discovery instead of ARP;
 * {@code flannel-v6.<VNI>}; flannel's {@code ff00::/8} multicast exception; kube-proxy's {@code ! -d ::1/128}).
 */
public final class Tracer {
    private final Plane plane;
    /** The IPv6 data plane, or null when no node has an IPv6 address. */
    private final @Nullable Plane plane6;
    /** The plane reachability walks: the same data plane, every lease address standing for a pod (built on use). */
    private Plane reachPlane;
    private Plane reachPlane6;

    private Tracer(Plane plane, @Nullable Plane plane6) {
        this.plane = plane;
        this.plane6 = plane6;
    }

    /**
     * A tracer for a scenario's data planes (IPv4, and IPv6 where nodes have IPv6 addresses), with flannel's current
     * (v0.20+) masquerade and forward rules.
     *
     * @throws IllegalArgumentException when the scenario cannot be modelled (e.g. two nodes with one name)
     */
    public static Tracer of(Scenario scenario) {
        return of(scenario, false);
    }

    /**
     * A tracer as {@link #of(Scenario)}, with flannel's legacy (v0.19 and older) rules when {@code legacyFlannelRules}:
     * the masquerade rules directly in POSTROUTING ({@code -s N -d N RETURN} first) and the forward ACCEPTs directly
     * in FORWARD.
     */
    public static Tracer of(Scenario scenario, boolean legacyFlannelRules) {
        Spec.RuleSet rs = legacyFlannelRules ? Spec.RuleSet.LEGACY : Spec.RuleSet.CURRENT;
        Spec v6 = ScenarioSpecs.has(scenario, IpFamily.IPV6) ? ScenarioSpecs.of(scenario, rs, IpFamily.IPV6) : null;
        return of(ScenarioSpecs.of(scenario, rs), v6);
    }

    static Tracer of(Spec spec) {
        if (spec.family() == IpFamily.IPV6) {
            return of(new Spec(spec.name(), null, List.of(), List.of(), null, List.of(), List.of(), List.of(), false),
                    spec);
        }
        return of(spec, null);
    }

    /** A tracer of an IPv4 and an optional IPv6 description. */
    static Tracer of(Spec v4, @Nullable Spec v6) {
        return new Tracer(new Plane(v4), v6 == null ? null : new Plane(v6));
    }

    Plane plane() {
        return plane;
    }

    /** The data plane of a family, or null when the scenario has none of it. */
    @Nullable Plane plane(IpFamily family) {
        return family == IpFamily.IPV4 ? plane : plane6;
    }

    Plane reachPlane() {
        if (reachPlane == null) {
            reachPlane = plane.withLeasePods(true);
        }
        return reachPlane;
    }

    @Nullable Plane reachPlane6() {
        if (reachPlane6 == null && plane6 != null) {
            reachPlane6 = plane6.withLeasePods(true);
        }
        return reachPlane6;
    }

    /**
     * Traces one packet and its reply.
     *
     * @param from the source: {@code pod:<ip>}, {@code pod:<ns/name>}, {@code node:<name>}, {@code host:<ip>} or a
     *     bare IP (a pod, node or outside machine)
     * @param to the destination: the same forms, or {@code svc:<ns/name>:<port>/<proto>}. The verdict judges who
     *     answers against who was named: a {@code svc:} destination is reached when one of its endpoints answers,
     *     even if a node also holds the ClusterIP; the same address given bare (or as {@code node:}) means the
     *     node, and the Service answering instead is {@code HIJACKED}
     * @param portOrNull {@code 443/TCP}, {@code 53/UDP} or {@code 80} (TCP); null for ICMP (or the port of a
     *     {@code svc:} destination)
     * @throws IllegalArgumentException when an endpoint or port cannot be resolved, or the endpoints are of
     *     different families; the message names the input and what exists. The family is the one an address given
     *     names; names (pods, nodes, Services) resolve in it, and when no address is given in IPv4 if every named end
     *     has an IPv4 address, else in IPv6
     */
    public Trace trace(String from, String to, @Nullable String portOrNull) {
        return trace(from, to, portOrNull, family(from, to));
    }

    /**
     * Traces one packet and its reply in one address family, as {@link #trace(String, String, String)} does: in a
     * dual-stack scenario {@code pod:default/web} and {@code node:node-71} mean their addresses of that family.
     *
     * @param family the family to trace in
     * @throws IllegalArgumentException when an endpoint cannot be resolved in that family (the message names the
     *     endpoint and the families it has), when an address given is of the other family, or when the scenario has
     *     no address of that family
     */
    public Trace trace(String from, String to, @Nullable String portOrNull, IpFamily family) {
        Plane p = plane(family);
        if (p == null || p.size() == 0) {
            throw new IllegalArgumentException("cannot trace " + from + " -> " + to + " in " + family.label()
                    + ": no node of the scenario has an " + family.label() + " address");
        }
        for (String end : new String[] {from, to}) {
            IpFamily f = explicitFamily(end);
            if (f != null && f != family) {
                throw crossFamily(from, to, end + " is " + f.label() + ", the trace runs in " + family.label());
            }
        }
        Walk.Client client = source(p, from, to);
        Dest d = destination(p, to, portOrNull, from);
        Walk w = new Walk(p, client, true).intending(d.intended).run(d.ip, d.proto, d.port);
        return new Trace(client.label(), d.label, d.proto.name(), d.proto.hasPorts() ? d.port : null, w.verdict,
                w.reason, w.request, w.reply, w.explanation);
    }

    /**
     * Traces one flow and its reply, as {@link #trace(String, String, String)} does with the flow's parts.
     *
     * @throws IllegalArgumentException when an endpoint cannot be resolved; the message names the input
     */
    public Trace trace(Flow flow) {
        return trace(flow.from(), flow.to(), flow.portText().orElse(null));
    }

    /**
     * Exhaustive reachability for every source class (the pods of each node, each node, each declared network), in
     * each family: the IPv4 sources, then the IPv6 ones (named {@code … (IPv6)}); {@link Reachability#coverage()}
     * says per family what was covered, and names a family the plan has no address of.
     * Unlike {@link #trace}, every address of a lease that is no node's, no declared host's and no Service's stands
     * for a pod that may be scheduled there, listed or not: pods come and go, the plan's reach does not.
     */
    public Reachability reach() {
        Reachability v4 = Reach.all(reachPlane());
        Plane p6 = reachPlane6();
        if (p6 != null) {
            return Reachability.combine(plane.spec.name(), List.of(plane.size() == 0
                    ? new Reachability(plane.spec.name(), List.of(), List.of(Reach.absent(IpFamily.IPV4))) : v4,
                    Reach.all(p6)));
        }
        return Reachability.combine(plane.spec.name(), List.of(v4,
                new Reachability(plane.spec.name(), List.of(), List.of(Reach.absent(IpFamily.IPV6)))));
    }

    /**
     * Exhaustive reachability for the source class of one endpoint: {@code pod:…} means the pods of its node,
     * {@code node:…} the node, {@code host:…} the declared network it lies in. Lease addresses count as pods, as in
     * {@link #reach()}.
     */
    public Reachability reach(String from) {
        IpFamily f = explicitFamily(from);
        if (f == IpFamily.IPV6 || f == null && plane.size() == 0 && plane6 != null) {
            Plane p = reachPlane6();
            if (p == null) {
                throw new IllegalArgumentException("'" + from + "' is IPv6 but no node has an IPv6 address");
            }
            return Reach.one(p, source(plane6, from, null));
        }
        return Reach.one(reachPlane(), source(plane, from, null));
    }

    /**
     * A node's full data plane as the tools print it: {@code iptables-save}, {@code nft list ruleset}, ipsets and
     * IPVS services ({@code ipset save}, {@code ipvsadm -Sn}), then {@code ip route show table all}.
     *
     * @throws IllegalArgumentException naming the known nodes when there is no such node
     */
    public String rules(String node) {
        String name = node.startsWith("node:") ? node.substring(5) : node;
        boolean v4 = plane.nodeByName.containsKey(name);
        boolean v6 = plane6 != null && plane6.nodeByName.containsKey(name);
        if (!v4 && !v6) {
            java.util.Set<String> names = new java.util.LinkedHashSet<>(plane.nodeByName.keySet());
            if (plane6 != null) {
                names.addAll(plane6.nodeByName.keySet());
            }
            throw new IllegalArgumentException("no node named " + node + "; known nodes: " + known(
                    new ArrayList<>(names)));
        }
        return (v4 ? rules(name, IpFamily.IPV4) : "") + (v6 ? rules(name, IpFamily.IPV6) : "");
    }

    /**
     * One family's half of {@link #rules(String)}: for IPv4 {@code iptables-save}, {@code nft list ruleset} (its
     * {@code ip} tables), ipsets and IPVS, then {@code ip route show table all}; for IPv6 {@code ip6tables-save}, the
     * {@code ip6} tables, then {@code ip -6 route show table all}.
     *
     * @throws IllegalArgumentException naming the known nodes when the node has no address of that family
     */
    public String rules(String node, IpFamily family) {
        Plane p = plane(family);
        String name = node.startsWith("node:") ? node.substring(5) : node;
        Integer i = p == null ? null : p.nodeByName.get(name);
        if (i == null) {
            throw new IllegalArgumentException("no node named " + node + " with an " + family.label()
                    + " address; known nodes: " + known(p == null ? List.of() : new ArrayList<>(p.nodeByName.keySet())));
        }
        NodePlane np = p.node(i);
        if (family == IpFamily.IPV6) {
            return "# ip6tables-save / nft list ruleset (ip6)\n" + Renderer.render(np.rules)
                    + "# ip -6 route show table all\n" + np.renderRoutes();
        }
        return "# iptables-save / nft list ruleset / ipset save / ipvsadm -Sn\n" + Renderer.render(np.rules)
                + "# ip route show table all\n" + np.renderRoutes();
    }

    // ------------------------------------------------------------------ endpoints

    /** @param intended the Service when addressed as {@code svc:}, else null (the address's owner is meant) */
    private record Dest(IpAddress ip, Protocol proto, int port, String label, Owner intended) {
    }

    private static String known(List<String> names) {
        if (names.isEmpty()) {
            return "(none)";
        }
        String s = names.stream().limit(20).collect(Collectors.joining(", "));
        return names.size() > 20 ? s + ", … (" + names.size() + " in all)" : s;
    }

    Walk.Client source(String from) {
        return source(plane, from, null);
    }

    // ------------------------------------------------------------------ families

    /** The family an endpoint's text names by an address, or null for a name (pod, node, Service). */
    static @Nullable IpFamily explicitFamily(String endpoint) {
        Endpoint e = Endpoint.parse(endpoint);
        if (e instanceof Endpoint.PodIp pi) {
            return pi.ip().family();
        }
        if (e instanceof Endpoint.Host h) {
            return h.ip().family();
        }
        if (e instanceof Endpoint.Address a) {
            return a.ip().family();
        }
        return null;
    }

    /**
     * The family a trace runs in: the one its addresses name (both alike, or it is a cross-family trace), else IPv4
     * when every named end has an IPv4 address, else IPv6 when every one has an IPv6 address.
     */
    private IpFamily family(String from, String to) {
        IpFamily f = explicitFamily(from);
        IpFamily t = explicitFamily(to);
        if (f != null && t != null && f != t) {
            throw crossFamily(from, to, from + " is " + f.label() + " and " + to + " is " + t.label());
        }
        if (f != null || t != null) {
            return f != null ? f : t;
        }
        if (resolvable(plane, from) && resolvable(plane, to)) {
            return IpFamily.IPV4;
        }
        if (plane6 != null && resolvable(plane6, from) && resolvable(plane6, to)) {
            return IpFamily.IPV6;
        }
        if (plane6 != null && (resolvable(plane, from) && resolvable(plane6, to)
                || resolvable(plane6, from) && resolvable(plane, to))) {
            String f4 = resolvable(plane, from) ? "IPv4" : "IPv6";
            throw crossFamily(from, to, from + " has only an " + f4 + " address and " + to + " only an "
                    + (f4.equals("IPv4") ? "IPv6" : "IPv4") + " one");
        }
        return plane.size() > 0 || plane6 == null ? IpFamily.IPV4 : IpFamily.IPV6;
    }

    /** Whether a named endpoint has an address in the plane (an address given always counts). */
    private static boolean resolvable(Plane p, String endpoint) {
        Endpoint e = Endpoint.parse(endpoint);
        if (e instanceof Endpoint.NodeName n) {
            return p.nodeByName.containsKey(n.name());
        }
        if (e instanceof Endpoint.PodName n) {
            return p.podByName.containsKey(n.name());
        }
        if (e instanceof Endpoint.Service sv) {
            Spec.SvcSpec s = p.svcByName.get(sv.name());
            return s != null && s.clusterIp() != null;
        }
        return true;
    }

    private static IllegalArgumentException crossFamily(String from, String to, String why) {
        return new IllegalArgumentException("cannot trace " + from + " -> " + to + ": " + why + "; a packet keeps"
                + " its address family (no NAT64 or 464XLAT is modelled), so trace two endpoints of one family"
                + " (in a dual-stack cluster name pods and nodes, or give addresses of the same family)");
    }

    /**
     * Why a named endpoint has no address in this plane's family while the other family's plane knows it, or null.
     */
    private @Nullable String otherFamilyOnly(Plane p, String endpoint) {
        Plane other = p == plane ? plane6 : plane;
        if (other == null || resolvable(p, endpoint) || !resolvable(other, endpoint)) {
            return null;
        }
        return endpoint + " has no " + p.family.label() + " address (only " + other.family.label() + ")";
    }

    private Walk.Client source(Plane plane, String from, @Nullable String to) {
        if (from.startsWith("svc:")) {
            throw new IllegalArgumentException("a service cannot send: '" + from + "'; trace from a pod, node or host");
        }
        String other = otherFamilyOnly(plane, from);
        if (other != null) {
            throw crossFamily(from, to == null ? "?" : to, other + ", the trace runs in " + plane.family.label());
        }
        Dest d = destination(plane, from, null, null);
        IpAddress a = d.ip;
        Owner o = plane.owner(a);
        if (from.startsWith("node:") || o.kind() == Owner.Kind.NODE && plane.nodeByIp.containsKey(a)) {
            int n = plane.nodeByIp.get(a);
            return new Walk.Client(Owner.Kind.NODE, n, a, "node " + plane.nodes[n].name() + " " + a);
        }
        if (o.kind() == Owner.Kind.POD && o.node() >= 0) {
            Spec.PodSpec pod = plane.podByIp.get(a);
            String name = pod != null ? "pod " + pod.name() + " " + a : "pod " + a;
            return new Walk.Client(Owner.Kind.POD, o.node(), a, name + " (" + plane.nodes[o.node()].name() + ")");
        }
        int lease = plane.network == null ? -1 : plane.leaseNode(a);
        if (from.startsWith("pod:") && lease >= 0) {
            // named as a pod: an unlisted pod of that lease, as the user says
            return new Walk.Client(Owner.Kind.POD, lease, a, "pod " + a + " (" + plane.nodes[lease].name() + ")");
        }
        if (from.startsWith("pod:")) {
            throw new IllegalArgumentException("no pod with IP " + a + ": it lies in no node's lease; leases: "
                    + known(java.util.Arrays.stream(plane.leaseOf).filter(java.util.Objects::nonNull)
                    .map(Object::toString).toList()));
        }
        if (o.kind() == Owner.Kind.NONE && lease >= 0) {
            throw new IllegalArgumentException("cannot send from " + from + ": no pod holds " + a + " (it lies in "
                    + plane.nodes[lease].name() + "'s lease " + plane.leaseOf[lease] + "); name a pod "
                    + "(pod:<ns/name>), or write pod:" + a + " to trace from a pod the scenario does not list");
        }
        if (o.kind() == Owner.Kind.LAN_HOST || o.kind() == Owner.Kind.NETWORK_HOST || o.kind() == Owner.Kind.WORLD) {
            Spec.NetSpec net = plane.declared(a);
            return new Walk.Client(o.kind(), -1, a, "host " + a + (net != null ? " (" + net.name() + ")" : ""));
        }
        throw new IllegalArgumentException("cannot send from " + from + ": " + a + " belongs to " + o.name()
                + "; use a pod, node or host address");
    }

    private Dest destination(Plane plane, String to, @Nullable String portOrNull, @Nullable String from) {
        if (from != null) {
            String other = otherFamilyOnly(plane, to);
            if (other != null) {
                throw crossFamily(from, to, other + ", the trace runs in " + plane.family.label());
            }
        }
        Protocol proto = Protocol.ICMP;
        int port = 0;
        if (portOrNull != null && !portOrNull.isBlank()) {
            PortText.Port p = PortText.parse(portOrNull, "");
            port = p.number();
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " in '" + portOrNull + "' is out of range 1-65535");
            }
            proto = p.protocol();
            if (!proto.hasPorts()) {
                throw new IllegalArgumentException("'" + portOrNull + "': ICMP has no ports; omit the port");
            }
        }
        Endpoint e = Endpoint.parse(to);
        if (e instanceof Endpoint.Service sv) {
            String name = sv.name();
            Spec.SvcSpec s = plane.svcByName.get(name);
            if (s == null) {
                throw new IllegalArgumentException("no service named " + name + "; known services: "
                        + known(new ArrayList<>(plane.svcByName.keySet())));
            }
            if (s.clusterIp() == null) {
                throw new IllegalArgumentException("service " + name + " has no ClusterIP (headless); trace a pod");
            }
            notModelledService(plane, s, to);
            String vip = s.clusterIp().isIpv4() ? s.clusterIp().toString() : "[" + s.clusterIp() + "]";
            return new Dest(s.clusterIp(), sv.protocol(), sv.port(), "svc " + name + " " + vip + ":"
                    + sv.port() + "/" + sv.protocol().name(), Owner.service(name));
        }
        IpAddress a;
        String label;
        if (e instanceof Endpoint.NodeName nn) {
            String name = nn.name();
            Integer n = plane.nodeByName.get(name);
            if (n == null) {
                throw new IllegalArgumentException("no node named " + name + "; known nodes: "
                        + known(new ArrayList<>(plane.nodeByName.keySet())));
            }
            a = plane.nodes[n].ip();
            label = "node " + name + " " + a;
        } else if (e instanceof Endpoint.PodName pn) {
            Spec.PodSpec pod = plane.podByName.get(pn.name());
            if (pod == null) {
                throw new IllegalArgumentException("no pod named " + pn.name() + "; known pods: "
                        + known(new ArrayList<>(plane.podByName.keySet())));
            }
            a = pod.ip();
            label = "pod " + pod.name() + " " + a;
        } else if (e instanceof Endpoint.PodIp pi) {
            a = pi.ip();
            label = "pod " + a;
            int lease = plane.network == null || a.family() != plane.family ? -1 : plane.leaseNode(a);
            if (lease < 0 && plane.network != null && a.family() == plane.family) {
                lease = plane.downNode(a); // a pod of a node without flannel: it cannot have its address
            }
            if (!plane.podByIp.containsKey(a) && lease >= 0) {
                // named as a pod: an unlisted pod of that lease, as the user says
                return new Dest(a, proto, port, label, Owner.pod(lease, a.toString()));
            }
        } else if (e instanceof Endpoint.Host h) {
            a = h.ip();
            label = "host " + a;
        } else {
            a = ((Endpoint.Address) e).ip();
            label = a.toString();
        }
        if (a.family() != plane.family) {
            throw new IllegalArgumentException("'" + to + "' is " + a.family().label() + " but the trace runs in "
                    + plane.family.label() + "; trace two endpoints of one family");
        }
        Spec.SvcSpec svc = plane.svcByIp.get(a);
        if (svc != null) {
            notModelledService(plane, svc, to);
        }
        return new Dest(a, proto, port, label, null);
    }

    /** Refuses a trace to a Service whose kube-proxy rules the tracer does not build in this family. */
    private static void notModelledService(Plane plane, Spec.SvcSpec s, String to) {
        if (!plane.kubeProxyModelled()) {
            throw new IllegalArgumentException("cannot trace to " + to + " (service " + s.name() + "): kube-proxy's "
                    + plane.family.label() + " rules in " + plane.proxyMode().name().toLowerCase(java.util.Locale.ROOT)
                    + " mode are not modelled (only iptables mode is, for IPv6); trace its IPv4 ClusterIP or one of"
                    + " its endpoints instead");
        }
    }
}
