package io.github.cidrguard.trace;

import io.github.cidrguard.trace.routing.Route;
import static io.github.cidrguard.trace.KubeProxyNames.hashTrunc;
import static io.github.cidrguard.trace.KubeProxyNames.servicePortName;
import static io.github.cidrguard.trace.KubeProxyRules.KP;
import static io.github.cidrguard.trace.KubeProxyRules.MASQ_MARK;
import static io.github.cidrguard.trace.KubeProxyRules.nftNotLocal;
import static io.github.cidrguard.trace.KubeProxyRules.nodePortIps;
import static io.github.cidrguard.trace.KubeProxyRules.notLocal;

import io.github.cidrguard.net.AddressSet;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.trace.netfilter.Match.AddrTypeLocal;
import io.github.cidrguard.trace.netfilter.Match.CtState;
import io.github.cidrguard.trace.netfilter.Match.DPort;
import io.github.cidrguard.trace.netfilter.Match.Dst;
import io.github.cidrguard.trace.netfilter.Match.InSet;
import io.github.cidrguard.trace.netfilter.Match.Mark;
import io.github.cidrguard.trace.netfilter.Match.Proto;
import io.github.cidrguard.trace.netfilter.Match.Src;
import io.github.cidrguard.trace.netfilter.Match.Tuple;
import io.github.cidrguard.trace.netfilter.Match;
import io.github.cidrguard.trace.netfilter.Rule;
import io.github.cidrguard.trace.netfilter.Ruleset;
import io.github.cidrguard.trace.netfilter.Target;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code ip kube-proxy} table kube-proxy's nftables mode writes on one node. */
final class NftablesProxyRules {
    private NftablesProxyRules() {
    }

    /**
     * kube-proxy's nftables mode as of v1.33 (pkg/proxy/nftables/proxier.go): filter chains at dstnat-10 and
     * filter-output-post-dnat at dstnat+10 (v1.34 moved them), the ClusterIP masquerade rule matching the port (v1.34
     * dropped it), Cluster traffic policy only. Listed the way current nft prints it.
     */
    static void build(KubeProxyRules.Input in, Ruleset rs) {
        Cidr lease = in.lease();
        Map<IpAddress, Route> local = in.local();
        Spec.Proxy px = in.spec().proxy();
        Target acc = new Target.Accept();
        CtState neu = new CtState("NEW", false);
        rs.nftBase(KP, "filter-prerouting", "type filter hook prerouting priority dstnat - 10; policy accept;",
                "PREROUTING", -110, false);
        // nft names a priority only where the name is valid for the hook (src/rule.c prio2str): dstnat on prerouting
        // and output, never on input or forward, so those two list as numbers
        rs.nftBase(KP, "filter-input", "type filter hook input priority -110; policy accept;", "INPUT", -110, false);
        rs.nftBase(KP, "filter-forward", "type filter hook forward priority -110; policy accept;", "FORWARD", -110,
                false);
        rs.nftBase(KP, "filter-output", "type filter hook output priority dstnat - 10; policy accept;", "OUTPUT",
                -110, false);
        rs.nftBase(KP, "filter-output-post-dnat", "type filter hook output priority dstnat + 10; policy accept;",
                "OUTPUT", -90, false);
        rs.nftBase(KP, "nat-prerouting", "type nat hook prerouting priority dstnat; policy accept;", "PREROUTING",
                -100, true);
        rs.nftBase(KP, "nat-output", "type nat hook output priority dstnat; policy accept;", "OUTPUT", -100, true);
        rs.nftBase(KP, "nat-postrouting", "type nat hook postrouting priority srcnat; policy accept;",
                "POSTROUTING", 100, true);
        for (String c : List.of("firewall-check", "cluster-ips-check", "service-endpoints-check",
                "nodeport-endpoints-check", "reject-chain", "mark-for-masquerade", "masquerading", "services")) {
            rs.chain(KP, c);
        }
        rs.comment(KP, null, "rules for kube-proxy");
        rs.comment(KP, "reject-chain", "helper for @no-endpoint-services / @no-endpoint-nodeports");
        rs.add(ctNewJump("filter-prerouting", "firewall-check", neu));
        rs.add(ctNewJump("filter-input", "nodeport-endpoints-check", neu));
        rs.add(ctNewJump("filter-input", "service-endpoints-check", neu));
        rs.add(ctNewJump("filter-forward", "service-endpoints-check", neu));
        rs.add(ctNewJump("filter-forward", "cluster-ips-check", neu));
        rs.add(ctNewJump("filter-output", "service-endpoints-check", neu));
        rs.add(ctNewJump("filter-output", "firewall-check", neu));
        rs.add(ctNewJump("filter-output-post-dnat", "cluster-ips-check", neu));
        rs.add(Rule.nft(KP, "nat-prerouting", "jump services", new Target.Jump("services")));
        rs.add(Rule.nft(KP, "nat-output", "jump services", new Target.Jump("services")));
        rs.add(Rule.nft(KP, "nat-postrouting", "jump masquerading", new Target.Jump("masquerading")));
        rs.add(Rule.nft(KP, "reject-chain", "reject", new Target.Reject()));
        rs.add(Rule.nft(KP, "mark-for-masquerade", "meta mark set meta mark | 0x00004000",
                new Target.SetMark(MASQ_MARK, true)));
        rs.add(Rule.nft(KP, "masquerading", "meta mark & 0x00004000 == 0x00000000 return", new Target.Return(),
                new Mark(MASQ_MARK, true)));
        rs.add(Rule.nft(KP, "masquerading", "meta mark set meta mark ^ 0x00004000",
                new Target.SetMark(MASQ_MARK, false)));
        rs.add(Rule.nft(KP, "masquerading", "masquerade fully-random", new Target.Masquerade(true)));

        List<String> svcIps = new ArrayList<>();
        List<String> noEp = new ArrayList<>();
        List<String> noEpNodePorts = new ArrayList<>();
        List<String> nodePorts = new ArrayList<>();
        Set<String> clusterIps = new LinkedHashSet<>();
        List<Rule> services = new ArrayList<>();
        List<Rule> nodeportRules = new ArrayList<>();
        List<Rule> noEpRules = new ArrayList<>();
        List<Rule> noEpNodePortRules = new ArrayList<>();
        Match notLocal = notLocal(px, lease, false);
        String svcVmap = "ip daddr . meta l4proto . th dport vmap @service-ips";
        String noEpVmap = "ip daddr . meta l4proto . th dport vmap @no-endpoint-services";
        List<IpAddress> npIps = nodePortIps(px, in.node().ip(), local, true);
        String npVmap = "ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports";
        String noEpNpVmap = "ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports";
        AddressSet npSet = AddressSet.ofCidrs(npIps.stream().map(Cidr::of).toList());
        for (Spec.SvcSpec s : in.spec().services()) {
            if (s.clusterIp() != null) {
                clusterIps.add(s.clusterIp().toString());
            }
            for (Spec.PortSpec p : s.ports()) {
                String proto = p.proto().lowerCase();
                // servicePortChainNameBase: "namespace/name/protocol/portName", endpoints add "__ip/port"
                String base = s.name() + "/" + proto + "/" + p.name();
                String svcChain = "service-" + hashTrunc(base);
                String localChain = "local-" + hashTrunc(base);
                String extChain = "external-" + hashTrunc(base);
                KubeProxyRules.Endpoints eps = KubeProxyRules.categorize(in, s, p);
                boolean hasEp = eps.any();
                boolean extLocal = s.externalLocal(p);
                String internalChain = s.internalLocal() ? localChain : svcChain;
                String externalPolicyChain = extLocal ? localChain : svcChain;
                boolean hasInternal = hasEp && (!s.internalLocal() || !eps.local().isEmpty());
                boolean hasExternal = hasEp && (!extLocal || !eps.local().isEmpty());
                // no endpoints at all: goto reject-chain; a Local policy without endpoints on this node: drop
                String verdict = hasEp ? "drop" : "goto reject-chain";
                Target filter = hasEp ? new Target.Drop() : new Target.Goto("reject-chain");
                // no-endpoint elements carry the ServicePortName as their comment
                String why = " comment \"" + servicePortName(s, p) + "\" : " + verdict;
                List<IpAddress> external = new ArrayList<>(s.externalIps());
                external.addAll(s.loadBalancerIps());
                if (s.clusterIp() != null) {
                    if (hasInternal) {
                        svcIps.add(s.clusterIp() + " . " + proto + " . " + p.port() + " : goto " + internalChain);
                        services.add(Rule.nft(KP, "services", svcVmap, new Target.Goto(internalChain),
                                new Tuple(s.clusterIp(), p.proto(), p.port())));
                    } else {
                        noEp.add(s.clusterIp() + " . " + proto + " . " + p.port() + why);
                        noEpRules.add(Rule.nft(KP, "service-endpoints-check", noEpVmap, filter,
                                new Tuple(s.clusterIp(), p.proto(), p.port())));
                    }
                }
                // externalIPs, then LoadBalancer ingress IPs (no firewall-ips element: no source ranges)
                for (IpAddress e : external) {
                    if (hasEp) {
                        svcIps.add(e + " . " + proto + " . " + p.port() + " : goto " + extChain);
                        services.add(Rule.nft(KP, "services", svcVmap, new Target.Goto(extChain),
                                new Tuple(e, p.proto(), p.port())));
                    }
                    if (!hasExternal) {
                        noEp.add(e + " . " + proto + " . " + p.port() + why);
                        noEpRules.add(Rule.nft(KP, "service-endpoints-check", noEpVmap, filter,
                                new Tuple(e, p.proto(), p.port())));
                    }
                }
                if (p.nodePort() > 0) {
                    if (hasEp) {
                        nodePorts.add(proto + " . " + p.nodePort() + " : goto " + extChain);
                        nodeportRules.add(Rule.nft(KP, "services", npVmap, new Target.Goto(extChain),
                                new InSet(npSet, true, false), new Tuple(null, p.proto(), p.nodePort())));
                    }
                    if (!hasExternal) {
                        noEpNodePorts.add(proto + " . " + p.nodePort() + why);
                        noEpNodePortRules.add(Rule.nft(KP, "nodeport-endpoints-check", noEpNpVmap, filter,
                                new InSet(npSet, true, false), new Tuple(null, p.proto(), p.nodePort())));
                    }
                }
                if (!hasEp) {
                    continue;
                }
                if (!eps.cluster().isEmpty()) {
                    rs.chain(KP, svcChain);
                }
                if (!eps.local().isEmpty()) {
                    rs.chain(KP, localChain);
                }
                if (s.externallyAccessible(p)) {
                    rs.chain(KP, extChain);
                    if (!extLocal) {
                        rs.add(Rule.nft(KP, extChain, "jump mark-for-masquerade",
                                new Target.Jump("mark-for-masquerade")));
                    } else {
                        Match isLocal = notLocal(px, lease, true);
                        if (isLocal != null) {
                            rs.add(Rule.nft(KP, extChain, nftLocal(isLocal) + " goto " + svcChain
                                    + " comment \"short-circuit pod traffic\"", new Target.Goto(svcChain), isLocal));
                        }
                        rs.add(Rule.nft(KP, extChain, "fib saddr type local jump mark-for-masquerade comment "
                                + "\"masquerade local traffic\"", new Target.Jump("mark-for-masquerade"),
                                new AddrTypeLocal(false, false)));
                        rs.add(Rule.nft(KP, extChain, "fib saddr type local goto " + svcChain + " comment "
                                + "\"short-circuit local traffic\"", new Target.Goto(svcChain),
                                new AddrTypeLocal(false, false)));
                    }
                    if (hasExternal) {
                        rs.add(Rule.nft(KP, extChain, "goto " + externalPolicyChain,
                                new Target.Goto(externalPolicyChain)));
                    }
                }
                if (hasInternal && s.clusterIp() != null) {
                    String d = "ip daddr " + s.clusterIp() + " " + proto + " dport " + p.port();
                    if (px.masqueradeAll()) {
                        rs.add(Rule.nft(KP, internalChain, d + " jump mark-for-masquerade",
                                new Target.Jump("mark-for-masquerade"), new Dst(Cidr.of(s.clusterIp()), false),
                                new DPort(p.proto(), p.port())));
                    } else if (notLocal != null) {
                        rs.add(Rule.nft(KP, internalChain, d + " " + nftNotLocal(notLocal)
                                + " jump mark-for-masquerade", new Target.Jump("mark-for-masquerade"),
                                new Dst(Cidr.of(s.clusterIp()), false), new DPort(p.proto(), p.port()), notLocal));
                    }
                }
                if (!eps.cluster().isEmpty()) {
                    rs.add(endpointVmap(svcChain, base, eps.cluster()));
                }
                if (!eps.local().isEmpty()) {
                    rs.add(endpointVmap(localChain, base, eps.local()));
                }
                for (Spec.EpSpec ep : eps.reachable()) {
                    String epChain = endpointChain(base, ep);
                    rs.chain(KP, epChain);
                    rs.add(Rule.nft(KP, epChain, "ip saddr " + ep.ip() + " jump mark-for-masquerade",
                            new Target.Jump("mark-for-masquerade"), new Src(Cidr.of(ep.ip()), false)));
                    rs.add(Rule.nft(KP, epChain, "meta l4proto " + proto + " dnat to " + ep,
                            new Target.Dnat(ep.ip(), ep.port()), new Proto(p.proto())));
                }
            }
        }
        // a verdict map rule is listed even when its map is empty; model it with a never-matching element
        Tuple none = new Tuple(IpAddress.parse("0.0.0.0"), Protocol.ICMP, -1);
        if (services.isEmpty()) {
            services.add(Rule.nft(KP, "services", svcVmap, new Target.Return(), none));
        }
        if (nodeportRules.isEmpty()) {
            nodeportRules.add(Rule.nft(KP, "services", npVmap, new Target.Return(), none));
        }
        if (noEpRules.isEmpty()) {
            noEpRules.add(Rule.nft(KP, "service-endpoints-check", noEpVmap, new Target.Return(), none));
        }
        if (noEpNodePortRules.isEmpty()) {
            noEpNodePortRules.add(Rule.nft(KP, "nodeport-endpoints-check", noEpNpVmap, new Target.Return(), none));
        }
        services.forEach(rs::add);
        nodeportRules.forEach(rs::add);
        noEpRules.forEach(rs::add);
        noEpNodePortRules.forEach(rs::add);
        // LoadBalancerSourceRanges are not modelled: the map stays empty, the rule is listed all the same
        rs.add(Rule.nft(KP, "firewall-check", "ip daddr . meta l4proto . th dport vmap @firewall-ips",
                new Target.Return(), none));
        AddressSet cips = AddressSet.ofCidrs(clusterIps.stream().map(a -> Cidr.of(IpAddress.parse(a))).toList());
        rs.add(Rule.nft(KP, "cluster-ips-check",
                "ip daddr @cluster-ips reject comment \"Reject traffic to invalid ports of ClusterIPs\"",
                new Target.Reject(), new InSet(cips, true, false)));
        if (!in.spec().serviceCidrs().isEmpty()) {
            StringBuilder sc = new StringBuilder();
            for (Cidr c : in.spec().serviceCidrs()) {
                sc.append(sc.length() > 0 ? ", " : "").append(c);
            }
            // kube-proxy writes "{ cidrs }"; nft turns a one-element anonymous set into the plain value and lists it so
            String to = in.spec().serviceCidrs().size() == 1 ? sc.toString() : "{ " + sc + " }";
            rs.add(Rule.nft(KP, "cluster-ips-check", "ip daddr " + to + " drop comment \"Drop traffic to "
                    + "unallocated ClusterIPs\"", new Target.Drop(), new InSet(in.serviceCidrs(), true, false)));
        }
        rs.extra(KP, set("cluster-ips", "ipv4_addr", "Active ClusterIPs", new ArrayList<>(clusterIps)));
        rs.extra(KP, set("nodeport-ips", "ipv4_addr", "IPs that accept NodePort traffic",
                npIps.stream().map(IpAddress::toString).toList()));
        rs.extra(KP, map("no-endpoint-services", "ipv4_addr . inet_proto . inet_service : verdict",
                "vmap to drop or reject packets to services with no endpoints", noEp));
        rs.extra(KP, map("service-ips", "ipv4_addr . inet_proto . inet_service : verdict",
                "ClusterIP, ExternalIP and LoadBalancer IP traffic", svcIps));
        rs.extra(KP, map("no-endpoint-nodeports", "inet_proto . inet_service : verdict",
                "vmap to drop or reject packets to service nodeports with no endpoints", noEpNodePorts));
        rs.extra(KP, map("service-nodeports", "inet_proto . inet_service : verdict", "NodePort traffic",
                nodePorts));
        rs.extra(KP, map("firewall-ips", "ipv4_addr . inet_proto . inet_service : verdict",
                "destinations that are subject to LoadBalancerSourceRanges", List.of()));
    }

    private static String endpointChain(String base, Spec.EpSpec ep) {
        return "endpoint-" + hashTrunc(base + "__" + ep.ip() + "/" + ep.port());
    }

    /** The policy chain's {@code numgen} dispatch; the model follows its element 0. */
    private static Rule endpointVmap(String chain, String base, List<Spec.EpSpec> eps) {
        StringBuilder vm = new StringBuilder("numgen random mod " + eps.size() + " vmap { ");
        for (int i = 0; i < eps.size(); i++) {
            vm.append(i > 0 ? ", " : "").append(i).append(" : goto ").append(endpointChain(base, eps.get(i)));
        }
        vm.append(" }");
        return Rule.nft(KP, chain, vm.toString(), new Target.Goto(endpointChain(base, eps.get(0))));
    }

    /** The detector's "is local" condition as nft lists it ({@code IfLocalNFT}). */
    private static String nftLocal(Match m) {
        return nftNotLocal(m).replace(" != ", " ");
    }

    private static String set(String name, String type, String comment, List<String> elements) {
        return "\tset " + name + " {\n\t\ttype " + type + "\n\t\tcomment \"" + comment + "\""
                + (elements.isEmpty() ? "" : "\n\t\telements = { " + String.join(", ", elements) + " }")
                + "\n\t}";
    }

    private static String map(String name, String type, String comment, List<String> elements) {
        return "\tmap " + name + " {\n\t\ttype " + type + "\n\t\tcomment \"" + comment + "\""
                + (elements.isEmpty() ? "" : "\n\t\telements = { " + String.join(",\n\t\t\t     ", elements)
                + " }") + "\n\t}";
    }

    /** kube-proxy's nftables {@code ct state new jump <to>} rule in {@code chain}; the text is derived from the target. */
    private static Rule ctNewJump(String chain, String to, Match neu) {
        return Rule.nft(KP, chain, "ct state new jump " + to, new Target.Jump(to), neu);
    }
}
