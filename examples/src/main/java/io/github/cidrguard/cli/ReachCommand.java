package io.github.cidrguard.cli;

import io.github.cidrguard.trace.Reachability;
import io.github.cidrguard.trace.Tracer;
import io.github.cidrguard.trace.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code cidrguard reach SCENARIO [--from X]}: exhaustive reachability. */
@Command(name = "reach", mixinStandardHelpOptions = true,
        description = {"Exhaustive reachability: for every source class (the pods of each node, each node, each "
                + "declared network) the address space is cut where any modelled range begins or ends, one trace "
                + "decides each piece, and every destination range that is not delivered is listed with its verdict "
                + "and reason. Not sampled."},
        footer = {"", "Exit codes: 0 nothing is dropped, rejected or hijacked (NO_ROUTE to unassigned space is normal), "
                + "1 some range is, 2 bad input.", "", "Examples:",
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

    @Option(names = "--legacy-flannel-rules",
            description = "Model flannel v0.19 and older: masquerade rules directly in POSTROUTING.")
    boolean legacy;

    ReachCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        Tracer tracer = Tracer.of(Scenarios.load(io, scenario), legacy);
        io.progress("cidrguard reach: tracing every address range…");
        Reachability r = from == null ? tracer.reach() : tracer.reach(from);
        io.progressDone();
        if (output.json()) {
            io.out.println(r.toJson());
        } else {
            print(r);
        }
        return broken(r) ? Exit.FINDINGS : Exit.OK;
    }

    /** Some range is dropped, rejected or hijacked; NO_ROUTE alone is unassigned space, which is normal. */
    static boolean broken(Reachability r) {
        return r.sources().stream().flatMap(s -> s.failures().stream())
                .anyMatch(f -> f.verdict() != Verdict.NO_ROUTE);
    }

    private void print(Reachability r) {
        boolean first = true;
        for (Reachability.Source s : r.sources()) {
            if (!first) {
                io.out.println();
            }
            first = false;
            io.out.println(io.bold(s.name()) + io.dim(" (traced from " + s.representative() + ")") + ": "
                    + (s.failures().isEmpty() ? io.green("reaches everything") : io.red(Text.plural(
                    s.failures().size(), "range", "ranges") + " not delivered")));
            int w = s.failures().stream().mapToInt(f -> f.text().length()).max().orElse(0);
            for (Reachability.Failure f : s.failures()) {
                io.out.println("  " + Text.pad(f.text(), w) + "  " + Text.pad(f.verdict().name(), 9) + "  "
                        + f.reason().name());
            }
        }
    }
}
