package io.github.cidrguard.trace;

import io.github.cidrguard.kube.DetectLocalMode;

import io.github.cidrguard.net.AddressSet;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.trace.netfilter.Match;
import io.github.cidrguard.trace.netfilter.Rule;
import io.github.cidrguard.trace.netfilter.Ruleset;
import io.github.cidrguard.trace.netfilter.Target;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.cidrguard.trace.netfilter.Match.AddrTypeLocal;
import io.github.cidrguard.trace.netfilter.Match.Comment;
import io.github.cidrguard.trace.netfilter.Match.CtState;
import io.github.cidrguard.trace.netfilter.Match.DPort;
import io.github.cidrguard.trace.netfilter.Match.Dst;
import io.github.cidrguard.trace.netfilter.Match.InIf;
import io.github.cidrguard.trace.netfilter.Match.InSet;
import io.github.cidrguard.trace.netfilter.Match.IpSetMatch;
import io.github.cidrguard.trace.netfilter.Match.Mark;
import io.github.cidrguard.trace.netfilter.Match.PhysdevIsIn;
import io.github.cidrguard.trace.netfilter.Match.Probability;
import io.github.cidrguard.trace.netfilter.Match.Proto;
import io.github.cidrguard.trace.netfilter.Match.Src;
import io.github.cidrguard.trace.netfilter.Match.Tuple;

/** Builds the netfilter rules kube-proxy and flanneld install on one node. */
final class Rules {
    static final int MASQ_MARK = 0x4000;
    static final String NAT = "nat";
    static final String FILTER = "filter";
    static final String KP = "ip kube-proxy";
    static final String FL = "ip flannel-ipv4";
    static final Cidr MULTICAST = Cidr.parse("224.0.0.0/4");
    static final Cidr LOOPBACK = Cidr.parse("127.0.0.0/8");

    private Rules() {
    }

    static void build(Plane plane, int nodeIndex, Cidr lease, Map<IpAddress, Route> local, Ruleset rs,
                      Map<String, Set<String>> ipsets, Map<String, List<Spec.EpSpec>> ipvs) {
        // iptables built-in chains (iptables-nft and legacy iptables hook at the classic priorities)
        rs.iptBase(NAT, "PREROUTING", -100);
        rs.iptBase(NAT, "INPUT", 100);
        rs.iptBase(NAT, "OUTPUT", -100);
        rs.iptBase(NAT, "POSTROUTING", 100);
        rs.iptBase(FILTER, "INPUT", 0);
        rs.iptBase(FILTER, "FORWARD", 0);
        rs.iptBase(FILTER, "OUTPUT", 0);
        Spec spec = plane.spec;
        switch (plane.proxyMode() == null ? "none" : plane.proxyMode().label()) {
            case "iptables" -> {
                // kube-proxy writes the same rules on every node unless they name the node's podCIDR or addresses
                Spec.Proxy px = spec.proxy();
                boolean shared = px.detectLocal() != DetectLocalMode.NODE_CIDR && px.nodePortAddresses().isEmpty();
                if (shared && plane.kubeTemplate != null) {
                    rs.replaceTables(plane.kubeTemplate);
                } else {
                    kubeIptables(plane, nodeIndex, lease, local, rs);
                    if (shared) {
                        plane.kubeTemplate = rs.copy();
                    }
                }
            }
            case "nftables" -> kubeNft(plane, nodeIndex, lease, local, rs);
            case "ipvs" -> kubeIpvs(plane, nodeIndex, lease, local, rs, ipsets, ipvs);
            default -> {
            }
        }
        if (spec.flannel() != null && plane.network != null && lease != null) {
            if (spec.flannel().nft()) {
                flannelNft(spec.flannel(), plane.network, lease, rs);
            } else {
                flannelIptables(spec.flannel(), plane.network, lease, rs);
            }
        }
    }

    // ---------------------------------------------------------------- flannel

    static void flannelIptables(Spec.Flannel f, Cidr n, Cidr l, Ruleset rs) {
        Comment masq = new Comment("flanneld masq");
        Comment fwd = new Comment("flanneld forward");
        Target.Masquerade m = new Target.Masquerade(true);
        Target ret = new Target.Return();
        Target acc = new Target.Accept();
        if (f.ruleSet() == Spec.RuleSet.LEGACY) {
            if (f.ipMasq()) {
                String c = "POSTROUTING";
                rs.add(Rule.ipt(NAT, c, ret, new Src(n, false), new Dst(n, false), masq));
                rs.add(Rule.ipt(NAT, c, m, new Src(n, false), new Dst(MULTICAST, true), masq));
                rs.add(Rule.ipt(NAT, c, ret, new Src(n, true), new Dst(l, false), masq));
                rs.add(Rule.ipt(NAT, c, m, new Src(n, true), new Dst(n, false), masq));
            }
            rs.add(Rule.ipt(FILTER, "FORWARD", acc, new Src(n, false), fwd));
            rs.add(Rule.ipt(FILTER, "FORWARD", acc, new Dst(n, false), fwd));
            return;
        }
        if (f.ipMasq()) {
            String c = "FLANNEL-POSTRTG";
            rs.chain(NAT, c);
            rs.add(Rule.ipt(NAT, "POSTROUTING", new Target.Jump(c), masq));
            rs.add(Rule.ipt(NAT, c, ret, new Mark(MASQ_MARK, false), masq));
            rs.add(Rule.ipt(NAT, c, ret, new Src(l, false), new Dst(n, false), masq));
            rs.add(Rule.ipt(NAT, c, ret, new Src(n, false), new Dst(l, false), masq));
            rs.add(Rule.ipt(NAT, c, ret, new Src(n, true), new Dst(l, false), masq));
            rs.add(Rule.ipt(NAT, c, m, new Src(n, false), new Dst(MULTICAST, true), masq));
            rs.add(Rule.ipt(NAT, c, m, new Src(n, true), new Dst(n, false), masq));
        }
        rs.chain(FILTER, "FLANNEL-FWD");
        rs.add(Rule.ipt(FILTER, "FORWARD", new Target.Jump("FLANNEL-FWD"), fwd));
        rs.add(Rule.ipt(FILTER, "FLANNEL-FWD", acc, new Src(n, false), fwd));
        rs.add(Rule.ipt(FILTER, "FLANNEL-FWD", acc, new Dst(n, false), fwd));
    }

    static void flannelNft(Spec.Flannel f, Cidr n, Cidr l, Ruleset rs) {
        Target ret = new Target.Return();
        Target m = new Target.Masquerade(true);
        if (f.ipMasq()) {
            rs.nftBase(FL, "postrtg", "type nat hook postrouting priority srcnat; policy accept;", "POSTROUTING",
                    100, true);
            rs.add(Rule.nft(FL, "postrtg", "meta mark 0x00004000 return", ret, new Mark(MASQ_MARK, false)));
            rs.add(Rule.nft(FL, "postrtg", "ip saddr " + l + " ip daddr " + n + " return", ret,
                    new Src(l, false), new Dst(n, false)));
            rs.add(Rule.nft(FL, "postrtg", "ip saddr " + n + " ip daddr " + l + " return", ret,
                    new Src(n, false), new Dst(l, false)));
            rs.add(Rule.nft(FL, "postrtg", "ip saddr != " + l + " ip daddr " + n + " return", ret,
                    new Src(l, true), new Dst(n, false)));
            rs.add(Rule.nft(FL, "postrtg", "ip saddr " + n + " ip daddr != 224.0.0.0/4 masquerade fully-random", m,
                    new Src(n, false), new Dst(MULTICAST, true)));
            rs.add(Rule.nft(FL, "postrtg", "ip saddr != " + n + " ip daddr " + n + " masquerade fully-random", m,
                    new Src(n, true), new Dst(n, false)));
        }
        rs.nftBase(FL, "forward", "type filter hook forward priority filter; policy accept;", "FORWARD", 0, false);
        rs.add(Rule.nft(FL, "forward", "ip saddr " + n + " accept", new Target.Accept(), new Src(n, false)));
        rs.add(Rule.nft(FL, "forward", "ip daddr " + n + " accept", new Target.Accept(), new Dst(n, false)));
    }

    // ---------------------------------------------------------------- kube-proxy, shared

    /** base32(sha256(s)), the first {@code len} characters, as kube-proxy names its chains. */
    static String hash(String s, int len) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return base32(h).substring(0, len);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base32(byte[] data) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder sb = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(alphabet.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    /**
     * kube-proxy's {@code ServicePortName.String()} (pkg/proxy/types.go): {@code namespace/name}, then {@code :port}
     * only when the port is named. It names the iptables chains and fills the rule comments.
     */
    static String servicePortName(Spec.SvcSpec s, Spec.PortSpec p) {
        return p.name().isEmpty() ? s.name() : s.name() + ":" + p.name();
    }

    /** iptables-save's rendering of a statistic probability (stored as a 31-bit fraction, printed with %.11f). */
    static String probability(double p) {
        long v = Math.round(0x80000000L * p);
        return String.format(Locale.ROOT, "%.11f", v / 2147483648.0);
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

    // ---------------------------------------------------------------- kube-proxy iptables mode

    static void kubeIptables(Plane plane, int node, Cidr lease, Map<IpAddress, Route> local, Ruleset rs) {
        Spec.Proxy px = plane.spec.proxy();
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
        for (Spec.SvcSpec s : plane.spec.services()) {
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
        List<IpAddress> npIps = nodePortIps(px, plane.nodes[node].ip(), local, false);
        if (npIps == null) {
            rs.add(Rule.ipt(NAT, "KUBE-SERVICES", new Target.Jump("KUBE-NODEPORTS"), new Comment(npComment),
                    new AddrTypeLocal(true, false)));
        } else {
            for (IpAddress a : npIps) {
                rs.add(Rule.ipt(NAT, "KUBE-SERVICES", new Target.Jump("KUBE-NODEPORTS"), new Dst(Cidr.of(a), false),
                        new Comment(npComment)));
            }
        }
        svcRules.forEach(rs::add);
    }

    static void masqueradeChains(Ruleset rs) {
        rs.add(Rule.ipt(NAT, "KUBE-POSTROUTING", new Target.Return(), new Mark(MASQ_MARK, true)));
        rs.add(Rule.ipt(NAT, "KUBE-POSTROUTING", new Target.SetMark(MASQ_MARK, false)));
        rs.add(Rule.ipt(NAT, "KUBE-POSTROUTING", new Target.Masquerade(true),
                new Comment("kubernetes service traffic requiring SNAT")));
        rs.add(Rule.ipt(NAT, "KUBE-MARK-MASQ", new Target.SetMark(MASQ_MARK, true)));
    }

    // ---------------------------------------------------------------- kube-proxy nftables mode

    /**
     * kube-proxy's nftables {@code hashAndTruncate}: 8 hash characters, a dash, the name, cut with "..." to
     * chainNameBaseLengthMax, which is knftables' 256-character name limit less 16 reserved for the chain prefix.
     */
    static String hashTrunc(String name) {
        String s = hash(name, 8) + "-" + name;
        return s.length() > 240 ? s.substring(0, 237) + "..." : s;
    }

    /**
     * kube-proxy's nftables mode as of v1.33 (pkg/proxy/nftables/proxier.go): filter chains at dstnat-10 and
     * filter-output-post-dnat at dstnat+10 (v1.34 moved them), the ClusterIP masquerade rule matching the port (v1.34
     * dropped it), Cluster traffic policy only. Listed the way current nft prints it.
     */
    static void kubeNft(Plane plane, int node, Cidr lease, Map<IpAddress, Route> local, Ruleset rs) {
        Spec.Proxy px = plane.spec.proxy();
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
        List<IpAddress> npIps = nodePortIps(px, plane.nodes[node].ip(), local, true);
        String npVmap = "ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports";
        String noEpNpVmap = "ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports";
        AddressSet npSet = AddressSet.ofCidrs(npIps.stream().map(Cidr::of).toList());
        for (Spec.SvcSpec s : plane.spec.services()) {
            if (s.clusterIp() != null) {
                clusterIps.add(s.clusterIp().toString());
            }
            for (Spec.PortSpec p : s.ports()) {
                String proto = p.proto().lowerCase();
                // servicePortChainNameBase: "namespace/name/protocol/portName", endpoints add "__ip/port"
                String base = s.name() + "/" + proto + "/" + p.name();
                String svcChain = "service-" + hashTrunc(base);
                String extChain = "external-" + hashTrunc(base);
                if (s.endpoints().isEmpty()) {
                    // no-endpoint elements carry the ServicePortName as their comment
                    String why = " comment \"" + servicePortName(s, p) + "\" : goto reject-chain";
                    for (IpAddress a : addrs(s)) {
                        noEp.add(a + " . " + proto + " . " + p.port() + why);
                        noEpRules.add(Rule.nft(KP, "service-endpoints-check", noEpVmap,
                                new Target.Goto("reject-chain"), new Tuple(a, p.proto(), p.port())));
                    }
                    if (p.nodePort() > 0) {
                        noEpNodePorts.add(proto + " . " + p.nodePort() + why);
                        noEpNodePortRules.add(Rule.nft(KP, "nodeport-endpoints-check", noEpNpVmap,
                                new Target.Goto("reject-chain"), new InSet(npSet, true, false),
                                new Tuple(null, p.proto(), p.nodePort())));
                    }
                    continue;
                }
                rs.chain(KP, svcChain);
                boolean needExt = !s.externalIps().isEmpty() || p.nodePort() > 0;
                if (s.clusterIp() != null) {
                    svcIps.add(s.clusterIp() + " . " + proto + " . " + p.port() + " : goto " + svcChain);
                    services.add(Rule.nft(KP, "services", svcVmap, new Target.Goto(svcChain),
                            new Tuple(s.clusterIp(), p.proto(), p.port())));
                }
                for (IpAddress e : s.externalIps()) {
                    svcIps.add(e + " . " + proto + " . " + p.port() + " : goto " + extChain);
                    services.add(Rule.nft(KP, "services", svcVmap, new Target.Goto(extChain),
                            new Tuple(e, p.proto(), p.port())));
                }
                if (p.nodePort() > 0) {
                    nodePorts.add(proto + " . " + p.nodePort() + " : goto " + extChain);
                    nodeportRules.add(Rule.nft(KP, "services", npVmap, new Target.Goto(extChain),
                            new InSet(npSet, true, false), new Tuple(null, p.proto(), p.nodePort())));
                }
                if (needExt) {
                    rs.chain(KP, extChain);
                    rs.add(Rule.nft(KP, extChain, "jump mark-for-masquerade", new Target.Jump("mark-for-masquerade")));
                    rs.add(Rule.nft(KP, extChain, "goto " + svcChain, new Target.Goto(svcChain)));
                }
                if (s.clusterIp() != null) {
                    String d = "ip daddr " + s.clusterIp() + " " + proto + " dport " + p.port();
                    if (px.masqueradeAll()) {
                        rs.add(Rule.nft(KP, svcChain, d + " jump mark-for-masquerade",
                                new Target.Jump("mark-for-masquerade"), new Dst(Cidr.of(s.clusterIp()), false),
                                new DPort(p.proto(), p.port())));
                    } else if (notLocal != null) {
                        rs.add(Rule.nft(KP, svcChain, d + " " + nftNotLocal(notLocal) + " jump mark-for-masquerade",
                                new Target.Jump("mark-for-masquerade"), new Dst(Cidr.of(s.clusterIp()), false),
                                new DPort(p.proto(), p.port()), notLocal));
                    }
                }
                StringBuilder vm = new StringBuilder("numgen random mod " + s.endpoints().size() + " vmap { ");
                List<String> epChains = new ArrayList<>();
                for (int i = 0; i < s.endpoints().size(); i++) {
                    Spec.EpSpec ep = s.endpoints().get(i);
                    String epChain = "endpoint-" + hashTrunc(base + "__" + ep.ip() + "/" + ep.port());
                    epChains.add(epChain);
                    vm.append(i > 0 ? ", " : "").append(i).append(" : goto ").append(epChain);
                }
                vm.append(" }");
                rs.add(Rule.nft(KP, svcChain, vm.toString(), new Target.Goto(epChains.get(0))));
                for (int i = 0; i < s.endpoints().size(); i++) {
                    Spec.EpSpec ep = s.endpoints().get(i);
                    String epChain = epChains.get(i);
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
        if (!plane.spec.serviceCidrs().isEmpty()) {
            StringBuilder sc = new StringBuilder();
            for (Cidr c : plane.spec.serviceCidrs()) {
                sc.append(sc.length() > 0 ? ", " : "").append(c);
            }
            // kube-proxy writes "{ cidrs }"; nft turns a one-element anonymous set into the plain value and lists it so
            String to = plane.spec.serviceCidrs().size() == 1 ? sc.toString() : "{ " + sc + " }";
            rs.add(Rule.nft(KP, "cluster-ips-check", "ip daddr " + to + " drop comment \"Drop traffic to "
                    + "unallocated ClusterIPs\"", new Target.Drop(), new InSet(plane.serviceCidrs, true, false)));
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

    private static List<IpAddress> addrs(Spec.SvcSpec s) {
        List<IpAddress> out = new ArrayList<>();
        if (s.clusterIp() != null) {
            out.add(s.clusterIp());
        }
        out.addAll(s.externalIps());
        return out;
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

    // ---------------------------------------------------------------- kube-proxy ipvs mode

    /**
     * kube-proxy's IPVS mode as of v1.33 (pkg/proxy/ipvs/proxier.go, syncProxyRules and writeIptablesRules): ipsets,
     * virtual servers, and the iptables rules around them, Cluster traffic policy only. A rule matching an ipset is
     * written only while that set has members, as writeIptablesRules does.
     */
    static void kubeIpvs(Plane plane, int node, Cidr lease, Map<IpAddress, Route> local, Ruleset rs,
                         Map<String, Set<String>> ipsets, Map<String, List<Spec.EpSpec>> ipvs) {
        Spec.Proxy px = plane.spec.proxy();
        Target acc = new Target.Accept();
        Target ret = new Target.Return();
        for (String s : List.of("KUBE-CLUSTER-IP", "KUBE-EXTERNAL-IP", "KUBE-EXTERNAL-IP-LOCAL",
                "KUBE-LOAD-BALANCER", "KUBE-NODE-PORT-TCP", "KUBE-NODE-PORT-UDP", "KUBE-NODE-PORT-SCTP-HASH",
                "KUBE-LOOP-BACK", "KUBE-IPVS-IPS", "KUBE-HEALTH-CHECK-NODE-PORT")) {
            ipsets.put(s, new LinkedHashSet<>());
        }
        IpAddress nodeIp = plane.nodes[node].ip();
        Cidr pods = lease != null ? lease : plane.nodes[node].podCidr();
        List<IpAddress> npAddrs = new ArrayList<>();
        List<IpAddress> np = nodePortIps(px, nodeIp, local, false);
        npAddrs.addAll(np == null ? local.keySet() : np);
        for (Spec.SvcSpec s : plane.spec.services()) {
            for (Spec.PortSpec p : s.ports()) {
                String proto = p.proto().lowerCase();
                if (s.clusterIp() != null) {
                    ipsets.get("KUBE-CLUSTER-IP").add(s.clusterIp() + "," + proto + ":" + p.port());
                    ipvs.put(s.clusterIp() + "," + proto + ":" + p.port(), s.endpoints());
                    ipsets.get("KUBE-IPVS-IPS").add(s.clusterIp().toString());
                }
                for (IpAddress e : s.externalIps()) {
                    ipsets.get("KUBE-EXTERNAL-IP").add(e + "," + proto + ":" + p.port());
                    ipvs.put(e + "," + proto + ":" + p.port(), s.endpoints());
                    if (!local.containsKey(e)) {
                        ipsets.get("KUBE-IPVS-IPS").add(e.toString());
                    }
                }
                if (p.nodePort() > 0) {
                    for (IpAddress a : npAddrs) {
                        ipvs.put(a + "," + proto + ":" + p.nodePort(), s.endpoints());
                        if (p.proto() == Protocol.SCTP) {
                            // SCTP's set is hash:ip,port, so it holds every NodePort address
                            ipsets.get("KUBE-NODE-PORT-SCTP-HASH").add(a + ",sctp:" + p.nodePort());
                        }
                    }
                    if (p.proto() != Protocol.SCTP) {
                        ipsets.get("KUBE-NODE-PORT-" + p.proto().name()).add("" + p.nodePort());
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
        for (Protocol pr : List.of(Protocol.TCP, Protocol.UDP, Protocol.SCTP)) {
            boolean sctp = pr == Protocol.SCTP;
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
            // "all traffic from off-machine": neither bridged in (a pod) nor sent by the node
            rs.add(Rule.ipt(NAT, "KUBE-SERVICES", acc, eC, eip, new PhysdevIsIn(true), new AddrTypeLocal(false, true)));
            rs.add(Rule.ipt(NAT, "KUBE-SERVICES", acc, eC, eip, new AddrTypeLocal(true, false)));
        }
        rs.add(Rule.ipt(NAT, "KUBE-SERVICES", new Target.Jump("KUBE-NODE-PORT"), new AddrTypeLocal(true, false)));
        rs.add(Rule.ipt(NAT, "KUBE-LOAD-BALANCER", new Target.Jump("KUBE-MARK-MASQ")));
        rs.add(Rule.ipt(FILTER, "KUBE-SOURCE-RANGES-FIREWALL", new Target.Drop()));
        if (anyCip) {
            rs.add(Rule.ipt(NAT, "KUBE-SERVICES", acc, cip));
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
                case "KUBE-NODE-PORT-TCP", "KUBE-NODE-PORT-UDP", "KUBE-HEALTH-CHECK-NODE-PORT" ->
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

    /** "10.0.0.1,tcp:80" -> "-t 10.0.0.1:80" as ipvsadm -Sn prints a virtual service. */
    static String ipvsAddr(String key) {
        String ip = key.substring(0, key.indexOf(','));
        String proto = key.substring(key.indexOf(',') + 1, key.indexOf(':'));
        String port = key.substring(key.indexOf(':') + 1);
        String flag = switch (proto) {
            case "udp" -> "-u";
            case "sctp" -> "--sctp-service";
            default -> "-t";
        };
        return flag + " " + ip + ":" + port;
    }

    /** kube-proxy's nftables {@code ct state new jump <to>} rule in {@code chain}; the text is derived from the target. */
    private static Rule ctNewJump(String chain, String to, Match neu) {
        return Rule.nft(KP, chain, "ct state new jump " + to, new Target.Jump(to), neu);
    }
}
