package io.github.cidrguard.kube;

import io.github.cidrguard.net.IpAddress;

import java.util.List;

/**
 * A Kubernetes Service, as far as addresses go.
 *
 * @param name {@code namespace/name}
 * @param clusterIps the ClusterIPs, one per family (empty for a headless service)
 * @param ports the service ports
 * @param nodePorts the node ports
 * @param endpoints the ready endpoints
 * @param externalIps {@code spec.externalIPs}
 */
public record Service(String name, List<IpAddress> clusterIps, List<ServicePort> ports, List<ServicePort> nodePorts,
                      List<Endpoint> endpoints, List<IpAddress> externalIps) {
    /** Checks the name and one ClusterIP per family; copies the lists. */
    public Service {
        Values.name(name, "a service");
        clusterIps = Values.addressesPerFamily(clusterIps, "service " + name + " clusterIp");
        ports = List.copyOf(ports);
        nodePorts = List.copyOf(nodePorts);
        endpoints = List.copyOf(endpoints);
        externalIps = List.copyOf(externalIps);
    }

    /** A service with one ClusterIP and nothing else. */
    public static Service of(String name, IpAddress clusterIp) {
        return new Service(name, List.of(clusterIp), List.of(), List.of(), List.of(), List.of());
    }

    /** A copy with these ports. */
    public Service withPorts(List<ServicePort> newPorts) {
        return new Service(name, clusterIps, newPorts, nodePorts, endpoints, externalIps);
    }

    /** A copy with these node ports. */
    public Service withNodePorts(List<ServicePort> newNodePorts) {
        return new Service(name, clusterIps, ports, newNodePorts, endpoints, externalIps);
    }

    /** A copy with these endpoints. */
    public Service withEndpoints(List<Endpoint> newEndpoints) {
        return new Service(name, clusterIps, ports, nodePorts, newEndpoints, externalIps);
    }

    /** A copy with these external IPs. */
    public Service withExternalIps(List<IpAddress> newExternalIps) {
        return new Service(name, clusterIps, ports, nodePorts, endpoints, newExternalIps);
    }
}
