package io.github.cidrguard.kube;

/**
 * A Service's {@code spec.externalTrafficPolicy} or {@code spec.internalTrafficPolicy}: {@code Cluster} (any ready
 * endpoint, the default) or {@code Local} (only endpoints on the node the packet arrived at; kube-proxy drops the
 * packet when there is none there).
 */
public enum TrafficPolicy {
    /** Every ready endpoint of the cluster (the default). */
    CLUSTER("Cluster"),
    /** Only the endpoints on the receiving node. */
    LOCAL("Local");

    private final String label;

    TrafficPolicy(String label) {
        this.label = label;
    }

    /** The name as Kubernetes writes it: {@code Cluster}, {@code Local}. */
    public String label() {
        return label;
    }
}
