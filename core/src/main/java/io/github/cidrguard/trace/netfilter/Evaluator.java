package io.github.cidrguard.trace.netfilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a packet through netfilter chains as the kernel does: rules in order, the first match's target decides;
 * {@code -j} returns to the caller unless the callee decided, {@code -g} does not; a chain that ends without a verdict
 * continues its caller (a base chain's policy is ACCEPT, as kube-proxy and flanneld leave it). The packet is
 * rewritten by MASQUERADE, DNAT and MARK on the way. Evaluation reads only the rule values ({@link Rule},
 * {@link Match}, {@link Target}), never their text, so a rendered and a parsed ruleset evaluate alike.
 */
public final class Evaluator {
    private static final int MAX_DEPTH = 16;

    private Evaluator() {
    }

    /** How a chain's run ended. */
    public enum Disposition {
        /** No verdict: the caller continues (the base chain's policy, ACCEPT, applies at the top). */
        CONTINUE,
        /** ACCEPT (or a NAT statement, which ends the chain): the packet passes this base chain. */
        ACCEPT,
        /** DROP or REJECT: the packet ends here; {@link Outcome#stop()} holds the rule. */
        DROP
    }

    /**
     * One rule that matched, and the packet after it.
     *
     * @param rule the rule
     * @param packet the packet after its target
     */
    public record Step(Rule rule, Packet packet) {
    }

    /**
     * The result of one base chain's run.
     *
     * @param disposition how it ended
     * @param packet the packet at the end
     * @param masqueraded whether a MASQUERADE rewrote the source
     * @param dnatted whether a DNAT rewrote the destination
     * @param steps the rules that matched, in order
     * @param stop the rule that dropped or rejected the packet, if one did
     */
    public record Outcome(Disposition disposition, Packet packet, boolean masqueraded, boolean dnatted,
                          List<Step> steps, Optional<Rule> stop) {
        /** Copies the steps. */
        public Outcome {
            steps = List.copyOf(steps);
        }
    }

    /**
     * Runs a packet through one chain of a ruleset.
     *
     * @param rs the ruleset
     * @param table the table
     * @param chain the chain (usually a base chain)
     * @param p the packet
     * @param env the node and path facts rules ask about
     * @return the outcome
     * @throws IllegalStateException when a jump names a missing chain or chains nest deeper than 16
     */
    public static Outcome evaluate(Ruleset rs, String table, String chain, Packet p, Environment env) {
        Run run = new Run(rs, env, p);
        Disposition d = run.chain(table, chain, 0);
        return new Outcome(d, run.packet, run.masqueraded, run.dnatted, run.steps, Optional.ofNullable(run.stop));
    }

    /**
     * Whether a packet meets one condition.
     *
     * @param m the condition
     * @param p the packet
     * @param env the node and path facts
     * @return whether it matches
     */
    public static boolean matches(Match m, Packet p, Environment env) {
        // instanceof chains, not a pattern switch: the library targets Java 17
        if (m instanceof Match.Src s) {
            return s.cidr().contains(p.src()) != s.neg();
        } else if (m instanceof Match.Dst d) {
            return d.cidr().contains(p.dst()) != d.neg();
        } else if (m instanceof Match.InIf i) {
            String iif = env.inInterface();
            boolean hit = iif != null && (i.name().endsWith("+")
                    ? iif.startsWith(i.name().substring(0, i.name().length() - 1)) : iif.equals(i.name()));
            return hit != i.neg();
        } else if (m instanceof Match.Proto pr) {
            return p.proto() == pr.proto();
        } else if (m instanceof Match.DPort dp) {
            return p.proto() == dp.proto() && (dp.port() == 0 || p.dport() == dp.port());
        } else if (m instanceof Match.Mark mk) {
            return ((p.mark() & mk.mark()) == mk.mark()) != mk.neg();
        } else if (m instanceof Match.RpFilter rf) {
            return env.reversePathOk(p, rf.loose()) != rf.invert();
        } else if (m instanceof Match.AddrTypeLocal a) {
            return env.isLocal(a.dst() ? p.dst() : p.src()) != a.neg();
        } else if (m instanceof Match.PhysdevIsIn ph) {
            // a pod's packet enters its node from a bridge port: cni0, or anything docker0 bridges
            String iif = env.inInterface();
            boolean bridged = "cni0".equals(iif) || "docker0".equals(iif);
            return bridged != ph.neg();
        } else if (m instanceof Match.CtState ct) {
            boolean hit;
            if (ct.states().startsWith("NEW")) {
                hit = env.newConnection();
            } else if (ct.states().startsWith("RELATED") || ct.states().startsWith("ESTABLISHED")) {
                hit = !env.newConnection();
            } else {
                hit = false; // INVALID: the model makes no invalid packets
            }
            return hit != ct.neg();
        } else if (m instanceof Match.IpSetMatch is) {
            return env.ipsetContains(is.set(), is.flags(), p) != is.neg();
        } else if (m instanceof Match.InSet in) {
            return in.set().contains(in.dst() ? p.dst() : p.src()) != in.neg();
        } else if (m instanceof Match.Tuple t) {
            return (t.addr() == null || p.dst().equals(t.addr())) && p.proto() == t.proto() && p.dport() == t.port();
        }
        // Comment and Probability (the model always takes the first endpoint) always match
        return true;
    }

    /**
     * Whether a packet meets all conditions of a rule.
     *
     * @param r the rule
     * @param p the packet
     * @param env the node and path facts
     * @return whether it matches
     */
    public static boolean matches(Rule r, Packet p, Environment env) {
        for (Match m : r.matches()) {
            if (!matches(m, p, env)) {
                return false;
            }
        }
        return true;
    }

    /** The mutable state of one run, confined to {@link #evaluate}. */
    private static final class Run {
        private final Ruleset rs;
        private final Environment env;
        private final List<Step> steps = new ArrayList<>();
        private Packet packet;
        private boolean masqueraded;
        private boolean dnatted;
        private Rule stop;

        Run(Ruleset rs, Environment env, Packet packet) {
            this.rs = rs;
            this.env = env;
            this.packet = packet;
        }

        Disposition chain(String table, String chain, int depth) {
            if (depth > MAX_DEPTH) {
                throw new IllegalStateException("netfilter chains nest too deep at " + chain
                        + "; a jump loop in table " + table + "?");
            }
            for (Rule rule : rs.rules(table, chain)) {
                if (!matches(rule, packet, env)) {
                    continue;
                }
                Target t = rule.target();
                if (t instanceof Target.Jump j) {
                    steps.add(new Step(rule, packet));
                    Disposition d = chain(table, j.chain(), depth + 1);
                    if (d != Disposition.CONTINUE) {
                        return d;
                    }
                } else if (t instanceof Target.Goto g) {
                    steps.add(new Step(rule, packet));
                    return chain(table, g.chain(), depth + 1);
                } else if (t instanceof Target.Return) {
                    steps.add(new Step(rule, packet));
                    return Disposition.CONTINUE;
                } else if (t instanceof Target.Accept) {
                    steps.add(new Step(rule, packet));
                    return Disposition.ACCEPT;
                } else if (t instanceof Target.Drop || t instanceof Target.Reject) {
                    steps.add(new Step(rule, packet));
                    stop = rule;
                    return Disposition.DROP;
                } else if (t instanceof Target.Masquerade) {
                    masqueraded = true;
                    packet = packet.withSrc(env.masqueradeAddress(), packet.sport());
                    steps.add(new Step(rule, packet));
                    return Disposition.ACCEPT;
                } else if (t instanceof Target.Dnat d) {
                    dnatted = true;
                    packet = packet.withDst(d.ip(), d.port() > 0 ? d.port() : packet.dport());
                    steps.add(new Step(rule, packet));
                    return Disposition.ACCEPT;
                } else if (t instanceof Target.SetMark m) {
                    packet = packet.withMark(m.or() ? packet.mark() | m.bits() : packet.mark() ^ m.bits());
                    steps.add(new Step(rule, packet));
                }
            }
            return Disposition.CONTINUE;
        }
    }
}
