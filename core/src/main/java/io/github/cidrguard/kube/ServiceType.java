package io.github.cidrguard.kube;

/** A Service's {@code spec.type}. */
public enum ServiceType {
    /** A ClusterIP only (the Kubernetes default). */
    CLUSTER_IP("ClusterIP"),
    /** A ClusterIP and a node port on every node. */
    NODE_PORT("NodePort"),
    /** A node port and addresses handed out by a load balancer ({@code status.loadBalancer.ingress}). */
    LOAD_BALANCER("LoadBalancer"),
    /** A DNS alias with no address of its own. */
    EXTERNAL_NAME("ExternalName");

    private final String label;

    ServiceType(String label) {
        this.label = label;
    }

    /** The name as Kubernetes and a scenario file write it, e.g. {@code LoadBalancer}. */
    public String label() {
        return label;
    }
}
