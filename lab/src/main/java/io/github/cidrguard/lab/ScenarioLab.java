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
 * Turns a {@link Scenario} into what the lab builds and probes. IPv4 only: the lab's data plane is flannel's IPv4 one.
 *
 * <p>Every node gets a default route to a gateway namespace on its LAN (a real node has one; without it a node could
 * not even send to a ClusterIP, since local output is routed before kube-proxy's DNAT). That gateway owns one address
 * in each declared network and forwards nothing. A lease whose PublicIP is no declared node becomes a node too (named
 * after the node its pods name, else {@code lease-<PublicIP>}), and every service endpoint that is not a declared pod
 * becomes a pod named by its IP, so that services have someone to answer.
 */
final class ScenarioLab {
    private static final Pattern LEASE_KEY = Pattern.compile("(\\d+\\.\\d+\\.\\d+\\.\\d+)-(\\d+)(?:&.*)?$");
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

        // Nodes: declared ones, then one per lease whose PublicIP no declared node has.
        Map<String, Cidr> leaseByPublicIp = new LinkedHashMap<>();
        scenario.flannel().ifPresent(f -> {
            for (Lease l : f.leases()) {
                leaseSubnet(l.key()).ifPresent(c -> leaseByPublicIp.putIfAbsent(l.publicIp().toString(), c));
            }
        });
        record Draft(String name, IpAddress ip, Optional<Cidr> hostNetwork, Cidr lease, RpFilter rp,
                String docker) {
        }
        List<Draft> drafts = new ArrayList<>();
        Set<String> nodeIps = new LinkedHashSet<>();
        for (Node n : scenario.nodes()) {
            Optional<IpAddress> ip = n.ip(IpFamily.IPV4);
            if (ip.isEmpty()) {
                notes.add("node " + n.name() + " has no IPv4 address; left out");
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
                    n.rpFilter(), n.docker().map(Cidr::toString).orElse(null)));
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
            drafts.add(new Draft(name, ip, hn, e.getValue(), RpFilter.STRICT, null));
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
            Cidr lan = d.hostNetwork().orElse(Cidr.ofMasked(d.ip(), 24));
            LabSpec.Gateway gw = gateways.computeIfAbsent(lan, c -> new LabSpec.Gateway(
                    freeAddress(c, nodeIps).toString(), c.prefixLength(), gateways.isEmpty() ? hosts : List.of()));
            RpFilter rp = options.rpFilter().orElse(d.rp());
            LabSpec.Node node = new LabSpec.Node(d.name(), d.ip().toString(), lan.prefixLength(),
                    d.lease() == null ? null : d.lease().toString(), rp,
                    withoutIpvs ? withoutKubeProxy(oracle.rules(d.name())) : oracle.rules(d.name()), d.docker(), gw.ip(),
                    oracle.nftables(d.name()));
            nodes.add(node);
            nodesByName.put(d.name(), node);
        }
        for (LabSpec.Gateway gw : gateways.values()) {
            for (String h : gw.hosts()) {
                gatewayKeyByHost.put(h.substring(0, h.indexOf('/')), "gw:" + gw.ip());
            }
        }

        // Pods: declared ones, then endpoints nobody declared.
        List<LabSpec.Pod> pods = new ArrayList<>();
        for (Pod p : scenario.pods()) {
            if (p.ip().family() != IpFamily.IPV4) {
                continue;
            }
            Optional<LabSpec.Node> node = p.node().map(nodesByName::get)
                    .or(() -> nodes.stream().filter(n -> inLease(n, p.ip())).findFirst());
            if (node.isEmpty() || node.get().lease() == null) {
                notes.add("pod " + p.name() + " is on no node with a lease; left out");
                continue;
            }
            pods.add(new LabSpec.Pod(p.name(), p.ip().toString(), node.get().name()));
            podKeyByIp.put(p.ip().toString(), "pod:" + p.name());
            podKeyByName.put(p.name(), "pod:" + p.name());
        }
        for (Service s : services()) {
            for (Endpoint e : s.endpoints()) {
                String ip = e.ip().toString();
                ports.add(e.port());
                if (podKeyByIp.containsKey(ip) || e.ip().family() != IpFamily.IPV4) {
                    continue;
                }
                Optional<LabSpec.Node> node = nodes.stream().filter(n -> inLease(n, e.ip())).findFirst();
                if (node.isEmpty()) {
                    notes.add("endpoint " + e + " of " + s.name() + " is in no lease; left out");
                    continue;
                }
                pods.add(new LabSpec.Pod(ip, ip, node.get().name()));
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
        return new LabSpec(name, backend, vni, nodes, pods, ports, List.copyOf(gateways.values()));
    }

    private List<LabFlow> buildFlows(Oracle oracle, LabOptions options) {
        List<LabOptions.FlowRequest> requests = options.flows().isEmpty() ? defaultFlows() : options.flows();
        List<LabFlow> out = new ArrayList<>();
        for (LabOptions.FlowRequest r : requests) {
            if (out.size() >= options.maxFlows()) {
                notes.add((requests.size() - out.size()) + " flows not probed (maxFlows " + options.maxFlows() + ")");
                break;
            }
            LabFlow f = resolve(r, oracle.predict(r.from(), r.to(), r.port()));
            if (withoutIpvs) {
                if (throughIpvs(r, f)) {
                    skipped.put(f.label(), ipvsReason);
                }
                Prediction p = f.prediction();
                f = new LabFlow(f.label(), f.from(), f.to(), f.port(), f.owners(), new Prediction(p.verdict(),
                        p.reason(), p.node(), p.rules().stream().filter(h -> !isKubeProxy(h.rule())).toList(),
                        p.explanation()));
            }
            out.add(f);
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

    private List<LabOptions.FlowRequest> defaultFlows() {
        List<LabOptions.FlowRequest> f = new ArrayList<>();
        List<String> podRefs = new ArrayList<>();
        for (LabSpec.Pod p : spec.pods()) {
            podRefs.add(scenarioPod(p.name()) ? "pod:" + p.name() : "pod:" + p.ip());
        }
        List<String> nodeRefs = spec.nodes().stream().map(n -> "node:" + n.name()).toList();
        List<String[]> svcs = new ArrayList<>();
        for (Service s : services()) {
            for (ServicePort sp : s.ports()) {
                if (sp.protocol().equalsIgnoreCase("TCP") && !s.clusterIps().isEmpty()) {
                    svcs.add(new String[] {"svc:" + s.name() + ":" + sp.port() + "/TCP"});
                }
            }
        }
        List<String> hosts = gatewayKeyByHost.keySet().stream().map(h -> "host:" + h).toList();
        for (String p : podRefs) {
            for (String q : podRefs) {
                if (!p.equals(q)) {
                    f.add(new LabOptions.FlowRequest(p, q, null));
                }
            }
            for (String n : nodeRefs) {
                f.add(new LabOptions.FlowRequest(p, n, null));
            }
            for (String[] s : svcs) {
                f.add(new LabOptions.FlowRequest(p, s[0], null));
            }
            for (String h : hosts) {
                f.add(new LabOptions.FlowRequest(p, h, null));
            }
        }
        for (String n : nodeRefs) {
            for (String m : nodeRefs) {
                if (!n.equals(m)) {
                    f.add(new LabOptions.FlowRequest(n, m, null));
                }
            }
            for (String[] s : svcs) {
                f.add(new LabOptions.FlowRequest(n, s[0], null));
            }
            for (String h : hosts) {
                f.add(new LabOptions.FlowRequest(n, h, null));
            }
        }
        return f;
    }

    private boolean scenarioPod(String name) {
        return scenario.pods().stream().anyMatch(p -> p.name().equals(name));
    }

    /** Resolves a flow's endpoints to a sender namespace, a destination address and port, and its owners. */
    private LabFlow resolve(LabOptions.FlowRequest r, Prediction prediction) {
        String from = sender(r.from());
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
            to = s.clusterIps().stream().filter(a -> a.family() == IpFamily.IPV4).findFirst()
                    .orElseThrow(() -> new LabException("service " + s.name() + " has no IPv4 ClusterIP")).toString();
            port = Integer.parseInt(m.group(2));
            endpointOwners(s, owners);
        } else if (dst.startsWith("host:")) {
            to = dst.substring(5);
            Optional.ofNullable(gatewayKeyByHost.get(to)).ifPresent(owners::add);
        } else if (dst.startsWith("pod:") || dst.startsWith("node:")) {
            String key = sender(dst);
            owners.add(key);
            to = dst.startsWith("pod:") ? spec.pod(key.substring(4)).orElseThrow().ip()
                    : nodesByName.get(key.substring(5)).ip();
        } else {
            to = IpAddress.parse(dst).toString();
            owners.addAll(ownersOf(to, port));
        }
        return new LabFlow(r.label(), from, to, port, owners, prediction);
    }

    /** Who answers for a bare address: its pod, its node (uplink or cni0 gateway), a declared host, or a service. */
    private Set<String> ownersOf(String ip, Integer port) {
        Set<String> owners = new LinkedHashSet<>();
        Optional.ofNullable(podKeyByIp.get(ip)).ifPresent(owners::add);
        IpAddress a = IpAddress.parse(ip);
        for (LabSpec.Node n : spec.nodes()) {
            if (n.ip().equals(ip) || (n.lease() != null && Cidr.parse(n.lease()).network().plus(1).equals(a))) {
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
        return n.lease() != null && Cidr.parse(n.lease()).contains(ip);
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

    static Optional<Cidr> leaseSubnet(String key) {
        Matcher m = LEASE_KEY.matcher(key);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(Cidr.parseMasked(m.group(1) + "/" + m.group(2)));
    }
}
