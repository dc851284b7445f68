package io.github.cidrguard.trace.netfilter;

import java.util.List;

/**
 * Prints a {@link Ruleset} as a node's tools do: {@code iptables-save} (a table holding no rule is not printed, as
 * iptables-save omits it), {@code ipset save} and {@code nft list ruleset}. The text of each rule is its
 * {@link Rule#text()}, so a parsed rule prints as it was read.
 */
public final class Renderer {
    private Renderer() {
    }

    /**
     * The whole state as {@code iptables-save} prints the iptables tables, then {@code ipset save} lines, then
     * {@code nft list ruleset} for the nft tables (nft's table_print order: the comment, sets and maps, chains).
     *
     * @param rs the ruleset
     * @return the listing
     */
    public static String render(Ruleset rs) {
        StringBuilder sb = new StringBuilder();
        for (var t : rs.tables().entrySet()) {
            String table = t.getKey();
            if (nft(table) || table.startsWith("ipset")
                    || t.getValue().values().stream().allMatch(List::isEmpty)) {
                continue; // iptables-save prints no table that holds no rule
            }
            sb.append('*').append(table).append('\n');
            for (String chain : t.getValue().keySet()) {
                boolean builtin = chain.equals(chain.toUpperCase()) && Ruleset.HOOKS.contains(chain);
                sb.append(':').append(chain).append(builtin ? " ACCEPT" : " -").append(" [0:0]\n");
            }
            for (List<Rule> rules : t.getValue().values()) {
                for (Rule r : rules) {
                    sb.append(r.text()).append('\n');
                }
            }
            sb.append("COMMIT\n");
        }
        for (var t : rs.tables().entrySet()) {
            String table = t.getKey();
            if (!table.startsWith("ipset")) {
                continue;
            }
            for (String e : rs.extras(table)) {
                sb.append(e).append('\n');
            }
        }
        for (var t : rs.tables().entrySet()) {
            String table = t.getKey();
            if (!nft(table)) {
                continue;
            }
            // as nft's table_print: the comment, then sets and maps, then chains, a blank line between objects
            sb.append("table ").append(table).append(" {\n");
            String tc = rs.comment(table, null);
            if (tc != null) {
                sb.append("\tcomment \"").append(tc).append("\"\n");
            }
            String delim = "";
            for (String e : rs.extras(table)) {
                sb.append(delim).append(e).append('\n');
                delim = "\n";
            }
            for (var c : t.getValue().entrySet()) {
                sb.append(delim);
                delim = "\n";
                sb.append("\tchain ").append(c.getKey()).append(" {\n");
                String cc = rs.comment(table, c.getKey());
                if (cc != null) {
                    sb.append("\t\tcomment \"").append(cc).append("\"\n");
                }
                String h = rs.chainHeader(table, c.getKey());
                if (h != null) {
                    sb.append("\t\t").append(h).append('\n');
                }
                String previous = null;
                for (Rule r : c.getValue()) {
                    // the elements of one verdict map are one listed rule
                    if (!r.text().equals(previous)) {
                        sb.append("\t\t").append(r.text()).append('\n');
                    }
                    previous = r.text();
                }
                sb.append("\t}\n");
            }
            sb.append("}\n");
        }
        return sb.toString();
    }

    /** Whether a table is nft's ({@code <family> <name>}: ip, ip6 or inet), not an iptables table. */
    private static boolean nft(String table) {
        return table.startsWith("ip ") || table.startsWith("ip6 ") || table.startsWith("inet ");
    }
}
