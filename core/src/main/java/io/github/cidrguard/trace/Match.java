package io.github.cidrguard.trace;

import io.github.cidrguard.net.AddressSet;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;

/** One condition of a netfilter rule; {@link #ipt()} is its iptables-save text. */
sealed interface Match {

    boolean test(Ctx c);

    /** iptables-save text of this match ("" when it has none, e.g. an nft-only match). */
    String ipt();

    /** Whether iptables-save prints this in the leading header part (-s, -d, -i, -p). */
    default int headerOrder() {
        return -1;
    }

    record Src(Cidr cidr, boolean neg) implements Match {
        public boolean test(Ctx c) {
            return cidr.contains(c.packet.src()) != neg;
        }

        public String ipt() {
            return (neg ? "! -s " : "-s ") + cidr;
        }

        public int headerOrder() {
            return 0;
        }
    }

    record Dst(Cidr cidr, boolean neg) implements Match {
        public boolean test(Ctx c) {
            return cidr.contains(c.packet.dst()) != neg;
        }

        public String ipt() {
            return (neg ? "! -d " : "-d ") + cidr;
        }

        public int headerOrder() {
            return 1;
        }
    }

    /** {@code -i name} (a trailing {@code +} is a prefix match). */
    record InIf(String name, boolean neg) implements Match {
        public boolean test(Ctx c) {
            boolean m = c.iif != null && (name.endsWith("+")
                    ? c.iif.startsWith(name.substring(0, name.length() - 1)) : c.iif.equals(name));
            return m != neg;
        }

        public String ipt() {
            return (neg ? "! -i " : "-i ") + name;
        }

        public int headerOrder() {
            return 2;
        }
    }

    record Protocol(Proto proto) implements Match {
        public boolean test(Ctx c) {
            return c.packet.proto() == proto;
        }

        public String ipt() {
            return "-p " + proto.lower();
        }

        public int headerOrder() {
            return 4;
        }
    }

    /** {@code -m tcp --dport N}; port 0 renders {@code -m tcp} alone and matches any port. */
    record DPort(Proto proto, int port) implements Match {
        public boolean test(Ctx c) {
            return c.packet.proto() == proto && (port == 0 || c.packet.dport() == port);
        }

        public String ipt() {
            return "-m " + proto.lower() + (port == 0 ? "" : " --dport " + port);
        }
    }

    record Mark(int mark, boolean neg) implements Match {
        public boolean test(Ctx c) {
            return ((c.packet.mark() & mark) == mark) != neg;
        }

        public String ipt() {
            String m = "0x" + Integer.toHexString(mark);
            return "-m mark " + (neg ? "! " : "") + "--mark " + m + "/" + m;
        }
    }

    record Comment(String text) implements Match {
        public boolean test(Ctx c) {
            return true;
        }

        /** As xtables_save_string prints it: bare if only [A-Za-z0-9_-], else quoted with " \\ ' escaped. */
        public String ipt() {
            if (!text.isEmpty() && text.chars().allMatch(ch -> ch < 128 && Character.isLetterOrDigit(ch)
                    || ch == '_' || ch == '-')) {
                return "-m comment --comment " + text;
            }
            return "-m comment --comment \"" + text.replaceAll("([\"\\\\'])", "\\\\$1") + "\"";
        }
    }

    /** {@code -m addrtype --dst-type LOCAL} / {@code --src-type LOCAL}; {@code fib daddr type local} in nft. */
    record AddrTypeLocal(boolean dst, boolean neg) implements Match {
        public boolean test(Ctx c) {
            return c.node.isLocal(dst ? c.packet.dst() : c.packet.src()) != neg;
        }

        public String ipt() {
            return "-m addrtype " + (neg ? "! " : "") + (dst ? "--dst-type" : "--src-type") + " LOCAL";
        }
    }

    /**
     * {@code -m physdev --physdev-is-in}: the packet came in through a bridge port. In the model that is a pod's
     * packet, which enters its node from the cni0 bridge (and anything docker0 would bridge).
     */
    record PhysdevIsIn(boolean neg) implements Match {
        public boolean test(Ctx c) {
            boolean bridged = "cni0".equals(c.iif) || "docker0".equals(c.iif);
            return bridged != neg;
        }

        public String ipt() {
            return "-m physdev " + (neg ? "! " : "") + "--physdev-is-in";
        }
    }

    /** conntrack state: NEW, RELATED,ESTABLISHED or INVALID (never, in this model). */
    record CtState(String states, boolean neg) implements Match {
        public boolean test(Ctx c) {
            boolean m;
            if (states.startsWith("NEW")) {
                m = c.ctNew;
            } else if (states.startsWith("RELATED") || states.startsWith("ESTABLISHED")) {
                m = !c.ctNew;
            } else {
                m = false;
            }
            return m != neg;
        }

        public String ipt() {
            return "-m conntrack " + (neg ? "! " : "") + "--ctstate " + states;
        }
    }

    /** {@code -m statistic --mode random --probability p}: the model always takes the first endpoint. */
    record Probability(String p) implements Match {
        public boolean test(Ctx c) {
            return true;
        }

        public String ipt() {
            return "-m statistic --mode random --probability " + p;
        }
    }

    /** {@code -m set --match-set NAME flags}: membership in one of the node's ipsets. */
    record IpSetMatch(String set, String flags, boolean neg) implements Match {
        public boolean test(Ctx c) {
            return c.node.ipsetContains(set, flags, c.packet) != neg;
        }

        public String ipt() {
            return "-m set " + (neg ? "! " : "") + "--match-set " + set + " " + flags;
        }
    }

    /** nft: destination (or source) address in a set of ranges, e.g. {@code ip daddr { 10.96.0.0/12 }}. */
    record InSet(AddressSet set, boolean dst, boolean neg) implements Match {
        public boolean test(Ctx c) {
            return set.contains(dst ? c.packet.dst() : c.packet.src()) != neg;
        }

        public String ipt() {
            return "";
        }
    }

    /** nft verdict map element {@code addr . proto . port}. */
    record Tuple(IpAddress addr, Proto proto, int port) implements Match {
        public boolean test(Ctx c) {
            return (addr == null || c.packet.dst().equals(addr)) && c.packet.proto() == proto
                    && c.packet.dport() == port;
        }

        public String ipt() {
            return "";
        }
    }
}
