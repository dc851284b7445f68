package io.github.cidrguard.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.cidrguard.flannel.FlannelConfig;
import io.github.cidrguard.flannel.FlannelConfigException;
import io.github.cidrguard.kube.KubeProxy;
import io.github.cidrguard.kube.LoadBalancerPool;
import io.github.cidrguard.kube.SubnetManager;
import io.github.cidrguard.net.AddressRange;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster-level configuration files of the usual installers, each read into {@link KubeFacts}: a bare
 * {@code net-conf.json}, k3s/RKE2 {@code config.yaml}, kubeadm's ClusterConfiguration (alone, multi-document with
 * KubeProxyConfiguration and KubeletConfiguration, or as the kube-system/kubeadm-config ConfigMap),
 * {@code kubectl get servicecidrs -o json}, and load-balancer pools ({@code kubectl get ipaddresspools.metallb.io -A
 * -o json}, Cilium's CiliumLoadBalancerIPPool too).
 */
final class ClusterConfigs {
    static final String NET_CONF = "/etc/kube-flannel/net-conf.json (k3s: /var/lib/rancher/k3s/agent/etc/flannel/net-conf.json)";
    static final String K3S = "/etc/rancher/k3s/config.yaml (RKE2: /etc/rancher/rke2/config.yaml)";
    static final String KUBEADM = "kubectl -n kube-system get cm kubeadm-config -o yaml, or the kubeadm config file";
    static final String SERVICE_CIDRS = "kubectl get servicecidrs -o json";
    static final String LB_POOLS = "kubectl get ipaddresspools.metallb.io -A -o json";

    /** k3s's defaults (k3s pkg/cli/cmds/server.go): --cluster-cidr, --service-cidr, --cluster-dns. */
    static final Cidr K3S_CLUSTER_CIDR = Cidr.parse("10.42.0.0/16");
    static final Cidr K3S_SERVICE_CIDR = Cidr.parse("10.43.0.0/16");
    static final IpAddress K3S_CLUSTER_DNS = IpAddress.parse("10.43.0.10");
    /** kubeadm's default serviceSubnet. */
    static final Cidr KUBEADM_SERVICE_CIDR = Cidr.parse("10.96.0.0/12");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ClusterConfigs() {
    }

    // ---- net-conf.json ----

    /**
     * A bare net-conf.json, kept verbatim. flanneld reads it with ParseConfig only in kube mode, so a ParseConfig
     * failure is refused here and a CheckNetworkConfig one is left to the analysis.
     */
    static KubeFacts netConf(String text, String source) {
        if (text.strip().isEmpty()) {
            throw new ImportException(source, 0, "is empty; give flannel's " + NET_CONF);
        }
        try {
            FlannelConfig.parse(text);
        } catch (FlannelConfigException e) {
            if (e.stage() == FlannelConfigException.Stage.PARSE) {
                throw new ImportException(source, 0, "flanneld cannot parse it: " + e.flannelMessage()
                        + "; give flannel's " + NET_CONF, e);
            }
        }
        return KubeFacts.none().plus(new KubeFacts(Optional.of(SubnetManager.KUBE), "net-conf.json " + source,
                Optional.of(text), "net-conf.json " + source, List.of(), Optional.empty(), Optional.empty(), List.of(),
                List.of(), Optional.empty(), List.of(), Map.of(), List.of()));
    }

    // ---- k3s / RKE2 config.yaml ----

    /**
     * k3s's (or RKE2's) {@code config.yaml}: its keys are the command's flags without dashes; a value is a string,
     * a comma-separated string or a list. What is absent takes k3s's default, with a note. Flannel there always runs
     * as the kube subnet manager, and k3s writes net-conf.json from cluster-cidr and flannel-backend (k3s
     * pkg/agent/flannel/setup.go, createFlannelConf).
     */
    static KubeFacts k3s(String text, String source) {
        JsonNode root = yamlObject(text, source, K3S);
        List<String> notes = new ArrayList<>();
        String tool = root.has("cni") ? "RKE2" : "k3s";
        List<Cidr> cluster = cidrs(root, "cluster-cidr", source, K3S);
        if (cluster.isEmpty()) {
            cluster = List.of(K3S_CLUSTER_CIDR);
            notes.add(source + ": no cluster-cidr, " + tool + "'s default " + K3S_CLUSTER_CIDR + " assumed");
        }
        List<Cidr> service = cidrs(root, "service-cidr", source, K3S);
        if (service.isEmpty()) {
            service = List.of(K3S_SERVICE_CIDR);
            notes.add(source + ": no service-cidr, " + tool + "'s default " + K3S_SERVICE_CIDR + " assumed");
        }
        List<IpAddress> dns = new ArrayList<>();
        for (String t : strings(root, "cluster-dns")) {
            dns.add(KubectlJson.ip(t, "cluster-dns", source, K3S));
        }
        if (dns.isEmpty()) {
            // k3s takes the tenth address of the (first) service CIDR
            dns.add(service.get(0).network().plus(10));
            notes.add(source + ": no cluster-dns, the tenth address of " + service.get(0) + " (" + dns.get(0)
                    + ") assumed as " + tool + " does");
        }
        Map<String, String> kcm = flagArgs(root, "kube-controller-manager-arg");
        Optional<Integer> m4 = mask(kcm, source, "node-cidr-mask-size-ipv4").or(() -> mask(kcm, source,
                "node-cidr-mask-size"));
        Optional<Integer> m6 = mask(kcm, source, "node-cidr-mask-size-ipv6");
        Optional<String> netConf = Optional.empty();
        String netConfFrom = "";
        String cni = root.path("cni").asText("");
        boolean flannel = cni.isEmpty() || cni.contains("flannel") || cni.contains("canal");
        String backend = root.path("flannel-backend").asText("vxlan");
        if (!cni.isEmpty() && !flannel) {
            notes.add(source + ": cni " + cni + " is not flannel; no flannel section");
        } else if (backend.equals("none")) {
            notes.add(source + ": flannel-backend none: another CNI is installed; no flannel section");
            flannel = false;
        } else if (root.hasNonNull("flannel-conf")) {
            notes.add(source + ": flannel-conf " + root.path("flannel-conf").asText() + " replaces the generated"
                    + " net-conf.json; give that file with --net-conf");
        } else {
            netConf = Optional.of(k3sNetConf(cluster, backend, source));
            netConfFrom = source + " (cluster-cidr, flannel-backend " + backend + ")";
        }
        Optional<KubeProxy> kp = Optional.empty();
        Map<String, String> kpa = flagArgs(root, "kube-proxy-arg");
        if (!kpa.isEmpty()) {
            kp = Optional.of(kubeProxyFlags(kpa, cluster, source));
        }
        Map<String, List<IpAddress>> nodeIps = new LinkedHashMap<>();
        List<String> nodeIp = strings(root, "node-ip");
        if (!nodeIp.isEmpty()) {
            List<IpAddress> ips = new ArrayList<>();
            for (String t : nodeIp) {
                ips.add(KubectlJson.ip(t, "node-ip", source, K3S));
            }
            String nodeName = root.path("node-name").asText("");
            if (nodeName.isEmpty()) {
                notes.add(source + ": node-ip " + String.join(",", nodeIp) + " belongs to the node this file is on,"
                        + " which it does not name; add node-name to place it");
            } else {
                nodeIps.put(nodeName, ips);
            }
        }
        if (root.path("flannel-external-ip").asBoolean(false)) {
            notes.add(source + ": flannel-external-ip: flannel's PublicIP is each node's node-external-ip (the"
                    + " public-ip-overwrite annotation); give --nodes to see them");
        }
        KubeFacts f = new KubeFacts(flannel ? Optional.of(SubnetManager.KUBE) : Optional.empty(), tool + " config "
                + source, netConf, netConfFrom, cluster, m4, m6, service, dns, kp, List.of(), nodeIps, notes);
        return KubeFacts.none().plus(f);
    }

    /** The net-conf.json k3s writes: Network, EnableIPv6, EnableIPv4, IPv6Network ("::/0" when unused), Backend. */
    private static String k3sNetConf(List<Cidr> cluster, String backend, String source) {
        Optional<Cidr> v4 = cluster.stream().filter(c -> c.family() == IpFamily.IPV4).findFirst();
        Optional<Cidr> v6 = cluster.stream().filter(c -> c.family() == IpFamily.IPV6).findFirst();
        String b = switch (backend) {
            case "vxlan" -> "{\"Type\": \"vxlan\"}";
            case "host-gw" -> "{\"Type\": \"host-gw\"}";
            case "wireguard-native" -> "{\"Type\": \"wireguard\", \"PersistentKeepaliveInterval\": 25}";
            default -> throw new ImportException(source, 0, "flannel-backend '" + backend + "' is not one k3s"
                    + " writes a net-conf.json for (vxlan, host-gw, wireguard-native, none; ipsec and wireguard were"
                    + " removed); give the file with --net-conf");
        };
        return "{\"Network\": \"" + v4.map(Cidr::toString).orElse("0.0.0.0/0") + "\", \"EnableIPv6\": "
                + v6.isPresent() + ", \"EnableIPv4\": " + v4.isPresent() + ", \"IPv6Network\": \""
                + v6.map(Cidr::toString).orElse("::/0") + "\", \"Backend\": " + b + "}";
    }

    private static KubeProxy kubeProxyFlags(Map<String, String> a, List<Cidr> cluster, String source) {
        KubeProxy d = KubeProxy.defaults();
        io.github.cidrguard.kube.ProxyMode mode = d.mode();
        String m = a.getOrDefault("proxy-mode", "");
        for (io.github.cidrguard.kube.ProxyMode pm : io.github.cidrguard.kube.ProxyMode.values()) {
            if (pm.label().equals(m)) {
                mode = pm;
            }
        }
        if (!m.isEmpty() && !mode.label().equals(m)) {
            throw new ImportException(source, 0, "kube-proxy-arg proxy-mode=" + m + " is not iptables, ipvs or"
                    + " nftables");
        }
        List<Cidr> cc = new ArrayList<>();
        for (String t : a.getOrDefault("cluster-cidr", "").split(",")) {
            if (!t.isBlank()) {
                cc.add(KubectlJson.cidr(t.strip(), "kube-proxy-arg cluster-cidr", source, K3S));
            }
        }
        // k3s passes its own --cluster-cidr to kube-proxy
        return new KubeProxy(mode, cc.isEmpty() ? cluster : cc, d.detectLocalMode(),
                a.getOrDefault("masquerade-all", "false").equals("true"), d.nodePortAddresses());
    }

    // ---- kubeadm ----

    /**
     * kubeadm's configuration: ClusterConfiguration ({@code networking.podSubnet}, {@code networking.serviceSubnet}
     * — default 10.96.0.0/12 — and {@code controllerManager.extraArgs}, a map in v1beta3 and a list of name/value in
     * v1beta4), KubeProxyConfiguration and KubeletConfiguration ({@code clusterDNS}); other kinds are skipped. kubeadm
     * passes podSubnet to kube-controller-manager as --cluster-cidr with --allocate-node-cidrs.
     */
    static KubeFacts kubeadm(String text, String source) {
        List<JsonNode> docs = new ArrayList<>();
        for (JsonNode d : yamlDocuments(text, source, KUBEADM)) {
            if (d.path("kind").asText("").equals("ConfigMap")) {
                for (String key : List.of("ClusterConfiguration", "ClusterStatus")) {
                    if (d.path("data").path(key).isTextual()) {
                        docs.addAll(yamlDocuments(d.path("data").path(key).asText(), source + " data." + key,
                                KUBEADM));
                    }
                }
            } else {
                docs.add(d);
            }
        }
        List<String> notes = new ArrayList<>();
        List<Cidr> pod = List.of();
        List<Cidr> service = List.of();
        List<IpAddress> dns = new ArrayList<>();
        Optional<KubeProxy> kp = Optional.empty();
        Map<String, String> extra = new LinkedHashMap<>();
        boolean cluster = false;
        for (JsonNode d : docs) {
            switch (d.path("kind").asText("")) {
                case "ClusterConfiguration" -> {
                    cluster = true;
                    JsonNode net = d.path("networking");
                    pod = commaCidrs(net.path("podSubnet").asText(""), "networking.podSubnet", source);
                    service = commaCidrs(net.path("serviceSubnet").asText(""), "networking.serviceSubnet", source);
                    JsonNode args = d.path("controllerManager").path("extraArgs");
                    if (args.isArray()) {
                        args.forEach(a -> extra.put(a.path("name").asText(), a.path("value").asText()));
                    } else {
                        args.fields().forEachRemaining(e -> extra.put(e.getKey(), e.getValue().asText()));
                    }
                }
                case "KubeProxyConfiguration" -> kp = Optional.of(ConfigMaps.kubeProxyConfiguration(d, source));
                case "KubeletConfiguration" -> d.path("clusterDNS").forEach(x -> dns.add(KubectlJson.ip(x.asText(),
                        "KubeletConfiguration clusterDNS", source, KUBEADM)));
                default -> {
                    // InitConfiguration, JoinConfiguration, ClusterStatus: nothing about addresses
                }
            }
        }
        if (!cluster) {
            throw new ImportException(source, 0, "holds no ClusterConfiguration (kubeadm.k8s.io); give the output of "
                    + KUBEADM);
        }
        if (extra.containsKey("cluster-cidr")) {
            pod = commaCidrs(extra.get("cluster-cidr"), "controllerManager.extraArgs cluster-cidr", source);
        }
        if (service.isEmpty()) {
            service = List.of(KUBEADM_SERVICE_CIDR);
            notes.add(source + ": no networking.serviceSubnet, kubeadm's default " + KUBEADM_SERVICE_CIDR + " assumed");
        }
        if (pod.isEmpty()) {
            notes.add(source + ": no networking.podSubnet, so kube-controller-manager allocates no node podCIDRs;"
                    + " flannel's kube subnet manager needs them (kube-flannel.yml expects 10.244.0.0/16)");
        }
        if (dns.isEmpty()) {
            dns.add(service.get(0).network().plus(10));
            notes.add(source + ": no KubeletConfiguration clusterDNS, the tenth address of " + service.get(0) + " ("
                    + dns.get(0) + ") assumed as kubeadm does");
        }
        Optional<Integer> m4 = mask(extra, source, "node-cidr-mask-size-ipv4").or(() -> mask(extra, source,
                "node-cidr-mask-size"));
        Optional<Integer> m6 = mask(extra, source, "node-cidr-mask-size-ipv6");
        return KubeFacts.none().plus(new KubeFacts(Optional.empty(), "", Optional.empty(), "", pod, m4, m6, service,
                dns, kp, List.of(), Map.of(), notes));
    }

    // ---- ServiceCIDR objects ----

    /**
     * {@code kubectl get servicecidrs -o json} (networking.k8s.io/v1): the one named {@code kubernetes} (the
     * API server's --service-cluster-ip-range) first, then the others; one CIDR per family is kept, the rest noted.
     */
    static KubeFacts serviceCidrs(String text, String source) {
        JsonNode root = KubectlJson.tree(text, source, SERVICE_CIDRS);
        List<JsonNode> items = new ArrayList<>(KubectlJson.items(root, "ServiceCIDR", source, SERVICE_CIDRS));
        if (items.isEmpty()) {
            return KubeFacts.none().plus(new KubeFacts(Optional.empty(), "", Optional.empty(), "", List.of(),
                    Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(), List.of(), Map.of(),
                    List.of(source + " lists no ServiceCIDR (the API server creates one named kubernetes from"
                            + " Kubernetes 1.33 on); give the service CIDR with --service-cidr")));
        }
        items.sort((a, b) -> Boolean.compare(!KubectlJson.name(a, false).equals("kubernetes"),
                !KubectlJson.name(b, false).equals("kubernetes")));
        List<Cidr> out = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (JsonNode i : items) {
            for (JsonNode c : i.path("spec").path("cidrs")) {
                Cidr cidr = KubectlJson.cidr(c.asText(), "ServiceCIDR " + KubectlJson.name(i, false) + " spec.cidrs",
                        source, SERVICE_CIDRS);
                if (out.stream().noneMatch(x -> x.family() == cidr.family())) {
                    out.add(cidr);
                } else if (!out.contains(cidr)) {
                    notes.add(source + ": ServiceCIDR " + KubectlJson.name(i, false) + " adds " + cidr + "; the"
                            + " scenario holds one service CIDR per family, so ClusterIPs from it are reported as"
                            + " outside the service CIDR");
                }
            }
        }
        return KubeFacts.none().plus(new KubeFacts(Optional.empty(), "", Optional.empty(), "", List.of(),
                Optional.empty(), Optional.empty(), out, List.of(), Optional.empty(), List.of(), Map.of(), notes));
    }

    // ---- load-balancer pools ----

    /**
     * MetalLB's IPAddressPools ({@code spec.addresses}: CIDRs and {@code first-last} ranges) and Cilium's
     * CiliumLoadBalancerIPPools ({@code spec.blocks}, or the older {@code spec.cidrs}: {@code cidr} or
     * {@code start}/{@code stop}).
     */
    static KubeFacts loadBalancerPools(String text, String source) {
        JsonNode root = KubectlJson.tree(text, source, LB_POOLS);
        List<JsonNode> items = new ArrayList<>();
        if (root.has("items")) {
            root.get("items").forEach(items::add);
        } else {
            items.add(root);
        }
        List<LoadBalancerPool> pools = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode p = items.get(i);
            String kind = p.path("kind").asText("");
            String name = kind.equals("CiliumLoadBalancerIPPool") ? KubectlJson.name(p, false)
                    : KubectlJson.name(p, true);
            List<AddressRange> ranges = new ArrayList<>();
            if (kind.equals("IPAddressPool")) {
                for (JsonNode a : p.path("spec").path("addresses")) {
                    ranges.add(range(a.asText().replace(" ", ""), "IPAddressPool " + name, source));
                }
            } else if (kind.equals("CiliumLoadBalancerIPPool")) {
                JsonNode blocks = p.path("spec").has("blocks") ? p.path("spec").path("blocks")
                        : p.path("spec").path("cidrs");
                for (JsonNode b : blocks) {
                    String t = b.hasNonNull("cidr") ? b.path("cidr").asText()
                            : b.path("start").asText() + "-" + b.path("stop").asText();
                    ranges.add(range(t, "CiliumLoadBalancerIPPool " + name, source));
                }
            } else {
                throw new ImportException(source, 0, "items[" + i + "] has kind '" + kind + "', not IPAddressPool or"
                        + " CiliumLoadBalancerIPPool; give the output of " + LB_POOLS);
            }
            if (ranges.isEmpty()) {
                notes.add(source + ": pool " + name + " has no addresses; left out");
                continue;
            }
            if (p.path("spec").path("autoAssign").asText("true").equals("false")) {
                notes.add(source + ": pool " + name + " has autoAssign: false; only services that ask for it get its"
                        + " addresses");
            }
            pools.add(new LoadBalancerPool(name, ranges));
        }
        return KubeFacts.none().plus(new KubeFacts(Optional.empty(), "", Optional.empty(), "", List.of(),
                Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(), pools, Map.of(), notes));
    }

    private static AddressRange range(String text, String where, String source) {
        try {
            return AddressRange.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ImportException(source, 0, where + " address '" + text + "' is not a CIDR or a first-last range ("
                    + e.getMessage() + "); give the output of " + LB_POOLS, e);
        }
    }

    // ---- helpers ----

    private static JsonNode yamlObject(String text, String source, String what) {
        List<JsonNode> docs = yamlDocuments(text, source, what);
        if (docs.size() != 1 || !docs.get(0).isObject()) {
            throw new ImportException(source, 0, "is not one YAML mapping; give " + what);
        }
        return docs.get(0);
    }

    private static List<JsonNode> yamlDocuments(String text, String source, String what) {
        if (text.strip().isEmpty()) {
            throw new ImportException(source, 0, "is empty; give " + what);
        }
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                JsonNode n = it.nextValue();
                if (n != null && !n.isNull() && !n.isMissingNode()) {
                    out.add(n);
                }
            }
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ImportException(source, line, "is not valid YAML (" + e.getOriginalMessage() + "); give " + what,
                    e);
        } catch (IOException | RuntimeException e) {
            throw new ImportException(source, 0, "is not valid YAML (" + e.getMessage() + "); give " + what, e);
        }
        return out;
    }

    /** A flag's values: a list, or one string, comma separated. */
    private static List<String> strings(JsonNode root, String key) {
        List<String> out = new ArrayList<>();
        JsonNode v = root.path(key);
        if (v.isArray()) {
            v.forEach(x -> {
                for (String t : x.asText().split(",")) {
                    if (!t.isBlank()) {
                        out.add(t.strip());
                    }
                }
            });
        } else if (v.isValueNode() && !v.isNull()) {
            for (String t : v.asText().split(",")) {
                if (!t.isBlank()) {
                    out.add(t.strip());
                }
            }
        }
        return out;
    }

    private static List<Cidr> cidrs(JsonNode root, String key, String source, String what) {
        List<Cidr> out = new ArrayList<>();
        for (String t : strings(root, key)) {
            Cidr c = KubectlJson.cidr(t, key, source, what);
            if (out.stream().noneMatch(x -> x.family() == c.family())) {
                out.add(c);
            }
        }
        return out;
    }

    private static List<Cidr> commaCidrs(String text, String where, String source) {
        List<Cidr> out = new ArrayList<>();
        for (String t : text.split(",")) {
            if (!t.isBlank()) {
                Cidr c = KubectlJson.cidr(t.strip(), where, source, KUBEADM);
                if (out.stream().noneMatch(x -> x.family() == c.family())) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /** {@code kube-controller-manager-arg: [node-cidr-mask-size=24, "--foo=bar"]} as a map. */
    private static Map<String, String> flagArgs(JsonNode root, String key) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode v = root.path(key);
        List<String> items = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(x -> items.add(x.asText()));
        } else if (v.isValueNode() && !v.isNull()) {
            items.add(v.asText());
        }
        for (String item : items) {
            String s = item.strip().replaceFirst("^--?", "");
            int eq = s.indexOf('=');
            out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "true" : s.substring(eq + 1));
        }
        return out;
    }

    private static Optional<Integer> mask(Map<String, String> args, String source, String flag) {
        String v = args.get(flag);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(v.strip()));
        } catch (NumberFormatException e) {
            throw new ImportException(source, 0, "--" + flag + "=" + v + " is not a prefix length; write it like --"
                    + flag + "=24", e);
        }
    }
}
