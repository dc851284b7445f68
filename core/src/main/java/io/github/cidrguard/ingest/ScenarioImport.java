package io.github.cidrguard.ingest;

import io.github.cidrguard.flannel.FlannelConfig;
import io.github.cidrguard.flannel.FlannelConfigException;
import io.github.cidrguard.flannel.SubnetEnv;
import io.github.cidrguard.flannel.SubnetKey;
import io.github.cidrguard.kube.ControllerManager;
import io.github.cidrguard.kube.Flannel;
import io.github.cidrguard.kube.KubeProxy;
import io.github.cidrguard.kube.Kubernetes;
import io.github.cidrguard.kube.Lease;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.NodeRules;
import io.github.cidrguard.kube.Pod;
import io.github.cidrguard.kube.RpFilter;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.Service;
import io.github.cidrguard.kube.SubnetManager;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds a {@link Scenario} from what people already have: the output of {@code kubectl get nodes/svc/pods -o json},
 * the kube-flannel and kube-proxy ConfigMaps, and per node {@code /run/flannel/subnet.env}, {@code iptables-save} and
 * {@code ip route}. An immutable value: each {@code with…} method reads one source at once (so a bad input fails
 * there, naming the source) and returns a new importer; {@link #toScenario()} merges what the sources say.
 *
 * <pre>{@code
 * Scenario s = ScenarioImport.named("prod")
 *         .withKubectlNodes(Files.readString(Path.of("nodes.json")), "nodes.json")
 *         .withFlannelConfigMap(Files.readString(Path.of("kube-flannel-cfg.json")), "kube-flannel-cfg.json")
 *         .withIptablesSave("node-71", Files.readString(Path.of("node-71.iptables")), "node-71.iptables")
 *         .toScenario();
 * }</pre>
 *
 * <p>Precedence when sources disagree: the API server's view (kubectl, ConfigMaps) over what a node installed
 * (subnet.env, iptables-save, ip route), which fills in what the API does not know: the LAN prefixes, Docker's bridge,
 * {@code --ip-masq}, the lease, endpoints, and — when no ConfigMap is given — flannel's Network and kube-proxy's
 * settings as installed. {@link #notes()} says what was inferred and what was missing.
 */
public final class ScenarioImport {
    private final String name;
    private final List<KubectlNodes.Entry> nodes;
    private final List<Service> services;
    private final List<Pod> pods;
    private final Optional<String> netConf;
    private final Optional<KubeProxy> kubeProxy;
    private final Map<String, SubnetEnv> subnetEnvs;
    private final Map<String, IptablesSave.Facts> iptables;
    private final Map<String, IpRoute.Facts> routes;
    private final Optional<Cidr> serviceCidr;
    /** The nodes of the node-local sources in the order first given (Map.copyOf keeps no order). */
    private final List<String> nodeOrder;
    /** What the cluster-level configuration sources say (k3s, kubeadm, ServiceCIDRs, LB pools, net-conf.json). */
    private final KubeFacts kube;

    private ScenarioImport(String name, List<KubectlNodes.Entry> nodes, List<Service> services, List<Pod> pods,
                           Optional<String> netConf, Optional<KubeProxy> kubeProxy, Map<String, SubnetEnv> subnetEnvs,
                           Map<String, IptablesSave.Facts> iptables, Map<String, IpRoute.Facts> routes,
                           Optional<Cidr> serviceCidr, List<String> nodeOrder, KubeFacts kube) {
        this.name = requireName(name, "an imported scenario");
        this.nodes = List.copyOf(nodes);
        this.services = List.copyOf(services);
        this.pods = List.copyOf(pods);
        this.netConf = netConf;
        this.kubeProxy = kubeProxy;
        this.subnetEnvs = Map.copyOf(subnetEnvs);
        this.iptables = Map.copyOf(iptables);
        this.routes = Map.copyOf(routes);
        this.serviceCidr = serviceCidr;
        this.nodeOrder = List.copyOf(nodeOrder);
        this.kube = Objects.requireNonNull(kube, "kube");
    }

    /** An importer with no sources yet, for a scenario of this name. */
    public static ScenarioImport named(String name) {
        return new ScenarioImport(name, List.of(), List.of(), List.of(), Optional.empty(), Optional.empty(),
                Map.of(), Map.of(), Map.of(), Optional.empty(), List.of(), KubeFacts.none());
    }

    private ScenarioImport copy(List<KubectlNodes.Entry> n, List<Service> s, List<Pod> p, Optional<String> nc,
                                Optional<KubeProxy> kp, Map<String, SubnetEnv> se, Map<String, IptablesSave.Facts> ip,
                                Map<String, IpRoute.Facts> rt, Optional<Cidr> sc, String node) {
        List<String> order = new ArrayList<>(nodeOrder);
        if (node != null && !order.contains(node)) {
            order.add(node);
        }
        return new ScenarioImport(name, n, s, p, nc, kp, se, ip, rt, sc, order, kube);
    }

    private ScenarioImport withKube(KubeFacts more) {
        return new ScenarioImport(name, nodes, services, pods, netConf, kubeProxy, subnetEnvs, iptables, routes,
                serviceCidr, nodeOrder, kube.plus(more));
    }

    /**
     * Adds {@code kubectl get nodes -o json} (or {@code -o yaml}; a List or one Node): names, InternalIPs, podCIDRs.
     *
     * @throws ImportException naming {@code source} when the text is not that output
     */
    public ScenarioImport withKubectlNodes(String text, String source) {
        List<KubectlNodes.Entry> n = new ArrayList<>(nodes);
        n.addAll(KubectlNodes.parse(text, source));
        return copy(n, services, pods, netConf, kubeProxy, subnetEnvs, iptables, routes, serviceCidr, null);
    }

    /**
     * {@link #withKubectlNodes(String, String)} read streaming from a file: kubectl's output for 65 536 nodes is
     * hundreds of MB, and the heap holds the node being read and the model, never the text or its tree. The limits of
     * {@link io.github.cidrguard.InputText} apply as the file is read (size, NUL bytes, UTF-8, YAML lines), and errors
     * carry the same lines as from a String.
     *
     * @param file {@code kubectl get nodes -o json} (or {@code -o yaml}) output
     * @param source the name for messages, e.g. {@code nodes.json}
     * @throws ImportException naming {@code source} when the text is not that output
     * @throws io.github.cidrguard.InputTextException when the file is missing, unreadable or past a limit
     */
    public ScenarioImport withKubectlNodes(Path file, String source) {
        return withNodes(io.github.cidrguard.InputText.open(file, "the " + KubectlNodes.COMMAND + " output"), source);
    }

    /**
     * {@link #withKubectlNodes(Path, String)} from a stream (stdin, a pipe from kubectl), which is read to its end and
     * closed.
     *
     * @param in {@code kubectl get nodes -o json} (or {@code -o yaml}) output
     * @param source the name for messages, e.g. {@code stdin}
     * @throws ImportException naming {@code source} when the text is not that output
     * @throws io.github.cidrguard.InputTextException when the stream fails or passes a limit
     */
    public ScenarioImport withKubectlNodes(java.io.InputStream in, String source) {
        return withNodes(io.github.cidrguard.InputText.open(in, source, "the " + KubectlNodes.COMMAND + " output"),
                source);
    }

    private ScenarioImport withNodes(java.io.Reader reader, String source) {
        List<KubectlNodes.Entry> n = new ArrayList<>(nodes);
        try (reader) {
            n.addAll(KubectlNodes.parse(reader, source));
        } catch (java.io.IOException e) {
            throw new ImportException(source, 0, "cannot close the input (" + e.getMessage() + ")", e);
        }
        return copy(n, services, pods, netConf, kubeProxy, subnetEnvs, iptables, routes, serviceCidr, null);
    }

    /**
     * Adds {@code kubectl get svc -A -o json}: ClusterIPs, ports, node ports, external IPs. The service named
     * {@code kube-system/kube-dns} gives the cluster DNS address.
     *
     * @throws ImportException naming {@code source} when the text is not that output
     */
    public ScenarioImport withKubectlServices(String text, String source) {
        List<Service> s = new ArrayList<>(services);
        s.addAll(KubectlServices.parse(text, source));
        return copy(nodes, s, pods, netConf, kubeProxy, subnetEnvs, iptables, routes, serviceCidr, null);
    }

    /**
     * Adds {@code kubectl get pods -A -o json}: pod names, IPs and nodes (host-network and IP-less pods left out).
     *
     * @throws ImportException naming {@code source} when the text is not that output
     */
    public ScenarioImport withKubectlPods(String text, String source) {
        List<Pod> p = new ArrayList<>(pods);
        p.addAll(KubectlPods.parse(text, source));
        return copy(nodes, services, p, netConf, kubeProxy, subnetEnvs, iptables, routes, serviceCidr, null);
    }

    /**
     * Adds the kube-flannel ConfigMap ({@code kubectl -n kube-flannel get cm kube-flannel-cfg -o json} or
     * {@code -o yaml}): its {@code net-conf.json} becomes flannel's config, verbatim.
     *
     * @throws ImportException naming {@code source} when the text is not such a ConfigMap
     */
    public ScenarioImport withFlannelConfigMap(String text, String source) {
        return copy(nodes, services, pods, Optional.of(ConfigMaps.flannelNetConf(text, source)), kubeProxy, subnetEnvs,
                iptables, routes, serviceCidr, null);
    }

    /**
     * Adds the kube-proxy ConfigMap ({@code kubectl -n kube-system get cm kube-proxy -o json} or {@code -o yaml}):
     * mode, clusterCIDR, detectLocalMode, masqueradeAll and nodePortAddresses of the KubeProxyConfiguration in its
     * {@code config.conf}.
     *
     * @throws ImportException naming {@code source} when the text is not such a ConfigMap
     */
    public ScenarioImport withKubeProxyConfigMap(String text, String source) {
        return copy(nodes, services, pods, netConf, Optional.of(ConfigMaps.kubeProxy(text, source)), subnetEnvs,
                iptables, routes, serviceCidr, null);
    }

    /**
     * Adds a node's {@code /run/flannel/subnet.env}: flannel's Network, the node's lease and {@code --ip-masq}.
     *
     * @throws ImportException naming {@code source} when the text is not a subnet.env flanneld would read
     */
    public ScenarioImport withSubnetEnv(String node, String text, String source) {
        SubnetEnv env;
        try {
            env = SubnetEnv.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ImportException(source, 0, e.getMessage() + "; give the node's /run/flannel/subnet.env", e);
        }
        Map<String, SubnetEnv> m = new LinkedHashMap<>(subnetEnvs);
        m.put(nodeName(node), env);
        return copy(nodes, services, pods, netConf, kubeProxy, m, iptables, routes, serviceCidr, node);
    }

    /**
     * Adds a node's {@code iptables-save}: flannel's Network, lease and masquerading as installed; kube-proxy's mode,
     * clusterCIDR and masquerade-all as installed; services and their endpoints.
     *
     * @throws ImportException naming {@code source} and the line when the text is not iptables-save output
     */
    public ScenarioImport withIptablesSave(String node, String text, String source) {
        return withRules(node, IptablesSave.parse(text, source));
    }

    /**
     * Adds a node's {@code ip6tables-save}: the IPv6 half of what {@link #withIptablesSave} reads — flannel's
     * IPv6Network and the node's IPv6 lease, kube-proxy's IPv6 clusterCIDR, the services' IPv6 ClusterIPs and
     * endpoints. It merges with the node's iptables-save and nft ruleset.
     *
     * @throws ImportException naming {@code source}, the line and its text when the text is not ip6tables-save output
     */
    public ScenarioImport withIp6tablesSave(String node, String text, String source) {
        return withRules(node, IptablesSave.parse6(text, source));
    }

    /**
     * Adds a node's {@code nft list ruleset}: flannel's tables with {@code EnableNFTables} ({@code ip flannel-ipv4},
     * {@code ip6 flannel-ipv6}) and kube-proxy's in nftables mode ({@code ip kube-proxy}, {@code ip6 kube-proxy}) give
     * the same facts as the iptables rules: Network and lease per family, masquerading, kube-proxy's mode (nftables),
     * clusterCIDR, services, node ports and endpoints. It merges with the node's iptables-save and ip6tables-save.
     *
     * @throws ImportException naming {@code source}, the line and its text when the text is not nft's listing
     */
    public ScenarioImport withNftRuleset(String node, String text, String source) {
        return withRules(node, NftFacts.parse(text, source));
    }

    /**
     * Records where a node's rules were saved, for the scenario's {@code rules} key (which {@code cidrguard trace
     * --rules installed} evaluates); the paths are written as given, so give them relative to where the scenario
     * file will be.
     */
    public ScenarioImport withRuleFiles(String node, NodeRules files) {
        return withRules(node, IptablesSave.Facts.files(files));
    }

    private ScenarioImport withRules(String node, IptablesSave.Facts facts) {
        Map<String, IptablesSave.Facts> m = new LinkedHashMap<>(iptables);
        m.merge(nodeName(node), facts, IptablesSave.Facts::merge);
        return copy(nodes, services, pods, netConf, kubeProxy, subnetEnvs, m, routes, serviceCidr, node);
    }

    /**
     * Adds a node's {@code ip route} or {@code ip -6 route}: its LAN prefix and address, Docker's bridge, its pod
     * subnet (cni0), per family. Called twice for one node (once per family), the two merge.
     *
     * @throws ImportException naming {@code source} and the line when the text is not {@code ip route} output
     */
    public ScenarioImport withIpRoute(String node, String text, String source) {
        Map<String, IpRoute.Facts> m = new LinkedHashMap<>(routes);
        IpRoute.Facts facts = IpRoute.parse(text, source);
        m.merge(nodeName(node), facts, IpRoute.Facts::merge);
        return copy(nodes, services, pods, netConf, kubeProxy, subnetEnvs, iptables, m, serviceCidr, node);
    }

    /**
     * Adds a bare flannel {@code net-conf.json} (k3s has no kube-flannel-cfg ConfigMap): flannel's config, verbatim,
     * and kube mode, the only mode that reads that file.
     *
     * @throws ImportException naming {@code source} when flanneld's ParseConfig rejects the text
     */
    public ScenarioImport withNetConf(String text, String source) {
        return withKube(ClusterConfigs.netConf(text, source));
    }

    /**
     * Adds a k3s or RKE2 {@code config.yaml}: cluster-cidr, service-cidr, cluster-dns (k3s's defaults 10.42.0.0/16,
     * 10.43.0.0/16, 10.43.0.10 when absent, with a note), the net-conf.json k3s writes for flannel-backend (default
     * vxlan), node-ip (with node-name), and the node-cidr-mask-size and kube-proxy flags of kube-controller-manager-arg
     * and kube-proxy-arg. Flannel there is the kube subnet manager.
     *
     * @throws ImportException naming {@code source} when the text is not such a file or a value is malformed
     */
    public ScenarioImport withK3sConfig(String text, String source) {
        return withKube(ClusterConfigs.k3s(text, source));
    }

    /**
     * Adds kubeadm's configuration: a ClusterConfiguration document (or the kube-system/kubeadm-config ConfigMap;
     * multi-document YAML with KubeProxyConfiguration and KubeletConfiguration allowed): podSubnet as
     * kube-controller-manager's cluster CIDR, serviceSubnet (default 10.96.0.0/12), the node mask of
     * controllerManager.extraArgs, kube-proxy's settings and the cluster DNS.
     *
     * @throws ImportException naming {@code source} when the text holds no ClusterConfiguration
     */
    public ScenarioImport withKubeadmConfig(String text, String source) {
        return withKube(ClusterConfigs.kubeadm(text, source));
    }

    /**
     * Adds {@code kubectl get servicecidrs -o json} (networking.k8s.io/v1 ServiceCIDR objects): the service CIDRs.
     *
     * @throws ImportException naming {@code source} when the text is not that output
     */
    public ScenarioImport withServiceCidrs(String text, String source) {
        return withKube(ClusterConfigs.serviceCidrs(text, source));
    }

    /**
     * Adds load-balancer pools: {@code kubectl get ipaddresspools.metallb.io -A -o json} (or Cilium's
     * {@code ciliumloadbalancerippools}).
     *
     * @throws ImportException naming {@code source} when the text is not that output
     */
    public ScenarioImport withLoadBalancerPools(String text, String source) {
        return withKube(ClusterConfigs.loadBalancerPools(text, source));
    }

    /**
     * Says which subnet manager flanneld runs with, overriding what the sources suggest (by default: kube when a
     * node carries flanneld's {@code kube-subnet-manager} annotation or a k3s config or net-conf.json is given,
     * else etcd).
     */
    public ScenarioImport withSubnetManager(SubnetManager manager) {
        Objects.requireNonNull(manager, "manager");
        return withKube(new KubeFacts(Optional.of(manager), "the importer's caller", Optional.empty(), "", List.of(),
                Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(), List.of(), Map.of(),
                List.of()));
    }

    /** Sets the service CIDR ({@code --service-cluster-ip-range}), which no cluster output above shows. */
    public ScenarioImport withServiceCidr(Cidr cidr) {
        return copy(nodes, services, pods, netConf, kubeProxy, subnetEnvs, iptables, routes,
                Optional.of(Objects.requireNonNull(cidr, "cidr")), null);
    }

    private static String nodeName(String node) {
        return requireName(node, "a node-local source (subnet.env, iptables-save, ip route)");
    }

    /**
     * The scenario the sources describe.
     *
     * @throws ImportException if no source names a node, or a node-local source names a node whose address is known
     *     from nowhere (give {@code ip route} of that node, or kubectl's nodes)
     */
    public Scenario toScenario() {
        return merge(new ArrayList<>());
    }

    /** What was inferred from where and what is missing, one sentence each. */
    public List<String> notes() {
        List<String> notes = new ArrayList<>();
        merge(notes);
        return List.copyOf(notes);
    }

    private Scenario merge(List<String> notes) {
        Scenario.Builder b = Scenario.builder(name);
        // -- flannel: the ConfigMap, else the Network a node installed
        Cidr installed = null;
        String installedFrom = null;
        Cidr installed6 = null;
        Boolean ipMasq = null;
        boolean vxlan = routes.values().stream().anyMatch(IpRoute.Facts::vxlan);
        for (String n : nodeOrder) {
            SubnetEnv env = subnetEnvs.get(n);
            IptablesSave.Facts ipt = iptables.get(n);
            if (env != null && env.network().isPresent() && installed == null) {
                installed = env.network().get();
                installedFrom = "subnet.env of " + n;
            }
            if (ipt != null && ipt.network(IpFamily.IPV4).isPresent() && installed == null) {
                installed = ipt.network(IpFamily.IPV4).get();
                installedFrom = "iptables rules flanneld installed on " + n;
            }
            if (ipt != null && ipt.network(IpFamily.IPV6).isPresent() && installed6 == null) {
                installed6 = ipt.network(IpFamily.IPV6).get();
            }
            if (env != null && ipMasq == null) {
                ipMasq = env.ipMasq();
            }
            if (ipt != null && ipMasq == null && ipt.ipMasq().isPresent()) {
                ipMasq = ipt.ipMasq().get();
            }
        }
        notes.addAll(kube.notes());
        for (KubectlNodes.Entry e : nodes) {
            notes.addAll(e.notes());
        }
        String config = netConf.orElse(null);
        if (kube.netConf().isPresent()) {
            if (config != null && !config.strip().equals(kube.netConf().get().strip())) {
                notes.add("the " + kube.netConfFrom() + " replaces the kube-flannel ConfigMap's net-conf.json");
            }
            config = kube.netConf().get();
        }
        if (config == null && (installed != null || installed6 != null)) {
            // flanneld's IPv6 rules carry the IPv6Network; with no IPv4 rules at all the node runs IPv6 only
            String v6 = installed6 == null ? "" : (installed == null ? "\"EnableIPv4\": false, " : "")
                    + "\"EnableIPv6\": true, \"IPv6Network\": \"" + installed6 + "\", ";
            config = "{" + (installed == null ? "" : "\"Network\": \"" + installed + "\", ") + v6
                    + "\"Backend\": {\"Type\": \"vxlan\"}}";
            notes.add("flannel's config is not given: " + (installed == null ? "" : "Network " + installed + " from the "
                    + installedFrom) + (installed != null && installed6 != null ? ", " : "")
                    + (installed6 == null ? "" : "IPv6Network " + installed6 + " from flanneld's IPv6 rules")
                    + "; backend assumed vxlan" + (vxlan ? " (flannel.1 routes seen)" : ""));
        } else if (config != null && installed6 != null) {
            try {
                Optional<Cidr> cm6 = FlannelConfig.parse(config).ipv6Network();
                if (cm6.isEmpty() || !cm6.get().equals(installed6)) {
                    notes.add("the ConfigMap's IPv6Network " + cm6.map(Cidr::toString).orElse("(none)")
                            + " differs from the " + installed6 + " that flanneld's IPv6 rules show: flanneld has not"
                            + " been restarted since the change");
                }
            } catch (FlannelConfigException e) {
                // said below for the IPv4 half, or by check
            }
        }
        if (config != null && installed != null) {
            try {
                Optional<Cidr> cm = FlannelConfig.parse(config).network();
                if (cm.isPresent() && !cm.get().equals(installed)) {
                    notes.add("the ConfigMap's Network " + cm.get() + " differs from the " + installed + " that the "
                            + installedFrom + " shows: flanneld has not been restarted since the change");
                }
            } catch (FlannelConfigException e) {
                notes.add("flanneld rejects the ConfigMap's net-conf.json: " + e.flannelMessage());
            }
        }
        // -- nodes: kubectl's, then nodes only node-local sources know
        Map<String, Node> byName = new LinkedHashMap<>();
        Optional<String> configBackend = Optional.empty();
        if (config != null) {
            try {
                configBackend = Optional.of(FlannelConfig.parse(config).backendType());
            } catch (FlannelConfigException e) {
                configBackend = Optional.empty();
            }
        }
        for (KubectlNodes.Entry e : nodes) {
            Optional<String> cb = configBackend;
            // a node's backend-type annotation is kept only where it differs from the config's Backend.Type
            Optional<String> backend = e.backendType().filter(t -> cb.isPresent()
                    && !t.equalsIgnoreCase(cb.get()));
            backend.ifPresent(t -> notes.add("node " + e.name() + ": flanneld last ran there with backend " + t
                    + " (annotation " + KubectlNodes.PREFIX + "backend-type), not the config's " + cb.get()
                    + "; it changes when flanneld restarts"));
            byName.put(e.name(), new Node(e.name(), e.ips(), List.of(), e.podCidrs(), RpFilter.STRICT,
                    Optional.empty(), e.publicIps(), backend));
        }
        kube.nodeIps().forEach((n, ips) -> {
            Node known = byName.get(n);
            if (known == null) {
                byName.put(n, new Node(n, ips, List.of(), List.of(), RpFilter.STRICT, Optional.empty()));
                notes.add("node " + n + " is known only from the k3s config's node-name and node-ip");
            } else if (!known.ips().equals(ips)) {
                notes.add("node " + n + ": the k3s config's node-ip " + join(ips) + " differs from its InternalIP "
                        + join(known.ips()) + " (the API server's view is kept)");
            }
        });
        for (String n : nodeOrder) {
            if (!byName.containsKey(n)) {
                Optional<IpAddress> ip = Optional.ofNullable(routes.get(n)).flatMap(IpRoute.Facts::nodeIp);
                if (ip.isEmpty()) {
                    throw new ImportException(n, 0, "node " + n + " is in no kubectl output and its address is "
                            + "unknown; add kubectl get nodes -o json, or ip route of " + n);
                }
                byName.put(n, Node.of(n, ip.get()).withIps(routes.get(n).nodeIps()));
                notes.add("node " + n + " is not in kubectl's nodes: address " + ip.get() + " from its ip route");
            }
        }
        List<Lease> leases = new ArrayList<>();
        for (Map.Entry<String, Node> e : byName.entrySet()) {
            String n = e.getKey();
            Node node = e.getValue();
            IpRoute.Facts rt = routes.get(n);
            if (rt != null) {
                node = node.withHostNetworks(hostNetworks(node, rt));
                if (rt.docker().isPresent()) {
                    node = node.withDocker(rt.docker().get());
                }
            }
            Cidr lease = Optional.ofNullable(subnetEnvs.get(n)).flatMap(SubnetEnv::subnet)
                    .or(() -> Optional.ofNullable(iptables.get(n)).flatMap(f -> f.lease(IpFamily.IPV4)))
                    .or(() -> Optional.ofNullable(rt).flatMap(r -> r.podCidr(IpFamily.IPV4))).orElse(null);
            // the IPv6 half: cni0's IPv6 prefix (ip -6 route) is the node's FLANNEL_IPV6_SUBNET, else the lease
            // flanneld's IPv6 masquerade rules name
            Optional<Cidr> lease6 = Optional.ofNullable(rt).flatMap(r -> r.podCidr(IpFamily.IPV6))
                    .or(() -> Optional.ofNullable(iptables.get(n)).flatMap(f -> f.lease(IpFamily.IPV6)));
            if (lease6.isPresent() && node.podCidr(IpFamily.IPV6).isEmpty()) {
                List<Cidr> pc = new ArrayList<>(node.podCidrs());
                pc.add(lease6.get());
                node = node.withPodCidrs(pc);
            }
            if (lease != null) {
                leases.add(new Lease((lease6.isPresent() ? SubnetKey.of(lease, lease6.get()) : SubnetKey.of(lease))
                        .toString(), node.ip(IpFamily.IPV4).orElse(node.ip())));
                if (node.podCidr(IpFamily.IPV4).isEmpty()) {
                    List<Cidr> pc = new ArrayList<>(node.podCidrs());
                    pc.add(0, lease);
                    node = node.withPodCidrs(pc);
                } else if (!node.podCidr(IpFamily.IPV4).get().equals(lease)) {
                    notes.add("node " + n + ": spec.podCIDR " + node.podCidr(IpFamily.IPV4).get() + " but flannel's "
                            + "lease on the node is " + lease);
                }
            }
            Optional<NodeRules> files = Optional.ofNullable(iptables.get(n)).flatMap(IptablesSave.Facts::files);
            if (files.isPresent()) {
                node = node.withRules(files);
            }
            byName.put(n, node);
        }
        if (byName.isEmpty()) {
            throw new ImportException(name, 0, "no source names a node; give kubectl get nodes -o json, or a node's "
                    + "ip route");
        }
        b.nodes(new ArrayList<>(byName.values()));
        SubnetManager manager = subnetManager(notes, config != null);
        if (config != null && manager == SubnetManager.KUBE) {
            // kube mode: the leases are the nodes' podCIDRs, where the node-local leases were put above
            b.flannel(new Flannel(config, ipMasq == null || ipMasq, List.of(), SubnetManager.KUBE));
        } else if (config != null) {
            b.flannel(new Flannel(config, ipMasq == null || ipMasq, leases));
        } else if (!leases.isEmpty()) {
            notes.add("leases seen on the nodes but flannel's Network is known from nowhere");
        }
        // -- kubernetes
        Optional<KubeProxy> kp = kubeProxy;
        if (kp.isEmpty()) {
            for (String n : nodeOrder) {
                Optional<KubeProxy> k = Optional.ofNullable(iptables.get(n)).flatMap(IptablesSave.Facts::kubeProxy);
                if (k.isPresent()) {
                    kp = k;
                    notes.add("kube-proxy's settings from its iptables rules on " + n + " (mode " + k.get().mode()
                            .label() + ", clusterCIDR " + (k.get().clusterCidrs().isEmpty() ? "none"
                            : join(k.get().clusterCidrs())) + ")");
                    break;
                }
            }
        }
        if (kp.isEmpty() && kube.kubeProxy().isPresent()) {
            kp = kube.kubeProxy();
        }
        List<Service> svcs = mergeServices();
        List<IpAddress> dns = svcs.stream().filter(s -> s.name().equals("kube-system/kube-dns"))
                .flatMap(s -> s.clusterIps().stream()).toList();
        if (dns.isEmpty()) {
            dns = kube.clusterDns();
        }
        List<Cidr> serviceCidrs = serviceCidr.map(List::of).orElse(kube.serviceCidrs());
        Optional<ControllerManager> cm = Optional.empty();
        if (!kube.clusterCidrs().isEmpty() || kube.nodeMask4().isPresent() || kube.nodeMask6().isPresent()) {
            cm = Optional.of(new ControllerManager(kube.clusterCidrs(),
                    kube.nodeMask4().orElse(ControllerManager.DEFAULT_MASK_IPV4),
                    kube.nodeMask6().orElse(ControllerManager.DEFAULT_MASK_IPV6)));
        }
        if (!serviceCidrs.isEmpty() || kp.isPresent() || !svcs.isEmpty() || cm.isPresent() || !dns.isEmpty()) {
            if (serviceCidrs.isEmpty() && !svcs.isEmpty()) {
                notes.add("the service CIDR is not shown by any source; give it (kube-apiserver "
                        + "--service-cluster-ip-range, --service-cidrs, --k3s-config or --kubeadm-config) to check it");
            }
            b.kubernetes(new Kubernetes(serviceCidrs, dns, kp, svcs, cm));
        }
        b.loadBalancerPools(kube.pools());
        b.pods(pods);
        return b.build();
    }

    /**
     * The mode flanneld runs with: what the caller or a source (k3s config, net-conf.json) says; else kube when a
     * node carries flanneld's {@code kube-subnet-manager: "true"} annotation (written only in kube mode, flannel's
     * kube.go AcquireLease); else etcd, what scenarios meant before the key existed.
     */
    private SubnetManager subnetManager(List<String> notes, boolean flannel) {
        if (kube.subnetManager().isPresent()) {
            return kube.subnetManager().get();
        }
        List<String> annotated = nodes.stream().filter(KubectlNodes.Entry::kubeSubnetManager)
                .map(KubectlNodes.Entry::name).toList();
        if (!annotated.isEmpty()) {
            if (flannel) {
                notes.add("kube mode (flanneld --kube-subnet-mgr): node" + (annotated.size() > 1 ? "s " : " ")
                        + String.join(", ", annotated.subList(0, Math.min(3, annotated.size())))
                        + (annotated.size() > 3 ? " and " + (annotated.size() - 3) + " more" : "")
                        + (annotated.size() > 1 ? " carry the " : " carries the ") + KubectlNodes.PREFIX + "kube-subnet-manager annotation; the leases are the"
                        + " nodes' podCIDRs");
            }
            return SubnetManager.KUBE;
        }
        if (flannel && netConf.isPresent()) {
            notes.add("the kube-flannel ConfigMap is what flanneld reads with --kube-subnet-mgr, but no node carries"
                    + " the kube-subnet-manager annotation; etcd mode is kept (use --subnet-manager kube to change"
                    + " it)");
        }
        return SubnetManager.ETCD;
    }

    /** The LAN prefix that holds the node's address, per family; the default route's LAN when none does. */
    private static List<Cidr> hostNetworks(Node node, IpRoute.Facts rt) {
        List<Cidr> out = new ArrayList<>();
        for (Cidr c : rt.hostNetworks()) {
            Optional<IpAddress> ip = node.ip(c.family());
            if (ip.isPresent() && c.contains(ip.get()) && out.stream().noneMatch(x -> x.family() == c.family())) {
                out.add(c);
            }
        }
        return out.isEmpty() ? rt.hostNetworks() : out;
    }

    /** kubectl's services, with the endpoints (and, without kubectl, the services) the iptables rules show. */
    private List<Service> mergeServices() {
        Map<String, Service> byName = new LinkedHashMap<>();
        services.forEach(s -> byName.put(s.name(), s));
        for (String n : nodeOrder) {
            IptablesSave.Facts ipt = iptables.get(n);
            if (ipt == null) {
                continue;
            }
            for (Service s : ipt.services()) {
                Service known = byName.get(s.name());
                if (known == null) {
                    if (services.isEmpty() && !s.clusterIps().isEmpty()) {
                        byName.put(s.name(), s);
                    }
                } else if (known.endpoints().isEmpty()) {
                    byName.put(s.name(), known.withEndpoints(s.endpoints()));
                }
            }
        }
        return new ArrayList<>(byName.values());
    }

    private static String join(List<?> values) {
        return values.stream().map(Object::toString).collect(java.util.stream.Collectors.joining(","));
    }

    private static String requireName(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + " needs a non-empty name");
        }
        return name;
    }
}
