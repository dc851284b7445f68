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
 * @param gateways LAN gateways (none: nodes have no default route); IPv4 only
 * @param underlay6 which address family carries flannel-v6's VXLAN packets (flannel's: {@link Underlay6#IPV6})
 */
public record LabSpec(String name, Backend backend, int vni, List<Node> nodes, List<Pod> pods,
        Set<Integer> listenPorts, List<Gateway> gateways, Underlay6 underlay6) {

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
     * A node's IPv6 half, as flanneld builds it when {@code EnableIPv6} is set: the uplink's IPv6 address, cni0's
     * {@code <lease>::1}, and for vxlan the device {@code flannel-v6.<VNI>} whose VTEP is the node's public IPv6
     * (flannel's pkg/backend/vxlan: {@code vtepAddr: be.extIface.IfaceV6Addr}, FDB {@code dst} the remote
     * {@code PublicIPv6}), the lease's network address as a /128, onlink routes and permanent neighbours per remote
     * lease; for host-gw {@code <lease> via <remote IPv6> dev eth0}. IPv6 has no {@code rp_filter} sysctl.
     *
     * @param ip the uplink's IPv6 address (flannel's PublicIPv6)
     * @param prefixLength prefix length of the node's IPv6 hostNetwork
     * @param lease the IPv6 lease, e.g. {@code fd00:10:244:1::/64}, or null for no IPv6 flannel on this node
     * @param ip6tables rules loaded with {@code ip6tables-restore} (empty: none)
     * @param nftables IPv6 tables ({@code table ip6 …}) loaded with {@code nft -f} after the IPv4 ones (empty: none)
     */
    public record V6(String ip, int prefixLength, String lease, String ip6tables, String nftables) {
        /** Checks for missing values. */
        public V6 {
            Objects.requireNonNull(ip, "ip");
            ip6tables = ip6tables == null ? "" : ip6tables;
            nftables = nftables == null ? "" : nftables;
        }
    }

    /** Which underlay carries flannel-v6's VXLAN packets: flannel's own choice is the node's IPv6 address. */
    public enum Underlay6 {
        /** The VTEP is the node's public IPv6, as flanneld sets it. */
        IPV6,
        /** The VTEP is the node's IPv4 address: not what flanneld does, a kernel check that VXLAN carries either. */
        IPV4
    }

    /**
     * One node.
     *
     * @param name node name
     * @param ip uplink IPv4 address (flannel PublicIP), or null for an IPv6-only node (then {@code v6} is set)
     * @param prefixLength prefix length of the node's hostNetwork (its connected LAN route)
     * @param lease the flannel lease, e.g. {@code 10.252.61.0/24}; cni0 gets its first address; null: not a flannel
     *              node (no cni0, no backend devices, no routes to it)
     * @param rpFilter reverse-path filter mode for {@code all} and every interface
     * @param iptables rules loaded with {@code iptables-restore} (empty: none)
     * @param docker the docker0 network, e.g. {@code 172.17.0.0/16} (docker0 gets its first address), or null
     * @param gateway the default route's gateway on the LAN, or null for no default route
     * @param nftables rules loaded with {@code nft -f} ({@code nft list ruleset} text: kube-proxy's nftables mode,
     *                 flannel's EnableNFTables tables; empty: none), after the iptables rules
     * @param v6 the node's IPv6 half, or null for an IPv4-only node
     */
    public record Node(String name, String ip, int prefixLength, String lease, RpFilter rpFilter, String iptables,
            String docker, String gateway, String nftables, V6 v6) {
        /** Checks for missing values: a node has an address of at least one family. */
        public Node {
            Objects.requireNonNull(name, "name");
            if (ip == null && v6 == null) {
                throw new IllegalArgumentException("node " + name + " needs an IPv4 or an IPv6 address");
            }
            Objects.requireNonNull(rpFilter, "rpFilter");
            iptables = iptables == null ? "" : iptables;
            nftables = nftables == null ? "" : nftables;
        }

        /** An IPv4-only node. */
        public Node(String name, String ip, int prefixLength, String lease, RpFilter rpFilter, String iptables,
                String docker, String gateway, String nftables) {
            this(name, ip, prefixLength, lease, rpFilter, iptables, docker, gateway, nftables, null);
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
            return new Node(name, ip, prefixLength, lease, mode, iptables, docker, gateway, nftables, v6);
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
     * @param ip its IPv4 address, inside its node's lease, or null for a pod with an IPv6 address only
     * @param node the node it runs on
     * @param ip6 its IPv6 address, inside its node's IPv6 lease, or null
     */
    public record Pod(String name, String ip, String node, String ip6) {
        /** Checks for missing values: a pod has an address of at least one family. */
        public Pod {
            Objects.requireNonNull(name, "name");
            if (ip == null && ip6 == null) {
                throw new IllegalArgumentException("pod " + name + " needs an IPv4 or an IPv6 address");
            }
            Objects.requireNonNull(node, "node");
        }

        /** An IPv4-only pod. */
        public Pod(String name, String ip, String node) {
            this(name, ip, node, null);
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
        Objects.requireNonNull(underlay6, "underlay6");
        for (Pod p : pods) {
            if (nodes.stream().noneMatch(n -> n.name().equals(p.node()))) {
                throw new IllegalArgumentException("pod " + p.name() + " is on unknown node " + p.node());
            }
        }
    }

    /** A lab whose IPv6 VXLAN (if any) runs over IPv6, as flannel's does. */
    public LabSpec(String name, Backend backend, int vni, List<Node> nodes, List<Pod> pods, Set<Integer> listenPorts,
            List<Gateway> gateways) {
        this(name, backend, vni, nodes, pods, listenPorts, gateways, Underlay6.IPV6);
    }

    /** A lab without gateways. */
    public LabSpec(String name, Backend backend, int vni, List<Node> nodes, List<Pod> pods, Set<Integer> listenPorts) {
        this(name, backend, vni, nodes, pods, listenPorts, List.of());
    }

    /** @return true when some node has an IPv6 half */
    public boolean ipv6() {
        return nodes.stream().anyMatch(n -> n.v6() != null);
    }

    /** @return a copy whose flannel-v6 VXLAN runs over {@code underlay} */
    public LabSpec withUnderlay6(Underlay6 underlay) {
        return new LabSpec(name, backend, vni, nodes, pods, listenPorts, gateways, underlay);
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
                listenPorts, gateways, underlay6);
    }
}
