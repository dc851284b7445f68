package io.github.cidrguard.trace;

import io.github.cidrguard.trace.routing.Route;
import static io.github.cidrguard.trace.KubeProxyNames.hash;
import static io.github.cidrguard.trace.KubeProxyNames.probability;
import static io.github.cidrguard.trace.KubeProxyNames.servicePortName;
import static io.github.cidrguard.trace.KubeProxyRules.FILTER;
import static io.github.cidrguard.trace.KubeProxyRules.MASQ_MARK;
import static io.github.cidrguard.trace.KubeProxyRules.NAT;
import static io.github.cidrguard.trace.KubeProxyRules.masqueradeChains;
import static io.github.cidrguard.trace.KubeProxyRules.nodePortIps;
import static io.github.cidrguard.trace.KubeProxyRules.notLocal;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.trace.netfilter.Match.AddrTypeLocal;
import io.github.cidrguard.trace.netfilter.Match.Comment;
import io.github.cidrguard.trace.netfilter.Match.CtState;
import io.github.cidrguard.trace.netfilter.Match.DPort;
import io.github.cidrguard.trace.netfilter.Match.Dst;
import io.github.cidrguard.trace.netfilter.Match.Mark;
import io.github.cidrguard.trace.netfilter.Match.Probability;
import io.github.cidrguard.trace.netfilter.Match.Proto;
import io.github.cidrguard.trace.netfilter.Match.Src;
import io.github.cidrguard.trace.netfilter.Match;
import io.github.cidrguard.trace.netfilter.Rule;
import io.github.cidrguard.trace.netfilter.Ruleset;
import io.github.cidrguard.trace.netfilter.Target;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The rules kube-proxy's iptables mode writes on one node, from an immutable description of it. */
final class IptablesProxyRules {
    private IptablesProxyRules() {
    }

    /**
     * kube-proxy's iptables mode as of v1.33 (pkg/proxy/iptables/proxier.go, syncProxyRules): KUBE-SERVICES,
     * KUBE-SVC-*, KUBE-SEP-*, KUBE-NODEPORTS, KUBE-EXTERNAL-SERVICES, KUBE-FORWARD, KUBE-POSTROUTING, written into
     * {@code rs}.
     */
    static void build(KubeProxyRules.Input in, Ruleset rs) {
        Cidr lease = in.lease();
        Map<IpAddress, Route> local = in.local();
        Spec.Proxy px = in.spec().proxy();
        String portals = "kubernetes service portals";
        String ext = "kubernetes externally-visible service portals";
        String fw = "kubernetes load balancer firewall";
        CtState neu = new CtState("NEW", false);
        for (String c : List.of("KUBE-SERVICES", "KUBE-POSTROUTING", "KUBE-MARK-MASQ", "KUBE-NODEPORTS")) {
            rs.chain(NAT, c);
        }
        for (String c : List.of("KUBE-PROXY-FIREWALL", "KUBE-NODEPORTS", "KUBE-EXTERNAL-SERVICES", "KUBE-FORWARD",
                "KUBE-SERVICES")) {
            rs.chain(FILTER, c);
        }
        rs.add(Rule.ipt(NAT, "PREROUTING", new Target.Jump("KUBE-SERVICES"), new Comment(portals)));
        rs.add(Rule.ipt(NAT, "OUTPUT", new Target.Jump("KUBE-SERVICES"), new Comment(portals)));
        rs.add(Rule.ipt(NAT, "POSTROUTING", new Target.Jump("KUBE-POSTROUTING"),
                new Comment("kubernetes postrouting rules")));
        rs.add(Rule.ipt(FILTER, "INPUT", new Target.Jump("KUBE-PROXY-FIREWALL"), neu, new Comment(fw)));
        rs.add(Rule.ipt(FILTER, "INPUT", new Target.Jump("KUBE-NODEPORTS"),
                new Comment("kubernetes health check service ports")));
        rs.add(Rule.ipt(FILTER, "INPUT", new Target.Jump("KUBE-EXTERNAL-SERVICES"), neu, new Comment(ext)));
        rs.add(Rule.ipt(FILTER, "FORWARD", new Target.Jump("KUBE-PROXY-FIREWALL"), neu, new Comment(fw)));
        rs.add(Rule.ipt(FILTER, "FORWARD", new Target.Jump("KUBE-FORWARD"),
                new Comment("kubernetes forwarding rules")));
        rs.add(Rule.ipt(FILTER, "FORWARD", new Target.Jump("KUBE-SERVICES"), neu, new Comment(portals)));
        rs.add(Rule.ipt(FILTER, "FORWARD", new Target.Jump("KUBE-EXTERNAL-SERVICES"), neu, new Comment(ext)));
        rs.add(Rule.ipt(FILTER, "OUTPUT", new Target.Jump("KUBE-PROXY-FIREWALL"), neu, new Comment(fw)));
        rs.add(Rule.ipt(FILTER, "OUTPUT", new Target.Jump("KUBE-SERVICES"), neu, new Comment(portals)));
        masqueradeChains(rs);
        rs.add(Rule.ipt(FILTER, "KUBE-FORWARD", new Target.Drop(), new CtState("INVALID", false)));
        rs.add(Rule.ipt(FILTER, "KUBE-FORWARD", new Target.Accept(), new Comment("kubernetes forwarding rules"),
                new Mark(MASQ_MARK, false)));
        rs.add(Rule.ipt(FILTER, "KUBE-FORWARD", new Target.Accept(),
                new Comment("kubernetes forwarding conntrack rule"), new CtState("RELATED,ESTABLISHED", false)));
        Match notLocal = notLocal(px, lease, false);
        Match isLocal = notLocal(px, lease, true);
        List<Rule> svcRules = new ArrayList<>();
        for (Spec.SvcSpec s : in.spec().services()) {
            for (Spec.PortSpec p : s.ports()) {
                service(in, s, p, notLocal, isLocal, rs, svcRules);
            }
        }
        String npComment = "kubernetes service nodeports; NOTE: this must be the last rule in this chain";
        List<IpAddress> npIps = nodePortIps(px, in.node().ip(), local, false);
        if (npIps == null) {
            if (in.node().ip().isIpv4()) {
                rs.add(Rule.ipt(NAT, "KUBE-SERVICES", new Target.Jump("KUBE-NODEPORTS"), new Comment(npComment),
                        new AddrTypeLocal(true, false)));
            } else {
                // IPv6 never takes NodePorts on localhost, whatever localhostNodePorts says (proxier.go)
                rs.add(Rule.ipt(NAT, "KUBE-SERVICES", new Target.Jump("KUBE-NODEPORTS"),
                        new Dst(Cidr.parse("::1/128"), true), new Comment(npComment), new AddrTypeLocal(true, false)));
            }
        } else {
            for (IpAddress a : npIps) {
                rs.add(Rule.ipt(NAT, "KUBE-SERVICES", new Target.Jump("KUBE-NODEPORTS"), new Dst(Cidr.of(a), false),
                        new Comment(npComment)));
            }
        }
        svcRules.forEach(rs::add);
    }

    /**
     * One service port as syncProxyRules writes it: the capture rules in KUBE-SERVICES / KUBE-NODEPORTS, the filter
     * rules for no (local) endpoints, then (into {@code svcRules}, written after the tail call) KUBE-EXT, KUBE-SVC,
     * KUBE-SVL and KUBE-SEP. Chains hash the ServicePortName and the protocol, endpoint chains also "ip:port".
     */
    private static void service(KubeProxyRules.Input in, Spec.SvcSpec s, Spec.PortSpec p, Match notLocal,
                                Match isLocal, Ruleset rs, List<Rule> svcRules) {
        Spec.Proxy px = in.spec().proxy();
        String base = servicePortName(s, p);
        String proto = p.proto().lowerCase();
        String svcChain = "KUBE-SVC-" + hash(base + proto, 16);
        String svlChain = "KUBE-SVL-" + hash(base + proto, 16);
        String extChain = "KUBE-EXT-" + hash(base + proto, 16);
        KubeProxyRules.Endpoints eps = KubeProxyRules.categorize(in, s, p);
        boolean hasEp = eps.any();
        boolean intLocal = s.internalLocal();
        boolean extLocal = s.externalLocal(p);
        String internalChain = intLocal ? svlChain : svcChain;
        String externalPolicyChain = extLocal ? svlChain : svcChain;
        boolean hasInternal = hasEp && (!intLocal || !eps.local().isEmpty());
        boolean hasExternal = hasEp && (!extLocal || !eps.local().isEmpty());
        boolean usesExt = hasEp && s.externallyAccessible(p);
        // no endpoints at all: REJECT; a Local policy without endpoints on this node: DROP
        Target intFilter = hasEp ? new Target.Drop() : new Target.Reject();
        Target extFilter = intFilter;
        Comment noEp = new Comment(base + (hasEp ? " has no local endpoints" : " has no endpoints"));
        if (s.clusterIp() != null) {
            if (hasInternal) {
                rs.add(Rule.ipt(NAT, "KUBE-SERVICES", new Target.Jump(internalChain),
                        new Dst(Cidr.of(s.clusterIp()), false), new Proto(p.proto()),
                        new Comment(base + " cluster IP"), new DPort(p.proto(), p.port())));
            } else {
                rs.add(Rule.ipt(FILTER, "KUBE-SERVICES", intFilter, new Dst(Cidr.of(s.clusterIp()), false),
                        new Proto(p.proto()), noEp, new DPort(p.proto(), p.port())));
            }
        }
        for (IpAddress e : s.externalIps()) {
            if (hasEp) {
                rs.add(Rule.ipt(NAT, "KUBE-SERVICES", new Target.Jump(extChain), new Dst(Cidr.of(e), false),
                        new Proto(p.proto()), new Comment(base + " external IP"), new DPort(p.proto(), p.port())));
            }
            if (!hasExternal) {
                rs.add(Rule.ipt(FILTER, "KUBE-EXTERNAL-SERVICES", extFilter, new Dst(Cidr.of(e), false),
                        new Proto(p.proto()), noEp, new DPort(p.proto(), p.port())));
            }
        }
        // loadBalancerSourceRanges cannot be written in a scenario, so no KUBE-FW chain: LB IPs go to KUBE-EXT
        for (IpAddress lb : s.loadBalancerIps()) {
            if (hasEp) {
                rs.add(Rule.ipt(NAT, "KUBE-SERVICES", new Target.Jump(extChain), new Dst(Cidr.of(lb), false),
                        new Proto(p.proto()), new Comment(base + " loadbalancer IP"),
                        new DPort(p.proto(), p.port())));
            }
        }
        if (!hasExternal) {
            for (IpAddress lb : s.loadBalancerIps()) {
                rs.add(Rule.ipt(FILTER, "KUBE-EXTERNAL-SERVICES", extFilter, new Dst(Cidr.of(lb), false),
                        new Proto(p.proto()), noEp, new DPort(p.proto(), p.port())));
            }
        }
        if (p.nodePort() > 0) {
            if (hasEp) {
                rs.add(Rule.ipt(NAT, "KUBE-NODEPORTS", new Target.Jump(extChain), new Proto(p.proto()),
                        new Comment(base), new DPort(p.proto(), p.nodePort())));
            }
            if (!hasExternal) {
                rs.add(Rule.ipt(FILTER, "KUBE-EXTERNAL-SERVICES", extFilter, new Proto(p.proto()), noEp,
                        new AddrTypeLocal(true, false), new DPort(p.proto(), p.nodePort())));
            }
        }
        if (!hasEp) {
            return;
        }
        if (hasInternal && s.clusterIp() != null) {
            Cidr vip = Cidr.of(s.clusterIp());
            if (px.masqueradeAll()) {
                svcRules.add(Rule.ipt(NAT, internalChain, new Target.Jump("KUBE-MARK-MASQ"), new Dst(vip, false),
                        new Proto(p.proto()), new Comment(base + " cluster IP"), new DPort(p.proto(), p.port())));
            } else if (notLocal != null) {
                svcRules.add(Rule.ipt(NAT, internalChain, new Target.Jump("KUBE-MARK-MASQ"), notLocal,
                        new Dst(vip, false), new Proto(p.proto()), new Comment(base + " cluster IP"),
                        new DPort(p.proto(), p.port())));
            }
        }
        if (usesExt) {
            rs.chain(NAT, extChain);
            if (!extLocal) {
                svcRules.add(Rule.ipt(NAT, extChain, new Target.Jump("KUBE-MARK-MASQ"),
                        new Comment("masquerade traffic for " + base + " external destinations")));
            } else {
                // pods and the node itself are "short-circuited" to every endpoint, as if they went out to the
                // load balancer and came back; the node's own traffic is masqueraded, its source is the LB IP
                if (isLocal != null) {
                    svcRules.add(Rule.ipt(NAT, extChain, new Target.Jump(svcChain), isLocal,
                            new Comment("pod traffic for " + base + " external destinations")));
                }
                svcRules.add(Rule.ipt(NAT, extChain, new Target.Jump("KUBE-MARK-MASQ"),
                        new Comment("masquerade LOCAL traffic for " + base + " external destinations"),
                        new AddrTypeLocal(false, false)));
                svcRules.add(Rule.ipt(NAT, extChain, new Target.Jump(svcChain),
                        new Comment("route LOCAL traffic for " + base + " external destinations"),
                        new AddrTypeLocal(false, false)));
            }
            if (hasExternal) {
                svcRules.add(Rule.ipt(NAT, extChain, new Target.Jump(externalPolicyChain)));
            }
        }
        if (!eps.cluster().isEmpty()) {
            endpointJumps(rs, svcRules, svcChain, base, proto, eps.cluster());
        }
        if (!eps.local().isEmpty()) {
            endpointJumps(rs, svcRules, svlChain, base, proto, eps.local());
        }
        for (Spec.EpSpec ep : eps.reachable()) {
            String sep = "KUBE-SEP-" + hash(base + proto + ep, 16);
            rs.chain(NAT, sep);
            svcRules.add(Rule.ipt(NAT, sep, new Target.Jump("KUBE-MARK-MASQ"), new Src(Cidr.of(ep.ip()), false),
                    new Comment(base)));
            svcRules.add(Rule.ipt(NAT, sep, new Target.Dnat(ep.ip(), ep.port()), new Proto(p.proto()),
                    new Comment(base), new DPort(p.proto(), 0)));
        }
    }

    /** writeServiceToEndpointRules without session affinity: one statistic jump per endpoint, the last without. */
    private static void endpointJumps(Ruleset rs, List<Rule> svcRules, String chain, String base, String proto,
                                      List<Spec.EpSpec> eps) {
        rs.chain(NAT, chain);
        int n = eps.size();
        for (int i = 0; i < n; i++) {
            Spec.EpSpec ep = eps.get(i);
            String sep = "KUBE-SEP-" + hash(base + proto + ep, 16);
            Comment c = new Comment(base + " -> " + ep);
            svcRules.add(i < n - 1
                    ? Rule.ipt(NAT, chain, new Target.Jump(sep), c, new Probability(probability(1.0 / (n - i))))
                    : Rule.ipt(NAT, chain, new Target.Jump(sep), c));
        }
    }
}
