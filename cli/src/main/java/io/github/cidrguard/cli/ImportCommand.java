package io.github.cidrguard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.cidrguard.ingest.ScenarioImport;
import io.github.cidrguard.kube.NodeRules;
import io.github.cidrguard.kube.SubnetManager;
import io.github.cidrguard.net.Cidr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code cidrguard import …}: a scenario from real cluster output. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Build a scenario file from what the cluster shows: kubectl's nodes, services and pods, the "
                + "kube-flannel and kube-proxy ConfigMaps, k3s/RKE2 config.yaml, kubeadm's ClusterConfiguration, "
                + "ServiceCIDR objects, MetalLB/Cilium pools, and per node subnet.env, iptables-save, ip6tables-save, "
                + "nft list ruleset and ip route; or "
                + "all of the cluster-side ones at once with --kubectl. "
                + "Prints the scenario (YAML, or JSON with --format json); notes on what was inferred go to stderr (with --format json as one JSON object per line).",
                "Any file may be - for stdin (once)."},
        footer = {"", "Exit codes: 0 imported, 1 with --strict when something had to be inferred (the notes on "
                + "stderr), 2 unreadable input, 3 kubectl missing, refused or timed out.", "",
                "Examples:",
                "  cidrguard import --kubectl --context home > home.yaml",
                "  cidrguard import --k3s-config /etc/rancher/k3s/config.yaml --nodes nodes.json --services svc.json",
                "  kubectl get nodes -o json > nodes.json; kubectl get svc -A -o json > svc.json",
                "  kubectl -n kube-flannel get cm kube-flannel-cfg -o json > flannel-cm.json",
                "  ssh node-71 sudo iptables-save > node-71.iptables; ssh node-71 ip route > node-71.route",
                "  cidrguard import --name prod --nodes nodes.json --services svc.json --flannel-configmap "
                        + "flannel-cm.json \\",
                "      --iptables-save node-71=node-71.iptables --ip-route node-71=node-71.route "
                        + "--service-cidr 10.96.0.0/12 > prod.yaml",
                "  cidrguard check prod.yaml"})
final class ImportCommand implements Callable<Integer> {
    private final Io io;

    @Mixin
    OutputOptions output;

    @Option(names = "--name", defaultValue = "imported", description = "The scenario's name (default ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--nodes", paramLabel = "FILE", description = "kubectl get nodes -o json")
    String nodes;

    @Option(names = "--services", paramLabel = "FILE", description = "kubectl get svc -A -o json")
    String services;

    @Option(names = "--pods", paramLabel = "FILE", description = "kubectl get pods -A -o json")
    String pods;

    @Option(names = "--flannel-configmap", paramLabel = "FILE",
            description = "kubectl -n kube-flannel get cm kube-flannel-cfg -o json (or -o yaml)")
    String flannelCm;

    @Option(names = "--kube-proxy-configmap", paramLabel = "FILE",
            description = "kubectl -n kube-system get cm kube-proxy -o json (or -o yaml)")
    String kubeProxyCm;

    @Option(names = "--subnet-env", paramLabel = "NODE=FILE", description = "A node's /run/flannel/subnet.env.")
    Map<String, String> subnetEnv = new LinkedHashMap<>();

    @Option(names = "--iptables-save", paramLabel = "NODE=FILE", description = "A node's iptables-save output.")
    Map<String, String> iptables = new LinkedHashMap<>();

    @Option(names = "--ip6tables-save", paramLabel = "NODE=FILE",
            description = "A node's ip6tables-save output (the IPv6 half: IPv6Network, the node's IPv6 lease, IPv6 "
                    + "ClusterIPs); merged with its --iptables-save.")
    Map<String, String> ip6tables = new LinkedHashMap<>();

    @Option(names = "--nft-ruleset", paramLabel = "NODE=FILE",
            description = "A node's nft list ruleset output (flannel with EnableNFTables, kube-proxy in nftables "
                    + "mode); merged with its --iptables-save and --ip6tables-save.")
    Map<String, String> nftRuleset = new LinkedHashMap<>();

    @Option(names = "--ip-route", paramLabel = "NODE=FILE", description = "A node's ip route output.")
    Map<String, String> ipRoute = new LinkedHashMap<>();

    @Option(names = "--ip6-route", paramLabel = "NODE=FILE",
            description = "A node's ip -6 route output (best: ip -6 route show table all, which holds the node's "
                    + "own IPv6 address); merged with its --ip-route for a dual-stack node.")
    Map<String, String> ip6Route = new LinkedHashMap<>();

    @Option(names = "--service-cidr", paramLabel = "CIDR",
            description = "kube-apiserver's --service-cluster-ip-range, which no output above shows.")
    String serviceCidr;

    @Option(names = "--net-conf", paramLabel = "FILE",
            description = "flannel's net-conf.json (k3s: /var/lib/rancher/k3s/agent/etc/flannel/net-conf.json); "
                    + "implies kube mode")
    String netConf;

    @Option(names = "--k3s-config", paramLabel = "FILE",
            description = "k3s or RKE2 config.yaml (/etc/rancher/k3s/config.yaml): cluster-cidr, service-cidr, "
                    + "cluster-dns, flannel-backend, node-ip, kube-controller-manager-arg, kube-proxy-arg; k3s's "
                    + "defaults for what is absent")
    String k3sConfig;

    @Option(names = "--kubeadm-config", paramLabel = "FILE",
            description = "kubeadm's ClusterConfiguration, or kubectl -n kube-system get cm kubeadm-config -o yaml "
                    + "(multi-document YAML with KubeProxyConfiguration/KubeletConfiguration allowed)")
    String kubeadmConfig;

    @Option(names = "--service-cidrs", paramLabel = "FILE", description = "kubectl get servicecidrs -o json")
    String serviceCidrs;

    @Option(names = "--lb-pools", paramLabel = "FILE",
            description = "kubectl get ipaddresspools.metallb.io -A -o json (or ciliumloadbalancerippools)")
    String lbPools;

    @Option(names = "--subnet-manager", paramLabel = "MODE",
            description = "etcd or kube: how flanneld keeps its leases, when the sources do not show it (default: "
                    + "kube when a node has flanneld's kube-subnet-manager annotation or a k3s config or net-conf.json "
                    + "is given, else etcd)")
    String subnetManager;

    @Option(names = "--kubectl", description = "Run kubectl to fetch nodes, services, pods, the flannel, kube-proxy "
            + "and kubeadm ConfigMaps, ServiceCIDRs and LB pools (missing optional ones are skipped with a note).")
    boolean kubectl;

    @Option(names = "--context", paramLabel = "NAME", description = "kubectl's --context (with --kubectl).")
    String context;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "kubectl's --kubeconfig (with --kubectl).")
    String kubeconfig;

    @Option(names = "--kubectl-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Deadline of each kubectl call (default ${DEFAULT-VALUE} s).")
    long kubectlTimeout;

    ImportCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        ScenarioImport imp = ScenarioImport.named(name);
        if ((context != null || kubeconfig != null) && !kubectl) {
            throw new UserInputException("--context and --kubeconfig go with --kubectl; add --kubectl");
        }
        if (kubectlTimeout < 1) {
            throw new UserInputException("--kubectl-timeout " + kubectlTimeout + " must be at least 1 second");
        }
        KubectlLive live = null;
        if (kubectl) {
            if (nodes != null || services != null || pods != null) {
                throw new UserInputException("--kubectl fetches nodes, services and pods itself; drop --nodes,"
                        + " --services and --pods, or --kubectl");
            }
            live = KubectlLive.of(io, context, kubeconfig, kubectlTimeout);
            imp = live.fetch(imp);
        }
        if (nodes != null) {
            // streaming: kubectl's nodes of a 65 536-node cluster are hundreds of MB, never held as one String
            imp = nodes.equals("-") ? imp.withKubectlNodes(io.in, source(nodes))
                    : imp.withKubectlNodes(Path.of(nodes), source(nodes));
        }
        if (services != null) {
            imp = imp.withKubectlServices(io.read(services, "kubectl get svc -A -o json output"), source(services));
        }
        if (pods != null) {
            imp = imp.withKubectlPods(io.read(pods, "kubectl get pods -A -o json output"), source(pods));
        }
        if (flannelCm != null) {
            imp = imp.withFlannelConfigMap(io.read(flannelCm, "kube-flannel ConfigMap"), source(flannelCm));
        }
        if (kubeProxyCm != null) {
            imp = imp.withKubeProxyConfigMap(io.read(kubeProxyCm, "kube-proxy ConfigMap"), source(kubeProxyCm));
        }
        for (Map.Entry<String, String> e : subnetEnv.entrySet()) {
            imp = imp.withSubnetEnv(e.getKey(), io.read(e.getValue(), "subnet.env"), source(e.getValue()));
        }
        for (Map.Entry<String, String> e : iptables.entrySet()) {
            imp = imp.withIptablesSave(e.getKey(), io.read(e.getValue(), "iptables-save output"), source(e.getValue()));
        }
        for (Map.Entry<String, String> e : ip6tables.entrySet()) {
            imp = imp.withIp6tablesSave(e.getKey(), io.read(e.getValue(), "ip6tables-save output"),
                    source(e.getValue()));
        }
        for (Map.Entry<String, String> e : nftRuleset.entrySet()) {
            imp = imp.withNftRuleset(e.getKey(), io.read(e.getValue(), "nft list ruleset output"), source(e.getValue()));
        }
        imp = recordRuleFiles(imp);
        for (Map.Entry<String, String> e : ipRoute.entrySet()) {
            imp = imp.withIpRoute(e.getKey(), io.read(e.getValue(), "ip route output"), source(e.getValue()));
        }
        if (netConf != null) {
            imp = imp.withNetConf(io.read(netConf, "net-conf.json"), source(netConf));
        }
        if (k3sConfig != null) {
            imp = imp.withK3sConfig(io.read(k3sConfig, "k3s config.yaml"), source(k3sConfig));
        }
        if (kubeadmConfig != null) {
            imp = imp.withKubeadmConfig(io.read(kubeadmConfig, "kubeadm configuration"), source(kubeadmConfig));
        }
        if (serviceCidrs != null) {
            imp = imp.withServiceCidrs(io.read(serviceCidrs, "kubectl get servicecidrs -o json output"),
                    source(serviceCidrs));
        }
        if (lbPools != null) {
            imp = imp.withLoadBalancerPools(io.read(lbPools, "kubectl get ipaddresspools.metallb.io -A -o json output"),
                    source(lbPools));
        }
        if (subnetManager != null) {
            imp = imp.withSubnetManager(switch (subnetManager) {
                case "etcd" -> SubnetManager.ETCD;
                case "kube" -> SubnetManager.KUBE;
                default -> throw new UserInputException("--subnet-manager " + subnetManager + " is not etcd or kube");
            });
        }
        for (Map.Entry<String, String> e : ip6Route.entrySet()) {
            imp = imp.withIpRoute(e.getKey(), io.read(e.getValue(), "ip -6 route output"), source(e.getValue()));
        }
        if (serviceCidr != null) {
            imp = imp.withServiceCidr(Cidr.parse(serviceCidr));
        }
        if (!kubectl && nodes == null && subnetEnv.isEmpty() && iptables.isEmpty() && ipRoute.isEmpty()
                && ip6Route.isEmpty()) {
            throw new UserInputException("nothing names a node: give --nodes (kubectl get nodes -o json), --kubectl, "
                    + "or a node's --ip-route NODE=FILE (or --ip6-route NODE=FILE)");
        }
        String yaml = imp.toScenario().toYaml();
        if (live != null) {
            for (String note : live.notes()) {
                io.err.println(Text.wrap("note: " + note, "  ").strip());
            }
        }
        for (String note : imp.notes()) {
            if (output.json()) {
                io.err.println(Json.write(Json.object().put("note", note)));
            } else {
                io.err.println(Text.wrap("note: " + note, "  ").strip());
            }
        }
        if (output.json()) {
            Object tree = new ObjectMapper(new YAMLFactory()).readTree(yaml);
            io.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree));
        } else {
            io.out.print(yaml);
        }
        io.out.flush();
        return output.strict && !imp.notes().isEmpty() ? Exit.FINDINGS : Exit.OK;
    }

    /**
     * The scenario's {@code rules} key per node: the rule files as given on the command line (stdin is not a file to
     * record), so {@code trace --rules installed} finds them beside a scenario written into the current directory.
     */
    private ScenarioImport recordRuleFiles(ScenarioImport imp) {
        java.util.Set<String> nodesWithRules = new java.util.LinkedHashSet<>(iptables.keySet());
        nodesWithRules.addAll(ip6tables.keySet());
        nodesWithRules.addAll(nftRuleset.keySet());
        ScenarioImport out = imp;
        for (String n : nodesWithRules) {
            java.util.Optional<String> a = file(iptables.get(n));
            java.util.Optional<String> b = file(ip6tables.get(n));
            java.util.Optional<String> c = file(nftRuleset.get(n));
            if (a.isPresent() || b.isPresent() || c.isPresent()) {
                out = out.withRuleFiles(n, new NodeRules(a, b, c));
            }
        }
        return out;
    }

    private static java.util.Optional<String> file(String path) {
        return path == null || path.equals("-") ? java.util.Optional.empty() : java.util.Optional.of(path);
    }

    private static String source(String file) {
        if (file.equals("-")) {
            return "stdin";
        }
        Path n = Path.of(file).getFileName();
        return n == null ? file : n.toString();
    }
}
