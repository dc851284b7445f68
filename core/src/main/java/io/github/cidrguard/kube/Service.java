package io.github.cidrguard.kube;

import io.github.cidrguard.net.IpAddress;

import java.util.List;
import java.util.Objects;

/**
 * A Kubernetes Service, as far as addresses go.
 *
 * @param name {@code namespace/name}
 * @param clusterIps the ClusterIPs, one per family (empty for a headless service)
 * @param ports the service ports
 * @param nodePorts the node ports, in the order of their ports
 * @param endpoints the ready endpoints
 * @param externalIps {@code spec.externalIPs}
 * @param type {@code spec.type}
 * @param loadBalancerIps the addresses a load balancer gave the service ({@code status.loadBalancer.ingress[].ip},
 *     or {@code spec.loadBalancerIP} / the {@code metallb.universe.tf/loadBalancerIPs} annotation as requested)
 * @param externalTrafficPolicy {@code spec.externalTrafficPolicy}: for node ports and load-balancer addresses
 * @param internalTrafficPolicy {@code spec.internalTrafficPolicy}: for ClusterIPs
 */
public record Service(String name, List<IpAddress> clusterIps, List<ServicePort> ports, List<ServicePort> nodePorts,
                      List<Endpoint> endpoints, List<IpAddress> externalIps, ServiceType type,
                      List<IpAddress> loadBalancerIps, TrafficPolicy externalTrafficPolicy,
                      TrafficPolicy internalTrafficPolicy) {
    /** Checks the name and one ClusterIP per family; copies the lists. */
    public Service {
        Values.name(name, "a service");
        clusterIps = Values.addressesPerFamily(clusterIps, () -> "service " + name + " clusterIp");
        ports = List.copyOf(ports);
        nodePorts = List.copyOf(nodePorts);
        endpoints = List.copyOf(endpoints);
        externalIps = List.copyOf(externalIps);
        Objects.requireNonNull(type, "type");
        loadBalancerIps = List.copyOf(loadBalancerIps);
        Objects.requireNonNull(externalTrafficPolicy, "externalTrafficPolicy");
        Objects.requireNonNull(internalTrafficPolicy, "internalTrafficPolicy");
    }

    /** A service of the {@link #typeOf inferred type} with both traffic policies Cluster and no LB address. */
    public Service(String name, List<IpAddress> clusterIps, List<ServicePort> ports, List<ServicePort> nodePorts,
                   List<Endpoint> endpoints, List<IpAddress> externalIps) {
        this(name, clusterIps, ports, nodePorts, endpoints, externalIps, typeOf(nodePorts, List.of()), List.of(),
                TrafficPolicy.CLUSTER, TrafficPolicy.CLUSTER);
    }

    /** A service with one ClusterIP and nothing else. */
    public static Service of(String name, IpAddress clusterIp) {
        return new Service(name, List.of(clusterIp), List.of(), List.of(), List.of(), List.of());
    }

    /**
     * The type a scenario means when it writes none: LoadBalancer with load-balancer addresses, NodePort with node
     * ports, else ClusterIP.
     */
    public static ServiceType typeOf(List<ServicePort> nodePorts, List<IpAddress> loadBalancerIps) {
        return !loadBalancerIps.isEmpty() ? ServiceType.LOAD_BALANCER
                : !nodePorts.isEmpty() ? ServiceType.NODE_PORT : ServiceType.CLUSTER_IP;
    }

    /** A copy with these ports. */
    public Service withPorts(List<ServicePort> newPorts) {
        return new Service(name, clusterIps, newPorts, nodePorts, endpoints, externalIps, type, loadBalancerIps,
                externalTrafficPolicy, internalTrafficPolicy);
    }

    /** A copy with these node ports. */
    public Service withNodePorts(List<ServicePort> newNodePorts) {
        return new Service(name, clusterIps, ports, newNodePorts, endpoints, externalIps, type, loadBalancerIps,
                externalTrafficPolicy, internalTrafficPolicy);
    }

    /** A copy with these endpoints. */
    public Service withEndpoints(List<Endpoint> newEndpoints) {
        return new Service(name, clusterIps, ports, nodePorts, newEndpoints, externalIps, type, loadBalancerIps,
                externalTrafficPolicy, internalTrafficPolicy);
    }

    /** A copy with these external IPs. */
    public Service withExternalIps(List<IpAddress> newExternalIps) {
        return new Service(name, clusterIps, ports, nodePorts, endpoints, newExternalIps, type, loadBalancerIps,
                externalTrafficPolicy, internalTrafficPolicy);
    }

    /** A copy of this type. */
    public Service withType(ServiceType newType) {
        return new Service(name, clusterIps, ports, nodePorts, endpoints, externalIps, newType, loadBalancerIps,
                externalTrafficPolicy, internalTrafficPolicy);
    }

    /** A copy with these load-balancer addresses (the type is left as it is). */
    public Service withLoadBalancerIps(List<IpAddress> newLoadBalancerIps) {
        return new Service(name, clusterIps, ports, nodePorts, endpoints, externalIps, type, newLoadBalancerIps,
                externalTrafficPolicy, internalTrafficPolicy);
    }

    /** A copy with these traffic policies. */
    public Service withTrafficPolicies(TrafficPolicy external, TrafficPolicy internal) {
        return new Service(name, clusterIps, ports, nodePorts, endpoints, externalIps, type, loadBalancerIps,
                external, internal);
    }
}
