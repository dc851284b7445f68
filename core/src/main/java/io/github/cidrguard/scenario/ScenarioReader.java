package io.github.cidrguard.scenario;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.base.ParserBase;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.github.cidrguard.InputText;
import io.github.cidrguard.kube.ControllerManager;
import io.github.cidrguard.kube.DeclaredNetwork;
import io.github.cidrguard.kube.DetectLocalMode;
import io.github.cidrguard.kube.Endpoint;
import io.github.cidrguard.kube.Flannel;
import io.github.cidrguard.kube.KubeProxy;
import io.github.cidrguard.kube.Kubernetes;
import io.github.cidrguard.kube.Lease;
import io.github.cidrguard.kube.LoadBalancerPool;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.NodeRules;
import io.github.cidrguard.kube.Platform;
import io.github.cidrguard.kube.Pod;
import io.github.cidrguard.kube.ProxyMode;
import io.github.cidrguard.kube.RpFilter;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.ScenarioException;
import io.github.cidrguard.kube.Service;
import io.github.cidrguard.kube.ServicePort;
import io.github.cidrguard.kube.ServiceType;
import io.github.cidrguard.kube.SubnetManager;
import io.github.cidrguard.kube.TrafficPolicy;
import io.github.cidrguard.kube.Underlay;
import io.github.cidrguard.net.AddressRange;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Reads a scenario file into the model. Jackson's streaming parser builds a small tree that remembers the line of
 * every key and value (JsonNode forgets locations), so each error can point at its line; decoding then walks that
 * tree with the dotted path of the current position, refusing unknown keys.
 */
final class ScenarioReader {
    /*
     * The parsers' own limits are set out of the way, explicitly: the limits that apply are ours (InputText's size
     * and nesting, checked here with messages that name their system properties), and SnakeYAML's default
     * codePointLimit of 3 MiB would otherwise refuse a 20 000-node scenario as "not valid YAML". Numbers keep
     * Jackson's bound of 1 000 digits: no value in a scenario comes near it.
     */
    private static final StreamReadConstraints UNBOUNDED = StreamReadConstraints.builder()
            .maxDocumentLength(-1)
            .maxStringLength(Integer.MAX_VALUE)
            .maxNestingDepth(Integer.MAX_VALUE)
            .build();
    private static final JsonFactory JSON = JsonFactory.builder().streamReadConstraints(UNBOUNDED).build();
    private static final YAMLFactory YAML = YAMLFactory.builder().streamReadConstraints(UNBOUNDED)
            .loaderOptions(loaderOptions()).build();

    static LoaderOptions loaderOptions() {
        LoaderOptions o = new LoaderOptions();
        o.setCodePointLimit(Integer.MAX_VALUE);
        o.setNestingDepthLimit(Integer.MAX_VALUE);
        // Jackson reads events, so SnakeYAML never expands an alias for us; the reader refuses aliases itself
        o.setMaxAliasesForCollections(0);
        o.setAllowDuplicateKeys(true); // the reader reports duplicates with their line
        return o;
    }

    private int depth;
    private int maxNesting;

    private final String source;

    private ScenarioReader(String source) {
        this.source = source;
    }

    static Scenario read(String text, String sourceName) {
        return new ScenarioReader(sourceName).scenario(text);
    }

    /** The scenario with its located tree, for the line of every element (see {@link LocatedScenario}). */
    static LocatedScenario readLocated(String text, String sourceName) {
        ScenarioReader reader = new ScenarioReader(sourceName);
        Value root = reader.tree(text);
        return new LocatedScenario(reader.decode(root), sourceName, root);
    }

    /**
     * Every element path below {@code v} with its line: a key ({@code nodes[0].ip}) has the line of the key, a list
     * item ({@code nodes[0]}) the line of its first token; the first occurrence wins.
     */
    static void paths(Value v, String path, Map<String, Integer> lines) {
        if (v instanceof Obj o) {
            for (Field f : o.fields().values()) {
                String p = path.isEmpty() ? f.key() : path + "." + f.key();
                lines.putIfAbsent(p, f.line());
                paths(f.value(), p, lines);
            }
        } else if (v instanceof Arr a) {
            for (int i = 0; i < a.items().size(); i++) {
                String p = path + "[" + i + "]";
                lines.putIfAbsent(p, a.items().get(i).line());
                paths(a.items().get(i), p, lines);
            }
        }
    }

    /**
     * The line of one element path, found by walking the tree along the path, with the same answer as the entry of
     * {@link #paths} (a key that itself holds a dot is matched as a whole key first).
     */
    static OptionalInt lineOf(Value v, String path) {
        Value at = v;
        int line = -1;
        int i = 0;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '[') {
                int close = path.indexOf(']', i);
                if (!(at instanceof Arr a) || close < 0) {
                    return OptionalInt.empty();
                }
                int index;
                try {
                    index = Integer.parseInt(path, i + 1, close, 10);
                } catch (NumberFormatException e) {
                    return OptionalInt.empty();
                }
                if (index < 0 || index >= a.items().size()) {
                    return OptionalInt.empty();
                }
                at = a.items().get(index);
                line = at.line();
                i = close + 1;
                continue;
            }
            if (c == '.') {
                if (i == 0) {
                    return OptionalInt.empty();
                }
                i++;
            }
            if (!(at instanceof Obj o)) {
                return OptionalInt.empty();
            }
            Field f = fieldAt(o, path, i);
            if (f == null) {
                return OptionalInt.empty();
            }
            at = f.value();
            line = f.line();
            i += f.key().length();
        }
        return line < 0 ? OptionalInt.empty() : OptionalInt.of(line);
    }

    /** The field whose key is written at {@code path[from..]} and ends there or at a '.' or '['; the longest wins. */
    private static Field fieldAt(Obj o, String path, int from) {
        int end = from;
        while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
            end++;
        }
        Field best = o.fields().get(path.substring(from, end));
        for (Field f : o.fields().values()) {
            int stop = from + f.key().length();
            if (f.key().length() > end - from && path.startsWith(f.key(), from)
                    && (stop == path.length() || path.charAt(stop) == '.' || path.charAt(stop) == '[')) {
                best = best == null || f.key().length() > best.key().length() ? f : best;
            }
        }
        return best;
    }

    /**
     * For the list at {@code listPath} ({@code nodes}, {@code flannel.leases}): each item's {@code name} (or a lease's
     * {@code key}) and the index of its first occurrence.
     */
    static Map<String, Integer> itemNames(Value root, String listPath) {
        Value list = root;
        for (String key : listPath.split("\\.")) {
            if (!(list instanceof Obj o) || !o.fields().containsKey(key)) {
                return Map.of();
            }
            list = o.fields().get(key).value();
        }
        if (!(list instanceof Arr a)) {
            return Map.of();
        }
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i < a.items().size(); i++) {
            if (a.items().get(i) instanceof Obj o) {
                Field name = o.fields().containsKey("name") ? o.fields().get("name") : o.fields().get("key");
                if (name != null && name.value() instanceof Scalar s && !s.isNull()) {
                    out.putIfAbsent(s.text(), i);
                }
            }
        }
        return out;
    }

    // ---- the located tree ----

    sealed interface Value permits Obj, Arr, Scalar {
        int line();
    }

    record Field(String key, int line, Value value) {
    }

    record Obj(int line, Map<String, Field> fields) implements Value {
    }

    record Arr(int line, List<Value> items) implements Value {
    }

    record Scalar(int line, JsonToken token, String text) implements Value {
        boolean isNull() {
            return token == JsonToken.VALUE_NULL;
        }
    }

    private Value tree(String text) {
        if (text.length() > InputText.maxBytes()) {
            throw fail(0, InputText.tooLarge("the scenario is " + text.length() + " characters"));
        }
        maxNesting = InputText.maxNesting();
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw fail(0, "the scenario is empty; it needs at least a 'nodes' list");
        }
        JsonFactory factory = trimmed.startsWith("{") ? JSON : YAML;
        if (factory == YAML) {
            int longLine = InputText.firstLongYamlLine(text);
            if (longLine > 0) {
                throw fail(longLine, InputText.yamlLineTooLong());
            }
        }
        try (JsonParser p = factory.createParser(text)) {
            if (p.nextToken() == null) {
                throw fail(0, "the scenario is empty; it needs at least a 'nodes' list");
            }
            Value root = node(p);
            if (p.nextToken() != null) {
                throw fail(line(p), "unexpected content after the scenario; a file holds exactly one scenario");
            }
            return root;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ScenarioException(source, line, "not valid " + (factory == JSON ? "JSON" : "YAML") + ": "
                    + e.getOriginalMessage() + "; fix the syntax", e);
        } catch (IOException e) {
            throw new ScenarioException(source, 0, "cannot read the scenario: " + e, e);
        }
    }

    /*
     * The line of the current token. JSON's parser counts the line of every token as it goes, and reading that count
     * is free, where currentTokenLocation() builds a location object: for the 1.8 million tokens of a 65 536-node
     * plan that object was more than half of the load. The count has one difference, pinned in ScenarioReaderLinesTest:
     * a key's line is that of its value's first token, the same line in every pretty-printed file. YAML's parser keeps
     * no such count, so YAML asks for the location.
     */
    private static int line(JsonParser p) {
        return p instanceof ParserBase json && !(p instanceof YAMLParser) ? json.getTokenLineNr()
                : p.currentTokenLocation().getLineNr();
    }

    private Value node(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        int line = line(p);
        if (p instanceof YAMLParser y && y.isCurrentAlias()) {
            throw fail(line, "YAML alias '*" + p.getText() + "': cidrguard does not expand anchors and aliases (a"
                    + " file must not grow when read); write the value out in full");
        }
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            if (++depth > maxNesting) {
                throw fail(line, InputText.tooDeep(depth));
            }
            try {
                return container(p, t, line);
            } finally {
                depth--;
            }
        }
        return new Scalar(line, t, p.getText());
    }

    private Value container(JsonParser p, JsonToken t, int line) throws IOException {
        if (t == JsonToken.START_OBJECT) {
            Map<String, Field> fields = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int keyLine = line(p);
                p.nextToken();
                Value v = node(p);
                if (fields.put(key, new Field(key, keyLine, v)) != null) {
                    throw fail(keyLine, "key '" + key + "' appears twice; keep one");
                }
            }
            return new Obj(line, fields);
        }
        if (t == JsonToken.START_ARRAY) {
            List<Value> items = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                items.add(node(p));
            }
            return new Arr(line, items);
        }
        throw new IllegalStateException("not a container: " + t);
    }

    // ---- decoding ----

    private ScenarioException fail(int line, String message) {
        return new ScenarioException(source, line, message, null);
    }

    private Scenario scenario(String text) {
        return decode(tree(text));
    }

    private Scenario decode(Value tree) {
        Obj root = obj(tree, "the scenario");
        known(root, "top level", "cidrguard", "name", "platform", "flannel", "nodes", "kubernetes", "pods",
                "networks", "underlay", "loadBalancerPools");
        Field version = root.fields().get("cidrguard");
        if (version != null && !(version.value() instanceof Scalar s && s.token() == JsonToken.VALUE_NUMBER_INT
                && s.text().equals(String.valueOf(Scenario.FORMAT)))) {
            throw fail(version.line(), "cidrguard: " + describe(version.value()) + " is not a format this version"
                    + " reads; write cidrguard: " + Scenario.FORMAT);
        }
        Scenario.Builder b = Scenario.builder(optString(root, "name", "name").orElse(stem(source)));
        optField(root, "platform").ifPresent(f -> b.platform(enumValue(f, "platform", Platform.values(),
                Platform::label)));
        boolean controllerManager = optField(root, "kubernetes").map(f -> f.value() instanceof Obj o
                && optField(o, "controllerManager").isPresent()).orElse(false);
        optField(root, "flannel").ifPresent(f -> b.flannel(flannel(obj(f.value(), "flannel"), controllerManager)));
        Field nodes = root.fields().get("nodes");
        if (nodes == null || nodes.value() instanceof Scalar s && s.isNull()) {
            throw fail(root.line(), "the scenario has no 'nodes'; list the nodes, e.g. nodes: [{name: node-1, ip:"
                    + " 10.0.0.11}]");
        }
        List<Value> nodeItems = arr(nodes.value(), "nodes").items();
        for (int i = 0; i < nodeItems.size(); i++) {
            b.node(node(obj(nodeItems.get(i), "nodes[" + i + "]"), "nodes[" + i + "]"));
        }
        optField(root, "kubernetes").ifPresent(f -> b.kubernetes(kubernetes(obj(f.value(), "kubernetes"))));
        List<Value> pods = optField(root, "pods").map(f -> arr(f.value(), "pods").items()).orElse(List.of());
        for (int i = 0; i < pods.size(); i++) {
            b.pod(pod(obj(pods.get(i), "pods[" + i + "]"), "pods[" + i + "]"));
        }
        List<Value> nets = optField(root, "networks").map(f -> arr(f.value(), "networks").items()).orElse(List.of());
        for (int i = 0; i < nets.size(); i++) {
            String path = "networks[" + i + "]";
            Obj o = obj(nets.get(i), path);
            known(o, path, "name", "cidr");
            String name = reqString(o, "name", path, "name: office-vpn");
            Cidr cidr = parse(req(o, "cidr", path, "cidr: 192.168.10.0/24"), path + ".cidr", Cidr::parse);
            b.network(new DeclaredNetwork(name, cidr));
        }
        List<Value> pools = optField(root, "loadBalancerPools").map(f -> arr(f.value(), "loadBalancerPools").items())
                .orElse(List.of());
        for (int i = 0; i < pools.size(); i++) {
            String path = "loadBalancerPools[" + i + "]";
            Obj o = obj(pools.get(i), path);
            known(o, path, "name", "addresses");
            String name = reqString(o, "name", path, "name: metallb-system/default");
            List<AddressRange> addresses = parseList(req(o, "addresses", path,
                    "addresses: [192.168.50.240-192.168.50.250]"), path + ".addresses", AddressRange::parse);
            b.loadBalancerPool(build(o, () -> new LoadBalancerPool(name, addresses)));
        }
        optField(root, "underlay").ifPresent(f -> {
            Obj o = obj(f.value(), "underlay");
            known(o, "underlay", "antiSpoofing");
            b.underlay(new Underlay(optBool(o, "antiSpoofing", "underlay.antiSpoofing").orElse(false)));
        });
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw fail(nodes.line(), e.getMessage());
        }
    }

    /**
     * The flannel section. {@code subnetManager} is read as written; when absent it is etcd (what every file
     * written before the key existed means), except that a file with a {@code kubernetes.controllerManager} section
     * and no {@code flannel.leases} describes kube mode: kube-controller-manager allocating the pod CIDRs is what
     * {@code --kube-subnet-mgr} relies on.
     */
    private Flannel flannel(Obj o, boolean controllerManager) {
        known(o, "flannel", "config", "ipMasq", "leases", "subnetManager");
        String config = reqString(o, "config", "flannel", "config: '{\"Network\": \"10.244.0.0/16\"}'");
        boolean ipMasq = optBool(o, "ipMasq", "flannel.ipMasq").orElse(true);
        List<Lease> leases = new ArrayList<>();
        List<Value> items = optField(o, "leases").map(f -> arr(f.value(), "flannel.leases").items())
                .orElse(List.of());
        for (int i = 0; i < items.size(); i++) {
            String path = "flannel.leases[" + i + "]";
            Obj l = obj(items.get(i), path);
            known(l, path, "key", "publicIp");
            String key = reqString(l, "key", path, "key: 10.244.1.0-24");
            IpAddress ip = parse(req(l, "publicIp", path, "publicIp: 10.0.0.11"), path + ".publicIp",
                    IpAddress::parse);
            leases.add(build(l, () -> Lease.of(key, ip)));
        }
        SubnetManager manager = optField(o, "subnetManager").map(f -> enumValue(f, "flannel.subnetManager",
                SubnetManager.values(), SubnetManager::label)).orElse(controllerManager && leases.isEmpty()
                        && optField(o, "leases").isEmpty() ? SubnetManager.KUBE : SubnetManager.ETCD);
        return build(o, () -> new Flannel(config, ipMasq, leases, manager));
    }

    private Node node(Obj o, String path) {
        known(o, path, "name", "ip", "hostNetwork", "podCidr", "rpFilter", "docker", "publicIp", "backend", "rules");
        String name = reqString(o, "name", path, "name: node-1");
        List<IpAddress> ips = parseList(req(o, "ip", path, "ip: 10.0.0.11"), path + ".ip", IpAddress::parse);
        List<Cidr> host = optField(o, "hostNetwork").map(f -> parseList(f, path + ".hostNetwork", Cidr::parse))
                .orElse(List.of());
        List<Cidr> pod = optField(o, "podCidr").map(f -> parseList(f, path + ".podCidr", Cidr::parse))
                .orElse(List.of());
        RpFilter rp = optField(o, "rpFilter").map(f -> enumValue(f, path + ".rpFilter", RpFilter.values(),
                RpFilter::label)).orElse(RpFilter.STRICT);
        Optional<Cidr> docker = optField(o, "docker").flatMap(f -> docker(f, path + ".docker"));
        List<IpAddress> publicIps = optField(o, "publicIp")
                .map(f -> parseList(f, path + ".publicIp", IpAddress::parse)).orElse(List.of());
        Optional<String> backend = optString(o, "backend", path + ".backend");
        Optional<NodeRules> rules = optField(o, "rules").map(f -> nodeRules(obj(f.value(), path + ".rules"),
                path + ".rules"));
        return build(o, () -> new Node(name, ips, host, pod, rp, docker, publicIps, backend, rules));
    }

    /** {@code rules: {iptablesSave: FILE, ip6tablesSave: FILE, nftRuleset: FILE}}, paths as written. */
    private NodeRules nodeRules(Obj o, String path) {
        known(o, path, "iptablesSave", "ip6tablesSave", "nftRuleset");
        Optional<String> ipt = optString(o, "iptablesSave", path + ".iptablesSave");
        Optional<String> ip6 = optString(o, "ip6tablesSave", path + ".ip6tablesSave");
        Optional<String> nft = optString(o, "nftRuleset", path + ".nftRuleset");
        return build(o, () -> new NodeRules(ipt, ip6, nft));
    }

    private Optional<Cidr> docker(Field f, String path) {
        Scalar s = scalar(f, path);
        if (s.token() == JsonToken.VALUE_TRUE) {
            return Optional.of(Node.DOCKER_DEFAULT_BRIDGE);
        }
        if (s.token() == JsonToken.VALUE_FALSE) {
            return Optional.empty();
        }
        try {
            return Optional.of(Cidr.parse(s.text()));
        } catch (IllegalArgumentException e) {
            throw fail(f.line(), path + " must be false, true (docker0 = 172.17.0.0/16) or the bridge's CIDR: "
                    + e.getMessage());
        }
    }

    private Kubernetes kubernetes(Obj o) {
        known(o, "kubernetes", "serviceCidr", "clusterDns", "kubeProxy", "services", "controllerManager");
        List<Cidr> serviceCidrs = optField(o, "serviceCidr")
                .map(f -> parseList(f, "kubernetes.serviceCidr", Cidr::parse)).orElse(List.of());
        List<IpAddress> dns = optField(o, "clusterDns")
                .map(f -> parseList(f, "kubernetes.clusterDns", IpAddress::parse)).orElse(List.of());
        Optional<KubeProxy> proxy = optField(o, "kubeProxy").map(f -> kubeProxy(obj(f.value(),
                "kubernetes.kubeProxy")));
        List<Service> services = new ArrayList<>();
        List<Value> items = optField(o, "services").map(f -> arr(f.value(), "kubernetes.services").items())
                .orElse(List.of());
        for (int i = 0; i < items.size(); i++) {
            String path = "kubernetes.services[" + i + "]";
            services.add(service(obj(items.get(i), path), path));
        }
        Optional<ControllerManager> cm = optField(o, "controllerManager").map(f -> controllerManager(obj(f.value(),
                "kubernetes.controllerManager")));
        return build(o, () -> new Kubernetes(serviceCidrs, dns, proxy, services, cm));
    }

    private ControllerManager controllerManager(Obj o) {
        String path = "kubernetes.controllerManager";
        known(o, path, "clusterCidr", "nodeCidrMaskSize", "nodeCidrMaskSizeIPv6");
        List<Cidr> cluster = optField(o, "clusterCidr").map(f -> parseList(f, path + ".clusterCidr", Cidr::parse))
                .orElse(List.of());
        int v4 = optInt(o, "nodeCidrMaskSize", path + ".nodeCidrMaskSize").orElse(ControllerManager.DEFAULT_MASK_IPV4);
        int v6 = optInt(o, "nodeCidrMaskSizeIPv6", path + ".nodeCidrMaskSizeIPv6")
                .orElse(ControllerManager.DEFAULT_MASK_IPV6);
        return build(o, () -> new ControllerManager(cluster, v4, v6));
    }

    private KubeProxy kubeProxy(Obj o) {
        String path = "kubernetes.kubeProxy";
        known(o, path, "mode", "clusterCidr", "detectLocalMode", "masqueradeAll", "nodePortAddresses");
        KubeProxy d = KubeProxy.defaults();
        ProxyMode mode = optField(o, "mode").map(f -> enumValue(f, path + ".mode", ProxyMode.values(),
                ProxyMode::label)).orElse(d.mode());
        List<Cidr> cluster = optField(o, "clusterCidr").map(f -> parseList(f, path + ".clusterCidr", Cidr::parse))
                .orElse(List.of());
        DetectLocalMode detect = optField(o, "detectLocalMode").map(f -> enumValue(f, path + ".detectLocalMode",
                DetectLocalMode.values(), DetectLocalMode::label)).orElse(d.detectLocalMode());
        boolean masqAll = optBool(o, "masqueradeAll", path + ".masqueradeAll").orElse(false);
        List<String> npa = optField(o, "nodePortAddresses")
                .map(f -> parseList(f, path + ".nodePortAddresses", Function.identity())).orElse(List.of());
        return build(o, () -> new KubeProxy(mode, cluster, detect, masqAll, npa));
    }

    private Service service(Obj o, String path) {
        known(o, path, "name", "clusterIp", "clusterIps", "ports", "nodePorts", "endpoints", "externalIps", "type",
                "loadBalancerIps", "externalTrafficPolicy", "internalTrafficPolicy");
        String name = reqString(o, "name", path, "name: default/web");
        List<IpAddress> ips = new ArrayList<>();
        optField(o, "clusterIp").ifPresent(f -> {
            if (!(f.value() instanceof Scalar s && (s.text().equals("None") || s.text().isEmpty()))) {
                ips.addAll(parseList(f, path + ".clusterIp", IpAddress::parse));
            }
        });
        optField(o, "clusterIps").ifPresent(f -> ips.addAll(parseList(f, path + ".clusterIps", IpAddress::parse)));
        List<ServicePort> ports = optField(o, "ports").map(f -> ports(f, path + ".ports")).orElse(List.of());
        List<ServicePort> nodePorts = optField(o, "nodePorts")
                .map(f -> parseList(f, path + ".nodePorts", ServicePort::parse)).orElseGet(() -> ports.stream()
                        .filter(p -> p.nodePort() > 0).map(p -> new ServicePort(p.nodePort(), p.protocol())).toList());
        List<Endpoint> eps = optField(o, "endpoints").map(f -> parseList(f, path + ".endpoints", Endpoint::parse))
                .orElse(List.of());
        List<IpAddress> ext = optField(o, "externalIps")
                .map(f -> parseList(f, path + ".externalIps", IpAddress::parse)).orElse(List.of());
        List<IpAddress> lb = optField(o, "loadBalancerIps")
                .map(f -> parseList(f, path + ".loadBalancerIps", IpAddress::parse)).orElse(List.of());
        ServiceType type = optField(o, "type").map(f -> enumValue(f, path + ".type", ServiceType.values(),
                ServiceType::label)).orElse(Service.typeOf(nodePorts, lb));
        TrafficPolicy etp = optField(o, "externalTrafficPolicy").map(f -> enumValue(f, path
                + ".externalTrafficPolicy", TrafficPolicy.values(), TrafficPolicy::label)).orElse(TrafficPolicy.CLUSTER);
        TrafficPolicy itp = optField(o, "internalTrafficPolicy").map(f -> enumValue(f, path
                + ".internalTrafficPolicy", TrafficPolicy.values(), TrafficPolicy::label)).orElse(TrafficPolicy.CLUSTER);
        return build(o, () -> new Service(name, ips, ports, nodePorts, eps, ext, type, lb, etp, itp));
    }

    /** Ports in the short form ({@code 80/TCP}, also comma separated) or the long form, mixed as needed. */
    private List<ServicePort> ports(Field f, String path) {
        if (!(f.value() instanceof Arr a)) {
            return parseList(f, path, ServicePort::parse);
        }
        List<ServicePort> out = new ArrayList<>();
        for (int i = 0; i < a.items().size(); i++) {
            Value v = a.items().get(i);
            String p = path + "[" + i + "]";
            if (!(v instanceof Obj o)) {
                out.add(parse(new Field(f.key(), v.line(), v), p, ServicePort::parse));
                continue;
            }
            known(o, p, "name", "port", "protocol", "targetPort", "nodePort");
            int port = optInt(o, "port", p + ".port").orElseThrow(() -> fail(o.line(), p + " has no 'port'; add it,"
                    + " e.g. {name: http, port: 80, protocol: TCP}"));
            String proto = optString(o, "protocol", p + ".protocol").orElse("TCP");
            String name = optString(o, "name", p + ".name").orElse("");
            String target = optString(o, "targetPort", p + ".targetPort").orElse("");
            int nodePort = optInt(o, "nodePort", p + ".nodePort").orElse(0);
            out.add(build(o, () -> new ServicePort(port, proto, name, target, nodePort)));
        }
        return out;
    }

    private Optional<Integer> optInt(Obj o, String key, String path) {
        return optField(o, key).map(f -> {
            Scalar s = scalar(f, path);
            try {
                return Integer.parseInt(s.text().strip());
            } catch (NumberFormatException e) {
                throw fail(f.line(), path + " must be a whole number, not '" + s.text() + "'");
            }
        });
    }

    private Pod pod(Obj o, String path) {
        known(o, path, "name", "ip", "node");
        String name = reqString(o, "name", path, "name: default/web-0");
        IpAddress ip = parse(req(o, "ip", path, "ip: 10.244.1.5"), path + ".ip", IpAddress::parse);
        Optional<String> node = optString(o, "node", path + ".node");
        return build(o, () -> new Pod(name, ip, node));
    }

    // ---- helpers ----

    private <T> T build(Obj o, java.util.function.Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw fail(o.line(), e.getMessage());
        }
    }

    private Obj obj(Value v, String path) {
        if (v instanceof Obj o) {
            return o;
        }
        throw fail(v.line(), path + " must be a mapping of keys to values, not " + describe(v));
    }

    private Arr arr(Value v, String path) {
        if (v instanceof Arr a) {
            return a;
        }
        if (v instanceof Scalar s && s.isNull()) {
            return new Arr(v.line(), List.of());
        }
        throw fail(v.line(), path + " must be a list, not " + describe(v) + "; write it as [a, b] or as '- '"
                + " items");
    }

    private Scalar scalar(Field f, String path) {
        if (f.value() instanceof Scalar s && !s.isNull()) {
            return s;
        }
        throw fail(f.line(), path + " must be a single value, not " + describe(f.value()));
    }

    private static String describe(Value v) {
        if (v instanceof Obj) {
            return "a mapping";
        }
        if (v instanceof Arr) {
            return "a list";
        }
        Scalar s = (Scalar) v;
        return s.isNull() ? "empty" : "'" + s.text() + "'";
    }

    private static Optional<Field> optField(Obj o, String key) {
        Field f = o.fields().get(key);
        if (f == null || f.value() instanceof Scalar s && s.isNull()) {
            return Optional.empty();
        }
        return Optional.of(f);
    }

    private Field req(Obj o, String key, String path, String example) {
        return optField(o, key).orElseThrow(() -> fail(o.line(), path + " has no '" + key + "'; add it, e.g. "
                + example));
    }

    private String reqString(Obj o, String key, String path, String example) {
        return scalar(req(o, key, path, example), path + "." + key).text();
    }

    private Optional<String> optString(Obj o, String key, String path) {
        return optField(o, key).map(f -> scalar(f, path).text());
    }

    private Optional<Boolean> optBool(Obj o, String key, String path) {
        return optField(o, key).map(f -> {
            Scalar s = scalar(f, path);
            if (s.token() == JsonToken.VALUE_TRUE || s.token() == JsonToken.VALUE_FALSE) {
                return s.token() == JsonToken.VALUE_TRUE;
            }
            throw fail(f.line(), path + " must be true or false, not '" + s.text() + "'");
        });
    }

    private <E extends Enum<E>> E enumValue(Field f, String path, E[] values, Function<E, String> label) {
        String text = scalar(f, path).text();
        for (E e : values) {
            if (label.apply(e).equals(text)) {
                return e;
            }
        }
        for (E e : values) {
            if (label.apply(e).equalsIgnoreCase(text)) {
                throw fail(f.line(), path + " '" + text + "' is spelled '" + label.apply(e) + "'");
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : values) {
            names.add(label.apply(e));
        }
        throw fail(f.line(), path + " must be one of " + String.join(", ", names) + ", not '" + text + "'");
    }

    private <T> T parse(Field f, String path, Function<String, T> parser) {
        Scalar s = scalar(f, path);
        try {
            return parser.apply(s.text());
        } catch (IllegalArgumentException e) {
            throw fail(s.line(), "bad value for " + path + ": " + e.getMessage());
        }
    }

    /** A list given either as a YAML/JSON list or as one comma-separated string, as Kubernetes flags are written. */
    private <T> List<T> parseList(Field f, String path, Function<String, T> parser) {
        List<T> out = new ArrayList<>();
        if (f.value() instanceof Arr a) {
            for (int i = 0; i < a.items().size(); i++) {
                Value v = a.items().get(i);
                out.add(parse(new Field(f.key(), v.line(), v), path + "[" + i + "]", parser));
            }
            return out;
        }
        Scalar s = scalar(f, path);
        for (String part : s.text().split(",", -1)) {
            try {
                out.add(parser.apply(part.strip()));
            } catch (IllegalArgumentException e) {
                throw fail(s.line(), "bad value for " + path + ": " + e.getMessage());
            }
        }
        return out;
    }

    private void known(Obj o, String where, String... keys) {
        List<String> allowed = List.of(keys);
        for (Field f : o.fields().values()) {
            if (!allowed.contains(f.key())) {
                String near = nearest(f.key(), allowed);
                throw fail(f.line(), "unknown key '" + f.key() + "' under " + where
                        + (near != null ? "; did you mean '" + near + "'?"
                                : "; the keys there are " + String.join(", ", allowed)));
            }
        }
    }

    private static String nearest(String key, List<String> allowed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String a : allowed) {
            int d = a.equalsIgnoreCase(key) ? 0 : distance(key.toLowerCase(Locale.ROOT), a.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = a;
            }
        }
        return bestDistance <= Math.max(1, Math.min(3, key.length() / 3)) ? best : null;
    }

    /** Damerau–Levenshtein (optimal string alignment), so a swapped pair like "CIRD" counts as one edit. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static String stem(String sourceName) {
        if (sourceName == null || sourceName.isBlank()) {
            return "scenario";
        }
        String s = sourceName.replace('\\', '/');
        s = s.substring(s.lastIndexOf('/') + 1);
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(0, dot) : s;
    }
}
