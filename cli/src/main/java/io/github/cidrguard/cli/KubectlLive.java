package io.github.cidrguard.cli;

import io.github.cidrguard.ingest.ScenarioImport;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * {@code cidrguard import --kubectl}: runs the user's own {@code kubectl} (found on the PATH of the command's
 * environment) once per source, each call with its own deadline, and feeds the output to {@link ScenarioImport}.
 * Nodes, services and pods are required; the ConfigMaps, ServiceCIDRs and load-balancer pools are optional and
 * skipped with a note when their object or resource type does not exist. kubectl missing, refusing (unauthorised,
 * forbidden, unreachable) or not answering in time is the outside world failing: exit 3, naming the command.
 */
final class KubectlLive {
    /** One kubectl call and how its output is imported. */
    private record Source(List<String> args, boolean optional, String what,
                          BiFunction<ScenarioImport, String, ScenarioImport> add) {
    }

    private final Io io;
    private final Path kubectl;
    private final List<String> global;
    private final long timeoutSeconds;
    private final List<String> notes = new ArrayList<>();

    private KubectlLive(Io io, Path kubectl, List<String> global, long timeoutSeconds) {
        this.io = io;
        this.kubectl = kubectl;
        this.global = global;
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * Finds kubectl on the environment's PATH.
     *
     * @throws Errors.WorldException when there is none
     */
    static KubectlLive of(Io io, String context, String kubeconfig, long timeoutSeconds) {
        String path = io.env.getOrDefault("PATH", "");
        Path found = null;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, "kubectl");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                found = p;
                break;
            }
        }
        if (found == null) {
            throw new Errors.WorldException("kubectl is not on the PATH (" + (path.isEmpty() ? "empty" : path)
                    + "); install it, or give the files of kubectl get nodes/svc/pods -o json with --nodes,"
                    + " --services and --pods", null);
        }
        List<String> g = new ArrayList<>();
        if (context != null) {
            g.add("--context=" + context);
        }
        if (kubeconfig != null) {
            g.add("--kubeconfig=" + kubeconfig);
        }
        g.add("--request-timeout=" + timeoutSeconds + "s");
        return new KubectlLive(io, found, List.copyOf(g), timeoutSeconds);
    }

    /** Every source, one call each, added to the importer. */
    ScenarioImport fetch(ScenarioImport start) {
        ScenarioImport imp = start;
        List<Source> sources = List.of(
                new Source(List.of("get", "nodes", "-o", "json"), false, "nodes", (i, t) ->
                        i.withKubectlNodes(t, "kubectl get nodes")),
                new Source(List.of("get", "svc", "-A", "-o", "json"), false, "services", (i, t) ->
                        i.withKubectlServices(t, "kubectl get svc -A")),
                new Source(List.of("get", "pods", "-A", "-o", "json"), false, "pods", (i, t) ->
                        i.withKubectlPods(t, "kubectl get pods -A")),
                new Source(List.of("-n", "kube-system", "get", "cm", "kube-proxy", "-o", "json"), true,
                        "the kube-proxy ConfigMap", (i, t) -> i.withKubeProxyConfigMap(t, "kubectl get cm kube-proxy")),
                new Source(List.of("-n", "kube-system", "get", "cm", "kubeadm-config", "-o", "json"), true,
                        "kubeadm's ConfigMap", (i, t) -> i.withKubeadmConfig(t, "kubectl get cm kubeadm-config")),
                new Source(List.of("get", "servicecidrs", "-o", "json"), true, "ServiceCIDR objects", (i, t) ->
                        i.withServiceCidrs(t, "kubectl get servicecidrs")),
                new Source(List.of("get", "ipaddresspools.metallb.io", "-A", "-o", "json"), true, "MetalLB pools",
                        (i, t) -> i.withLoadBalancerPools(t, "kubectl get ipaddresspools.metallb.io")),
                new Source(List.of("get", "ciliumloadbalancerippools.cilium.io", "-o", "json"), true,
                        "Cilium LB IPAM pools", (i, t) -> i.withLoadBalancerPools(t,
                        "kubectl get ciliumloadbalancerippools.cilium.io")));
        for (Source s : sources) {
            String out = run(s.args(), s.optional(), s.what());
            if (out != null) {
                imp = s.add().apply(imp, out);
            }
        }
        // kube-flannel.yml puts its ConfigMap in kube-flannel (older manifests: kube-system); k3s has none
        String cm = run(List.of("-n", "kube-flannel", "get", "cm", "kube-flannel-cfg", "-o", "json"), true, null);
        if (cm == null) {
            cm = run(List.of("-n", "kube-system", "get", "cm", "kube-flannel-cfg", "-o", "json"), true, null);
        }
        if (cm != null) {
            imp = imp.withFlannelConfigMap(cm, "kubectl get cm kube-flannel-cfg");
        } else {
            notes.add("no kube-flannel-cfg ConfigMap in kube-flannel or kube-system (k3s and RKE2 write net-conf.json"
                    + " on each node): give it with --net-conf, or the server's config.yaml with --k3s-config");
        }
        return imp;
    }

    /** What was skipped, one sentence each. */
    List<String> notes() {
        return List.copyOf(notes);
    }

    /**
     * Runs one kubectl call within the deadline; its stdout, or null for an optional source that does not exist.
     *
     * @throws Errors.WorldException when kubectl cannot run, fails or does not answer in time
     */
    private String run(List<String> args, boolean optional, String what) {
        List<String> cmd = new ArrayList<>();
        cmd.add(kubectl.toString());
        cmd.addAll(global);
        cmd.addAll(args);
        String shown = "kubectl " + String.join(" ", args);
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("cidrguard-kubectl", ".out");
            err = Files.createTempFile("cidrguard-kubectl", ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Map<String, String> env = pb.environment();
            env.clear();
            env.putAll(io.env);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new Errors.WorldException(shown + " could not start (" + e.getMessage() + "); check that "
                        + kubectl + " is an executable kubectl", e);
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new Errors.WorldException(shown + " did not answer within " + timeoutSeconds + " s; check that"
                        + " the cluster is reachable (kubectl cluster-info), or raise --kubectl-timeout", null);
            }
            String stderr = Files.readString(err, StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                String lower = stderr.toLowerCase(Locale.ROOT);
                if (optional && (lower.contains("doesn't have a resource type") || lower.contains("notfound")
                        || lower.contains("not found"))) {
                    if (what != null) {
                        notes.add(what + " skipped: " + shown + " says " + firstLine(stderr));
                    }
                    return null;
                }
                throw new Errors.WorldException(shown + " failed (exit " + p.exitValue() + "): " + firstLine(stderr)
                        + "; check --context, --kubeconfig and your credentials (kubectl auth can-i get " + args.get(
                        args.indexOf("get") + 1) + ")", null);
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Errors.WorldException(shown + ": cannot hand its output over (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Errors.WorldException(shown + " was interrupted", e);
        } finally {
            delete(out);
            delete(err);
        }
    }

    private static String firstLine(String text) {
        if (text.isEmpty()) {
            return "no message";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    private static void delete(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a temp file left behind is harmless
            }
        }
    }
}
