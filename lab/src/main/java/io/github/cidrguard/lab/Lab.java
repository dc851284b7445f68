package io.github.cidrguard.lab;

import io.github.cidrguard.kube.RpFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel lab's entry point: builds a lab, probes every flow, tears the lab down, and reports both verdicts.
 *
 * <p>Needs Linux, root and the tools in {@code iproute2}, {@code iptables}, {@code iputils-ping} and {@code socat}.
 * Before building, namespaces left by earlier labs of dead JVMs are removed.
 */
public final class Lab {
    private Lab() {
    }

    /**
     * Builds {@code spec}, probes {@code flows} one after the other, and removes the lab again.
     *
     * @param spec what to build
     * @param flows what to probe, each with the tracer's prediction
     * @return both verdicts per flow
     * @throws LabException when this machine cannot run the lab or a command fails
     */
    public static LabReport run(LabSpec spec, List<LabFlow> flows) {
        return run(spec, flows, List.of());
    }

    /**
     * Builds a scenario in namespaces with the netfilter rules {@link io.github.cidrguard.trace.Tracer} renders for
     * each node, probes the flows of {@code options}, and compares each outcome with the tracer's trace.
     *
     * @param scenario the cluster
     * @param options which flows, and an rp_filter override
     * @return both verdicts per flow
     * @throws LabException when this machine cannot run the lab or a command fails
     * @throws IllegalArgumentException when a flow names something the scenario does not have
     */
    public static LabReport run(io.github.cidrguard.kube.Scenario scenario, LabOptions options) {
        Preflight.check();
        io.github.cidrguard.kube.Scenario s = options.rpFilter().map(mode -> withRpFilter(scenario, mode))
                .orElse(scenario);
        return run(s, options, new TracerOracle(s));
    }

    /**
     * Loads a scenario file and runs it as {@link #run(io.github.cidrguard.kube.Scenario, LabOptions)}, with the
     * expected kernel verdicts of {@code <scenario>.expect.yml} beside it (if there is one and {@code options} has
     * none) for the flows the tracer does not model.
     *
     * @param scenarioFile the scenario
     * @param options which flows, and an rp_filter override
     * @return both verdicts per flow
     * @throws LabException when this machine cannot run the lab or a command fails
     * @throws IllegalArgumentException when the scenario, its expectations or a flow is bad input
     */
    public static LabReport run(java.nio.file.Path scenarioFile, LabOptions options) {
        LabOptions o = options;
        if (options.expectations().labels().isEmpty()) {
            o = LabExpectations.besides(scenarioFile).map(LabExpectations::load).map(options::withExpectations)
                    .orElse(options);
        }
        return run(io.github.cidrguard.kube.Scenario.load(scenarioFile), o);
    }

    /** The tracer must see the same rp_filter as the kernel: an override rewrites the scenario's nodes. */
    private static io.github.cidrguard.kube.Scenario withRpFilter(io.github.cidrguard.kube.Scenario s,
            RpFilter mode) {
        io.github.cidrguard.kube.RpFilter rp = mode;
        return s.withNodes(s.nodes().stream().map(n -> n.withRpFilter(rp)).toList());
    }

    /** Builds a scenario with {@code oracle}'s rules and compares the kernel with its predictions. */
    static LabReport run(io.github.cidrguard.kube.Scenario scenario, LabOptions options, Oracle oracle) {
        ScenarioLab lab = ScenarioLab.of(scenario, oracle, options);
        return run(lab.spec, lab.flows, lab.notes, lab.skipped);
    }

    private static LabReport run(LabSpec spec, List<LabFlow> flows, List<String> notes) {
        return run(spec, flows, notes, java.util.Map.of());
    }

    private static LabReport run(LabSpec spec, List<LabFlow> flows, List<String> notes,
            java.util.Map<String, String> skipped) {
        Preflight.check();
        Namespaces.sweepStale();
        List<FlowResult> results = new ArrayList<>();
        try (LabNetwork net = LabNetwork.build(spec)) {
            Prober prober = new Prober(net);
            for (LabFlow f : flows) {
                String why = skipped.get(f.label());
                results.add(why != null ? FlowResult.skipped(f, why) : FlowResult.compare(f, prober.probe(f)));
            }
        }
        List<String> all = new ArrayList<>(notes);
        if (!Preflight.brNetfilter()) {
            all.add("br_netfilter is not loaded (modprobe br_netfilter): frames bridged between two pods of a node "
                    + "bypass iptables here, unlike on a kube-proxy node");
        }
        return new LabReport(spec.name(), spec.backend().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                results, all);
    }
}
