package io.github.cidrguard.lab;

import java.util.List;

/**
 * What the kernel did with one probe.
 *
 * @param verdict DELIVERED, DROPPED, REJECTED, HIJACKED or NO_ROUTE, in the tracer's vocabulary
 * @param answeredBy the namespace that answered ({@code pod:<name>}/{@code node:<name>}), or empty
 * @param rpFilterDrops nodes whose {@code TcpExtIPReversePathFilter} counter rose during the probe
 * @param dropCounters other drop counters that rose during the probe, e.g. {@code node:node-72 Ip.OutNoRoutes +1}
 * @param rules the netfilter rules whose packet counters rose during the probe, per node
 * @param detail the probe command's own words (ping summary, socat error)
 */
public record KernelOutcome(String verdict, String answeredBy, List<String> rpFilterDrops,
        List<String> dropCounters, List<Prediction.RuleHit> rules, String detail) {
    /** Copies the lists. */
    public KernelOutcome {
        answeredBy = answeredBy == null ? "" : answeredBy;
        rpFilterDrops = List.copyOf(rpFilterDrops);
        dropCounters = List.copyOf(dropCounters);
        rules = List.copyOf(rules);
        detail = detail == null ? "" : detail;
    }
}
