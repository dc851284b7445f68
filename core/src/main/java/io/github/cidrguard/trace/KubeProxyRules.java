package io.github.cidrguard.trace;

import io.github.cidrguard.trace.routing.Route;
import io.github.cidrguard.net.AddressSet;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.trace.netfilter.Match.Comment;
import io.github.cidrguard.trace.netfilter.Match.InIf;
import io.github.cidrguard.trace.netfilter.Match.Mark;
import io.github.cidrguard.trace.netfilter.Match.Src;
import io.github.cidrguard.trace.netfilter.Match;
import io.github.cidrguard.trace.netfilter.Rule;
import io.github.cidrguard.trace.netfilter.Ruleset;
import io.github.cidrguard.trace.netfilter.Target;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What kube-proxy's modes share: the masquerade mark, detect-local, NodePort addresses. */
final class KubeProxyRules {
    static final int MASQ_MARK = 0x4000;
    static final String NAT = "nat";
    static final String FILTER = "filter";
    static final String KP = "ip kube-proxy";
    static final Cidr LOOPBACK = Cidr.parse("127.0.0.0/8");

    private KubeProxyRules() {
    }

    /**
     * What a kube-proxy mode builds one node's rules from; the builders read nothing else, and call nothing of the
     * plane that assembles them.
     *
     * @param spec the scenario as the tracer reads it
     * @param node the node
     * @param lease the node's flannel lease (its podCIDR), or null when it has none
     * @param local the node's local addresses and their routes
     * @param serviceCidrs the service CIDRs
     */
    record Input(Spec spec, Spec.NodeSpec node, Cidr lease, Map<IpAddress, Route> local, AddressSet serviceCidrs) {
    }

    /**
     * A service port's endpoints as kube-proxy sorts them on one node (pkg/proxy/topology.go,
     * {@code CategorizeEndpoints}, without topology hints or terminating endpoints).
     *
     * @param cluster the endpoints of the Cluster policy chain (all of them, when the port uses that policy)
     * @param local the endpoints on this node, when the port uses the Local policy
     * @param reachable the endpoints this node writes an endpoint chain (or real server) for
     * @param any whether the port has any endpoint in the cluster
     */
    record Endpoints(List<Spec.EpSpec> cluster, List<Spec.EpSpec> local, List<Spec.EpSpec> reachable, boolean any) {
    }

    static Endpoints categorize(Input in, Spec.SvcSpec s, Spec.PortSpec p) {
        List<Spec.EpSpec> cluster = s.usesClusterEndpoints(p) ? s.endpoints() : List.of();
        List<Spec.EpSpec> local = s.usesLocalEndpoints(p)
                ? s.endpoints().stream().filter(e -> isLocal(in, e.ip())).toList() : List.of();
        List<Spec.EpSpec> reachable = s.usesClusterEndpoints(p) ? cluster : local;
        return new Endpoints(cluster, local, reachable, !s.endpoints().isEmpty());
    }

    /**
     * Whether an endpoint runs on the input's node, as kube-proxy tells from the EndpointSlice's {@code nodeName}:
     * a listed pod of that node, else an address in the node's pod subnet or one of its own addresses (a
     * hostNetwork pod).
     */
    static boolean isLocal(Input in, IpAddress ep) {
        for (Spec.PodSpec pod : in.spec().pods()) {
            if (pod.ip().equals(ep) && pod.node() != null) {
                return pod.node().equals(in.node().name());
            }
        }
        Cidr pods = in.lease() != null ? in.lease() : in.node().podCidr();
        return pods != null && pods.contains(ep) || in.local().containsKey(ep) || ep.equals(in.node().ip());
    }

    /** Whether some Service's rules differ between nodes because a traffic policy is Local. */
    static boolean nodeDependent(Spec spec) {
        for (Spec.SvcSpec s : spec.services()) {
            for (Spec.PortSpec p : s.ports()) {
                if (s.usesLocalEndpoints(p)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The "not local" condition of the detect-local mode, or null when no detector is implemented. */
    static Match notLocal(Spec.Proxy px, Cidr lease, boolean negate) {
        boolean neg = !negate;
        return switch (px.detectLocal()) {
            case CLUSTER_CIDR -> px.clusterCidr() == null ? null : new Src(px.clusterCidr(), neg);
            case NODE_CIDR -> lease == null ? null : new Src(lease, neg);
            case BRIDGE_INTERFACE -> new InIf(px.bridgeInterface(), neg);
            case INTERFACE_NAME_PREFIX -> new InIf(px.interfacePrefix() + "+", neg);
        };
    }

    static String nftNotLocal(Match m) {
        if (m instanceof Src s) {
            return "ip saddr != " + s.cidr();
        }
        InIf i = (InIf) m;
        String name = i.name().endsWith("+") ? i.name().substring(0, i.name().length() - 1) + "*" : i.name();
        return "iifname != \"" + name + "\"";
    }

    /** Local addresses NodePorts answer on when nodePortAddresses is set ("primary" = the node IP). */
    static List<IpAddress> nodePortIps(Spec.Proxy px, IpAddress nodeIp, Map<IpAddress, Route> local,
                                       boolean defaultPrimary) {
        List<String> spec = px.nodePortAddresses();
        if (spec.isEmpty() && !defaultPrimary) {
            return null;
        }
        if (spec.isEmpty()) {
            spec = List.of("primary");
        }
        Set<IpAddress> out = new LinkedHashSet<>();
        for (String s : spec) {
            if (s.equals("primary")) {
                out.add(nodeIp);
            } else {
                Cidr c = Cidr.parse(s);
                for (IpAddress a : local.keySet()) {
                    if (c.contains(a) && !LOOPBACK.contains(a)) {
                        out.add(a);
                    }
                }
            }
        }
        return new ArrayList<>(out);
    }

    static void masqueradeChains(Ruleset rs) {
        rs.add(Rule.ipt(NAT, "KUBE-POSTROUTING", new Target.Return(), new Mark(MASQ_MARK, true)));
        rs.add(Rule.ipt(NAT, "KUBE-POSTROUTING", new Target.SetMark(MASQ_MARK, false)));
        rs.add(Rule.ipt(NAT, "KUBE-POSTROUTING", new Target.Masquerade(true),
                new Comment("kubernetes service traffic requiring SNAT")));
        rs.add(Rule.ipt(NAT, "KUBE-MARK-MASQ", new Target.SetMark(MASQ_MARK, true)));
    }
}
