package io.github.cidrguard.lab;

import io.github.cidrguard.kube.RpFilter;
import io.github.cidrguard.net.IpFamily;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run the lab on a scenario.
 *
 * @param flows the flows to probe; empty: a default set (pods to pods, nodes and services; nodes to nodes and
 *              services; everyone to one host of each declared network)
 * @param rpFilter overrides every node's rp_filter, e.g. to rerun the story loose or off
 * @param maxFlows the most flows probed (the default set is cut at this count)
 * @param expectations the kernel verdict expected per flow label for flows the tracer does not model (IPv6 until it
 *                     does), as {@link LabExpectations#load} reads them; empty: none
 */
public record LabOptions(List<FlowRequest> flows, Optional<RpFilter> rpFilter, int maxFlows,
        LabExpectations expectations) {
    /** Copies the list. */
    public LabOptions {
        flows = List.copyOf(flows);
        Objects.requireNonNull(expectations, "expectations");
        Objects.requireNonNull(rpFilter, "rpFilter");
        if (maxFlows < 1) {
            throw new IllegalArgumentException("maxFlows must be at least 1");
        }
    }

    /** Options without expectations. */
    public LabOptions(List<FlowRequest> flows, Optional<RpFilter> rpFilter, int maxFlows) {
        this(flows, rpFilter, maxFlows, LabExpectations.none());
    }

    /** @return the default set of flows, the scenario's rp_filter, at most 60 flows */
    public static LabOptions defaults() {
        return new LabOptions(List.of(), Optional.empty(), 60);
    }

    /** @return a copy probing exactly these flows */
    public LabOptions withFlows(List<FlowRequest> newFlows) {
        return new LabOptions(newFlows, rpFilter, Math.max(maxFlows, newFlows.size()), expectations);
    }

    /** @return a copy with every node's rp_filter set to {@code mode} */
    public LabOptions withRpFilter(RpFilter mode) {
        return new LabOptions(flows, Optional.of(mode), maxFlows, expectations);
    }

    /** @return a copy checking flows the tracer does not model against these expected kernel verdicts */
    public LabOptions withExpectations(LabExpectations newExpectations) {
        return new LabOptions(flows, rpFilter, maxFlows, newExpectations);
    }

    /**
     * One flow in the tracer's endpoint syntax.
     *
     * @param from {@code pod:<ns/name>}, {@code pod:<ip>} or {@code node:<name>}
     * @param to {@code pod:…}, {@code node:…}, {@code svc:<ns/name>:<port>/<proto>}, {@code host:<ip>} or an IP
     * @param port {@code <port>/TCP}, or null for ICMP (ignored for {@code svc:})
     * @param family the address family of the probe; IPv6 when {@code to} is an IPv6 address, else IPv4 when null
     */
    public record FlowRequest(String from, String to, String port, IpFamily family) {
        /** Checks for missing values and settles the family: a bare IPv6 destination is an IPv6 flow. */
        public FlowRequest {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            String addr = to.startsWith("pod:") || to.startsWith("host:") ? to.substring(to.indexOf(':') + 1) : to;
            boolean v6Literal = !to.startsWith("svc:") && !to.startsWith("node:") && addr.indexOf(':') >= 0;
            family = family != null ? family : v6Literal ? IpFamily.IPV6 : IpFamily.IPV4;
        }

        /** An IPv4 flow, or an IPv6 one when {@code to} is an IPv6 address. */
        public FlowRequest(String from, String to, String port) {
            this(from, to, port, null);
        }

        /** @return {@code from -> to [port]}, with {@code IPv6} after an IPv6 flow */
        public String label() {
            return from + " -> " + to + (port == null ? "" : " " + port) + (family == IpFamily.IPV6 ? " IPv6" : "");
        }
    }
}
