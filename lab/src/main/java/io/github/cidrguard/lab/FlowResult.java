package io.github.cidrguard.lab;

import java.util.List;

/**
 * One flow with both verdicts.
 *
 * @param flow the flow and the tracer's prediction
 * @param kernel what the kernel did
 * @param agree whether the kernel's verdict is the tracer's and, for an rp_filter drop, on the same node
 * @param unconfirmedRules netfilter rules the tracer names for the request that the kernel's counters did not see
 * @param note why they disagree, or empty
 */
public record FlowResult(LabFlow flow, KernelOutcome kernel, boolean agree, List<Prediction.RuleHit> unconfirmedRules,
        String note) {
    /** Copies the list. */
    public FlowResult {
        unconfirmedRules = List.copyOf(unconfirmedRules);
        note = note == null ? "" : note;
    }

    /** The kernel verdict of a flow the lab could not probe here. */
    public static final String SKIPPED = "SKIPPED";

    /**
     * A flow the lab did not probe: it neither agrees nor disagrees, and the reason is in the note and the kernel's
     * detail.
     */
    static FlowResult skipped(LabFlow flow, String reason) {
        return new FlowResult(flow, new KernelOutcome(SKIPPED, "", List.of(), List.of(), List.of(), reason), false,
                List.of(), reason);
    }

    /** @return true when the lab did not probe this flow (see {@link #note()} for why) */
    public boolean skipped() {
        return kernel.verdict().equals(SKIPPED);
    }

    /**
     * @return true when the kernel's verdict was checked against a prediction (the tracer's or an expectation's); a
     *     flow nobody predicts (the tracer does not model it and no expectation names it) is only reported
     */
    public boolean checked() {
        return !skipped() && flow.prediction().source() != Prediction.Source.NONE;
    }

    /** Compares a kernel outcome with the flow's prediction. */
    static FlowResult compare(LabFlow flow, KernelOutcome kernel) {
        Prediction p = flow.prediction();
        if (p.source() == Prediction.Source.NONE) {
            return new FlowResult(flow, kernel, false, List.of(), p.explanation() + "; no expectation names this flow"
                    + " (add it to the scenario's .expect.yml): the kernel's verdict is not checked");
        }
        StringBuilder note = new StringBuilder();
        boolean agree = p.verdict().equals(kernel.verdict());
        if (!agree) {
            note.append(p.source() == Prediction.Source.TRACER ? "tracer says " : "expected ").append(p.verdict()).append(", kernel ").append(kernel.verdict()).append("; ");
        }
        if (agree && p.reason().equals("RP_FILTER") && !p.node().isEmpty()
                && !kernel.rpFilterDrops().contains(p.node())) {
            agree = false;
            note.append("tracer drops by rp_filter on ").append(p.node()).append(", kernel's rp_filter drops: ")
                    .append(kernel.rpFilterDrops().isEmpty() ? "none" : String.join(", ", kernel.rpFilterDrops()))
                    .append("; ");
        }
        if (p.source() == Prediction.Source.TRACER && !p.expected().isEmpty()
                && !p.expected().equals(kernel.verdict())) {
            agree = false;
            note.append("the expectation file says ").append(p.expected()).append(", kernel ")
                    .append(kernel.verdict()).append("; ");
        }
        List<Prediction.RuleHit> unconfirmed = p.rules().stream().filter(r -> !kernel.rules().contains(r)).toList();
        return new FlowResult(flow, kernel, agree, unconfirmed, note.toString().replaceAll("; $", ""));
    }
}
