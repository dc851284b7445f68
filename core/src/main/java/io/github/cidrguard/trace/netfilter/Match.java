package io.github.cidrguard.trace.netfilter;

import io.github.cidrguard.net.AddressSet;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.trace.Protocol;

/**
 * One condition of a netfilter rule, as data: what {@code iptables-save} or {@code nft list ruleset} shows, with no
 * evaluation in it ({@link Evaluator#matches(Match, Packet, Environment)} decides whether a packet meets it), so a
 * rule parsed from a node's output is evaluated exactly as a rendered one.
 */
public sealed interface Match {

    /**
     * iptables-save text of this match ("" when it has none, e.g. an nft-only match). */
    /**
     * The iptables-save text of this match, e.g. {@code -s 10.244.0.0/16}.
     *
     * @return the text, "" when it has none (an nft-only match)
     */
    String ipt();

    /**
     * Where iptables-save prints this match in the leading header part ({@code -s}, {@code -d}, {@code -i},
     * {@code -p}).
     *
     * @return the position, or -1 for a match printed after the header
     */
    default int headerOrder() {
        return -1;
    }

    /**
     * {@code -s cidr} ({@code ip saddr}), negated by {@code !}.
     *
     * @param cidr the source range
     * @param neg whether the match is negated
     */
    record Src(Cidr cidr, boolean neg) implements Match {
        @Override
        public String ipt() {
            return (neg ? "! -s " : "-s ") + cidr;
        }

        @Override
        public int headerOrder() {
            return 0;
        }
    }

    /**
     * {@code -d cidr} ({@code ip daddr}), negated by {@code !}.
     *
     * @param cidr the destination range
     * @param neg whether the match is negated
     */
    record Dst(Cidr cidr, boolean neg) implements Match {
        @Override
        public String ipt() {
            return (neg ? "! -d " : "-d ") + cidr;
        }

        @Override
        public int headerOrder() {
            return 1;
        }
    }

    /**
     * {@code -i name} (a trailing {@code +} is a prefix match).
     *
     * @param name the interface name
     * @param neg whether the match is negated
     */
    record InIf(String name, boolean neg) implements Match {
        @Override
        public String ipt() {
            return (neg ? "! -i " : "-i ") + name;
        }

        @Override
        public int headerOrder() {
            return 2;
        }
    }

    /**
     * {@code -p tcp}: the packet's protocol.
     *
     * @param proto the protocol
     */
    record Proto(Protocol proto) implements Match {
        @Override
        public String ipt() {
            return "-p " + proto.lowerCase();
        }

        @Override
        public int headerOrder() {
            return 4;
        }
    }

    /**
     * {@code -m tcp --dport N}; port 0 renders {@code -m tcp} alone and matches any port.
     *
     * @param proto the protocol of the port
     * @param port the destination port, 0 for any
     */
    record DPort(Protocol proto, int port) implements Match {
        @Override
        public String ipt() {
            return "-m " + proto.lowerCase() + (port == 0 ? "" : " --dport " + port);
        }
    }

    /**
     * {@code -m mark --mark m/m}: all bits of {@code mark} set on the packet.
     *
     * @param mark the mark bits
     * @param neg whether the match is negated
     */
    record Mark(int mark, boolean neg) implements Match {
        @Override
        public String ipt() {
            String m = "0x" + Integer.toHexString(mark);
            return "-m mark " + (neg ? "! " : "") + "--mark " + m + "/" + m;
        }
    }

    /**
     * {@code -m comment --comment text}: always matches.
     *
     * @param text the comment
     */
    record Comment(String text) implements Match {
        /** As xtables_save_string prints it: bare if only [A-Za-z0-9_-], else quoted with " \\ ' escaped. */
        @Override
        public String ipt() {
            if (!text.isEmpty() && text.chars().allMatch(ch -> ch < 128 && Character.isLetterOrDigit(ch)
                    || ch == '_' || ch == '-')) {
                return "-m comment --comment " + text;
            }
            return "-m comment --comment \"" + text.replaceAll("([\"\\\\'])", "\\\\$1") + "\"";
        }
    }

    /**
     * {@code -m addrtype --dst-type LOCAL} / {@code --src-type LOCAL}; {@code fib daddr type local} in nft.
     *
     * @param dst whether the destination (else the source) is tested
     * @param neg whether the match is negated
     */
    record AddrTypeLocal(boolean dst, boolean neg) implements Match {
        @Override
        public String ipt() {
            return "-m addrtype " + (neg ? "! " : "") + (dst ? "--dst-type" : "--src-type") + " LOCAL";
        }
    }

    /**
     * {@code -m rpfilter [--loose] [--invert]} (xt_rpfilter; nft {@code fib saddr . iif oif missing}): the source
     * passes when the route back to it leaves through the interface the packet came in on ({@code --loose}: when there
     * is a route back at all). IPv6 has no kernel rp_filter, so this rule (firewalld's IPv6_rpfilter) is the reverse-
     * path check an IPv6 node can have; with {@code --invert} the match is the failing packets, which a DROP drops.
     *
     * @param loose any route back will do
     * @param invert whether the match is the packets that fail
     */
    record RpFilter(boolean loose, boolean invert) implements Match {
        @Override
        public String ipt() {
            return "-m rpfilter" + (loose ? " --loose" : "") + (invert ? " --invert" : "");
        }
    }

    /**
     * {@code -m physdev --physdev-is-in}: the packet came in through a bridge port. In the model that is a pod's
     * packet, which enters its node from the cni0 bridge (and anything docker0 would bridge).
     *
     * @param neg whether the match is negated
     */
    record PhysdevIsIn(boolean neg) implements Match {
        @Override
        public String ipt() {
            return "-m physdev " + (neg ? "! " : "") + "--physdev-is-in";
        }
    }

    /**
     * conntrack state: NEW, RELATED,ESTABLISHED or INVALID (never, in this model).
     *
     * @param states the states as listed, e.g. {@code NEW} or {@code RELATED,ESTABLISHED}
     * @param neg whether the match is negated
     */
    record CtState(String states, boolean neg) implements Match {
        @Override
        public String ipt() {
            return "-m conntrack " + (neg ? "! " : "") + "--ctstate " + states;
        }
    }

    /**
     * {@code -m statistic --mode random --probability p}: the model always takes the first endpoint.
     *
     * @param p the probability as iptables-save prints it
     */
    record Probability(String p) implements Match {
        @Override
        public String ipt() {
            return "-m statistic --mode random --probability " + p;
        }
    }

    /**
     * {@code -m set --match-set NAME flags}: membership in one of the node's ipsets.
     *
     * @param set the ipset name
     * @param flags the direction flags, e.g. {@code dst,dst}
     * @param neg whether the match is negated
     */
    record IpSetMatch(String set, String flags, boolean neg) implements Match {
        @Override
        public String ipt() {
            return "-m set " + (neg ? "! " : "") + "--match-set " + set + " " + flags;
        }
    }

    /**
     * nft: destination (or source) address in a set of ranges, e.g. {@code ip daddr { 10.96.0.0/12 }}.
     *
     * @param set the addresses
     * @param dst whether the destination (else the source) is tested
     * @param neg whether the match is negated
     */
    record InSet(AddressSet set, boolean dst, boolean neg) implements Match {
        @Override
        public String ipt() {
            return "";
        }
    }

    /** nft verdict map element {@code addr . proto . port}.
     *
     * @param addr the destination address, null for any
     * @param proto the protocol
     * @param port the destination port
     */
    record Tuple(IpAddress addr, Protocol proto, int port) implements Match {
        @Override
        public String ipt() {
            return "";
        }
    }
}
