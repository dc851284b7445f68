package io.github.cidrguard.lab;

import io.github.cidrguard.kube.RpFilter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run the lab on a scenario.
 *
 * @param flows the flows to probe; empty: a default set (pods to pods, nodes and services; nodes to nodes and
 *              services; everyone to one host of each declared network)
 * @param rpFilter overrides every node's rp_filter, e.g. to rerun the story loose or off
 * @param maxFlows the most flows probed (the default set is cut at this count)
 */
public record LabOptions(List<FlowRequest> flows, Optional<RpFilter> rpFilter, int maxFlows) {
    /** Copies the list. */
    public LabOptions {
        flows = List.copyOf(flows);
        Objects.requireNonNull(rpFilter, "rpFilter");
        if (maxFlows < 1) {
            throw new IllegalArgumentException("maxFlows must be at least 1");
        }
    }

    /** @return the default set of flows, the scenario's rp_filter, at most 60 flows */
    public static LabOptions defaults() {
        return new LabOptions(List.of(), Optional.empty(), 60);
    }

    /** @return a copy probing exactly these flows */
    public LabOptions withFlows(List<FlowRequest> newFlows) {
        return new LabOptions(newFlows, rpFilter, Math.max(maxFlows, newFlows.size()));
    }

    /** @return a copy with every node's rp_filter set to {@code mode} */
    public LabOptions withRpFilter(RpFilter mode) {
        return new LabOptions(flows, Optional.of(mode), maxFlows);
    }

    /**
     * One flow in the tracer's endpoint syntax.
     *
     * @param from {@code pod:<ns/name>}, {@code pod:<ip>} or {@code node:<name>}
     * @param to {@code pod:…}, {@code node:…}, {@code svc:<ns/name>:<port>/<proto>}, {@code host:<ip>} or an IP
     * @param port {@code <port>/TCP}, or null for ICMP (ignored for {@code svc:})
     */
    public record FlowRequest(String from, String to, String port) {
        /** Checks for missing values. */
        public FlowRequest {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        /** @return {@code from -> to [port]} */
        public String label() {
            return from + " -> " + to + (port == null ? "" : " " + port);
        }
    }
}
