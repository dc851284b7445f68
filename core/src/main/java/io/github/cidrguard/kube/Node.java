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
 * @param publicIps flannel's PublicIP per family when it is not the InternalIP: the node annotation
 *     {@code flannel.alpha.coreos.com/public-ip} (or {@code public-ipv6}), which {@code public-ip-overwrite} sets,
 *     or flanneld's {@code --public-ip}; empty means the InternalIP
 * @param backend the node's {@code flannel.alpha.coreos.com/backend-type} annotation when it differs from the
 *     config's Backend.Type (a node whose flanneld still runs an old backend), else empty
 * @param rules the files holding the netfilter rules the node really has (scenario key {@code rules}), empty when none
 *     was taken
 */
public record Node(String name, List<IpAddress> ips, List<Cidr> hostNetworks, List<Cidr> podCidrs,
                   RpFilter rpFilter, Optional<Cidr> docker, List<IpAddress> publicIps, Optional<String> backend,
                   Optional<NodeRules> rules) {
    /** Docker's default bridge, {@code docker0} = 172.17.0.1/16, what {@code docker: true} means. */
    public static final Cidr DOCKER_DEFAULT_BRIDGE = Cidr.parse("172.17.0.0/16");

    /** Checks the invariants: a name, one or two IPs of different families, one CIDR per family. */
    public Node {
        Values.name(name, "a node");
        ips = Values.addressesPerFamily(ips, () -> "node " + name + " ip");
        if (ips.isEmpty()) {
            throw new IllegalArgumentException("node " + name + " needs an ip (its InternalIP)");
        }
        hostNetworks = Values.cidrsPerFamily(hostNetworks, () -> "node " + name + " hostNetwork");
        podCidrs = Values.cidrsPerFamily(podCidrs, () -> "node " + name + " podCidr");
        Objects.requireNonNull(rpFilter, "rpFilter");
        Objects.requireNonNull(docker, "docker");
        publicIps = Values.addressesPerFamily(publicIps, () -> "node " + name + " publicIp");
        Objects.requireNonNull(backend, "backend");
        backend = backend.filter(b -> !b.isBlank());
        Objects.requireNonNull(rules, "rules");
    }

    /** A node without saved rules, as nodes were before the {@code rules} key. */
    public Node(String name, List<IpAddress> ips, List<Cidr> hostNetworks, List<Cidr> podCidrs, RpFilter rpFilter,
                Optional<Cidr> docker, List<IpAddress> publicIps, Optional<String> backend) {
        this(name, ips, hostNetworks, podCidrs, rpFilter, docker, publicIps, backend, Optional.empty());
    }

    /** A node whose flannel PublicIP is its InternalIP and whose backend is the config's, as nodes were before. */
    public Node(String name, List<IpAddress> ips, List<Cidr> hostNetworks, List<Cidr> podCidrs, RpFilter rpFilter,
                Optional<Cidr> docker) {
        this(name, ips, hostNetworks, podCidrs, rpFilter, docker, List.of(), Optional.empty());
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

    /**
     * flannel's PublicIP of a family: the declared {@code publicIp} of that family, else the InternalIP (what
     * flanneld picks from the default route's interface when neither {@code --public-ip} nor
     * {@code public-ip-overwrite} is set, on a node whose InternalIP is on that interface).
     */
    public Optional<IpAddress> flannelPublicIp(IpFamily family) {
        IpAddress declared = Values.first(publicIps, family, IpAddress::family);
        return declared != null ? Optional.of(declared) : ip(family);
    }

    /** A copy with these flannel PublicIPs (one per family; empty = the InternalIPs). */
    public Node withPublicIps(List<IpAddress> newPublicIps) {
        return new Node(name, ips, hostNetworks, podCidrs, rpFilter, docker, newPublicIps, backend, rules);
    }

    /** A copy with this node's own backend type (empty or blank = the config's). */
    public Node withBackend(String newBackend) {
        return new Node(name, ips, hostNetworks, podCidrs, rpFilter, docker, publicIps,
                Optional.ofNullable(newBackend), rules);
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
        return new Node(name, newIps, hostNetworks, podCidrs, rpFilter, docker, publicIps, backend, rules);
    }

    /** A copy with one LAN prefix. */
    public Node withHostNetwork(Cidr hostNetwork) {
        return withHostNetworks(List.of(hostNetwork));
    }

    /** A copy with these LAN prefixes (one per family). */
    public Node withHostNetworks(List<Cidr> newHostNetworks) {
        return new Node(name, ips, newHostNetworks, podCidrs, rpFilter, docker, publicIps, backend, rules);
    }

    /** A copy with one pod CIDR. */
    public Node withPodCidr(Cidr podCidr) {
        return withPodCidrs(List.of(podCidr));
    }

    /** A copy with these pod CIDRs (one per family). */
    public Node withPodCidrs(List<Cidr> newPodCidrs) {
        return new Node(name, ips, hostNetworks, newPodCidrs, rpFilter, docker, publicIps, backend, rules);
    }

    /** A copy with another reverse-path filter. */
    public Node withRpFilter(RpFilter newRpFilter) {
        return new Node(name, ips, hostNetworks, podCidrs, newRpFilter, docker, publicIps, backend, rules);
    }

    /** A copy with a Docker bridge on this network. */
    public Node withDocker(Cidr bridge) {
        return new Node(name, ips, hostNetworks, podCidrs, rpFilter, Optional.of(bridge), publicIps, backend, rules);
    }

    /** A copy with Docker's default bridge (true) or without Docker (false). */
    public Node withDocker(boolean running) {
        return new Node(name, ips, hostNetworks, podCidrs, rpFilter,
                running ? Optional.of(DOCKER_DEFAULT_BRIDGE) : Optional.empty(), publicIps, backend, rules);
    }

    /** A copy with these saved rules (empty: none). */
    public Node withRules(Optional<NodeRules> newRules) {
        return new Node(name, ips, hostNetworks, podCidrs, rpFilter, docker, publicIps, backend, newRules);
    }
}
