package io.github.cidrguard.kube;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One node: its name, its InternalIP (one per family; the IPv4 one is flannel's PublicIP), the LAN prefix it is
 * connected to, its flannel lease, its reverse-path filter and its Docker bridge if Docker Engine runs there.
 *
 * @param name the node name, e.g. {@code node-71}
 * @param ips the InternalIPs, one per family, at least one
 * @param hostNetworks the connected LAN prefixes ({@code hostNetwork}), at most one per family
 * @param podCidrs the node's pod CIDRs (its flannel lease), at most one per family
 * @param rpFilter the effective reverse-path filter
 * @param docker the docker0 bridge network, empty when Docker Engine does not run on the node
 */
public record Node(String name, List<IpAddress> ips, List<Cidr> hostNetworks, List<Cidr> podCidrs,
                   RpFilter rpFilter, Optional<Cidr> docker) {
    /** Docker's default bridge, {@code docker0} = 172.17.0.1/16, what {@code docker: true} means. */
    public static final Cidr DOCKER_DEFAULT_BRIDGE = Cidr.parse("172.17.0.0/16");

    /** Checks the invariants: a name, one or two IPs of different families, one CIDR per family. */
    public Node {
        Values.name(name, "a node");
        ips = Values.addressesPerFamily(ips, "node " + name + " ip");
        if (ips.isEmpty()) {
            throw new IllegalArgumentException("node " + name + " needs an ip (its InternalIP)");
        }
        hostNetworks = Values.cidrsPerFamily(hostNetworks, "node " + name + " hostNetwork");
        podCidrs = Values.cidrsPerFamily(podCidrs, "node " + name + " podCidr");
        Objects.requireNonNull(rpFilter, "rpFilter");
        Objects.requireNonNull(docker, "docker");
    }

    /** A node with one IP, no declared LAN or pod CIDR, strict rp_filter and no Docker. */
    public static Node of(String name, IpAddress ip) {
        return new Node(name, List.of(ip), List.of(), List.of(), RpFilter.STRICT, Optional.empty());
    }

    /** {@link #of(String, IpAddress)} from text, e.g. {@code Node.of("node-71", "10.252.158.71")}. */
    public static Node of(String name, String ip) {
        return of(name, IpAddress.parse(ip));
    }

    /** The primary InternalIP: the first one (IPv4 in a dual-stack node written IPv4 first). */
    public IpAddress ip() {
        return ips.get(0);
    }

    /** The InternalIP of a family, if the node has one. */
    public Optional<IpAddress> ip(IpFamily family) {
        return Optional.ofNullable(Values.first(ips, family, IpAddress::family));
    }

    /** The LAN prefix of a family, if declared. */
    public Optional<Cidr> hostNetwork(IpFamily family) {
        return Optional.ofNullable(Values.first(hostNetworks, family, Cidr::family));
    }

    /** The pod CIDR of a family, if declared. */
    public Optional<Cidr> podCidr(IpFamily family) {
        return Optional.ofNullable(Values.first(podCidrs, family, Cidr::family));
    }

    /** A copy with these InternalIPs. */
    public Node withIps(List<IpAddress> newIps) {
        return new Node(name, newIps, hostNetworks, podCidrs, rpFilter, docker);
    }

    /** A copy with one LAN prefix. */
    public Node withHostNetwork(Cidr hostNetwork) {
        return withHostNetworks(List.of(hostNetwork));
    }

    /** A copy with these LAN prefixes (one per family). */
    public Node withHostNetworks(List<Cidr> newHostNetworks) {
        return new Node(name, ips, newHostNetworks, podCidrs, rpFilter, docker);
    }

    /** A copy with one pod CIDR. */
    public Node withPodCidr(Cidr podCidr) {
        return withPodCidrs(List.of(podCidr));
    }

    /** A copy with these pod CIDRs (one per family). */
    public Node withPodCidrs(List<Cidr> newPodCidrs) {
        return new Node(name, ips, hostNetworks, newPodCidrs, rpFilter, docker);
    }

    /** A copy with another reverse-path filter. */
    public Node withRpFilter(RpFilter newRpFilter) {
        return new Node(name, ips, hostNetworks, podCidrs, newRpFilter, docker);
    }

    /** A copy with a Docker bridge on this network. */
    public Node withDocker(Cidr bridge) {
        return new Node(name, ips, hostNetworks, podCidrs, rpFilter, Optional.of(bridge));
    }

    /** A copy with Docker's default bridge (true) or without Docker (false). */
    public Node withDocker(boolean running) {
        return new Node(name, ips, hostNetworks, podCidrs, rpFilter,
                running ? Optional.of(DOCKER_DEFAULT_BRIDGE) : Optional.empty());
    }
}
