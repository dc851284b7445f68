package io.github.cidrguard.cli;

import io.github.cidrguard.kube.Flannel;
import io.github.cidrguard.kube.Kubernetes;
import io.github.cidrguard.kube.Lease;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Pod;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.Service;
import io.github.cidrguard.net.AddressSet;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.trace.Reachability;
import io.github.cidrguard.trace.Tracer;
import io.github.cidrguard.trace.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cidrguard reach SCENARIO [--from X]}: exhaustive reachability. */
@Command(name = "reach", mixinStandardHelpOptions = true,
        description = {"Exhaustive reachability: for every source class (the pods of each node, each node, each "
                + "declared network) the address space is cut where any modelled range begins or ends, one trace "
                + "decides each piece, and every destination range that is not delivered is listed with its verdict "
                + "and reason. Not sampled."},
        footer = {"", "Exit codes: 0 nothing is dropped, rejected or hijacked, and no pod or node lacks a route to "
                + "something assigned (a node, pod, lease, ClusterIP or declared network; NO_ROUTE to unassigned "
                + "space is normal), 1 some range is, 2 bad input.", "", "Examples:",
                "  cidrguard reach examples/scenarios/seed.yaml",
                "  cidrguard reach seed.yaml --from pod:default/jenkins --format json"})
final class ReachCommand implements Callable<Integer> {
    private final Io io;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "The scenario file (YAML or JSON), or - for stdin.")
    String scenario;

    @Option(names = "--from", paramLabel = "X",
            description = "Only this source's class: pod:… (the pods of its node), node:…, host:… (its network).")
    String from;

    @Option(names = "--limit", paramLabel = "N",
            description = "Show at most N groups of sources (text only; the summary line says how many were left "
                    + "out, and --format json always lists every source).")
    Integer limit;

    @Option(names = "--legacy-flannel-rules",
            description = "Model flannel v0.19 and older: masquerade rules directly in POSTROUTING.")
    boolean legacy;

    ReachCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        if (limit != null && limit < 0) {
            throw new UserInputException("--limit " + limit + ": give 0 or more groups to show");
        }
        Scenario sc = Scenarios.load(io, scenario);
        Tracer tracer = Tracer.of(sc, legacy);
        io.progress("cidrguard reach: tracing every address range…");
        Reachability r = from == null ? tracer.reach() : tracer.reach(from);
        io.progressDone();
        if (output.json()) {
            io.out.println(r.toJson());
        } else {
            print(r);
        }
        return broken(r, assigned(sc)) ? Exit.FINDINGS : Exit.OK;
    }

    /**
     * Some range is dropped, rejected or hijacked, or a pod or node has no route to addresses someone holds (a pod
     * whose lease overlaps the LAN cannot reach the other nodes: NO_ROUTE). NO_ROUTE into space nobody was given is
     * normal, as is a declared network without a route into the pod network.
     */
    static boolean broken(Reachability r, AddressSet assigned) {
        return r.sources().stream().anyMatch(s -> s.failures().stream().anyMatch(f -> f.verdict() != Verdict.NO_ROUTE
                || s.inCluster() && assigned.overlaps(f.range())));
    }

    /** Every address the scenario gives to someone: nodes, pods, leases and podCidrs, ClusterIPs, declared networks. */
    static AddressSet assigned(Scenario s) {
        List<Cidr> c = new ArrayList<>();
        for (Node n : s.nodes()) {
            n.ips().forEach(ip -> c.add(Cidr.of(ip)));
            c.addAll(n.podCidrs());
        }
        for (Pod p : s.pods()) {
            c.add(Cidr.of(p.ip()));
        }
        for (Lease l : s.flannel().map(Flannel::leases).orElse(List.of())) {
            c.add(l.subnetKey().subnet());
        }
        for (Service svc : s.kubernetes().map(Kubernetes::services).orElse(List.of())) {
            svc.clusterIps().forEach(ip -> c.add(Cidr.of(ip)));
        }
        s.networks().forEach(n -> c.add(n.cidr()));
        return AddressSet.ofCidrs(c);
    }

    /**
     * One block per group of sources with identical failures (a lone source reads as it always has), at most
     * {@code --limit} of them, then what was covered per family, then the summary line.
     */
    private void print(Reachability r) {
        List<Reachability.Group> groups = r.groups();
        int shown = limit == null ? groups.size() : Math.min(limit, groups.size());
        for (int g = 0; g < shown; g++) {
            Reachability.Group group = groups.get(g);
            if (g > 0) {
                io.out.println();
            }
            List<Reachability.Failure> failures = group.failures();
            String from = group.members().get(0).representative();
            String about = group.members().size() == 1 ? " (traced from " + from + ")"
                    : " (" + Text.grouped(group.members().size()) + " sources, traced from " + from
                    + " …)";
            io.out.println(io.bold(group.name()) + io.dim(about) + ": " + (failures.isEmpty()
                    ? io.green("reaches everything")
                    : io.red(Text.plural(failures.size(), "range", "ranges") + " not delivered")));
            int w = failures.stream().mapToInt(f -> f.text().length()).max().orElse(0);
            for (Reachability.Failure f : failures) {
                io.out.println("  " + Text.pad(f.text(), w) + "  " + Text.pad(f.verdict().name(), 9) + "  "
                        + f.reason().name());
            }
        }
        if (shown > 0) {
            io.out.println();
        }
        if (!r.coverage().isEmpty()) {
            // per family, so that a family the plan has no address of is named, never skipped silently
            io.out.println("covered: " + r.coverageText());
        }
        io.out.println(summary(r.summary(), groups.size() - shown));
    }

    /** e.g. {@code 32 772 sources in 3 groups: 98 316 failing flows (NO_ROUTE 98 316); 1 group not shown (--limit 2)}. */
    private String summary(Reachability.Summary s, int left) {
        StringBuilder b = new StringBuilder()
                .append(Text.grouped(s.sources())).append(s.sources() == 1 ? " source in " : " sources in ")
                .append(Text.grouped(s.groups())).append(s.groups() == 1 ? " group: " : " groups: ")
                .append(Text.grouped(s.failingFlows()))
                .append(s.failingFlows() == 1 ? " failing flow" : " failing flows");
        if (!s.byVerdict().isEmpty()) {
            List<String> parts = new ArrayList<>();
            s.byVerdict().forEach((v, n) -> parts.add(v.name() + " " + Text.grouped(n)));
            b.append(" (").append(String.join(", ", parts)).append(')');
        }
        if (left > 0) {
            b.append("; ").append(Text.grouped(left)).append(left == 1 ? " group" : " groups")
                    .append(" not shown (--limit ").append(limit).append("; --format json lists every source)");
        }
        return b.toString();
    }
}
