package io.github.cidrguard.trace;

import io.github.cidrguard.trace.netfilter.Renderer;
import org.jspecify.annotations.Nullable;

import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.net.IpAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Traces packets through a cluster's modelled data plane (routes, kube-proxy and flannel rules, rp_filter,
 * conntrack, the underlay) and answers reachability questions. Immutable after construction; node data planes are
 * built on first use, so a tracer is cheap to create even for thousands of nodes. Not thread-safe.
 */
public final class Tracer {
    private final Plane plane;
    /** The plane reachability walks: the same data plane, every lease address standing for a pod (built on use). */
    private Plane reachPlane;

    private Tracer(Plane plane) {
        this.plane = plane;
    }

    /**
     * A tracer for a scenario's IPv4 data plane, with flannel's current (v0.20+) masquerade and forward rules.
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
        return of(ScenarioSpecs.of(scenario, legacyFlannelRules ? Spec.RuleSet.LEGACY : Spec.RuleSet.CURRENT));
    }

    static Tracer of(Spec spec) {
        return new Tracer(new Plane(spec));
    }

    Plane plane() {
        return plane;
    }

    Plane reachPlane() {
        if (reachPlane == null) {
            reachPlane = plane.withLeasePods(true);
        }
        return reachPlane;
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
     * @throws IllegalArgumentException when an endpoint or port cannot be resolved; the message names the input and
     *     what exists
     */
    public Trace trace(String from, String to, @Nullable String portOrNull) {
        Walk.Client client = source(from);
        Dest d = destination(to, portOrNull);
        Walk w = new Walk(plane, client, true).intending(d.intended).run(d.ip, d.proto, d.port);
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
     * Exhaustive reachability for every source class (the pods of each node, each node, each declared network).
     * Unlike {@link #trace}, every address of a lease that is no node's, no declared host's and no Service's stands
     * for a pod that may be scheduled there, listed or not: pods come and go, the plan's reach does not.
     */
    public Reachability reach() {
        return Reach.all(reachPlane());
    }

    /**
     * Exhaustive reachability for the source class of one endpoint: {@code pod:…} means the pods of its node,
     * {@code node:…} the node, {@code host:…} the declared network it lies in. Lease addresses count as pods, as in
     * {@link #reach()}.
     */
    public Reachability reach(String from) {
        return Reach.one(reachPlane(), source(from));
    }

    /**
     * A node's full data plane as the tools print it: {@code iptables-save}, {@code nft list ruleset}, ipsets and
     * IPVS services ({@code ipset save}, {@code ipvsadm -Sn}), then {@code ip route show table all}.
     *
     * @throws IllegalArgumentException naming the known nodes when there is no such node
     */
    public String rules(String node) {
        Integer i = plane.nodeByName.get(node.startsWith("node:") ? node.substring(5) : node);
        if (i == null) {
            throw new IllegalArgumentException("no node named " + node + "; known nodes: " + known(
                    new ArrayList<>(plane.nodeByName.keySet())));
        }
        NodePlane np = plane.node(i);
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
        if (from.startsWith("svc:")) {
            throw new IllegalArgumentException("a service cannot send: '" + from + "'; trace from a pod, node or host");
        }
        Dest d = destination(from, null);
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

    private Dest destination(String to, String portOrNull) {
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
            if (!s.clusterIp().isIpv4()) {
                throw new IllegalArgumentException("'" + to + "' is IPv6; the tracer models IPv4 only");
            }
            return new Dest(s.clusterIp(), sv.protocol(), sv.port(), "svc " + name + " " + s.clusterIp() + ":"
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
            int lease = plane.network == null || !a.isIpv4() ? -1 : plane.leaseNode(a);
            if (lease < 0 && plane.network != null && a.isIpv4()) {
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
        if (!a.isIpv4()) {
            throw new IllegalArgumentException("'" + to + "' is IPv6; the tracer models IPv4 only");
        }
        return new Dest(a, proto, port, label, null);
    }
}
