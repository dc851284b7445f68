package io.github.cidrguard.lab;

import io.github.cidrguard.kube.RpFilter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the lab builds, independent of the scenario model: nodes on one LAN, each with its uplink address, flannel
 * lease, backend data plane, netfilter rules (iptables-restore text) and rp_filter mode, and pods on the nodes' cni0.
 *
 * @param name a label for reports
 * @param backend the flannel backend whose data plane is built on every node
 * @param vni the VXLAN id (device {@code flannel.<vni>}); ignored for host-gw
 * @param nodes the nodes, in order
 * @param pods the pods, each on a named node
 * @param listenPorts TCP ports a listener answers on in every namespace (it replies with the namespace's owner)
 * @param gateways LAN gateways (none: nodes have no default route)
 */
public record LabSpec(String name, Backend backend, int vni, List<Node> nodes, List<Pod> pods,
        Set<Integer> listenPorts, List<Gateway> gateways) {

    /** The flannel backends the lab can build. */
    public enum Backend {
        /** {@code flannel.<VNI>} with a /32, onlink routes, permanent neighbours and FDB entries per remote lease. */
        VXLAN,
        /** {@code <lease> via <PublicIP> dev eth0} per remote lease. */
        HOST_GW
    }

    /** The {@code net.ipv4.conf.{all,<iface>}.rp_filter} value of the model's reverse-path filter: 0, 1 or 2. */
    static int sysctlValue(RpFilter rp) {
        return switch (rp) {
            case OFF -> 0;
            case STRICT -> 1;
            case LOOSE -> 2;
        };
    }

    /**
     * One node.
     *
     * @param name node name
     * @param ip uplink address (flannel PublicIP)
     * @param prefixLength prefix length of the node's hostNetwork (its connected LAN route)
     * @param lease the flannel lease, e.g. {@code 10.252.61.0/24}; cni0 gets its first address; null: not a flannel
     *              node (no cni0, no backend devices, no routes to it)
     * @param rpFilter reverse-path filter mode for {@code all} and every interface
     * @param iptables rules loaded with {@code iptables-restore} (empty: none)
     * @param docker the docker0 network, e.g. {@code 172.17.0.0/16} (docker0 gets its first address), or null
     * @param gateway the default route's gateway on the LAN, or null for no default route
     * @param nftables rules loaded with {@code nft -f} ({@code nft list ruleset} text: kube-proxy's nftables mode,
     *                 flannel's EnableNFTables tables; empty: none), after the iptables rules
     */
    public record Node(String name, String ip, int prefixLength, String lease, RpFilter rpFilter, String iptables,
            String docker, String gateway, String nftables) {
        /** Checks for missing values. */
        public Node {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(ip, "ip");
            Objects.requireNonNull(rpFilter, "rpFilter");
            iptables = iptables == null ? "" : iptables;
            nftables = nftables == null ? "" : nftables;
        }

        /** A node whose rules are all iptables rules. */
        public Node(String name, String ip, int prefixLength, String lease, RpFilter rpFilter, String iptables,
                String docker, String gateway) {
            this(name, ip, prefixLength, lease, rpFilter, iptables, docker, gateway, null);
        }

        /** A flannel node without docker0 and without a default route. */
        public Node(String name, String ip, int prefixLength, String lease, RpFilter rpFilter, String iptables) {
            this(name, ip, prefixLength, lease, rpFilter, iptables, null, null);
        }

        Node withRpFilter(RpFilter mode) {
            return new Node(name, ip, prefixLength, lease, mode, iptables, docker, gateway, nftables);
        }
    }

    /**
     * A router-less gateway on the LAN: it owns the nodes' default gateway address and one address in each declared
     * network ({@code host:<ip>} destinations), and forwards nothing, so traffic to anything else ends there.
     *
     * @param ip its LAN address
     * @param prefixLength the LAN's prefix length
     * @param hosts addresses with prefix length, e.g. {@code 172.17.0.1/16}; the gateway owns each address (as a /32)
     */
    public record Gateway(String ip, int prefixLength, List<String> hosts) {
        /** Copies the list. */
        public Gateway {
            Objects.requireNonNull(ip, "ip");
            hosts = List.copyOf(hosts);
        }
    }

    /**
     * One pod.
     *
     * @param name pod name, e.g. {@code default/busybox}
     * @param ip its address, inside its node's lease
     * @param node the node it runs on
     */
    public record Pod(String name, String ip, String node) {
        /** Checks for missing values. */
        public Pod {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(ip, "ip");
            Objects.requireNonNull(node, "node");
        }
    }

    /** Copies the lists and checks that every pod's node exists. */
    public LabSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(backend, "backend");
        nodes = List.copyOf(nodes);
        pods = List.copyOf(pods);
        listenPorts = Set.copyOf(new TreeSet<>(listenPorts));
        gateways = List.copyOf(gateways);
        for (Pod p : pods) {
            if (nodes.stream().noneMatch(n -> n.name().equals(p.node()))) {
                throw new IllegalArgumentException("pod " + p.name() + " is on unknown node " + p.node());
            }
        }
    }

    /** A lab without gateways. */
    public LabSpec(String name, Backend backend, int vni, List<Node> nodes, List<Pod> pods, Set<Integer> listenPorts) {
        this(name, backend, vni, nodes, pods, listenPorts, List.of());
    }

    /** @return the node with this name */
    public Optional<Node> node(String nodeName) {
        return nodes.stream().filter(n -> n.name().equals(nodeName)).findFirst();
    }

    /** @return the pod with this name */
    public Optional<Pod> pod(String podName) {
        return pods.stream().filter(p -> p.name().equals(podName)).findFirst();
    }

    /** @return a copy with every node's rp_filter set to {@code mode} */
    public LabSpec withRpFilter(RpFilter mode) {
        return new LabSpec(name, backend, vni, nodes.stream().map(n -> n.withRpFilter(mode)).toList(), pods,
                listenPorts, gateways);
    }
}
