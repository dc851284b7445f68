package io.github.cidrguard.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The lab's answer for one scenario: every probed flow with the kernel's and the tracer's verdicts.
 *
 * @param scenario the scenario's name
 * @param backend the flannel backend that was built
 * @param results one entry per flow, in probe order
 * @param notes what the lab left out or assumed (nodes without IPv4, lease-only nodes, flows over the limit)
 */
public record LabReport(String scenario, String backend, List<FlowResult> results, List<String> notes) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Copies the list. */
    public LabReport {
        results = List.copyOf(results);
        notes = List.copyOf(notes);
    }

    /**
     * @return true when the kernel agrees with its prediction on every flow that has one (the tracer's, or for a flow
     *     the tracer does not model the expectation file's) and at least one flow was so checked: a run whose flows
     *     were all skipped (e.g. IPVS on a kernel without it) or checked against nothing proves nothing and is no
     *     success
     */
    public boolean allAgree() {
        return results.stream().allMatch(r -> r.agree() || !r.checked()) && checked(Prediction.Source.TRACER)
                + checked(Prediction.Source.EXPECTATION) > 0;
    }

    /** @return how many probed flows were checked against a prediction of this source */
    public long checked(Prediction.Source source) {
        return results.stream().filter(r -> r.checked() && r.flow().prediction().source() == source).count();
    }

    /** @return how many of those agree */
    public long agreeing(Prediction.Source source) {
        return results.stream().filter(r -> r.checked() && r.agree() && r.flow().prediction().source() == source)
                .count();
    }

    /** @return how many flows were probed (not skipped) */
    public long probed() {
        return results.stream().filter(r -> !r.skipped()).count();
    }

    /** @return the flows the lab did not probe, each with its reason in {@link FlowResult#note()} */
    public List<FlowResult> skipped() {
        return results.stream().filter(FlowResult::skipped).toList();
    }

    /** @return the result for the flow with this label */
    public FlowResult result(String label) {
        return results.stream().filter(r -> r.flow().label().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no flow " + label));
    }

    /** @return a table a person reads: one block per flow, with both verdicts and where the kernel dropped */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        long expected = checked(Prediction.Source.EXPECTATION);
        long unchecked = results.stream().filter(r -> !r.skipped() && !r.checked()).count();
        sb.append("lab ").append(scenario).append(" (").append(backend).append("): ")
                .append(agreeing(Prediction.Source.TRACER)).append('/').append(checked(Prediction.Source.TRACER))
                .append(" flows agree with the tracer")
                .append(expected == 0 ? "" : ", " + agreeing(Prediction.Source.EXPECTATION) + "/" + expected
                        + " match their expected kernel verdicts (tracer: " + Prediction.IPV6_NOT_MODELLED + ")")
                .append(unchecked == 0 ? "" : ", " + unchecked + " probed but checked against nothing")
                .append(skipped().isEmpty() ? "" : ", " + skipped().size() + " skipped")
                .append(probed() == 0 ? " (nothing probed: no verdict)" : "").append('\n');
        for (String n : notes) {
            sb.append("  note: ").append(n).append('\n');
        }
        for (FlowResult r : results) {
            LabFlow f = r.flow();
            KernelOutcome k = r.kernel();
            Prediction p = f.prediction();
            if (r.skipped()) {
                sb.append("  SKIP  ").append(f.label()).append(" [").append(f.protocol())
                        .append(f.port() == null ? "" : " " + f.port()).append(" -> ").append(f.to()).append("]\n")
                        .append("        ").append(r.note()).append('\n');
                continue;
            }
            sb.append(r.agree() ? "  ok    " : "  DIFF  ").append(f.label()).append(" [").append(f.protocol())
                    .append(f.port() == null ? "" : " " + f.port()).append(" -> ").append(f.to()).append("]\n");
            sb.append("        kernel: ").append(k.verdict());
            if (!k.answeredBy().isEmpty()) {
                sb.append(" (answered by ").append(k.answeredBy()).append(')');
            }
            if (!k.rpFilterDrops().isEmpty()) {
                sb.append(" (rp_filter drop on ").append(String.join(", ", k.rpFilterDrops())).append(')');
            }
            sb.append(" - ").append(k.detail()).append('\n');
            if (!k.dropCounters().isEmpty()) {
                sb.append("        kernel counters: ").append(String.join(", ", k.dropCounters())).append('\n');
            }
            if (p.source() != Prediction.Source.TRACER) {
                sb.append("        ").append(p.explanation());
                if (p.source() == Prediction.Source.EXPECTATION) {
                    sb.append(": ").append(p.verdict());
                }
                sb.append('\n');
            } else {
                sb.append("        tracer: ").append(p.verdict());
            }
            if (!p.reason().isEmpty()) {
                sb.append(' ').append(p.reason());
            }
            if (!p.node().isEmpty()) {
                sb.append(" on ").append(p.node());
            }
            if (p.source() == Prediction.Source.TRACER) {
                sb.append('\n');
            }
            for (Prediction.RuleHit h : k.rules()) {
                sb.append("        kernel rule hit on ").append(h.node()).append(": ").append(h.rule()).append('\n');
            }
            for (Prediction.RuleHit h : r.unconfirmedRules()) {
                sb.append("        tracer rule not hit on ").append(h.node()).append(": ").append(h.rule())
                        .append('\n');
            }
            if (!r.note().isEmpty()) {
                sb.append("        note: ").append(r.note()).append('\n');
            }
        }
        return sb.toString();
    }

    /** @return the report as JSON: {@code {"scenario", "backend", "agree", "flows": [...]}} */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("scenario", scenario);
        root.put("backend", backend);
        root.put("agree", allAgree());
        root.put("probed", probed());
        root.put("skipped", skipped().size());
        notes.forEach(root.putArray("notes")::add);
        ArrayNode flows = root.putArray("flows");
        for (FlowResult r : results) {
            LabFlow f = r.flow();
            ObjectNode o = flows.addObject();
            o.put("flow", f.label());
            o.put("from", f.from());
            o.put("to", f.to());
            o.put("protocol", f.protocol());
            o.put("family", f.ipv6() ? "IPv6" : "IPv4");
            if (f.port() != null) {
                o.put("port", f.port());
            }
            // agreement with the tracer only: a flow checked against an expectation says so under "expected"
            o.put("agree", r.agree() && f.prediction().source() == Prediction.Source.TRACER);
            if (r.skipped()) {
                o.put("skipped", true);
            }
            ObjectNode k = o.putObject("kernel");
            k.put("verdict", r.kernel().verdict());
            k.put("answeredBy", r.kernel().answeredBy());
            r.kernel().rpFilterDrops().forEach(k.putArray("rpFilterDrops")::add);
            r.kernel().dropCounters().forEach(k.putArray("dropCounters")::add);
            hits(k.putArray("rules"), r.kernel().rules());
            k.put("detail", r.kernel().detail());
            Prediction p = f.prediction();
            o.put("checkedAgainst", r.skipped() ? "nothing" : switch (p.source()) {
                case TRACER -> "tracer";
                case EXPECTATION -> "expectation";
                case NONE -> "nothing";
            });
            if (p.source() == Prediction.Source.EXPECTATION) {
                o.putObject("expected").put("verdict", p.verdict()).put("source", p.explanation())
                        .put("matches", r.agree());
            }
            if (p.source() == Prediction.Source.TRACER && !p.expected().isEmpty()) {
                // the second check of an IPv6 flow the tracer predicts: the expectation file's kernel verdict
                o.putObject("expected").put("verdict", p.expected()).put("source", "expectation file")
                        .put("matches", !r.skipped() && p.expected().equals(r.kernel().verdict()));
            }
            ObjectNode t = o.putObject("tracer");
            if (p.source() != Prediction.Source.TRACER) {
                t.put("verdict", "NOT_MODELLED");
                t.put("reason", "");
                t.put("node", "");
                t.putArray("rules");
                t.put("explanation", p.explanation());
                hits(o.putArray("unconfirmedRules"), r.unconfirmedRules());
                o.put("note", r.note());
                continue;
            }
            t.put("verdict", f.prediction().verdict());
            t.put("reason", f.prediction().reason());
            t.put("node", f.prediction().node());
            hits(t.putArray("rules"), f.prediction().rules());
            t.put("explanation", f.prediction().explanation());
            hits(o.putArray("unconfirmedRules"), r.unconfirmedRules());
            o.put("note", r.note());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void hits(ArrayNode a, List<Prediction.RuleHit> hits) {
        for (Prediction.RuleHit h : hits) {
            a.addObject().put("node", h.node()).put("rule", h.rule());
        }
    }
}
