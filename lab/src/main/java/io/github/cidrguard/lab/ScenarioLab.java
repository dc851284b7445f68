package io.github.cidrguard.lab;

import io.github.cidrguard.kube.RpFilter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cidrguard.flannel.FlannelConfig;
import io.github.cidrguard.flannel.FlannelConfigException;
import io.github.cidrguard.kube.DeclaredNetwork;
import io.github.cidrguard.kube.Endpoint;
import io.github.cidrguard.kube.Lease;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Pod;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.Service;
import io.github.cidrguard.kube.ServicePort;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@link Scenario} into what the lab builds and probes: flannel's IPv4 data plane, and with {@code EnableIPv6}
 * its IPv6 one (flannel-v6, the IPv6 lease on cni0, the oracle's IPv6 rules, or flannel's as {@link Ipv6FlannelRules}
 * writes them for an oracle that renders none). IPv6 flows are predicted by the oracle when it models IPv6
 * ({@link Oracle#modelsIpv6()}), the expectation file's verdict kept as a second check; otherwise by that file alone.
 *
 * <p>Every node gets a default route to a gateway namespace on its LAN (a real node has one; without it a node could
 * not even send to a ClusterIP, since local output is routed before kube-proxy's DNAT). That gateway owns one address
 * in each declared network and forwards nothing. A lease whose PublicIP is no declared node becomes a node too (named
 * after the node its pods name, else {@code lease-<PublicIP>}), and every service endpoint that is not a declared pod
 * becomes a pod named by its IP, so that services have someone to answer.
 */
final class ScenarioLab {
    private static final Pattern LEASE_KEY = Pattern.compile("(\\d+\\.\\d+\\.\\d+\\.\\d+)-(\\d+)(?:&.*)?$");
    private static final Pattern LEASE_KEY6 = Pattern.compile("&([0-9A-Fa-f:]+)-(\\d+)$");

    /** What the report says of a flow to an IPv6 ClusterIP while the tracer renders no IPv6 kube-proxy rules. */
    static final String NO_KUBE_PROXY6 = "kube-proxy's IPv6 rules in this mode are not rendered by the tracer yet (nft"
            + " ip6/inet, IPVS; only iptables mode is), so nothing answers for this IPv6 ClusterIP in the lab: not probed";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the report says of a flow that needs IPVS on a kernel without it. */
    static final String NO_IPVS = "IPVS not available in this kernel (/proc/net/ip_vs is absent, no ip_vs module):"
            + " kube-proxy's IPVS data plane cannot be built, so this flow, which goes to a virtual server address or"
            + " NodePort, is not probed";
    /** The same where the kernel has IPVS: the lab does not build kube-proxy's IPVS data plane yet. */
    static final String IPVS_NOT_BUILT = "kube-proxy's IPVS data plane is not built by the lab yet (kube-ipvs0,"
            + " ipvsadm virtual servers, ipsets), so this flow, which goes to a virtual server address or NodePort,"
            + " is not probed";

    final LabSpec spec;
    final List<LabFlow> flows;
    final List<String> notes = new ArrayList<>();
    /** Flow label → why it is not probed. */
    final Map<String, String> skipped = new LinkedHashMap<>();
    /** kube-proxy is in IPVS mode, which the lab does not build (and this kernel may lack): its rules are not loaded. */
    private final boolean withoutIpvs;
    private final String ipvsReason;

    private final Scenario scenario;
    private final Map<String, String> podKeyByIp = new LinkedHashMap<>();
    private final Map<String, String> podKeyByName = new LinkedHashMap<>();
    private final Map<String, LabSpec.Node> nodesByName = new LinkedHashMap<>();
    private final Map<String, String> gatewayKeyByHost = new LinkedHashMap<>();
    private final Set<Integer> ports = new TreeSet<>();

    private ScenarioLab(Scenario scenario, Oracle oracle, LabOptions options, boolean ipvsAvailable) {
        this.scenario = scenario;
        this.withoutIpvs = scenario.kubernetes().flatMap(k -> k.kubeProxy())
                .map(p -> p.mode() == io.github.cidrguard.kube.ProxyMode.IPVS).orElse(false);
        this.ipvsReason = ipvsAvailable ? IPVS_NOT_BUILT : NO_IPVS;
        if (withoutIpvs) {
            notes.add(ipvsReason.substring(0, ipvsReason.indexOf(", so")) + ". Not loaded: kube-ipvs0, the virtual servers"
                    + " and kube-proxy's iptables rules (they match ipsets of those addresses); flows to a ClusterIP,"
                    + " externalIP or NodePort are skipped, the others are probed with flannel's rules, which is all"
                    + " that acts on them, and the tracer's kube-proxy rules are not asked of the kernel's counters");
        }
        this.spec = buildSpec(oracle, options);
        this.flows = buildFlows(oracle, options);
    }

    static ScenarioLab of(Scenario scenario, Oracle oracle, LabOptions options) {
        return of(scenario, oracle, options, Preflight.ipvs());
    }

    /** As {@link #of(Scenario, Oracle, LabOptions)}, saying whether this kernel has IPVS. */
    static ScenarioLab of(Scenario scenario, Oracle oracle, LabOptions options, boolean ipvsAvailable) {
        return new ScenarioLab(scenario, oracle, options, ipvsAvailable);
    }

    /** iptables-save text without kube-proxy's chains and the rules that jump to them. */
    static String withoutKubeProxy(String iptablesSave) {
        StringBuilder sb = new StringBuilder();
        for (String line : iptablesSave.split("\n")) {
            if (line.startsWith(":KUBE-") || (line.startsWith("-A ") && (line.startsWith("-A KUBE-")
                    || line.matches(".* -j KUBE-[A-Z0-9-]+( .*)?$")))) {
                continue;
            }
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    private LabSpec buildSpec(Oracle oracle, LabOptions options) {
        JsonNode config = flannelConfig();
        String type = text(field(field(config, "Backend"), "Type")).orElse("").toLowerCase(Locale.ROOT);
        LabSpec.Backend backend = switch (type) {
            case "vxlan" -> LabSpec.Backend.VXLAN;
            case "host-gw" -> LabSpec.Backend.HOST_GW;
            default -> throw new LabException("the lab builds flannel's vxlan and host-gw backends only; scenario "
                    + scenario.name() + " uses '" + type + "'");
        };
        JsonNode vniNode = field(field(config, "Backend"), "VNI");
        int vni = vniNode != null && vniNode.canConvertToInt() ? vniNode.asInt() : 1;
        Optional<Cidr> network = network();
        Optional<Cidr> network6 = network6();

        // Nodes: declared ones, then one per lease whose PublicIP no declared node has.
        Map<String, Cidr> leaseByPublicIp = new LinkedHashMap<>();
        Map<String, Cidr> lease6ByPublicIp = new LinkedHashMap<>();
        scenario.flannel().ifPresent(f -> {
            for (Lease l : f.leases()) {
                leaseSubnet(l.key()).ifPresent(c -> leaseByPublicIp.putIfAbsent(l.publicIp().toString(), c));
                leaseSubnet6(l.key()).ifPresent(c -> lease6ByPublicIp.putIfAbsent(l.publicIp().toString(), c));
            }
        });
        record Draft(String name, IpAddress ip, Optional<Cidr> hostNetwork, Cidr lease, RpFilter rp,
                String docker, IpAddress ip6, Optional<Cidr> hostNetwork6, Cidr lease6) {
        }
        List<Draft> drafts = new ArrayList<>();
        Set<String> nodeIps = new LinkedHashSet<>();
        for (Node n : scenario.nodes()) {
            Optional<IpAddress> ip = n.ip(IpFamily.IPV4);
            IpAddress ip6 = n.ip(IpFamily.IPV6).orElse(null);
            if (ip.isEmpty() && ip6 == null) {
                notes.add("node " + n.name() + " has no address; left out");
                continue;
            }
            Cidr lease6 = ip6 == null || network6.isEmpty() ? null : n.podCidr(IpFamily.IPV6)
                    .orElse(ip.map(a -> lease6ByPublicIp.get(a.toString())).orElse(null));
            if (lease6 != null && !network6.get().contains(lease6)) {
                notes.add("node " + n.name() + "'s IPv6 podCidr " + lease6 + " lies outside the flannel IPv6Network "
                        + network6.get() + ": no IPv6 flannel there");
                lease6 = null;
            }
            if (ip.isEmpty()) {
                drafts.add(new Draft(n.name(), null, Optional.empty(), null, n.rpFilter(),
                        n.docker().map(Cidr::toString).orElse(null), ip6, n.hostNetwork(IpFamily.IPV6), lease6));
                continue;
            }
            Cidr lease = n.podCidr(IpFamily.IPV4).orElse(leaseByPublicIp.get(ip.get().toString()));
            if (lease != null && network.isPresent() && !network.get().contains(lease)) {
                // kube-subnet-mgr refuses to start flanneld there: no flannel device, routes, rules or cni0
                notes.add("node " + n.name() + "'s podCidr " + lease + " lies outside the flannel Network "
                        + network.get() + ": flanneld does not start there, so it gets no flannel and no pods");
                lease = null;
            }
            drafts.add(new Draft(n.name(), ip.get(), n.hostNetwork(IpFamily.IPV4), lease,
                    n.rpFilter(), n.docker().map(Cidr::toString).orElse(null), ip6, n.hostNetwork(IpFamily.IPV6),
                    lease6));
            nodeIps.add(ip.get().toString());
        }
        for (Map.Entry<String, Cidr> e : leaseByPublicIp.entrySet()) {
            if (nodeIps.contains(e.getKey())) {
                continue;
            }
            // Named as the tracer names it, so that its rules and traces refer to the same node.
            String name = "flannel@" + e.getKey();
            IpAddress ip = IpAddress.parse(e.getKey());
            Optional<Cidr> hn = scenario.nodes().stream().flatMap(n -> n.hostNetwork(IpFamily.IPV4).stream())
                    .filter(c -> c.prefixLength() < 32 && c.contains(ip)).findFirst();
            if (hn.isEmpty()) {
                notes.add("lease " + e.getValue() + " of " + ip + " is on no declared LAN; left out");
                continue;
            }
            drafts.add(new Draft(name, ip, hn, e.getValue(), RpFilter.STRICT, null, null, Optional.empty(), null));
            nodeIps.add(e.getKey());
            notes.add("lease " + e.getValue() + " of " + ip + " has no declared node; built as node " + name
                    + " with strict rp_filter");
        }

        // One gateway per LAN; the first also holds the declared networks' hosts.
        Map<Cidr, LabSpec.Gateway> gateways = new LinkedHashMap<>();
        List<String> hosts = new ArrayList<>();
        for (DeclaredNetwork d : scenario.networks()) {
            if (d.cidr().family() == IpFamily.IPV4) {
                IpAddress h = d.cidr().prefixLength() >= 31 ? d.cidr().network() : d.cidr().network().plus(1);
                hosts.add(h + "/" + d.cidr().prefixLength());
            }
        }
        List<LabSpec.Node> nodes = new ArrayList<>();
        for (Draft d : drafts) {
            RpFilter rp = options.rpFilter().orElse(d.rp());
            LabSpec.V6 v6 = d.ip6() == null ? null : new LabSpec.V6(d.ip6().toString(),
                    d.hostNetwork6().map(Cidr::prefixLength).orElse(64),
                    d.lease6() == null ? null : d.lease6().toString(),
                    d.lease6() == null ? "" : ip6tables(oracle, d.name(), network6.get(), d.lease6()),
                    d.lease6() == null ? "" : nftables6(oracle, d.name(), network6.get(), d.lease6()));
            if (d.ip() == null) {
                // IPv6 only: the lab's LAN gateway is IPv4's, so such a node has no default route
                LabSpec.Node node = new LabSpec.Node(d.name(), null, 0, null, rp, "", d.docker(), null, "", v6);
                nodes.add(node);
                nodesByName.put(d.name(), node);
                continue;
            }
            Cidr lan = d.hostNetwork().orElse(Cidr.ofMasked(d.ip(), 24));
            LabSpec.Gateway gw = gateways.computeIfAbsent(lan, c -> new LabSpec.Gateway(
                    freeAddress(c, nodeIps).toString(), c.prefixLength(), gateways.isEmpty() ? hosts : List.of()));
            LabSpec.Node node = new LabSpec.Node(d.name(), d.ip().toString(), lan.prefixLength(),
                    d.lease() == null ? null : d.lease().toString(), rp,
                    withoutIpvs ? withoutKubeProxy(oracle.rules(d.name())) : oracle.rules(d.name()), d.docker(), gw.ip(),
                    oracle.nftables(d.name()), v6);
            nodes.add(node);
            nodesByName.put(d.name(), node);
        }
        for (LabSpec.Gateway gw : gateways.values()) {
            for (String h : gw.hosts()) {
                gatewayKeyByHost.put(h.substring(0, h.indexOf('/')), "gw:" + gw.ip());
            }
        }

        // Pods: declared ones (a dual-stack pod is listed once per family under one name), then endpoints nobody
        // declared.
        Map<String, LabSpec.Pod> pods = new LinkedHashMap<>();
        for (Pod p : scenario.pods()) {
            boolean v6 = p.ip().family() == IpFamily.IPV6;
            Optional<LabSpec.Node> node = p.node().map(nodesByName::get)
                    .or(() -> nodes.stream().filter(n -> inLease(n, p.ip())).findFirst());
            if (node.isEmpty() || (v6 ? lease6(node.get()) == null : node.get().lease() == null)) {
                notes.add("pod " + p.name() + " " + p.ip() + " is on no node with a lease of its family; left out");
                continue;
            }
            LabSpec.Pod known = pods.get(p.name());
            if (known != null && (!known.node().equals(node.get().name()) || (v6 ? known.ip6() : known.ip()) != null)) {
                notes.add("pod " + p.name() + " " + p.ip() + " is listed twice in one family or on two nodes; left out");
                continue;
            }
            String ip4 = v6 ? (known == null ? null : known.ip()) : p.ip().toString();
            String ip6 = v6 ? p.ip().toString() : (known == null ? null : known.ip6());
            pods.put(p.name(), new LabSpec.Pod(p.name(), ip4, node.get().name(), ip6));
            podKeyByIp.put(p.ip().toString(), "pod:" + p.name());
            podKeyByName.put(p.name(), "pod:" + p.name());
        }
        for (Service s : services()) {
            for (Endpoint e : s.endpoints()) {
                String ip = e.ip().toString();
                ports.add(e.port());
                if (podKeyByIp.containsKey(ip)) {
                    continue;
                }
                Optional<LabSpec.Node> node = nodes.stream().filter(n -> inLease(n, e.ip())).findFirst();
                if (node.isEmpty()) {
                    notes.add("endpoint " + e + " of " + s.name() + " is in no lease; left out");
                    continue;
                }
                boolean v6 = e.ip().family() == IpFamily.IPV6;
                pods.put(ip, new LabSpec.Pod(ip, v6 ? null : ip, node.get().name(), v6 ? ip : null));
                podKeyByIp.put(ip, "pod:" + ip);
                podKeyByName.put(ip, "pod:" + ip);
            }
        }
        if (ports.isEmpty()) {
            ports.add(8080);
        }
        for (LabOptions.FlowRequest f : options.flows()) {
            if (f.port() != null) {
                ports.add(port(f.port()));
            }
        }
        String name = scenario.name() + options.rpFilter().map(r -> " rp_filter " + r.name().toLowerCase(Locale.ROOT))
                .orElse("");
        return new LabSpec(name, backend, vni, nodes, List.copyOf(pods.values()), ports,
                List.copyOf(gateways.values()));
    }

    /** The node's IPv6 rules: the tracer's once it models IPv6, until then flannel's as the lab writes them. */
    private String ip6tables(Oracle oracle, String node, Cidr network6, Cidr lease6) {
        if (oracle.modelsIpv6()) {
            return oracle.ip6tables(node);
        }
        return enableNFTables() ? "" : Ipv6FlannelRules.ip6tables(network6, lease6, ipMasq());
    }

    private String nftables6(Oracle oracle, String node, Cidr network6, Cidr lease6) {
        if (oracle.modelsIpv6()) {
            return oracle.nftables6(node);
        }
        return enableNFTables() ? Ipv6FlannelRules.nftables(network6, lease6, ipMasq()) : "";
    }

    private static String lease6(LabSpec.Node n) {
        return n.v6() == null ? null : n.v6().lease();
    }

    private List<LabFlow> buildFlows(Oracle oracle, LabOptions options) {
        List<LabOptions.FlowRequest> requests = options.flows().isEmpty() ? defaultFlows() : options.flows();
        List<LabFlow> out = new ArrayList<>();
        for (LabOptions.FlowRequest r : requests) {
            if (out.size() >= options.maxFlows()) {
                notes.add((requests.size() - out.size()) + " flows not probed (maxFlows " + options.maxFlows() + ")");
                break;
            }
            boolean v6 = r.family() == IpFamily.IPV6;
            boolean svc6 = v6 && r.to().startsWith("svc:");
            boolean modelled = !v6 || oracle.modelsIpv6() && (!svc6 || oracle.modelsServices6());
            String expected = options.expectations().verdict(r.label()).orElse(null);
            Prediction predicted = !modelled
                    ? Prediction.notModelled(Prediction.IPV6_NOT_MODELLED, expected, options.expectations().source())
                    : v6 ? oracle.predict(r.from(), r.to(), r.port(), r.family()).withExpected(expected)
                    : oracle.predict(r.from(), r.to(), r.port());
            LabFlow f = resolve(r, predicted);
            if (svc6 && !modelled) {
                skipped.put(f.label(), NO_KUBE_PROXY6);
            }
            if (withoutIpvs) {
                if (throughIpvs(r, f)) {
                    skipped.put(f.label(), ipvsReason);
                }
                Prediction p = f.prediction();
                f = new LabFlow(f.label(), f.from(), f.to(), f.port(), f.owners(), new Prediction(p.verdict(),
                        p.reason(), p.node(), p.rules().stream().filter(h -> !isKubeProxy(h.rule())).toList(),
                        p.explanation(), p.source()));
            }
            out.add(f);
        }
        Set<String> labels = new java.util.HashSet<>();
        out.forEach(f -> labels.add(f.label()));
        for (String l : options.expectations().labels()) {
            if (!labels.contains(l)) {
                notes.add("expectation for '" + l + "' (" + options.expectations().source() + "): no such flow probed");
            }
        }
        return out;
    }

    /** A flow to a Service, to an address IPVS binds on kube-ipvs0, or to a NodePort. */
    private boolean throughIpvs(LabOptions.FlowRequest r, LabFlow f) {
        if (r.to().startsWith("svc:")) {
            return true;
        }
        IpAddress to = IpAddress.parse(f.to());
        for (Service s : services()) {
            if (s.clusterIps().contains(to) || s.externalIps().contains(to)) {
                return true;
            }
            if (f.port() != null && s.nodePorts().stream().anyMatch(np -> np.port() == f.port())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isKubeProxy(String rule) {
        return rule.startsWith("-A KUBE-") || rule.matches(".* -j KUBE-[A-Z0-9-]+( .*)?$");
    }

    /**
     * The IPv4 set (pods to pods, nodes, Services and declared hosts; nodes to nodes, Services and hosts), then the
     * same for IPv6 among the lab's IPv6 addresses (no declared hosts: the lab's gateway is IPv4's), with a TCP probe
     * from every pod to every other pod and to every other node on the first listener port, so both probe kinds run
     * in IPv6.
     */
    private List<LabOptions.FlowRequest> defaultFlows() {
        List<LabOptions.FlowRequest> f = new ArrayList<>();
        f.addAll(defaultFlows(IpFamily.IPV4));
        f.addAll(defaultFlows(IpFamily.IPV6));
        return f;
    }

    private List<LabOptions.FlowRequest> defaultFlows(IpFamily family) {
        boolean v6 = family == IpFamily.IPV6;
        List<LabOptions.FlowRequest> f = new ArrayList<>();
        List<String> podRefs = new ArrayList<>();
        for (LabSpec.Pod p : spec.pods()) {
            if ((v6 ? p.ip6() : p.ip()) != null) {
                podRefs.add("pod:" + p.name()); // an endpoint nobody declared is named by its address
            }
        }
        List<String> nodeRefs = spec.nodes().stream().filter(n -> v6 ? n.v6() != null : n.ip() != null)
                .map(n -> "node:" + n.name()).toList();
        List<String[]> svcs = new ArrayList<>();
        for (Service s : services()) {
            for (ServicePort sp : s.ports()) {
                if (sp.protocol().equalsIgnoreCase("TCP") && s.clusterIps().stream().anyMatch(a -> a.family() == family)) {
                    svcs.add(new String[] {"svc:" + s.name() + ":" + sp.port() + "/TCP"});
                }
            }
        }
        List<String> hosts = v6 ? List.of() : gatewayKeyByHost.keySet().stream().map(h -> "host:" + h).toList();
        String tcp = v6 && !spec.listenPorts().isEmpty() ? spec.listenPorts().iterator().next() + "/TCP" : null;
        for (String p : podRefs) {
            for (String q : podRefs) {
                if (!p.equals(q)) {
                    f.add(new LabOptions.FlowRequest(p, q, null, family));
                    if (tcp != null) {
                        f.add(new LabOptions.FlowRequest(p, q, tcp, family));
                    }
                }
            }
            for (String n : nodeRefs) {
                f.add(new LabOptions.FlowRequest(p, n, null, family));
                if (tcp != null) {
                    f.add(new LabOptions.FlowRequest(p, n, tcp, family));
                }
            }
            for (String[] s : svcs) {
                f.add(new LabOptions.FlowRequest(p, s[0], null, family));
            }
            for (String h : hosts) {
                f.add(new LabOptions.FlowRequest(p, h, null, family));
            }
        }
        for (String n : nodeRefs) {
            for (String m : nodeRefs) {
                if (!n.equals(m)) {
                    f.add(new LabOptions.FlowRequest(n, m, null, family));
                }
            }
            for (String[] s : svcs) {
                f.add(new LabOptions.FlowRequest(n, s[0], null, family));
            }
            for (String h : hosts) {
                f.add(new LabOptions.FlowRequest(n, h, null, family));
            }
        }
        return f;
    }

    /** Resolves a flow's endpoints to a sender namespace, a destination address and port, and its owners. */
    private LabFlow resolve(LabOptions.FlowRequest r, Prediction prediction) {
        String from = sender(r.from());
        IpFamily family = r.family();
        boolean v6 = family == IpFamily.IPV6;
        Integer port = r.port() == null ? null : port(r.port());
        String to;
        Set<String> owners = new LinkedHashSet<>();
        String dst = r.to();
        if (dst.startsWith("svc:")) {
            Matcher m = Pattern.compile("svc:(.+):(\\d+)/(\\w+)").matcher(dst);
            if (!m.matches()) {
                throw new LabException("bad service endpoint '" + dst + "'; write svc:<ns/name>:<port>/TCP");
            }
            if (!m.group(3).equalsIgnoreCase("TCP")) {
                throw new LabException("the lab probes TCP and ICMP only, not " + dst);
            }
            Service s = services().stream().filter(x -> x.name().equals(m.group(1))).findFirst()
                    .orElseThrow(() -> new LabException("no service " + m.group(1) + " in " + scenario.name()));
            to = s.clusterIps().stream().filter(a -> a.family() == family).findFirst()
                    .orElseThrow(() -> new LabException("service " + s.name() + " has no " + family.label()
                            + " ClusterIP")).toString();
            port = Integer.parseInt(m.group(2));
            endpointOwners(s, owners);
        } else if (dst.startsWith("host:")) {
            to = dst.substring(5);
            if (v6) {
                throw new LabException("the lab's gateway holds IPv4 hosts of declared networks only, not " + dst);
            }
            Optional.ofNullable(gatewayKeyByHost.get(to)).ifPresent(owners::add);
        } else if (dst.startsWith("pod:") || dst.startsWith("node:")) {
            String key = sender(dst);
            owners.add(key);
            to = dst.startsWith("pod:") ? podAddress(spec.pod(key.substring(4)).orElseThrow(), family)
                    : nodeAddress(nodesByName.get(key.substring(5)), family);
            if (to == null) {
                throw new LabException(dst + " has no " + family.label() + " address in the lab of " + scenario.name());
            }
        } else {
            to = IpAddress.parse(dst).toString();
            owners.addAll(ownersOf(to, port));
        }
        String fromAddress = from.startsWith("pod:") ? podAddress(spec.pod(from.substring(4)).orElseThrow(), family)
                : nodeAddress(nodesByName.get(from.substring(5)), family);
        if (fromAddress == null) {
            throw new LabException(r.from() + " has no " + family.label() + " address in the lab of "
                    + scenario.name() + ", so it cannot send " + r.label());
        }
        return new LabFlow(r.label(), from, to, port, owners, prediction);
    }

    private String podAddress(LabSpec.Pod p, IpFamily family) {
        String a = family == IpFamily.IPV6 ? p.ip6() : p.ip();
        if (a == null) {
            throw new LabException("pod " + p.name() + " has no " + family.label() + " address in the lab of "
                    + scenario.name());
        }
        return a;
    }

    private static String nodeAddress(LabSpec.Node n, IpFamily family) {
        return family == IpFamily.IPV6 ? (n.v6() == null ? null : n.v6().ip()) : n.ip();
    }

    /** Who answers for a bare address: its pod, its node (uplink or cni0 gateway), a declared host, or a service. */
    private Set<String> ownersOf(String ip, Integer port) {
        Set<String> owners = new LinkedHashSet<>();
        Optional.ofNullable(podKeyByIp.get(ip)).ifPresent(owners::add);
        IpAddress a = IpAddress.parse(ip);
        for (LabSpec.Node n : spec.nodes()) {
            if (ip.equals(n.ip()) || (n.lease() != null && Cidr.parse(n.lease()).network().plus(1).equals(a))) {
                owners.add("node:" + n.name());
            }
            if (n.v6() != null && (ip.equals(n.v6().ip()) || (n.v6().lease() != null
                    && Cidr.parse(n.v6().lease()).network().plus(1).equals(a)))) {
                owners.add("node:" + n.name());
            }
        }
        Optional.ofNullable(gatewayKeyByHost.get(ip)).ifPresent(owners::add);
        if (owners.isEmpty()) {
            for (Service s : services()) {
                if (s.clusterIps().contains(a) || s.externalIps().contains(a)) {
                    endpointOwners(s, owners);
                }
            }
        }
        return owners;
    }

    private void endpointOwners(Service s, Set<String> owners) {
        for (Endpoint e : s.endpoints()) {
            Optional.ofNullable(podKeyByIp.get(e.ip().toString())).ifPresent(owners::add);
        }
    }

    private String sender(String ref) {
        if (ref.startsWith("node:")) {
            String name = ref.substring(5);
            if (!nodesByName.containsKey(name)) {
                throw new LabException("no node " + name + " in the lab of " + scenario.name() + "; nodes: "
                        + nodesByName.keySet());
            }
            return ref;
        }
        if (ref.startsWith("pod:")) {
            String p = ref.substring(4);
            String key = podKeyByName.getOrDefault(p, podKeyByIp.get(p));
            if (key == null) {
                throw new LabException("no pod " + p + " in the lab of " + scenario.name() + "; pods: "
                        + podKeyByName.keySet());
            }
            return key;
        }
        throw new LabException("a lab flow starts at pod:<name|ip> or node:<name>, not '" + ref + "'");
    }

    static int port(String text) {
        Matcher m = Pattern.compile("(\\d+)(?:/(\\w+))?").matcher(text.strip());
        if (!m.matches() || (m.group(2) != null && !m.group(2).equalsIgnoreCase("TCP"))) {
            throw new LabException("the lab probes TCP ports only; got '" + text + "' (write 8080/TCP)");
        }
        return Integer.parseInt(m.group(1));
    }

    private List<Service> services() {
        return scenario.kubernetes().map(k -> k.services()).orElse(List.of());
    }

    private static boolean inLease(LabSpec.Node n, IpAddress ip) {
        String lease = ip.family() == IpFamily.IPV6 ? lease6(n) : n.lease();
        return lease != null && Cidr.parse(lease).contains(ip);
    }

    /**
     * The gateway's address: the LAN's highest host address that no node, pod or cni0 uses, so that the lab's own
     * gateway never collides with an address of the scenario.
     */
    private IpAddress freeAddress(Cidr lan, Set<String> nodeIps) {
        Set<String> used = new java.util.HashSet<>(nodeIps);
        scenario.pods().forEach(p -> used.add(p.ip().toString()));
        scenario.nodes().forEach(n -> n.podCidr(IpFamily.IPV4).ifPresent(c -> used.add(c.network().plus(1).toString())));
        scenario.flannel().ifPresent(f -> f.leases().forEach(l -> leaseSubnet(l.key())
                .ifPresent(c -> used.add(c.network().plus(1).toString()))));
        java.math.BigInteger a = lan.last().toBigInteger().subtract(java.math.BigInteger.ONE);
        while (used.contains(IpAddress.of(IpFamily.IPV4, a).toString())
                && a.compareTo(lan.network().toBigInteger()) > 0) {
            a = a.subtract(java.math.BigInteger.ONE);
        }
        return IpAddress.of(IpFamily.IPV4, a);
    }

    /** flannel's IPv4 Network as flanneld reads it (empty when the config is invalid: the tracer builds no flannel). */
    private Optional<Cidr> network() {
        try {
            return scenario.flannel().flatMap(f -> FlannelConfig.parse(f.config()).network());
        } catch (FlannelConfigException e) {
            return Optional.empty();
        }
    }

    /** flannel's IPv6Network when EnableIPv6 is set (empty otherwise, or when the config is invalid). */
    private Optional<Cidr> network6() {
        try {
            return scenario.flannel().map(f -> FlannelConfig.parse(f.config()))
                    .filter(FlannelConfig::enableIPv6).flatMap(FlannelConfig::ipv6Network);
        } catch (FlannelConfigException e) {
            return Optional.empty();
        }
    }

    private boolean enableNFTables() {
        try {
            return scenario.flannel().map(f -> FlannelConfig.parse(f.config()).enableNFTables()).orElse(false);
        } catch (FlannelConfigException e) {
            return false;
        }
    }

    private boolean ipMasq() {
        return scenario.flannel().map(f -> f.ipMasq()).orElse(true);
    }

    private JsonNode flannelConfig() {
        String text = scenario.flannel().map(f -> f.config())
                .orElseThrow(() -> new LabException("scenario " + scenario.name() + " has no flannel config"));
        try {
            return JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new LabException("scenario " + scenario.name() + ": the flannel config is not JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** flannel decodes its config case-insensitively (Go's encoding/json), so the lab does too. */
    private static JsonNode field(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            return null;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static Optional<String> text(JsonNode node) {
        return node != null && node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
    }

    /** The IPv6 part of a dual-stack lease key, {@code <ipv4>-<len>&<ipv6>-<len>}. */
    static Optional<Cidr> leaseSubnet6(String key) {
        Matcher m = LEASE_KEY6.matcher(key);
        return m.find() ? Optional.of(Cidr.parseMasked(m.group(1) + "/" + m.group(2))) : Optional.empty();
    }

    static Optional<Cidr> leaseSubnet(String key) {
        Matcher m = LEASE_KEY.matcher(key);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(Cidr.parseMasked(m.group(1) + "/" + m.group(2)));
    }
}
