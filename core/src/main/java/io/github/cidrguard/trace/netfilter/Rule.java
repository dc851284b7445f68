package io.github.cidrguard.trace.netfilter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One netfilter rule as data: the table and chain it sits in, its conditions, its target and the exact text
 * {@code iptables-save} or {@code nft list ruleset} prints for it. The same value is rendered
 * ({@link Renderer}) and evaluated ({@link Evaluator}); a rule parsed from a node's listing needs only its matches,
 * target and text to be traced like a generated one.
 *
 * @param table the iptables table ({@code nat}, {@code filter}) or the nft table ({@code ip kube-proxy})
 * @param chain the chain name
 * @param matches the conditions, all of which must hold
 * @param target what the rule does when they hold
 * @param text the rule as the node's listing prints it
 */
public record Rule(String table, String chain, List<Match> matches, Target target, String text) {

    /**
     * Copies the matches.
     *
     * @throws NullPointerException when a part is null
     */
    public Rule {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(text, "text");
        matches = List.copyOf(matches);
    }

    /**
     * An iptables rule whose text is generated as iptables-save orders it: {@code -A chain}, the header matches
     * ({@code -s}, {@code -d}, {@code -i}, {@code -p}), the other matches in the given order, then the target.
     *
     * @param table the table
     * @param chain the chain
     * @param target the target
     * @param matches the conditions
     * @return the rule
     */
    public static Rule ipt(String table, String chain, Target target, Match... matches) {
        List<Match> header = new ArrayList<>();
        List<Match> rest = new ArrayList<>();
        for (Match m : matches) {
            (m.headerOrder() >= 0 ? header : rest).add(m);
        }
        header.sort(Comparator.comparingInt(Match::headerOrder));
        StringBuilder sb = new StringBuilder("-A ").append(chain);
        for (Match m : header) {
            sb.append(' ').append(m.ipt());
        }
        for (Match m : rest) {
            if (!m.ipt().isEmpty()) {
                sb.append(' ').append(m.ipt());
            }
        }
        sb.append(' ').append(target.ipt());
        return new Rule(table, chain, List.of(matches), target, sb.toString());
    }

    /**
     * An nft rule with its listed text given verbatim (nft's listing is not derived from the matches).
     *
     * @param table the nft table, e.g. {@code ip kube-proxy}
     * @param chain the chain
     * @param text the rule as {@code nft list ruleset} prints it
     * @param target the verdict or statement
     * @param matches the conditions
     * @return the rule
     */
    public static Rule nft(String table, String chain, String text, Target target, Match... matches) {
        return new Rule(table, chain, List.of(matches), target, text);
    }
}
