package io.github.cidrguard.trace;

import io.github.cidrguard.kube.RpFilter;
import io.github.cidrguard.kube.ProxyMode;
import io.github.cidrguard.kube.DetectLocalMode;
import io.github.cidrguard.kube.TrafficPolicy;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The engine's own description of one address family's data plane inputs: every address and CIDR in it is of that
 * family ({@link #family()}). {@link ScenarioSpecs} derives one per family from a scenario; tests build one directly.
 */
record Spec(String name, Flannel flannel, List<NodeSpec> nodes, List<Cidr> serviceCidrs, Proxy proxy,
            List<SvcSpec> services, List<PodSpec> pods, List<NetSpec> networks, boolean antiSpoofing) {

    Spec {
        Objects.requireNonNull(name);
        nodes = List.copyOf(nodes);
        serviceCidrs = List.copyOf(serviceCidrs);
        services = List.copyOf(services);
        pods = List.copyOf(pods);
        networks = List.copyOf(networks);
    }

    /** Which flannel masquerade/forward rule generation is installed. */
    enum RuleSet { CURRENT, LEGACY }

    /**
     * flannel: network (null = no flannel), backend type, VNI, DirectRouting, --ip-masq, EnableNFTables, rule set,
     * leases (lease subnet -> PublicIP) besides the nodes' podCidrs.
     */
    record Flannel(Cidr network, String backend, int vni, boolean directRouting, boolean ipMasq, boolean nft,
                   RuleSet ruleSet, List<LeaseSpec> leases) {
        Flannel {
            leases = List.copyOf(leases);
        }

        static Flannel vxlan(String network) {
            return new Flannel(Cidr.parse(network), "vxlan", 1, false, true, false, RuleSet.CURRENT, List.of());
        }

        Flannel withBackend(String type) {
            return new Flannel(network, type, vni, directRouting, ipMasq, nft, ruleSet, leases);
        }

        Flannel withDirectRouting(boolean d) {
            return new Flannel(network, backend, vni, d, ipMasq, nft, ruleSet, leases);
        }

        Flannel withIpMasq(boolean m) {
            return new Flannel(network, backend, vni, directRouting, m, nft, ruleSet, leases);
        }

        Flannel withNft(boolean n) {
            return new Flannel(network, backend, vni, directRouting, ipMasq, n, ruleSet, leases);
        }

        Flannel withRuleSet(RuleSet r) {
            return new Flannel(network, backend, vni, directRouting, ipMasq, nft, r, leases);
        }

        Flannel withLeases(List<LeaseSpec> l) {
            return new Flannel(network, backend, vni, directRouting, ipMasq, nft, ruleSet, l);
        }
    }

    record LeaseSpec(Cidr subnet, IpAddress publicIp) {
    }

    /**
     * A node. {@code publicIp} is flannel's PublicIP for it (the {@code flannel.alpha.coreos.com/public-ip}
     * annotation, {@code public-ip-overwrite}): the other nodes' VXLAN FDB entries and host-gw routes lead there.
     * It is the node IP unless the scenario says otherwise.
     */
    record NodeSpec(String name, IpAddress ip, Cidr hostNetwork, Cidr podCidr, RpFilter rp, Cidr docker,
                    IpAddress publicIp) {
        NodeSpec {
            Objects.requireNonNull(ip);
            publicIp = publicIp == null ? ip : publicIp;
        }

        /** A node whose flannel PublicIP is its node IP. */
        NodeSpec(String name, IpAddress ip, Cidr hostNetwork, Cidr podCidr, RpFilter rp, Cidr docker) {
            this(name, ip, hostNetwork, podCidr, rp, docker, ip);
        }

        static NodeSpec of(String name, String ip, String hostNetwork, String podCidr) {
            return new NodeSpec(name, IpAddress.parse(ip), Cidr.parse(hostNetwork),
                    podCidr == null ? null : Cidr.parse(podCidr), RpFilter.STRICT, null);
        }

        NodeSpec withRp(RpFilter r) {
            return new NodeSpec(name, ip, hostNetwork, podCidr, r, docker, publicIp);
        }

        NodeSpec withDocker(Cidr d) {
            return new NodeSpec(name, ip, hostNetwork, podCidr, rp, d, publicIp);
        }

        NodeSpec withPodCidr(Cidr c) {
            return new NodeSpec(name, ip, hostNetwork, c, rp, docker, publicIp);
        }

        NodeSpec withPublicIp(IpAddress p) {
            return new NodeSpec(name, ip, hostNetwork, podCidr, rp, docker, p);
        }
    }

    record Proxy(ProxyMode mode, Cidr clusterCidr, DetectLocalMode detectLocal, boolean masqueradeAll,
                 List<String> nodePortAddresses, String bridgeInterface, String interfacePrefix) {
        Proxy {
            nodePortAddresses = List.copyOf(nodePortAddresses);
        }

        static Proxy of(ProxyMode mode, String clusterCidr) {
            return new Proxy(mode, clusterCidr == null ? null : Cidr.parse(clusterCidr), DetectLocalMode.CLUSTER_CIDR,
                    false, List.of(), "cni0", "veth");
        }

        Proxy withDetectLocal(DetectLocalMode d) {
            return new Proxy(mode, clusterCidr, d, masqueradeAll, nodePortAddresses, bridgeInterface,
                    interfacePrefix);
        }

        Proxy withMasqueradeAll(boolean m) {
            return new Proxy(mode, clusterCidr, detectLocal, m, nodePortAddresses, bridgeInterface,
                    interfacePrefix);
        }

        Proxy withMode(ProxyMode m) {
            return new Proxy(m, clusterCidr, detectLocal, masqueradeAll, nodePortAddresses, bridgeInterface,
                    interfacePrefix);
        }
    }

    /**
     * A service port. {@code name} is the port's name in the Service ("" when unnamed, as a Service's only port may
     * be); kube-proxy keys its chains by {@code namespace/name:portName}, so two ports of one Service tell apart only
     * by their names.
     */
    record PortSpec(int port, Protocol proto, int nodePort, String name) {
        PortSpec {
            Objects.requireNonNull(name);
        }

        PortSpec(int port, Protocol proto, int nodePort) {
            this(port, proto, nodePort, "");
        }
    }

    record EpSpec(IpAddress ip, int port) {
        /** {@code ip:port}, an IPv6 address in brackets, as kube-proxy keys endpoints (net.JoinHostPort). */
        @Override
        public String toString() {
            return ip.isIpv4() ? ip + ":" + port : "[" + ip + "]:" + port;
        }
    }

    /**
     * A Service. Its endpoints are kept the way kube-proxy holds them (pkg/proxy/endpointslicecache.go, ≈ v1.33): one
     * per {@code ip:port} string, sorted by that string. So the first KUBE-SEP jump, {@code numgen} index 0 and
     * real server, which the model takes, is the smallest string, whatever order the scenario lists them in.
     * {@code loadBalancerIps} are {@code status.loadBalancer.ingress[].ip}; the policies are
     * {@code spec.externalTrafficPolicy} and {@code spec.internalTrafficPolicy}.
     */
    record SvcSpec(String name, IpAddress clusterIp, List<PortSpec> ports, List<EpSpec> endpoints,
                   List<IpAddress> externalIps, List<IpAddress> loadBalancerIps, TrafficPolicy externalPolicy,
                   TrafficPolicy internalPolicy) {
        SvcSpec {
            ports = List.copyOf(ports);
            endpoints = endpoints.stream().distinct().sorted(Comparator.comparing(EpSpec::toString)).toList();
            externalIps = List.copyOf(externalIps);
            loadBalancerIps = List.copyOf(loadBalancerIps);
            Objects.requireNonNull(externalPolicy);
            Objects.requireNonNull(internalPolicy);
        }

        /** A Service without load-balancer addresses whose traffic policies are both Cluster. */
        SvcSpec(String name, IpAddress clusterIp, List<PortSpec> ports, List<EpSpec> endpoints,
                List<IpAddress> externalIps) {
            this(name, clusterIp, ports, endpoints, externalIps, List.of(), TrafficPolicy.CLUSTER,
                    TrafficPolicy.CLUSTER);
        }

        SvcSpec withLoadBalancer(List<IpAddress> ips, TrafficPolicy external, TrafficPolicy internal) {
            return new SvcSpec(name, clusterIp, ports, endpoints, externalIps, ips, external, internal);
        }

        /**
         * kube-proxy's {@code ExternallyAccessible} for one port (pkg/proxy/serviceport.go): a node port, an
         * externalIP or a load-balancer address.
         */
        boolean externallyAccessible(PortSpec p) {
            return p.nodePort() > 0 || !externalIps.isEmpty() || !loadBalancerIps.isEmpty();
        }

        /** {@code ExternalPolicyLocal}: externalTrafficPolicy Local on a port reachable from outside. */
        boolean externalLocal(PortSpec p) {
            return externalPolicy == TrafficPolicy.LOCAL && externallyAccessible(p);
        }

        boolean internalLocal() {
            return internalPolicy == TrafficPolicy.LOCAL;
        }

        /**
         * {@code UsesClusterEndpoints}: internal policy Cluster, or reachable from outside at all (even with an
         * external policy of Local, pods and the node itself short-circuit to all endpoints).
         */
        boolean usesClusterEndpoints(PortSpec p) {
            return !internalLocal() || externallyAccessible(p);
        }

        /** {@code UsesLocalEndpoints}: either policy Local where it applies. */
        boolean usesLocalEndpoints(PortSpec p) {
            return internalLocal() || externalLocal(p);
        }
    }

    record PodSpec(String name, IpAddress ip, String node) {
    }

    record NetSpec(String name, Cidr cidr) {
    }

    /** The family of its addresses: the flannel Network's, else the first node's; IPv4 when it has neither. */
    IpFamily family() {
        if (flannel != null) {
            return flannel.network().family();
        }
        return nodes.isEmpty() ? IpFamily.IPV4 : nodes.get(0).ip().family();
    }

    Spec withFlannel(Flannel f) {
        return new Spec(name, f, nodes, serviceCidrs, proxy, services, pods, networks, antiSpoofing);
    }

    Spec withNodes(List<NodeSpec> n) {
        return new Spec(name, flannel, n, serviceCidrs, proxy, services, pods, networks, antiSpoofing);
    }

    Spec withProxy(Proxy p) {
        return new Spec(name, flannel, nodes, serviceCidrs, p, services, pods, networks, antiSpoofing);
    }

    Spec withServiceCidrs(List<Cidr> s) {
        return new Spec(name, flannel, nodes, s, proxy, services, pods, networks, antiSpoofing);
    }

    Spec withServices(List<SvcSpec> s) {
        return new Spec(name, flannel, nodes, serviceCidrs, proxy, s, pods, networks, antiSpoofing);
    }

    Spec withPods(List<PodSpec> p) {
        return new Spec(name, flannel, nodes, serviceCidrs, proxy, services, p, networks, antiSpoofing);
    }

    Spec withAntiSpoofing(boolean a) {
        return new Spec(name, flannel, nodes, serviceCidrs, proxy, services, pods, networks, a);
    }

    Spec withNetworks(List<NetSpec> n) {
        return new Spec(name, flannel, nodes, serviceCidrs, proxy, services, pods, n, antiSpoofing);
    }
}
