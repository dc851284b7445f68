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

    @Override
    public String nftables(String node) {
        try {
            return nftRuleset(tracer.rules(node));
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /**
     * The {@code table … { … }} blocks of a render, which is what {@code nft -f} reads, each table deleted first
     * (nft's {@code table x; delete table x} idiom, as kube-proxy does) so that a load replaces it. Named chain
     * priorities are written as the numbers they stand for (nft(8): raw -300, mangle -150, dstnat -100, filter 0,
     * security 50, srcnat 100): nft 1.0.6 accepts the names only on the hooks its manual lists ({@code dstnat} on
     * prerouting, {@code srcnat} on postrouting), and kube-proxy (knftables) writes {@code dstnat} on the output hook
     * too. The number is what the kernel stores either way.
     */
    static String nftRuleset(String render) {
        StringBuilder sb = new StringBuilder();
        boolean in = false;
        for (String line : render.split("\n")) {
            if (!in && line.startsWith("table ") && line.endsWith("{")) {
                in = true;
                String head = line.substring(0, line.length() - 1).strip();
                sb.append(head).append('\n').append("delete ").append(head).append('\n');
            }
            if (in) {
                sb.append(numericPriority(line)).append('\n');
            }
            if (in && line.equals("}")) {
                in = false;
            }
        }
        return sb.toString();
    }

    private static final java.util.regex.Pattern PRIORITY = java.util.regex.Pattern.compile(
            "priority (raw|mangle|dstnat|filter|security|srcnat)(?: ([+-]) (\\d+))?;");

    static String numericPriority(String line) {
        java.util.regex.Matcher m = PRIORITY.matcher(line);
        if (!m.find()) {
            return line;
        }
        int base = switch (m.group(1)) {
            case "raw" -> -300;
            case "mangle" -> -150;
            case "dstnat" -> -100;
            case "filter" -> 0;
            case "security" -> 50;
            default -> 100;
        };
        int off = m.group(2) == null ? 0 : Integer.parseInt(m.group(3)) * (m.group(2).equals("-") ? -1 : 1);
        return line.substring(0, m.start()) + "priority " + (base + off) + ";" + line.substring(m.end());
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
