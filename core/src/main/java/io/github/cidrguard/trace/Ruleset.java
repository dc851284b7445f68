package io.github.cidrguard.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's netfilter state: iptables tables (nat, filter) and nftables tables, each an ordered set of chains, plus the
 * base chains registered on each hook with their priority.
 */
final class Ruleset {

    /** A base chain on a hook: iptables' built-in chains or an nft base chain. */
    record Base(String hook, int priority, String table, String chain, String stage, boolean nat) {
    }

    final Map<String, Map<String, List<Rule>>> tables = new LinkedHashMap<>();
    private final Map<String, String> chainHeaders = new LinkedHashMap<>();
    private final Map<String, String> comments = new LinkedHashMap<>();
    private final Map<String, List<String>> tableExtras = new LinkedHashMap<>();
    private final List<Base> bases = new ArrayList<>();

    /** A copy sharing the (immutable) rules; chains, bases and listings are copied. */
    Ruleset copy() {
        Ruleset r = new Ruleset();
        tables.forEach((t, chains) -> {
            Map<String, List<Rule>> m = new LinkedHashMap<>();
            chains.forEach((c, rules) -> m.put(c, new ArrayList<>(rules)));
            r.tables.put(t, m);
        });
        r.chainHeaders.putAll(chainHeaders);
        r.comments.putAll(comments);
        tableExtras.forEach((t, l) -> r.tableExtras.put(t, new ArrayList<>(l)));
        r.bases.addAll(bases);
        return r;
    }

    static final String[] HOOKS = {"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"};

    /** Declares a chain (keeps declaration order for rendering). */
    void chain(String table, String chain) {
        tables.computeIfAbsent(table, t -> new LinkedHashMap<>()).computeIfAbsent(chain, c -> new ArrayList<>());
    }

    /** Declares an nft base chain with its "type … hook … priority …" line, registered on the hook. */
    void nftBase(String table, String chain, String header, String hook, int priority, boolean nat) {
        chain(table, chain);
        chainHeaders.put(table + "\u0000" + chain, header);
        bases.add(new Base(hook, priority, table, chain, table + "/" + chain, nat));
    }

    /** Registers iptables' built-in chain of a table on its hook. */
    void iptBase(String table, String chain, int priority) {
        chain(table, chain);
        bases.add(new Base(chain, priority, table, chain, table + "/" + chain, table.equals("nat")));
    }

    /** The {@code comment} of an nft table (chain null) or chain, listed first in it as nft does. */
    void comment(String table, String chain, String text) {
        comments.put(table + "\u0000" + (chain == null ? "" : chain), text);
    }

    void extra(String table, String text) {
        tableExtras.computeIfAbsent(table, t -> new ArrayList<>()).add(text);
    }

    void add(Rule r) {
        chain(r.table(), r.chain());
        tables.get(r.table()).get(r.chain()).add(r);
    }

    List<Rule> rules(String table, String chain) {
        Map<String, List<Rule>> t = tables.get(table);
        List<Rule> r = t == null ? null : t.get(chain);
        if (r == null) {
            throw new IllegalStateException("no chain " + chain + " in table " + table);
        }
        return r;
    }

    /** Base chains on a hook, lowest priority first. */
    List<Base> bases(String hook) {
        List<Base> out = new ArrayList<>();
        for (Base b : bases) {
            if (b.hook().equals(hook)) {
                out.add(b);
            }
        }
        out.sort(Comparator.comparingInt(Base::priority));
        return out;
    }

    /** The whole state as iptables-save (for iptables tables) followed by nft list ruleset (nft tables). */
    String render() {
        StringBuilder sb = new StringBuilder();
        for (var t : tables.entrySet()) {
            String table = t.getKey();
            if (table.startsWith("ip ") || table.startsWith("ipset")
                    || t.getValue().values().stream().allMatch(List::isEmpty)) {
                continue; // iptables-save prints no table that holds no rule
            }
            sb.append('*').append(table).append('\n');
            for (String chain : t.getValue().keySet()) {
                boolean builtin = chain.equals(chain.toUpperCase()) && List.of(HOOKS).contains(chain);
                sb.append(':').append(chain).append(builtin ? " ACCEPT" : " -").append(" [0:0]\n");
            }
            for (List<Rule> rules : t.getValue().values()) {
                for (Rule r : rules) {
                    sb.append(r.text()).append('\n');
                }
            }
            sb.append("COMMIT\n");
        }
        for (var t : tables.entrySet()) {
            String table = t.getKey();
            if (!table.startsWith("ipset")) {
                continue;
            }
            for (String e : tableExtras.getOrDefault(table, List.of())) {
                sb.append(e).append('\n');
            }
        }
        for (var t : tables.entrySet()) {
            String table = t.getKey();
            if (!table.startsWith("ip ")) {
                continue;
            }
            // as nft's table_print: the comment, then sets and maps, then chains, a blank line between objects
            sb.append("table ").append(table).append(" {\n");
            String tc = comments.get(table + "\u0000");
            if (tc != null) {
                sb.append("\tcomment \"").append(tc).append("\"\n");
            }
            String delim = "";
            for (String e : tableExtras.getOrDefault(table, List.of())) {
                sb.append(delim).append(e).append('\n');
                delim = "\n";
            }
            for (var c : t.getValue().entrySet()) {
                sb.append(delim);
                delim = "\n";
                sb.append("\tchain ").append(c.getKey()).append(" {\n");
                String cc = comments.get(table + "\u0000" + c.getKey());
                if (cc != null) {
                    sb.append("\t\tcomment \"").append(cc).append("\"\n");
                }
                String h = chainHeaders.get(table + "\u0000" + c.getKey());
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
}
