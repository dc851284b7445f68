package io.github.cidrguard.examples;

import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.trace.Hop;
import io.github.cidrguard.trace.Trace;
import io.github.cidrguard.trace.Tracer;

import java.nio.file.Path;

/** Trace the story's packet (pod on node-71 to node-72) through the seed scenario, hop by hop. */
public final class TracePacket {
    private TracePacket() {
    }

    /** Returns the trace. */
    public static Trace run(Path seedScenario) {
        Trace t = Tracer.of(Scenario.load(seedScenario)).trace("pod:10.252.100.5", "10.252.158.72", null);
        System.out.println(t.verdict() + " " + t.reason().map(Enum::name).orElse("") + ": " + t.explanation());
        for (Hop h : t.request()) {
            System.out.println("  " + h.node() + " " + h.stage() + " " + h.action() + "  " + h.rule());
        }
        return t;
    }

    public static void main(String[] args) {
        run(Path.of(args.length > 0 ? args[0] : "examples/scenarios/seed.yaml"));
    }
}
