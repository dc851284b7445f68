package io.github.cidrguard.lab;

import java.util.List;
import java.util.Objects;

/**
 * What the tracer says about one flow.
 *
 * @param verdict DELIVERED, DROPPED, REJECTED, HIJACKED or NO_ROUTE
 * @param reason the tracer's reason (e.g. RP_FILTER), or empty
 * @param node the node where the packet was dropped, rejected or hijacked (the last hop's node), or empty
 * @param rules the netfilter rules the tracer says the request and reply go through
 * @param explanation the tracer's one-line explanation
 */
public record Prediction(String verdict, String reason, String node, List<RuleHit> rules, String explanation) {
    /** Copies the list and replaces nulls by empty strings. */
    public Prediction {
        Objects.requireNonNull(verdict, "verdict");
        reason = reason == null ? "" : reason;
        node = node == null ? "" : node;
        rules = List.copyOf(rules);
        explanation = explanation == null ? "" : explanation;
    }

    /**
     * A rule a packet went through on a node, as {@code iptables-save} prints it.
     *
     * @param node node name
     * @param rule e.g. {@code -A FLANNEL-POSTRTG -s 10.252.61.0/24 -d 10.252.0.0/16 ... -j RETURN}
     */
    public record RuleHit(String node, String rule) {
    }
}
