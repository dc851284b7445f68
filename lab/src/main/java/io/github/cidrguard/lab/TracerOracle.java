package io.github.cidrguard.lab;

import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.trace.Hop;
import io.github.cidrguard.trace.Trace;
import io.github.cidrguard.trace.Tracer;
import java.util.ArrayList;
import java.util.List;

/** The real oracle: {@link Tracer#rules(String)} for what to load, {@link Tracer#trace} for what to expect. */
final class TracerOracle implements Oracle {
    private final Tracer tracer;

    TracerOracle(Scenario scenario) {
        this.tracer = Tracer.of(scenario);
    }

    @Override
    public String rules(String node) {
        String all;
        try {
            all = tracer.rules(node);
        } catch (IllegalArgumentException e) {
            return ""; // a lease-only node the tracer does not model as a node: nothing to load
        }
        return iptablesSave(all);
    }

    /** The {@code *table … COMMIT} blocks of a render, which is what iptables-restore reads. */
    static String iptablesSave(String render) {
        StringBuilder sb = new StringBuilder();
        boolean in = false;
        for (String line : render.split("\n")) {
            if (line.startsWith("*")) {
                in = true;
            }
            if (in) {
                sb.append(line).append('\n');
            }
            if (line.equals("COMMIT")) {
                in = false;
            }
        }
        return sb.toString();
    }

    @Override
    public Prediction predict(String from, String to, String port) {
        Trace t = tracer.trace(from, to, port);
        String reason = t.reason().map(Enum::name).orElse("");
        List<Hop> hops = new ArrayList<>(t.request());
        hops.addAll(t.reply());
        String node = "";
        if (!t.verdict().name().equals("DELIVERED") && !hops.isEmpty()) {
            node = hops.get(hops.size() - 1).node();
            for (Hop h : hops) {
                if (reason.equals("RP_FILTER") && h.stage().contains("rp_filter") && isDrop(h.action())) {
                    node = h.node();
                }
            }
        }
        List<Prediction.RuleHit> rules = new ArrayList<>();
        for (Hop h : hops) {
            if (h.rule() != null && h.rule().startsWith("-A ")) {
                Prediction.RuleHit r = new Prediction.RuleHit(h.node(), h.rule());
                if (!rules.contains(r)) {
                    rules.add(r);
                }
            }
        }
        return new Prediction(t.verdict().name(), reason, node, rules, t.explanation());
    }

    private static boolean isDrop(String action) {
        return action != null && action.toUpperCase(java.util.Locale.ROOT).contains("DROP");
    }
}
