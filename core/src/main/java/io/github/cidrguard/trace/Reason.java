package io.github.cidrguard.trace;

/** Why a trace was not {@link Verdict#DELIVERED}. */
public enum Reason {
    /** Reverse-path filtering: the node routes the packet's source out of another interface (strict) or not at all. */
    RP_FILTER,
    /** The underlay (cloud source/destination check, switch uRPF) drops a packet whose source is not the node's IP. */
    ANTI_SPOOFING,
    /** No route for the destination on a node, in the underlay, or toward a lease's owner. */
    NO_ROUTE,
    /** A route or local address on the sending side captures the address (kube-ipvs0, docker0, cni0, a lease). */
    LOCAL_SHADOW,
    /** kube-proxy rejects: a service without endpoints, a wrong port of a ClusterIP, KUBE-IPVS-FILTER. */
    KUBE_PROXY_REJECT,
    /** kube-proxy nftables mode drops new traffic to a service CIDR address it did not DNAT. */
    NFT_SERVICE_CIDR_DROP,
    /** The packet reached its owner's node but nothing there holds the address or port. */
    NO_LISTENER,
    /** A Service rule DNATed traffic meant for a real machine to the Service's endpoints. */
    SERVICE_DNAT,
    /** The reply reached the client with other addresses than the client sent to (no conntrack un-NAT on its way). */
    REPLY_MISMATCH,
    /** Another netfilter rule dropped the packet. */
    FILTERED,
    /**
     * The destination is on-link (inside a cni0 lease, or the connected route a pod's address gives it) but nobody on
     * that segment holds it: ARP stays {@code (incomplete)} and the kernel reports "Destination Host Unreachable".
     */
    NEIGHBOR_UNREACHABLE
}
