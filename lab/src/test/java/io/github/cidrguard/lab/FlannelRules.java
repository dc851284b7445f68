package io.github.cidrguard.lab;

/**
 * Hand-written flannel v0.28 iptables rules (flannel v0.28.9 pkg/trafficmngr/iptables) in iptables-save form, for lab tests that do
 * not depend on the tracer's renderer.
 */
final class FlannelRules {
    private FlannelRules() {
    }

    static String render(String network, String lease) {
        String m = " -m comment --comment \"flanneld masq\"";
        String f = " -m comment --comment \"flanneld forward\"";
        return "*nat\n"
                + ":PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
                + ":FLANNEL-POSTRTG - [0:0]\n"
                + "-A POSTROUTING" + m + " -j FLANNEL-POSTRTG\n"
                + "-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000" + m + " -j RETURN\n"
                + "-A FLANNEL-POSTRTG -s " + lease + " -d " + network + m + " -j RETURN\n"
                + "-A FLANNEL-POSTRTG -s " + network + " -d " + lease + m + " -j RETURN\n"
                + "-A FLANNEL-POSTRTG ! -s " + network + " -d " + lease + m + " -j RETURN\n"
                + "-A FLANNEL-POSTRTG -s " + network + " ! -d 224.0.0.0/4" + m + " -j MASQUERADE --random-fully\n"
                + "-A FLANNEL-POSTRTG ! -s " + network + " -d " + network + m + " -j MASQUERADE --random-fully\n"
                + "COMMIT\n"
                + "*filter\n"
                + ":INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + ":FLANNEL-FWD - [0:0]\n"
                + "-A FORWARD" + f + " -j FLANNEL-FWD\n"
                + "-A FLANNEL-FWD -s " + network + f + " -j ACCEPT\n"
                + "-A FLANNEL-FWD -d " + network + f + " -j ACCEPT\n"
                + "COMMIT\n";
    }

    static String rule2(String network, String lease) {
        return "-A FLANNEL-POSTRTG -s " + lease + " -d " + network
                + " -m comment --comment \"flanneld masq\" -j RETURN";
    }
}
