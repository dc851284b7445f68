package io.github.cidrguard.trace.netfilter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's netfilter state: iptables tables ({@code nat}, {@code filter}; an {@code ipset…} pseudo-table holds
 * {@code ipset save} lines) and nftables tables (named {@code ip <name>}), each an ordered set of chains, plus the
 * base chains registered on each hook with their priority, which is how the kernel orders iptables-nft, legacy
 * iptables and nft tables on one hook.
 *
 * <p>A ruleset is built once, by the tracer's rule builders or by a parser of {@code iptables-save} /
 * {@code nft list ruleset}, and then only read ({@link Evaluator}, {@link Renderer}); it is mutable while it is built
 * and not safe for concurrent building.
 */
public final class Ruleset {

    /**
     * A base chain on a hook: iptables' built-in chains or an nft base chain.
     *
     * @param hook the netfilter hook: PREROUTING, INPUT, FORWARD, OUTPUT or POSTROUTING
     * @param priority the hook priority (lower runs first; iptables' nat PREROUTING is -100)
     * @param table the table
     * @param chain the chain
     * @param stage what a trace hop names as its stage ({@code table/chain})
     * @param nat whether it is a NAT chain, which only a connection's first packet traverses
     */
    public record Base(String hook, int priority, String table, String chain, String stage, boolean nat) {
    }

    private final Map<String, Map<String, List<Rule>>> tables = new LinkedHashMap<>();
    private final Map<String, String> chainHeaders = new LinkedHashMap<>();
    private final Map<String, String> comments = new LinkedHashMap<>();
    private final Map<String, List<String>> tableExtras = new LinkedHashMap<>();
    private final List<Base> bases = new ArrayList<>();

    /** An empty ruleset. */
    public Ruleset() {
        // rules are added by builders and parsers
    }

    /**
     * A copy sharing the (immutable) rules; chains, bases and listings are copied.
     *
     * @return the copy
     */
    public Ruleset copy() {
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

    /** The five netfilter hooks in packet order. */
    public static final List<String> HOOKS = List.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING");

    /**
     * Declares a chain (keeps declaration order for rendering); declaring it again changes nothing.
     *
     * @param table the table
     * @param chain the chain
     */
    public void chain(String table, String chain) {
        tables.computeIfAbsent(table, t -> new LinkedHashMap<>()).computeIfAbsent(chain, c -> new ArrayList<>());
    }

    /**
     * Declares an nft base chain with its "type … hook … priority …" line, registered on the hook.
     *
     * @param table the nft table, e.g. {@code ip kube-proxy}
     * @param chain the chain
     * @param header the chain's {@code type … hook … priority …; policy …;} line as listed
     * @param hook the hook
     * @param priority the priority
     * @param nat whether it is a {@code type nat} chain
     */
    public void nftBase(String table, String chain, String header, String hook, int priority, boolean nat) {
        chain(table, chain);
        chainHeaders.put(table + "\u0000" + chain, header);
        bases.add(new Base(hook, priority, table, chain, table + "/" + chain, nat));
    }

    /**
     * Registers iptables' built-in chain of a table on its hook.
     *
     * @param table the table ({@code nat}, {@code filter})
     * @param chain the built-in chain, named as its hook
     * @param priority the hook priority of the table
     */
    public void iptBase(String table, String chain, int priority) {
        chain(table, chain);
        bases.add(new Base(chain, priority, table, chain, table + "/" + chain, table.equals("nat")));
    }

    /**
     * Sets the {@code comment} of an nft table (chain null) or chain, listed first in it as nft does.
     *
     * @param table the table
     * @param chain the chain, or null for the table
     * @param text the comment
     */
    public void comment(String table, String chain, String text) {
        comments.put(table + "\u0000" + (chain == null ? "" : chain), text);
    }

    /**
     * Adds a listed object that is not a chain: an nft set or map of a table, or an {@code ipset save} line.
     *
     * @param table the table
     * @param text the object as listed
     */
    public void extra(String table, String text) {
        tableExtras.computeIfAbsent(table, t -> new ArrayList<>()).add(text);
    }

    /**
     * Appends a rule to its chain, declaring the chain if needed.
     *
     * @param r the rule
     */
    public void add(Rule r) {
        chain(r.table(), r.chain());
        tables.get(r.table()).get(r.chain()).add(r);
    }

    /**
     * The rules of one chain, in order.
     *
     * @param table the table
     * @param chain the chain
     * @return the rules (read-only)
     * @throws IllegalStateException naming the chain and table when it is not declared
     */
    public List<Rule> rules(String table, String chain) {
        Map<String, List<Rule>> t = tables.get(table);
        List<Rule> r = t == null ? null : t.get(chain);
        if (r == null) {
            throw new IllegalStateException("no chain " + chain + " in table " + table
                    + "; a rule jumps to a chain that the ruleset does not declare");
        }
        return Collections.unmodifiableList(r);
    }

    /**
     * The base chains on a hook, lowest priority first.
     *
     * @param hook the hook
     * @return the base chains
     */
    public List<Base> bases(String hook) {
        List<Base> out = new ArrayList<>();
        for (Base b : bases) {
            if (b.hook().equals(hook)) {
                out.add(b);
            }
        }
        out.sort(Comparator.comparingInt(Base::priority));
        return out;
    }

    /**
     * Replaces this ruleset's tables with a copy of another's (kube-proxy writes the same rules on every node whose
     * rules name no node-specific address, so one node's are reused).
     *
     * @param other the ruleset to copy
     */
    public void replaceTables(Ruleset other) {
        Ruleset copy = other.copy();
        tables.clear();
        tables.putAll(copy.tables);
    }

    /** The chains of each table in declaration order, for the renderer. */
    Map<String, Map<String, List<Rule>>> tables() {
        return tables;
    }

    String chainHeader(String table, String chain) {
        return chainHeaders.get(table + "\u0000" + chain);
    }

    String comment(String table, String chain) {
        return comments.get(table + "\u0000" + (chain == null ? "" : chain));
    }

    List<String> extras(String table) {
        return tableExtras.getOrDefault(table, List.of());
    }
}
