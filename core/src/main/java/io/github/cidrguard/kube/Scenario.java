package io.github.cidrguard.kube;

import io.github.cidrguard.scenario.ScenarioFormat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A cluster's address plan (docs/scenario-format.md): an immutable value read from a scenario file with {@link #load} or
 * {@link #parse}, or built in code with {@link #builder}; written back with {@link #toYaml()}.
 *
 * <p>Only {@code nodes} is required. The model keeps what was written: flannel's config stays the verbatim text
 * flanneld would read, so the analysis can judge what flanneld makes of it.
 */
public final class Scenario {
    /** The scenario format version this library reads and writes. */
    public static final int FORMAT = 1;

    private final String name;
    private final Platform platform;
    private final Optional<Flannel> flannel;
    private final List<Node> nodes;
    private final Optional<Kubernetes> kubernetes;
    private final List<Pod> pods;
    private final List<DeclaredNetwork> networks;
    private final Underlay underlay;
    private final List<LoadBalancerPool> loadBalancerPools;

    private Scenario(Builder b) {
        this.name = Values.name(b.name, "a scenario");
        this.platform = Objects.requireNonNull(b.platform, "platform");
        this.flannel = Optional.ofNullable(b.flannel);
        this.nodes = List.copyOf(b.nodes);
        this.kubernetes = Optional.ofNullable(b.kubernetes);
        this.pods = List.copyOf(b.pods);
        this.networks = List.copyOf(b.networks);
        this.underlay = Objects.requireNonNull(b.underlay, "underlay");
        this.loadBalancerPools = List.copyOf(b.loadBalancerPools);
        Set<String> names = new HashSet<>();
        for (Node n : nodes) {
            if (!names.add(n.name())) {
                throw new IllegalArgumentException("node name '" + n.name() + "' appears twice; node names are"
                        + " unique, rename one");
            }
        }
    }

    /**
     * Reads a scenario file, YAML or JSON; a convenience for {@link ScenarioFormat#load}, which holds the file format.
     *
     * @throws ScenarioException for unreadable files, bad syntax, unknown keys and bad values; the message names the
     *     file, the line, the key and the fix
     */
    public static Scenario load(Path file) {
        return ScenarioFormat.load(file);
    }

    /**
     * Reads a scenario from text, YAML or JSON; {@code sourceName} (e.g. a file name) starts every error message and
     * gives the scenario its name when the text has none.
     *
     * @throws ScenarioException as {@link #load}
     */
    public static Scenario parse(String text, String sourceName) {
        return ScenarioFormat.parse(text, sourceName);
    }

    /** A builder for a scenario with this name (platform onprem, no nodes yet). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding everything of this scenario, to change some of it. */
    public Builder toBuilder() {
        Builder b = new Builder(name).platform(platform).underlay(underlay).nodes(nodes).pods(pods).networks(networks)
                .loadBalancerPools(loadBalancerPools);
        flannel.ifPresent(b::flannel);
        kubernetes.ifPresent(b::kubernetes);
        return b;
    }

    /** The scenario's name ({@code name}; the file name without extension when absent). */
    public String name() {
        return name;
    }

    /** Where the cluster runs. */
    public Platform platform() {
        return platform;
    }

    /** flannel's config and leases, if the cluster uses flannel and the file says so. */
    public Optional<Flannel> flannel() {
        return flannel;
    }

    /** The nodes, in the order given. */
    public List<Node> nodes() {
        return nodes;
    }

    /** The node with this name. */
    public Optional<Node> node(String nodeName) {
        return nodes.stream().filter(n -> n.name().equals(nodeName)).findFirst();
    }

    /** Service CIDR, DNS, kube-proxy and services, if given. */
    public Optional<Kubernetes> kubernetes() {
        return kubernetes;
    }

    /** The pods, in the order given. */
    public List<Pod> pods() {
        return pods;
    }

    /** Networks outside the cluster that must stay reachable. */
    public List<DeclaredNetwork> networks() {
        return networks;
    }

    /** The network the nodes sit on. */
    public Underlay underlay() {
        return underlay;
    }

    /** The load-balancer address pools (MetalLB IPAddressPools, Cilium LB IPAM, kube-vip ranges), in the order given. */
    public List<LoadBalancerPool> loadBalancerPools() {
        return loadBalancerPools;
    }

    /**
     * The subnet manager flanneld runs with: the flannel section's, or etcd when there is none.
     */
    public SubnetManager subnetManager() {
        return flannel.map(Flannel::subnetManager).orElse(SubnetManager.ETCD);
    }

    /** A copy with other load-balancer pools. */
    public Scenario withLoadBalancerPools(List<LoadBalancerPool> pools) {
        return toBuilder().loadBalancerPools(pools).build();
    }

    /** A copy with other nodes. */
    public Scenario withNodes(List<Node> newNodes) {
        return toBuilder().nodes(newNodes).build();
    }

    /** A copy with another flannel section. */
    public Scenario withFlannel(Flannel newFlannel) {
        return toBuilder().flannel(newFlannel).build();
    }

    /** A copy with another Kubernetes section. */
    public Scenario withKubernetes(Kubernetes newKubernetes) {
        return toBuilder().kubernetes(newKubernetes).build();
    }

    /** A copy with other declared networks. */
    public Scenario withNetworks(List<DeclaredNetwork> newNetworks) {
        return toBuilder().networks(newNetworks).build();
    }

    /** The scenario as a YAML scenario file that {@link #parse} reads back to an equal scenario. */
    public String toYaml() {
        return ScenarioFormat.toYaml(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scenario s && s.name.equals(name) && s.platform == platform && s.flannel.equals(flannel)
                && s.nodes.equals(nodes) && s.kubernetes.equals(kubernetes) && s.pods.equals(pods)
                && s.networks.equals(networks) && s.underlay.equals(underlay)
                && s.loadBalancerPools.equals(loadBalancerPools);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, platform, flannel, nodes, kubernetes, pods, networks, underlay, loadBalancerPools);
    }

    /** {@code Scenario[seed-2017, 2 nodes]}. */
    @Override
    public String toString() {
        return "Scenario[" + name + ", " + nodes.size() + " nodes]";
    }

    /** Builds a {@link Scenario} in code; everything but the name is optional. Not thread-safe. */
    public static final class Builder {
        private String name;
        private Platform platform = Platform.ONPREM;
        private Flannel flannel;
        private final List<Node> nodes = new ArrayList<>();
        private Kubernetes kubernetes;
        private final List<Pod> pods = new ArrayList<>();
        private final List<DeclaredNetwork> networks = new ArrayList<>();
        private Underlay underlay = Underlay.plain();
        private final List<LoadBalancerPool> loadBalancerPools = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        /** Sets the name. */
        public Builder name(String newName) {
            this.name = newName;
            return this;
        }

        /** Sets the platform (default onprem). */
        public Builder platform(Platform newPlatform) {
            this.platform = newPlatform;
            return this;
        }

        /** Sets flannel's section. */
        public Builder flannel(Flannel newFlannel) {
            this.flannel = newFlannel;
            return this;
        }

        /** Adds a node. */
        public Builder node(Node node) {
            nodes.add(node);
            return this;
        }

        /** Replaces the nodes. */
        public Builder nodes(List<Node> newNodes) {
            nodes.clear();
            nodes.addAll(newNodes);
            return this;
        }

        /** Sets the Kubernetes section. */
        public Builder kubernetes(Kubernetes newKubernetes) {
            this.kubernetes = newKubernetes;
            return this;
        }

        /** Adds a pod. */
        public Builder pod(Pod pod) {
            pods.add(pod);
            return this;
        }

        /** Replaces the pods. */
        public Builder pods(List<Pod> newPods) {
            pods.clear();
            pods.addAll(newPods);
            return this;
        }

        /** Adds a declared network. */
        public Builder network(DeclaredNetwork network) {
            networks.add(network);
            return this;
        }

        /** Replaces the declared networks. */
        public Builder networks(List<DeclaredNetwork> newNetworks) {
            networks.clear();
            networks.addAll(newNetworks);
            return this;
        }

        /** Adds a load-balancer pool. */
        public Builder loadBalancerPool(LoadBalancerPool pool) {
            loadBalancerPools.add(pool);
            return this;
        }

        /** Replaces the load-balancer pools. */
        public Builder loadBalancerPools(List<LoadBalancerPool> pools) {
            loadBalancerPools.clear();
            loadBalancerPools.addAll(pools);
            return this;
        }

        /** Sets the underlay (default: no anti-spoofing). */
        public Builder underlay(Underlay newUnderlay) {
            this.underlay = newUnderlay;
            return this;
        }

        /**
         * The scenario.
         *
         * @throws IllegalArgumentException if the name is empty or two nodes share a name
         */
        public Scenario build() {
            return new Scenario(this);
        }
    }
}
