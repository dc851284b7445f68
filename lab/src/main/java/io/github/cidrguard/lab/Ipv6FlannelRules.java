package io.github.cidrguard.lab;

import io.github.cidrguard.net.Cidr;

/**
 * flanneld's IPv6 rules, written by the lab from the scenario for an oracle that does not render IPv6
 * ({@link Oracle#modelsIpv6()} false: a hand-written oracle, or the tracer's oracle told to leave IPv6 to the
 * expectation file); the tracer's own oracle renders them itself, and {@code Ipv6LabTest} holds the two to the same
 * rules.
 *
 * <p>The rules are flannel's pkg/trafficmngr: iptables {@code masqIP6Rules} and {@code forwardRules} for IPv6 (the
 * IPv4 rules with the IPv6Network, the IPv6 lease and {@code ff00::/8} as the multicast range), and the nftables
 * manager's {@code ip6 flannel-ipv6} table; docs/architecture.md names the IPv4 ones the tracer renders.
 */
final class Ipv6FlannelRules {
    private static final String MASQ = " -m comment --comment \"flanneld masq\"";
    private static final String FWD = " -m comment --comment \"flanneld forward\"";
    private static final String TABLE = "ip6 flannel-ipv6";

    private Ipv6FlannelRules() {
    }

    /**
     * @param network the IPv6Network N
     * @param lease this node's IPv6 lease L
     * @param ipMasq flanneld {@code --ip-masq}
     * @return {@code ip6tables-restore} input (no flush, as flanneld)
     */
    static String ip6tables(Cidr network, Cidr lease, boolean ipMasq) {
        String n = network.toString();
        String l = lease.toString();
        StringBuilder sb = new StringBuilder();
        if (ipMasq) {
            sb.append("*nat\n:FLANNEL-POSTRTG - [0:0]\n")
                    .append("-A POSTROUTING").append(MASQ).append(" -j FLANNEL-POSTRTG\n")
                    .append("-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000").append(MASQ).append(" -j RETURN\n")
                    .append("-A FLANNEL-POSTRTG -s ").append(l).append(" -d ").append(n).append(MASQ)
                    .append(" -j RETURN\n")
                    .append("-A FLANNEL-POSTRTG -s ").append(n).append(" -d ").append(l).append(MASQ)
                    .append(" -j RETURN\n")
                    .append("-A FLANNEL-POSTRTG ! -s ").append(n).append(" -d ").append(l).append(MASQ)
                    .append(" -j RETURN\n")
                    .append("-A FLANNEL-POSTRTG -s ").append(n).append(" ! -d ff00::/8").append(MASQ)
                    .append(" -j MASQUERADE --random-fully\n")
                    .append("-A FLANNEL-POSTRTG ! -s ").append(n).append(" -d ").append(n).append(MASQ)
                    .append(" -j MASQUERADE --random-fully\n")
                    .append("COMMIT\n");
        }
        sb.append("*filter\n:FLANNEL-FWD - [0:0]\n")
                .append("-A FORWARD").append(FWD).append(" -j FLANNEL-FWD\n")
                .append("-A FLANNEL-FWD -s ").append(n).append(FWD).append(" -j ACCEPT\n")
                .append("-A FLANNEL-FWD -d ").append(n).append(FWD).append(" -j ACCEPT\n")
                .append("COMMIT\n");
        return sb.toString();
    }

    /**
     * @param network the IPv6Network N
     * @param lease this node's IPv6 lease L
     * @param ipMasq flanneld {@code --ip-masq}
     * @return {@code nft -f} input for flannel's EnableNFTables (the table deleted first, so a load replaces it;
     *     priorities as numbers, see {@link TracerOracle#nftRuleset})
     */
    static String nftables(Cidr network, Cidr lease, boolean ipMasq) {
        String n = network.toString();
        String l = lease.toString();
        StringBuilder sb = new StringBuilder();
        sb.append("table ").append(TABLE).append('\n').append("delete table ").append(TABLE).append('\n')
                .append("table ").append(TABLE).append(" {\n");
        if (ipMasq) {
            sb.append("\tchain postrtg {\n\t\ttype nat hook postrouting priority 100; policy accept;\n")
                    .append("\t\tmeta mark 0x00004000 return\n")
                    .append("\t\tip6 saddr ").append(l).append(" ip6 daddr ").append(n).append(" return\n")
                    .append("\t\tip6 saddr ").append(n).append(" ip6 daddr ").append(l).append(" return\n")
                    .append("\t\tip6 saddr != ").append(l).append(" ip6 daddr ").append(n).append(" return\n")
                    .append("\t\tip6 saddr ").append(n).append(" ip6 daddr != ff00::/8 masquerade fully-random\n")
                    .append("\t\tip6 saddr != ").append(n).append(" ip6 daddr ").append(n)
                    .append(" masquerade fully-random\n")
                    .append("\t}\n");
        }
        sb.append("\tchain forward {\n\t\ttype filter hook forward priority 0; policy accept;\n")
                .append("\t\tip6 saddr ").append(n).append(" accept\n")
                .append("\t\tip6 daddr ").append(n).append(" accept\n")
                .append("\t}\n}\n");
        return sb.toString();
    }
}
