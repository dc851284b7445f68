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
        List<Rule> svcRules = new ArrayList<>();
        for (Spec.SvcSpec s : in.spec().services()) {
            for (Spec.PortSpec p : s.ports()) {
                // chain names hash the ServicePortName string and the protocol, endpoint chains also "ip:port"
                String base = servicePortName(s, p);
                String proto = p.proto().lowerCase();
                String svcChain = "KUBE-SVC-" + hash(base + proto, 16);
                String extChain = "KUBE-EXT-" + hash(base + proto, 16);
                boolean hasEp = !s.endpoints().isEmpty();
                if (!hasEp) {
                    if (s.clusterIp() != null) {
                        rs.add(Rule.ipt(FILTER, "KUBE-SERVICES", new Target.Reject(), new Dst(Cidr.of(s.clusterIp()), false), new Proto(p.proto()),
                                new Comment(base + " has no endpoints"), new DPort(p.proto(), p.port())));
                    }
                    for (IpAddress e : s.externalIps()) {
                        rs.add(Rule.ipt(FILTER, "KUBE-EXTERNAL-SERVICES", new Target.Reject(),
                                new Dst(Cidr.of(e), false), new Proto(p.proto()),
                                new Comment(base + " has no endpoints"), new DPort(p.proto(), p.port())));
                    }
                    if (p.nodePort() > 0) {
                        rs.add(Rule.ipt(FILTER, "KUBE-EXTERNAL-SERVICES", new Target.Reject(),
                                new Proto(p.proto()),
                                new Comment(base + " has no endpoints"), new AddrTypeLocal(true, false),
                                new DPort(p.proto(), p.nodePort())));
                    }
                    continue;
                }
                rs.chain(NAT, svcChain);
                if (s.clusterIp() != null) {
                    rs.add(Rule.ipt(NAT, "KUBE-SERVICES", new Target.Jump(svcChain),
                            new Dst(Cidr.of(s.clusterIp()), false), new Proto(p.proto()),
                            new Comment(base + " cluster IP"), new DPort(p.proto(), p.port())));
                }
                boolean needExt = !s.externalIps().isEmpty() || p.nodePort() > 0;
                if (needExt) {
                    rs.chain(NAT, extChain);
                }
                for (IpAddress e : s.externalIps()) {
                    rs.add(Rule.ipt(NAT, "KUBE-SERVICES", new Target.Jump(extChain), new Dst(Cidr.of(e), false),
                            new Proto(p.proto()), new Comment(base + " external IP"),
                            new DPort(p.proto(), p.port())));
                }
                if (p.nodePort() > 0) {
                    rs.add(Rule.ipt(NAT, "KUBE-NODEPORTS", new Target.Jump(extChain), new Proto(p.proto()),
                            new Comment(base), new DPort(p.proto(), p.nodePort())));
                }
                if (needExt) {
                    svcRules.add(Rule.ipt(NAT, extChain, new Target.Jump("KUBE-MARK-MASQ"),
                            new Comment("masquerade traffic for " + base + " external destinations")));
                    svcRules.add(Rule.ipt(NAT, extChain, new Target.Jump(svcChain)));
                }
                if (s.clusterIp() != null) {
                    Cidr vip = Cidr.of(s.clusterIp());
                    if (px.masqueradeAll()) {
                        svcRules.add(Rule.ipt(NAT, svcChain, new Target.Jump("KUBE-MARK-MASQ"), new Dst(vip, false),
                                new Proto(p.proto()), new Comment(base + " cluster IP"),
                                new DPort(p.proto(), p.port())));
                    } else if (notLocal != null) {
                        svcRules.add(Rule.ipt(NAT, svcChain, new Target.Jump("KUBE-MARK-MASQ"), notLocal,
                                new Dst(vip, false), new Proto(p.proto()), new Comment(base + " cluster IP"),
                                new DPort(p.proto(), p.port())));
                    }
                }
                int n = s.endpoints().size();
                for (int i = 0; i < n; i++) {
                    Spec.EpSpec ep = s.endpoints().get(i);
                    String sep = "KUBE-SEP-" + hash(base + proto + ep, 16);
                    Comment c = new Comment(base + " -> " + ep);
                    svcRules.add(i < n - 1
                            ? Rule.ipt(NAT, svcChain, new Target.Jump(sep), c,
                                    new Probability(probability(1.0 / (n - i))))
                            : Rule.ipt(NAT, svcChain, new Target.Jump(sep), c));
                    rs.chain(NAT, sep);
                    svcRules.add(Rule.ipt(NAT, sep, new Target.Jump("KUBE-MARK-MASQ"), new Src(Cidr.of(ep.ip()), false),
                            new Comment(base)));
                    svcRules.add(Rule.ipt(NAT, sep, new Target.Dnat(ep.ip(), ep.port()), new Proto(p.proto()),
                            new Comment(base), new DPort(p.proto(), 0)));
                }
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
}
