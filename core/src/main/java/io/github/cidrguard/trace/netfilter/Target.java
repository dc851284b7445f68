package io.github.cidrguard.trace.netfilter;

import io.github.cidrguard.net.IpAddress;

/**
 * What a matching netfilter rule does, as data: a verdict (accept, drop, reject, return), a jump or goto, or a
 * statement the model follows (masquerade, DNAT, mark). {@link Evaluator} gives each its kernel meaning.
 */
public sealed interface Target {

    /**
     * The iptables-save text, e.g. {@code -j MASQUERADE --random-fully}.
     *
     * @return the text
     */
    String ipt();

    /**
     * The action a trace hop shows, e.g. {@code JUMP KUBE-SERVICES} or {@code DNAT}.
     *
     * @return the action
     */
    String action();

    /**
     * {@code -j chain}: run the chain, then continue here unless it decided.
     *
     * @param chain the chain
     */
    record Jump(String chain) implements Target {
        @Override
        public String ipt() {
            return "-j " + chain;
        }

        @Override
        public String action() {
            return "JUMP " + chain;
        }
    }

    /**
     * {@code -g chain}: run the chain instead of the rest of this one.
     *
     * @param chain the chain
     */
    record Goto(String chain) implements Target {
        @Override
        public String ipt() {
            return "-g " + chain;
        }

        @Override
        public String action() {
            return "GOTO " + chain;
        }
    }

    /** {@code -j RETURN}: leave this chain. */
    record Return() implements Target {
        @Override
        public String ipt() {
            return "-j RETURN";
        }

        @Override
        public String action() {
            return "RETURN";
        }
    }

    /** {@code -j ACCEPT}: the packet passes this base chain. */
    record Accept() implements Target {
        @Override
        public String ipt() {
            return "-j ACCEPT";
        }

        @Override
        public String action() {
            return "ACCEPT";
        }
    }

    /** {@code -j DROP}: the packet is dropped silently. */
    record Drop() implements Target {
        @Override
        public String ipt() {
            return "-j DROP";
        }

        @Override
        public String action() {
            return "DROP";
        }
    }

    /** {@code -j REJECT}: the packet is dropped with an ICMP error. */
    record Reject() implements Target {
        @Override
        public String ipt() {
            return "-j REJECT --reject-with icmp-port-unreachable";
        }

        @Override
        public String action() {
            return "REJECT";
        }
    }

    /**
     * {@code -j MASQUERADE}: source NAT to the outgoing interface's address.
     *
     * @param randomFully whether {@code --random-fully} is set
     */
    record Masquerade(boolean randomFully) implements Target {
        @Override
        public String ipt() {
            return "-j MASQUERADE" + (randomFully ? " --random-fully" : "");
        }

        @Override
        public String action() {
            return "MASQUERADE";
        }
    }

    /**
     * {@code -j DNAT --to-destination ip[:port]}; an IPv6 address with a port in brackets, as ip6tables-save prints
     * it ({@code [fd00::5]:8080}).
     *
     * @param ip the new destination
     * @param port the new destination port, 0 to keep it
     */
    record Dnat(IpAddress ip, int port) implements Target {
        @Override
        public String ipt() {
            String to = port > 0 && !ip.isIpv4() ? "[" + ip + "]" : ip.toString();
            return "-j DNAT --to-destination " + to + (port > 0 ? ":" + port : "");
        }

        @Override
        public String action() {
            return "DNAT";
        }
    }

    /**
     * MARK: {@code or} sets bits, else xor; iptables-save prints both as {@code --set-xmark}.
     *
     * @param bits the mark bits
     * @param or whether the bits are set (else toggled)
     */
    record SetMark(int bits, boolean or) implements Target {
        @Override
        public String ipt() {
            String b = "0x" + Integer.toHexString(bits);
            return "-j MARK --set-xmark " + b + "/" + (or ? b : "0x0");
        }

        @Override
        public String action() {
            return or ? "MARK" : "UNMARK";
        }
    }
}
