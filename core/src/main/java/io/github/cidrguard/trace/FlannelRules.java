package io.github.cidrguard.trace;

import static io.github.cidrguard.trace.KubeProxyRules.FILTER;
import static io.github.cidrguard.trace.KubeProxyRules.MASQ_MARK;
import static io.github.cidrguard.trace.KubeProxyRules.NAT;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.trace.netfilter.Match.Comment;
import io.github.cidrguard.trace.netfilter.Match.Dst;
import io.github.cidrguard.trace.netfilter.Match.Mark;
import io.github.cidrguard.trace.netfilter.Match.Src;
import io.github.cidrguard.trace.netfilter.Rule;
import io.github.cidrguard.trace.netfilter.Ruleset;
import io.github.cidrguard.trace.netfilter.Target;



/** The rules flanneld installs on a node for its Network and lease (iptables or nftables). */
final class FlannelRules {
    static final String FL = "ip flannel-ipv4";
    static final Cidr MULTICAST = Cidr.parse("224.0.0.0/4");

    private FlannelRules() {
    }

    /** flanneld's iptables rules (pkg/trafficmngr/iptables): masquerade and forward, legacy or FLANNEL-* chains. */
    static void iptables(Spec.Flannel f, Cidr n, Cidr l, Ruleset rs) {
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

    /** flanneld's nftables rules (pkg/trafficmngr/nftables): table {@code ip flannel-ipv4}. */
    static void nft(Spec.Flannel f, Cidr n, Cidr l, Ruleset rs) {
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
}
