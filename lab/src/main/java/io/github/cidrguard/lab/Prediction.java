package io.github.cidrguard.lab;

import java.util.List;
import java.util.Objects;

/**
 * What the tracer says about one flow, or, for a flow the tracer does not model (IPv6 before it did, an IPv6 Service
 * in kube-proxy's nftables mode), the kernel verdict the scenario's expectation file derives for it. A tracer
 * prediction may carry the expectation file's verdict too ({@code expected}): the kernel is then checked against both.
 *
 * @param verdict DELIVERED, DROPPED, REJECTED, HIJACKED or NO_ROUTE; empty when {@code source} is NONE
 * @param reason the tracer's reason (e.g. RP_FILTER), or empty
 * @param node the node where the packet was dropped, rejected or hijacked (the last hop's node), or empty
 * @param rules the netfilter rules the tracer says the request and reply go through
 * @param explanation the tracer's one-line explanation
 * @param source who predicts: the tracer, an expectation file, or nobody
 * @param expected with source TRACER, the expectation file's verdict for the flow (a second check), or empty
 */
public record Prediction(String verdict, String reason, String node, List<RuleHit> rules, String explanation,
        Source source, String expected) {
    /** What the report says in place of the tracer's verdict of a flow the tracer does not model. */
    public static final String IPV6_NOT_MODELLED = "IPv6 not modelled";

    /** Who made a prediction. */
    public enum Source {
        /** {@link io.github.cidrguard.trace.Tracer#trace}: the flow agrees or disagrees with the tracer. */
        TRACER,
        /**
         * The scenario's expectation file ({@code <scenario>.expect.yml}): the tracer does not model the flow, the
         * kernel's verdict is checked against one derived by hand; no agreement with the tracer is claimed.
         */
        EXPECTATION,
        /** Nobody: the kernel's verdict is reported and checked against nothing. */
        NONE
    }

    /** Copies the list and replaces nulls by empty strings. */
    public Prediction {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(source, "source");
        reason = reason == null ? "" : reason;
        node = node == null ? "" : node;
        rules = List.copyOf(rules);
        explanation = explanation == null ? "" : explanation;
        expected = expected == null ? "" : expected;
    }

    /** A prediction without a second check by an expectation file. */
    public Prediction(String verdict, String reason, String node, List<RuleHit> rules, String explanation,
                      Source source) {
        this(verdict, reason, node, rules, explanation, source, "");
    }

    /**
     * This prediction with an expectation file's verdict as a second check (the tracer's prediction only).
     *
     * @param verdict the expected kernel verdict, or null for none
     * @return the prediction
     */
    Prediction withExpected(String verdict) {
        return new Prediction(this.verdict, reason, node, rules, explanation, source, verdict);
    }

    /** The tracer's prediction. */
    public Prediction(String verdict, String reason, String node, List<RuleHit> rules, String explanation) {
        this(verdict, reason, node, rules, explanation, Source.TRACER);
    }

    /**
     * A flow the tracer does not model: {@code expected} is the kernel verdict derived for it, or null for none.
     *
     * @param why what the tracer lacks, e.g. {@link #IPV6_NOT_MODELLED}
     * @param expected DELIVERED, DROPPED, … from the expectation file, or null
     * @param from where the expectation comes from, e.g. {@code story-ipv6.expect.yml}
     * @return the prediction
     */
    static Prediction notModelled(String why, String expected, String from) {
        return expected == null ? new Prediction("", "", "", List.of(), "tracer: " + why, Source.NONE)
                : new Prediction(expected, "", "", List.of(), "tracer: " + why + "; kernel verdict expected by " + from,
                        Source.EXPECTATION);
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
