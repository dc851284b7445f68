package io.github.cidrguard.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One netfilter rule: conditions, target, the exact text {@code iptables-save} / {@code nft list ruleset} prints,
 * and the reason to report when it drops or rejects a packet.
 */
record Rule(String table, String chain, List<Match> matches, Target target, String text, Reason reason) {

    Rule {
        matches = List.copyOf(matches);
    }

    boolean test(Ctx c) {
        for (Match m : matches) {
            if (!m.test(c)) {
                return false;
            }
        }
        return true;
    }

    /** An iptables rule whose text is generated the way iptables-save orders it: -s, -d, -i, -p, then matches. */
    static Rule ipt(String table, String chain, Target target, Reason reason, Match... matches) {
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
        return new Rule(table, chain, List.of(matches), target, sb.toString(), reason);
    }

    static Rule ipt(String table, String chain, Target target, Match... matches) {
        return ipt(table, chain, target, null, matches);
    }

    /** An nft rule with its listed text given verbatim. */
    static Rule nft(String table, String chain, String text, Target target, Reason reason, Match... matches) {
        return new Rule(table, chain, List.of(matches), target, text, reason);
    }

    static Rule nft(String table, String chain, String text, Target target, Match... matches) {
        return nft(table, chain, text, target, null, matches);
    }
}
