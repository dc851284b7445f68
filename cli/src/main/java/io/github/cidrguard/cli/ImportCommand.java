package io.github.cidrguard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.cidrguard.ingest.ScenarioImport;
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
                + "kube-flannel and kube-proxy ConfigMaps, and per node subnet.env, iptables-save and ip route. "
                + "Prints the scenario (YAML, or JSON with --format json); notes on what was inferred go to stderr.",
                "Any file may be - for stdin (once)."},
        footer = {"", "Exit codes: 0 imported, 2 unreadable input.", "", "Examples:",
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

    @Option(names = "--ip-route", paramLabel = "NODE=FILE", description = "A node's ip route output.")
    Map<String, String> ipRoute = new LinkedHashMap<>();

    @Option(names = "--ip6-route", paramLabel = "NODE=FILE",
            description = "A node's ip -6 route output (best: ip -6 route show table all, which holds the node's "
                    + "own IPv6 address); merged with its --ip-route for a dual-stack node.")
    Map<String, String> ip6Route = new LinkedHashMap<>();

    @Option(names = "--service-cidr", paramLabel = "CIDR",
            description = "kube-apiserver's --service-cluster-ip-range, which no output above shows.")
    String serviceCidr;

    ImportCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        ScenarioImport imp = ScenarioImport.named(name);
        if (nodes != null) {
            imp = imp.withKubectlNodes(io.read(nodes, "kubectl get nodes -o json output"), source(nodes));
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
        for (Map.Entry<String, String> e : ipRoute.entrySet()) {
            imp = imp.withIpRoute(e.getKey(), io.read(e.getValue(), "ip route output"), source(e.getValue()));
        }
        for (Map.Entry<String, String> e : ip6Route.entrySet()) {
            imp = imp.withIpRoute(e.getKey(), io.read(e.getValue(), "ip -6 route output"), source(e.getValue()));
        }
        if (serviceCidr != null) {
            imp = imp.withServiceCidr(Cidr.parse(serviceCidr));
        }
        if (nodes == null && subnetEnv.isEmpty() && iptables.isEmpty() && ipRoute.isEmpty() && ip6Route.isEmpty()) {
            throw new UserInputException("nothing names a node: give --nodes (kubectl get nodes -o json) or a node's "
                    + "--ip-route NODE=FILE (or --ip6-route NODE=FILE)");
        }
        String yaml = imp.toScenario().toYaml();
        for (String note : imp.notes()) {
            io.err.println(Text.wrap("note: " + note, "  ").strip());
        }
        if (output.json()) {
            Object tree = new ObjectMapper(new YAMLFactory()).readTree(yaml);
            io.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree));
        } else {
            io.out.print(yaml);
        }
        io.out.flush();
        return Exit.OK;
    }

    private static String source(String file) {
        if (file.equals("-")) {
            return "stdin";
        }
        Path n = Path.of(file).getFileName();
        return n == null ? file : n.toString();
    }
}
