package io.github.cidrguard.trace;

import static io.github.cidrguard.trace.KubeProxyRules.FILTER;
import static io.github.cidrguard.trace.KubeProxyRules.MASQ_MARK;
import static io.github.cidrguard.trace.KubeProxyRules.NAT;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpFamily;
import io.github.cidrguard.trace.netfilter.Match.Comment;
import io.github.cidrguard.trace.netfilter.Match.Dst;
import io.github.cidrguard.trace.netfilter.Match.Mark;
import io.github.cidrguard.trace.netfilter.Match.Src;
import io.github.cidrguard.trace.netfilter.Rule;
import io.github.cidrguard.trace.netfilter.Ruleset;
import io.github.cidrguard.trace.netfilter.Target;



/**
 * The rules flanneld installs on a node for its Network and lease (iptables or nftables), for either family: flannel
 * v0.28.9's {@code masqIP6Rules} (pkg/trafficmngr/iptables/iptables.go) are its IPv4 masquerade rules with the
 * IPv6Network, the IPv6 lease and {@code ff00::/8} for multicast, installed with ip6tables; its nftables manager
 * (pkg/trafficmngr/nftables/nftables.go, {@code addMasqRules} with {@code knftables.IPv6Family}) writes the same rules
 * into table {@code ip6 flannel-ipv6} with {@code ip6 saddr}/{@code ip6 daddr}; the forward rules likewise.
 */
final class FlannelRules {
    static final String FL = "ip flannel-ipv4";
    static final String FL6 = "ip6 flannel-ipv6";
    static final Cidr MULTICAST = Cidr.parse("224.0.0.0/4");
    static final Cidr MULTICAST6 = Cidr.parse("ff00::/8");

    private FlannelRules() {
    }

    /** flanneld's iptables rules (pkg/trafficmngr/iptables): masquerade and forward, legacy or FLANNEL-* chains. */
    static void iptables(Spec.Flannel f, Cidr n, Cidr l, Ruleset rs) {
        Cidr multicast = multicast(n);
        Comment masq = new Comment("flanneld masq");
        Comment fwd = new Comment("flanneld forward");
        Target.Masquerade m = new Target.Masquerade(true);
        Target ret = new Target.Return();
        Target acc = new Target.Accept();
        if (f.ruleSet() == Spec.RuleSet.LEGACY) {
            if (f.ipMasq()) {
                String c = "POSTROUTING";
                rs.add(Rule.ipt(NAT, c, ret, new Src(n, false), new Dst(n, false), masq));
                rs.add(Rule.ipt(NAT, c, m, new Src(n, false), new Dst(multicast, true), masq));
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
            rs.add(Rule.ipt(NAT, c, m, new Src(n, false), new Dst(multicast, true), masq));
            rs.add(Rule.ipt(NAT, c, m, new Src(n, true), new Dst(n, false), masq));
        }
        rs.chain(FILTER, "FLANNEL-FWD");
        rs.add(Rule.ipt(FILTER, "FORWARD", new Target.Jump("FLANNEL-FWD"), fwd));
        rs.add(Rule.ipt(FILTER, "FLANNEL-FWD", acc, new Src(n, false), fwd));
        rs.add(Rule.ipt(FILTER, "FLANNEL-FWD", acc, new Dst(n, false), fwd));
    }

    /**
     * flanneld's nftables rules (pkg/trafficmngr/nftables): table {@code ip flannel-ipv4}, or {@code ip6 flannel-ipv6}
     * for an IPv6 Network.
     */
    static void nft(Spec.Flannel f, Cidr n, Cidr l, Ruleset rs) {
        boolean v6 = n.family() == IpFamily.IPV6;
        String t = v6 ? FL6 : FL;
        String ip = v6 ? "ip6" : "ip";
        Cidr mc = multicast(n);
        Target ret = new Target.Return();
        Target m = new Target.Masquerade(true);
        if (f.ipMasq()) {
            rs.nftBase(t, "postrtg", "type nat hook postrouting priority srcnat; policy accept;", "POSTROUTING",
                    100, true);
            rs.add(Rule.nft(t, "postrtg", "meta mark 0x00004000 return", ret, new Mark(MASQ_MARK, false)));
            rs.add(Rule.nft(t, "postrtg", ip + " saddr " + l + " " + ip + " daddr " + n + " return", ret,
                    new Src(l, false), new Dst(n, false)));
            rs.add(Rule.nft(t, "postrtg", ip + " saddr " + n + " " + ip + " daddr " + l + " return", ret,
                    new Src(n, false), new Dst(l, false)));
            rs.add(Rule.nft(t, "postrtg", ip + " saddr != " + l + " " + ip + " daddr " + n + " return", ret,
                    new Src(l, true), new Dst(n, false)));
            rs.add(Rule.nft(t, "postrtg", ip + " saddr " + n + " " + ip + " daddr != " + mc
                    + " masquerade fully-random", m, new Src(n, false), new Dst(mc, true)));
            rs.add(Rule.nft(t, "postrtg", ip + " saddr != " + n + " " + ip + " daddr " + n
                    + " masquerade fully-random", m, new Src(n, true), new Dst(n, false)));
        }
        rs.nftBase(t, "forward", "type filter hook forward priority filter; policy accept;", "FORWARD", 0, false);
        rs.add(Rule.nft(t, "forward", ip + " saddr " + n + " accept", new Target.Accept(), new Src(n, false)));
        rs.add(Rule.nft(t, "forward", ip + " daddr " + n + " accept", new Target.Accept(), new Dst(n, false)));
    }

    private static Cidr multicast(Cidr network) {
        return network.family() == IpFamily.IPV6 ? MULTICAST6 : MULTICAST;
    }
}
