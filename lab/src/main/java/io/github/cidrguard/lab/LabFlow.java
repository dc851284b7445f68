package io.github.cidrguard.lab;

import java.util.Objects;
import java.util.Set;

/**
 * One flow to probe.
 *
 * @param label how the report names it, e.g. {@code pod default/busybox -> node node-72}
 * @param from the sender: {@code pod:<name>} or {@code node:<name>}
 * @param to destination address, IPv4 or IPv6 (the flow's family)
 * @param port TCP port, or null for ICMP echo
 * @param owners the namespaces ({@code pod:<name>}/{@code node:<name>}) whose answer counts as delivery; an answer
 *               from anyone else is HIJACKED
 * @param prediction the tracer's verdict for this flow
 */
public record LabFlow(String label, String from, String to, Integer port, Set<String> owners, Prediction prediction) {
    /** Copies the set and checks for missing values. */
    public LabFlow {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        owners = Set.copyOf(owners);
        Objects.requireNonNull(prediction, "prediction");
    }

    /** @return true for an IPv6 flow (ping -6, TCP6) */
    public boolean ipv6() {
        return to.indexOf(':') >= 0;
    }

    /** @return {@code ICMP} or {@code TCP} */
    public String protocol() {
        return port == null ? "ICMP" : "TCP";
    }
}
