package io.github.cidrguard.trace;

import io.github.cidrguard.net.IpAddress;

/** What a matching netfilter rule does. */
sealed interface Target {

    /** iptables-save text, e.g. {@code -j MASQUERADE --random-fully}. */
    String ipt();

    /** The action name a hop shows. */
    String action();

    record Jump(String chain) implements Target {
        public String ipt() {
            return "-j " + chain;
        }

        public String action() {
            return "JUMP " + chain;
        }
    }

    record Goto(String chain) implements Target {
        public String ipt() {
            return "-g " + chain;
        }

        public String action() {
            return "GOTO " + chain;
        }
    }

    record Return() implements Target {
        public String ipt() {
            return "-j RETURN";
        }

        public String action() {
            return "RETURN";
        }
    }

    record Accept() implements Target {
        public String ipt() {
            return "-j ACCEPT";
        }

        public String action() {
            return "ACCEPT";
        }
    }

    record Drop() implements Target {
        public String ipt() {
            return "-j DROP";
        }

        public String action() {
            return "DROP";
        }
    }

    record Reject() implements Target {
        public String ipt() {
            return "-j REJECT --reject-with icmp-port-unreachable";
        }

        public String action() {
            return "REJECT";
        }
    }

    record Masquerade(boolean randomFully) implements Target {
        public String ipt() {
            return "-j MASQUERADE" + (randomFully ? " --random-fully" : "");
        }

        public String action() {
            return "MASQUERADE";
        }
    }

    record Dnat(IpAddress ip, int port) implements Target {
        public String ipt() {
            return "-j DNAT --to-destination " + ip + (port > 0 ? ":" + port : "");
        }

        public String action() {
            return "DNAT";
        }
    }

    /** MARK: {@code or} sets bits, else xor; iptables-save prints both as {@code --set-xmark}. */
    record SetMark(int bits, boolean or) implements Target {
        public String ipt() {
            String b = "0x" + Integer.toHexString(bits);
            return "-j MARK --set-xmark " + b + "/" + (or ? b : "0x0");
        }

        public String action() {
            return or ? "MARK" : "UNMARK";
        }
    }
}
