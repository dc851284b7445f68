package io.github.cidrguard.cli;

import io.github.cidrguard.trace.Hop;
import io.github.cidrguard.trace.Trace;
import io.github.cidrguard.trace.Verdict;

import java.util.List;
import java.util.Optional;

/** A {@link Trace} for people: the verdict, the explanation, then every hop (rule on its own line). */
final class TraceView {
    private TraceView() {
    }

    static void print(Trace t, Io io) {
        io.out.println(io.bold(t.from()) + " -> " + io.bold(t.to()) + "  " + t.protocol()
                + t.port().map(p -> "/" + p).orElse(""));
        io.out.println(verdict(t, io));
        io.out.println(Text.wrap(t.explanation(), "  "));
        hops("request", t.request(), io);
        hops("reply", t.reply(), io);
    }

    static String verdict(Trace t, Io io) {
        String v = t.verdict().name() + t.reason().map(r -> " (" + r.name() + ")").orElse("");
        return t.verdict() == Verdict.DELIVERED ? io.green(v) : io.red(v);
    }

    private static void hops(String what, List<Hop> hops, Io io) {
        if (hops.isEmpty()) {
            return;
        }
        io.out.println();
        io.out.println(io.bold(what) + ":");
        int node = hops.stream().mapToInt(h -> h.node().length()).max().orElse(0);
        int stage = hops.stream().mapToInt(h -> h.stage().length()).max().orElse(0);
        for (Hop h : hops) {
            io.out.println("  " + Text.pad(h.node(), node) + "  " + Text.pad(h.stage(), stage) + "  "
                    + action(h.action(), io) + "  " + h.packet());
            if (!h.rule().isEmpty()) {
                io.out.println("  " + " ".repeat(node + 2) + io.dim(h.rule()));
            }
        }
    }

    private static String action(String a, Io io) {
        String p = Text.pad(a, 10);
        return a.equals("DROP") || a.equals("REJECT") ? io.red(p) : io.cyan(p);
    }

    /** The hop where flannel's masquerade rule let the packet through un-NATed, if any (the story's culprit). */
    static Optional<Hop> skippedNat(Trace t) {
        return t.request().stream().filter(h -> h.stage().equals("nat/POSTROUTING") && h.action().equals("RETURN")
                && h.rule().contains("flanneld masq") && h.rule().contains(" -s ")).findFirst();
    }

    /** The last hop: where the packet (or its reply) died. */
    static Optional<Hop> last(Trace t) {
        List<Hop> l = t.reply().isEmpty() ? t.request() : t.reply();
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(l.size() - 1));
    }
}
