package io.github.cidrguard.lab;

import io.github.cidrguard.kube.ProxyMode;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.net.IpFamily;
import io.github.cidrguard.trace.Hop;
import io.github.cidrguard.trace.Trace;
import io.github.cidrguard.trace.Tracer;
import java.util.ArrayList;
import java.util.List;

/**
 * The real oracle: {@link Tracer#rules(String, IpFamily)} for what to load in each family, {@link Tracer#trace} for
 * what to expect. It models IPv6 (flannel's rules and routes, kube-proxy's in iptables mode); kube-proxy's IPv6
 * nftables and IPVS rules it does not render, so the lab skips IPv6 flows to a Service in those modes.
 */
final class TracerOracle implements Oracle {
    private final Tracer tracer;
    private final boolean ipv6;
    private final boolean services6;

    TracerOracle(Scenario scenario) {
        this(scenario, true);
    }

    /**
     * @param ipv6 false to leave IPv6 to the lab's own flannel rules and the expectation file, as before the tracer
     *     modelled IPv6 (for a test whose lab carries a rule the scenario cannot state)
     */
    TracerOracle(Scenario scenario, boolean ipv6) {
        this.tracer = Tracer.of(scenario);
        this.ipv6 = ipv6;
        this.services6 = ipv6 && scenario.kubernetes().flatMap(k -> k.kubeProxy()).map(p -> p.mode())
                .map(m -> m == ProxyMode.IPTABLES).orElse(true);
    }

    /** One family's render of a node, empty for a node the tracer has no address of that family for. */
    private String render(String node, IpFamily family) {
        try {
            return tracer.rules(node, family);
        } catch (IllegalArgumentException e) {
            return ""; // a lease-only node, or one without that family: nothing to load
        }
    }

    @Override
    public String rules(String node) {
        return iptablesSave(render(node, IpFamily.IPV4));
    }

    @Override
    public String nftables(String node) {
        return nftRuleset(render(node, IpFamily.IPV4));
    }

    @Override
    public boolean modelsIpv6() {
        return ipv6;
    }

    @Override
    public boolean modelsServices6() {
        return services6;
    }

    @Override
    public String ip6tables(String node) {
        return iptablesSave(render(node, IpFamily.IPV6));
    }

    @Override
    public String nftables6(String node) {
        return nftRuleset(render(node, IpFamily.IPV6));
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
        return prediction(tracer.trace(from, to, port));
    }

    @Override
    public Prediction predict(String from, String to, String port, IpFamily family) {
        return prediction(tracer.trace(from, to, port, family));
    }

    private static Prediction prediction(Trace t) {
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
