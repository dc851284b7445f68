package io.github.cidrguard.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.Service;
import io.github.cidrguard.trace.Hop;
import io.github.cidrguard.trace.Trace;
import io.github.cidrguard.trace.Tracer;

import java.util.Optional;

/** The demo's trace: the jenkins pod on node-71 pings node-72's address, the packet of docs/architecture.md ("The story"). */
final class TracePart {
    static final String TO = "10.252.158.72";

    private TracePart() {
    }

    /** {@code pod:<ip>} of the jenkins endpoint (it moves with the re-plan). */
    static String from(Scenario s) {
        return s.kubernetes().flatMap(k -> k.services().stream().filter(x -> x.name().equals("default/jenkins"))
                        .findFirst()).map(Service::endpoints).filter(e -> !e.isEmpty())
                .map(e -> "pod:" + e.get(0).ip()).orElse("pod:10.252.100.5");
    }

    static Trace trace(Scenario s) {
        return Tracer.of(s).trace(from(s), TO, null);
    }

    static void print(Scenario s, Io io) {
        Trace t = trace(s);
        io.out.println("  " + TraceView.verdict(t, io) + "  " + t.from() + " -> " + t.to());
        Optional<Hop> skipped = TraceView.skippedNat(t);
        Optional<Hop> last = TraceView.last(t);
        if (t.reason().isPresent()) {
            skipped.ifPresent(h -> {
                io.out.println("  " + h.node() + " skips NAT, the packet leaves with the pod's source:");
                io.out.println("    " + io.cyan(h.rule()));
            });
            last.ifPresent(h -> {
                io.out.println("  " + h.node() + " " + h.stage() + " " + io.red(h.action()) + ":");
                io.out.println("    " + io.cyan(h.rule()));
            });
        } else {
            t.request().stream().filter(h -> h.action().equals("MASQUERADE")).findFirst().ifPresent(h ->
                    io.out.println("  " + h.node() + " masquerades it to " + h.packet() + ": " + io.cyan(h.rule())));
        }
    }

    static JsonNode json(Scenario s, ObjectMapper json) {
        try {
            return json.readTree(trace(s).toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the tracer wrote JSON that does not parse", e);
        }
    }
}
