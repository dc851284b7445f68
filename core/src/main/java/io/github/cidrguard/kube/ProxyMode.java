package io.github.cidrguard.kube;

import java.util.Locale;

/** kube-proxy's {@code mode}. */
public enum ProxyMode {
    /** The default: DNAT per {@code ClusterIP:port} in iptables chains. */
    IPTABLES,
    /** IPVS virtual servers; every ClusterIP is bound to {@code kube-ipvs0} as a local address on every node. */
    IPVS,
    /** nftables; drops new traffic to unallocated addresses of the service CIDRs. */
    NFTABLES;

    /** The name as written in a scenario file: {@code iptables}, {@code ipvs}, {@code nftables}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
