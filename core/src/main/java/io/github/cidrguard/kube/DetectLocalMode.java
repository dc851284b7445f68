package io.github.cidrguard.kube;

/** kube-proxy's {@code detectLocalMode}: how it tells traffic from this cluster's pods from everything else. */
public enum DetectLocalMode {
    /** Source inside the first {@code clusterCIDR} of the family (the default). */
    CLUSTER_CIDR("ClusterCIDR"),
    /** Source inside this node's own {@code spec.podCIDR}. */
    NODE_CIDR("NodeCIDR"),
    /** Packet entered through the named bridge ({@code cni0}). */
    BRIDGE_INTERFACE("BridgeInterface"),
    /** Packet entered through an interface whose name starts with a prefix ({@code veth}). */
    INTERFACE_NAME_PREFIX("InterfaceNamePrefix");

    private final String label;

    DetectLocalMode(String label) {
        this.label = label;
    }

    /** The name as kube-proxy's configuration writes it, e.g. {@code ClusterCIDR}. */
    public String label() {
        return label;
    }
}
