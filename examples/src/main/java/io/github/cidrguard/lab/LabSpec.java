package io.github.cidrguard.lab;

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
 */
public record LabSpec(String name, Backend backend, int vni, List<Node> nodes, List<Pod> pods,
        Set<Integer> listenPorts) {

    /** The flannel backends the lab can build. */
    public enum Backend {
        /** {@code flannel.<VNI>} with a /32, onlink routes, permanent neighbours and FDB entries per remote lease. */
        VXLAN,
        /** {@code <lease> via <PublicIP> dev eth0} per remote lease. */
        HOST_GW
    }

    /** Reverse-path filtering as set in {@code net.ipv4.conf.{all,<iface>}.rp_filter}. */
    public enum RpFilter {
        /** 0. */
        OFF(0),
        /** 1: the source must be routed back through the incoming interface. */
        STRICT(1),
        /** 2: the source must be routable at all. */
        LOOSE(2);

        private final int value;

        RpFilter(int value) {
            this.value = value;
        }

        /** @return the sysctl value */
        public int value() {
            return value;
        }
    }

    /**
     * One node.
     *
     * @param name node name
     * @param ip uplink address (flannel PublicIP)
     * @param prefixLength prefix length of the node's hostNetwork (its connected LAN route)
     * @param lease the flannel lease, e.g. {@code 10.252.61.0/24}; cni0 gets its first address
     * @param rpFilter reverse-path filter mode for {@code all} and every interface
     * @param iptables rules loaded with {@code iptables-restore} (empty: none)
     */
    public record Node(String name, String ip, int prefixLength, String lease, RpFilter rpFilter, String iptables) {
        /** Checks for missing values. */
        public Node {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(ip, "ip");
            Objects.requireNonNull(lease, "lease");
            Objects.requireNonNull(rpFilter, "rpFilter");
            iptables = iptables == null ? "" : iptables;
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
        for (Pod p : pods) {
            if (nodes.stream().noneMatch(n -> n.name().equals(p.node()))) {
                throw new IllegalArgumentException("pod " + p.name() + " is on unknown node " + p.node());
            }
        }
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
        return new LabSpec(name, backend, vni, nodes.stream()
                .map(n -> new Node(n.name(), n.ip(), n.prefixLength(), n.lease(), mode, n.iptables())).toList(),
                pods, listenPorts);
    }
}
