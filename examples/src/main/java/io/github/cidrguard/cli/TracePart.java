package io.github.cidrguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cidrguard.kube.Scenario;

/**
 * The demo's trace: pod default/jenkins on node-71 to node-72's address.
 *
 * <p>TODO(trace): the tracer ({@code io.github.cidrguard.trace.Tracer.of(Scenario)}) is not on main yet; until it is,
 * the demo says so here. Once it lands this prints the failing trace and the rule that drops the packet.
 */
final class TracePart {
    static final String FROM = "pod:default/jenkins";
    static final String TO = "10.252.158.72";

    private TracePart() {
    }

    static void print(Scenario s, Io io) {
        io.out.println("  " + io.dim("[trace pending: the packet tracer (io.github.cidrguard.trace) is not merged yet]"));
    }

    static JsonNode json(Scenario s, ObjectMapper json) {
        return json.nullNode();
    }
}
