package io.github.cidrguard.trace;

import io.github.cidrguard.trace.routing.Route;
import static io.github.cidrguard.trace.KubeProxyNames.hash;
import static io.github.cidrguard.trace.KubeProxyNames.ipvsAddr;
import static io.github.cidrguard.trace.KubeProxyRules.FILTER;
import static io.github.cidrguard.trace.KubeProxyRules.LOOPBACK;
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
import io.github.cidrguard.trace.netfilter.Match.IpSetMatch;
import io.github.cidrguard.trace.netfilter.Match.Mark;
import io.github.cidrguard.trace.netfilter.Match.PhysdevIsIn;
import io.github.cidrguard.trace.netfilter.Match.Proto;
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

/** The ipsets, IPVS virtual servers and iptables rules kube-proxy's IPVS mode writes on one node. */
final class IpvsProxyRules {
    private IpvsProxyRules() {
    }

    /**
     * kube-proxy's IPVS mode as of v1.33 (pkg/proxy/ipvs/proxier.go, syncProxyRules and writeIptablesRules): ipsets,
     * virtual servers, and the iptables rules around them, Cluster traffic policy only. A rule matching an ipset is
     * written only while that set has members, as writeIptablesRules does.
     */
    static void build(KubeProxyRules.Input in, Ruleset rs, Map<String, Set<String>> ipsets,
                      Map<String, List<Spec.EpSpec>> ipvs) {
        Cidr lease = in.lease();
        Map<IpAddress, Route> local = in.local();
        Spec.Proxy px = in.spec().proxy();
        Target acc = new Target.Accept();
        Target ret = new Target.Return();
        for (String s : List.of("KUBE-CLUSTER-IP", "KUBE-EXTERNAL-IP", "KUBE-EXTERNAL-IP-LOCAL",
                "KUBE-LOAD-BALANCER", "KUBE-LOAD-BALANCER-LOCAL", "KUBE-NODE-PORT-TCP", "KUBE-NODE-PORT-UDP",
                "KUBE-NODE-PORT-SCTP-HASH", "KUBE-NODE-PORT-LOCAL-TCP", "KUBE-NODE-PORT-LOCAL-UDP",
                "KUBE-NODE-PORT-LOCAL-SCTP-HASH",
                "KUBE-LOOP-BACK", "KUBE-IPVS-IPS", "KUBE-HEALTH-CHECK-NODE-PORT")) {
            ipsets.put(s, new LinkedHashSet<>());
        }
        IpAddress nodeIp = in.node().ip();
        Cidr pods = lease != null ? lease : in.node().podCidr();
        List<IpAddress> npAddrs = new ArrayList<>();
        List<IpAddress> np = nodePortIps(px, nodeIp, local, false);
        npAddrs.addAll(np == null ? local.keySet() : np);
        for (Spec.SvcSpec s : in.spec().services()) {
            for (Spec.PortSpec p : s.ports()) {
                String proto = p.proto().lowerCase();
                KubeProxyRules.Endpoints eps = KubeProxyRules.categorize(in, s, p);
                boolean extLocal = s.externalLocal(p);
                // syncEndpoint: a Local policy takes the node's own endpoints, and all of them when it has none
                // (kubernetes#97081), so IPVS mode never drops for want of a local endpoint
                List<Spec.EpSpec> internal = realServers(s.internalLocal(), eps, s);
                List<Spec.EpSpec> external = realServers(extLocal, eps, s);
                if (s.clusterIp() != null) {
                    ipsets.get("KUBE-CLUSTER-IP").add(s.clusterIp() + "," + proto + ":" + p.port());
                    ipvs.put(s.clusterIp() + "," + proto + ":" + p.port(), internal);
                    ipsets.get("KUBE-IPVS-IPS").add(s.clusterIp().toString());
                }
                for (IpAddress e : s.externalIps()) {
                    ipsets.get(extLocal ? "KUBE-EXTERNAL-IP-LOCAL" : "KUBE-EXTERNAL-IP").add(e + "," + proto + ":"
                            + p.port());
                    ipvs.put(e + "," + proto + ":" + p.port(), external);
                    if (!local.containsKey(e)) {
                        ipsets.get("KUBE-IPVS-IPS").add(e.toString());
                    }
                }
                // LB ingress IPs: bound to kube-ipvs0 unless already an address of this node, like externalIPs
                for (IpAddress lb : s.loadBalancerIps()) {
                    ipsets.get("KUBE-LOAD-BALANCER").add(lb + "," + proto + ":" + p.port());
                    if (extLocal) {
                        ipsets.get("KUBE-LOAD-BALANCER-LOCAL").add(lb + "," + proto + ":" + p.port());
                    }
                    ipvs.put(lb + "," + proto + ":" + p.port(), external);
                    if (!local.containsKey(lb)) {
                        ipsets.get("KUBE-IPVS-IPS").add(lb.toString());
                    }
                }
                if (p.nodePort() > 0) {
                    for (IpAddress a : npAddrs) {
                        ipvs.put(a + "," + proto + ":" + p.nodePort(), external);
                        if (p.proto() == Protocol.SCTP) {
                            // SCTP's set is hash:ip,port, so it holds every NodePort address
                            ipsets.get("KUBE-NODE-PORT-SCTP-HASH").add(a + ",sctp:" + p.nodePort());
                        }
                    }
                    if (p.proto() != Protocol.SCTP) {
                        ipsets.get("KUBE-NODE-PORT-" + p.proto().name()).add("" + p.nodePort());
                        if (extLocal) {
                            ipsets.get("KUBE-NODE-PORT-LOCAL-" + p.proto().name()).add("" + p.nodePort());
                        }
                    } else if (extLocal) {
                        for (IpAddress a : npAddrs) {
                            ipsets.get("KUBE-NODE-PORT-LOCAL-SCTP-HASH").add(a + ",sctp:" + p.nodePort());
                        }
                    }
                }
                for (Spec.EpSpec ep : s.endpoints()) {
                    // hairpin entries only for the endpoints on this node (ep.IsLocal()): its pods and addresses
                    if (pods != null && pods.contains(ep.ip()) || local.containsKey(ep.ip())) {
                        ipsets.get("KUBE-LOOP-BACK").add(ep.ip() + "," + proto + ":" + ep.port() + "," + ep.ip());
                    }
                }
            }
        }
        for (String c : List.of("KUBE-SERVICES", "KUBE-POSTROUTING", "KUBE-NODE-PORT", "KUBE-LOAD-BALANCER",
                "KUBE-MARK-MASQ")) {
            rs.chain(NAT, c);
        }
        for (String c : List.of("KUBE-FORWARD", "KUBE-NODE-PORT", "KUBE-PROXY-FIREWALL", "KUBE-SOURCE-RANGES-FIREWALL",
                "KUBE-IPVS-FILTER", "KUBE-IPVS-OUT-FILTER")) {
            rs.chain(FILTER, c);
        }
        // iptablesJumpChain, each prepended in list order: in a chain the last one listed comes first
        rs.add(Rule.ipt(NAT, "PREROUTING", new Target.Jump("KUBE-SERVICES"),
                new Comment("kubernetes service portals")));
        rs.add(Rule.ipt(NAT, "OUTPUT", new Target.Jump("KUBE-SERVICES"), new Comment("kubernetes service portals")));
        rs.add(Rule.ipt(NAT, "POSTROUTING", new Target.Jump("KUBE-POSTROUTING"),
                new Comment("kubernetes postrouting rules")));
        rs.add(Rule.ipt(FILTER, "INPUT", new Target.Jump("KUBE-IPVS-FILTER"),
                new Comment("kubernetes ipvs access filter")));
        rs.add(Rule.ipt(FILTER, "INPUT", new Target.Jump("KUBE-PROXY-FIREWALL"),
                new Comment("kube-proxy firewall rules")));
        rs.add(Rule.ipt(FILTER, "INPUT", new Target.Jump("KUBE-NODE-PORT"),
                new Comment("kubernetes health check rules")));
        rs.add(Rule.ipt(FILTER, "FORWARD", new Target.Jump("KUBE-PROXY-FIREWALL"),
                new Comment("kube-proxy firewall rules")));
        rs.add(Rule.ipt(FILTER, "FORWARD", new Target.Jump("KUBE-FORWARD"),
                new Comment("kubernetes forwarding rules")));
        rs.add(Rule.ipt(FILTER, "OUTPUT", new Target.Jump("KUBE-IPVS-OUT-FILTER"),
                new Comment("kubernetes ipvs access filter")));
        // writeIptablesRules, in its order
        rs.add(Rule.ipt(NAT, "KUBE-SERVICES", ret, new Src(LOOPBACK, false)));
        if (!ipsets.get("KUBE-LOOP-BACK").isEmpty()) {
            rs.add(Rule.ipt(NAT, "KUBE-POSTROUTING", new Target.Masquerade(false),
                    new Comment("Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose"),
                    new IpSetMatch("KUBE-LOOP-BACK", "dst,dst,src", false)));
        }
        // ipsetWithIptablesChain, in its order
        if (!ipsets.get("KUBE-LOAD-BALANCER").isEmpty()) {
            rs.add(Rule.ipt(NAT, "KUBE-SERVICES", new Target.Jump("KUBE-LOAD-BALANCER"),
                    new Comment("Kubernetes service lb portal"),
                    new IpSetMatch("KUBE-LOAD-BALANCER", "dst,dst", false)));
        }
        if (!ipsets.get("KUBE-LOAD-BALANCER-LOCAL").isEmpty()) {
            rs.add(Rule.ipt(NAT, "KUBE-LOAD-BALANCER", ret,
                    new Comment("Kubernetes service load balancer ip + port with externalTrafficPolicy=local"),
                    new IpSetMatch("KUBE-LOAD-BALANCER-LOCAL", "dst,dst", false)));
        }
        for (Protocol pr : List.of(Protocol.TCP, Protocol.UDP, Protocol.SCTP)) {
            boolean sctp = pr == Protocol.SCTP;
            String localSet = sctp ? "KUBE-NODE-PORT-LOCAL-SCTP-HASH" : "KUBE-NODE-PORT-LOCAL-" + pr.name();
            if (!ipsets.get(localSet).isEmpty()) {
                rs.add(Rule.ipt(NAT, "KUBE-NODE-PORT", ret, new Proto(pr),
                        new Comment("Kubernetes nodeport " + pr.name() + " port with externalTrafficPolicy=local"
                                + (sctp ? " with type 'hash ip:port'" : "")),
                        new IpSetMatch(localSet, sctp ? "dst,dst" : "dst", false)));
            }
            String set = sctp ? "KUBE-NODE-PORT-SCTP-HASH" : "KUBE-NODE-PORT-" + pr.name();
            if (!ipsets.get(set).isEmpty()) {
                rs.add(Rule.ipt(NAT, "KUBE-NODE-PORT", new Target.Jump("KUBE-MARK-MASQ"), new Proto(pr),
                        new Comment("Kubernetes nodeport " + pr.name() + " port for masquerade purpose"
                                + (sctp ? " with type 'hash ip:port'" : "")),
                        new IpSetMatch(set, sctp ? "dst,dst" : "dst", false)));
            }
        }
        Match notLocal = notLocal(px, lease, false);
        String cipC = "Kubernetes service cluster ip + port for masquerade purpose";
        IpSetMatch cip = new IpSetMatch("KUBE-CLUSTER-IP", "dst,dst", false);
        boolean anyCip = !ipsets.get("KUBE-CLUSTER-IP").isEmpty();
        if (anyCip && px.masqueradeAll()) {
            rs.add(Rule.ipt(NAT, "KUBE-SERVICES", new Target.Jump("KUBE-MARK-MASQ"), new Comment(cipC), cip));
        } else if (anyCip && notLocal != null) {
            rs.add(Rule.ipt(NAT, "KUBE-SERVICES", new Target.Jump("KUBE-MARK-MASQ"), notLocal, new Comment(cipC),
                    cip));
        } else if (anyCip) {
            rs.add(Rule.ipt(NAT, "KUBE-SERVICES", new Target.Jump("KUBE-MARK-MASQ"), new Comment(cipC),
                    new IpSetMatch("KUBE-CLUSTER-IP", "src,dst", false)));
        }
        if (!ipsets.get("KUBE-EXTERNAL-IP").isEmpty()) {
            IpSetMatch eip = new IpSetMatch("KUBE-EXTERNAL-IP", "dst,dst", false);
            Comment eC = new Comment("Kubernetes service external ip + port for masquerade and filter purpose");
            rs.add(Rule.ipt(NAT, "KUBE-SERVICES", new Target.Jump("KUBE-MARK-MASQ"), eC, eip));
            externalIpAccepts(rs, eC, eip);
        }
        if (!ipsets.get("KUBE-EXTERNAL-IP-LOCAL").isEmpty()) {
            externalIpAccepts(rs, new Comment("Kubernetes service external ip + port with externalTrafficPolicy=local"),
                    new IpSetMatch("KUBE-EXTERNAL-IP-LOCAL", "dst,dst", false));
        }
        rs.add(Rule.ipt(NAT, "KUBE-SERVICES", new Target.Jump("KUBE-NODE-PORT"), new AddrTypeLocal(true, false)));
        rs.add(Rule.ipt(NAT, "KUBE-LOAD-BALANCER", new Target.Jump("KUBE-MARK-MASQ")));
        rs.add(Rule.ipt(FILTER, "KUBE-SOURCE-RANGES-FIREWALL", new Target.Drop()));
        // acceptIPVSTraffic: the ClusterIP and LB sets, last in KUBE-SERVICES
        if (anyCip) {
            rs.add(Rule.ipt(NAT, "KUBE-SERVICES", acc, cip));
        }
        if (!ipsets.get("KUBE-LOAD-BALANCER").isEmpty()) {
            rs.add(Rule.ipt(NAT, "KUBE-SERVICES", acc, new IpSetMatch("KUBE-LOAD-BALANCER", "dst,dst", false)));
        }
        // IPVS mode writes no conntrack INVALID drop in KUBE-FORWARD, unlike iptables mode
        rs.add(Rule.ipt(FILTER, "KUBE-FORWARD", acc, new Comment("kubernetes forwarding rules"),
                new Mark(MASQ_MARK, false)));
        rs.add(Rule.ipt(FILTER, "KUBE-FORWARD", acc, new Comment("kubernetes forwarding conntrack rule"),
                new CtState("RELATED,ESTABLISHED", false)));
        rs.add(Rule.ipt(FILTER, "KUBE-NODE-PORT", acc, new Comment("Kubernetes health check node port"),
                new IpSetMatch("KUBE-HEALTH-CHECK-NODE-PORT", "dst", false)));
        for (String s : List.of("KUBE-LOAD-BALANCER", "KUBE-CLUSTER-IP", "KUBE-EXTERNAL-IP",
                "KUBE-EXTERNAL-IP-LOCAL")) {
            rs.add(Rule.ipt(FILTER, "KUBE-IPVS-FILTER", ret, new IpSetMatch(s, "dst,dst", false)));
        }
        rs.add(Rule.ipt(FILTER, "KUBE-IPVS-FILTER", ret, new IpSetMatch("KUBE-HEALTH-CHECK-NODE-PORT", "dst", false)));
        rs.add(Rule.ipt(FILTER, "KUBE-IPVS-FILTER", new Target.Reject(), new CtState("NEW", false), new IpSetMatch("KUBE-IPVS-IPS", "dst", false)));
        masqueradeChains(rs);
        // ipset save and ipvsadm -Sn listings
        StringBuilder sb = new StringBuilder();
        for (var e : ipsets.entrySet()) {
            String type = switch (e.getKey()) {
                case "KUBE-NODE-PORT-TCP", "KUBE-NODE-PORT-UDP", "KUBE-NODE-PORT-LOCAL-TCP",
                        "KUBE-NODE-PORT-LOCAL-UDP", "KUBE-HEALTH-CHECK-NODE-PORT" ->
                        "bitmap:port range 0-65535";
                case "KUBE-LOOP-BACK" -> "hash:ip,port,ip family inet hashsize 1024 maxelem 65536";
                case "KUBE-IPVS-IPS" -> "hash:ip family inet hashsize 1024 maxelem 65536";
                default -> "hash:ip,port family inet hashsize 1024 maxelem 65536";
            };
            sb.append("create ").append(e.getKey()).append(' ').append(type).append('\n');
            for (String m : e.getValue()) {
                sb.append("add ").append(e.getKey()).append(' ').append(m).append('\n');
            }
        }
        for (var e : ipvs.entrySet()) {
            String vs = ipvsAddr(e.getKey());
            sb.append("-A ").append(vs).append(" -s rr\n");
            for (Spec.EpSpec ep : e.getValue()) {
                sb.append("-a ").append(vs).append(" -r ").append(ep).append(" -m -w 1\n");
            }
        }
        rs.chain("ipset", "-");
        rs.extra("ipset", sb.toString().stripTrailing());
    }

    /** The externalIPRules pair: accept what comes from off the machine, and what is for a local address. */
    private static void externalIpAccepts(Ruleset rs, Comment c, IpSetMatch set) {
        Target acc = new Target.Accept();
        // "all traffic from off-machine": neither bridged in (a pod) nor sent by the node
        rs.add(Rule.ipt(NAT, "KUBE-SERVICES", acc, c, set, new PhysdevIsIn(true), new AddrTypeLocal(false, true)));
        rs.add(Rule.ipt(NAT, "KUBE-SERVICES", acc, c, set, new AddrTypeLocal(true, false)));
    }

    private static List<Spec.EpSpec> realServers(boolean local, KubeProxyRules.Endpoints eps, Spec.SvcSpec s) {
        return local && !eps.local().isEmpty() ? eps.local() : s.endpoints();
    }
}
