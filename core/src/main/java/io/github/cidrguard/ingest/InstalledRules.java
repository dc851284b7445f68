package io.github.cidrguard.ingest;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The netfilter rules a node really has, as parsed from {@code iptables-save}, {@code ip6tables-save} or
 * {@code nft list ruleset} output: tables, chains with their policy (and, for nft, the base chain's
 * {@code type … hook … priority …}), every rule with its options or statements, and nft's sets and maps. Each rule
 * keeps its exact text and the file and line it came from, so a trace can quote it as the file has it. Nothing is
 * interpreted here: what a rule means is the tracer's business (docs/architecture.md, "Packages of core").
 *
 * <p>The iptables side follows the order {@code iptables-save} prints (iptables' {@code save} routines): the header
 * options ({@code -s -d -i -o -p -f}), then each {@code -m} module with its options, then the target {@code -j} or
 * {@code -g} with its options; {@code !} negates the option after it; comments are quoted the way
 * {@code xtables_save_string} quotes them. The nft side follows nft's listing layout ({@code table_print},
 * {@code chain_print}, {@code set_print} in nftables' src/rule.c).
 */
public final class InstalledRules {
    private final List<IptTable> iptables;
    private final List<NftTable> nft;

    private InstalledRules(List<IptTable> iptables, List<NftTable> nft) {
        this.iptables = List.copyOf(iptables);
        this.nft = List.copyOf(nft);
    }

    /**
     * Parses {@code iptables-save} output (IPv4 tables).
     *
     * @param source the file name every error and every rule names
     * @throws ImportException naming the source, line and text of a line that iptables-save does not write
     */
    public static InstalledRules iptablesSave(String text, String source) {
        return new InstalledRules(IptablesText.parse(text, source, "ip"), List.of());
    }

    /**
     * Parses {@code ip6tables-save} output (IPv6 tables); the format is iptables-save's.
     *
     * @throws ImportException naming the source, line and text of a line that ip6tables-save does not write
     */
    public static InstalledRules ip6tablesSave(String text, String source) {
        return new InstalledRules(IptablesText.parse(text, source, "ip6"), List.of());
    }

    /**
     * Parses {@code nft list ruleset} output (tables of family {@code ip}, {@code ip6}, {@code inet} and any other
     * family nft lists).
     *
     * @throws ImportException naming the source, line and text of a line that {@code nft list ruleset} does not write
     */
    public static InstalledRules nftRuleset(String text, String source) {
        return new InstalledRules(List.of(), NftText.parse(text, source));
    }

    /** Both rule sets together, as one node has them (iptables-legacy or iptables-nft beside native nft tables). */
    public InstalledRules with(InstalledRules other) {
        List<IptTable> i = new ArrayList<>(iptables);
        i.addAll(other.iptables);
        List<NftTable> n = new ArrayList<>(nft);
        n.addAll(other.nft);
        return new InstalledRules(i, n);
    }

    /** The iptables tables, {@code family} {@code ip} for iptables-save and {@code ip6} for ip6tables-save. */
    public List<IptTable> iptables() {
        return iptables;
    }

    /** The nft tables in listing order. */
    public List<NftTable> nft() {
        return nft;
    }

    /** Every iptables rule, table by table, in file order. */
    public List<IptRule> iptRules() {
        List<IptRule> out = new ArrayList<>();
        for (IptTable t : iptables) {
            for (IptChain c : t.chains()) {
                out.addAll(c.rules());
            }
        }
        return out;
    }

    /** Every nft rule, table by table, chain by chain, in listing order. */
    public List<NftRule> nftRules() {
        List<NftRule> out = new ArrayList<>();
        for (NftTable t : nft) {
            for (NftChain c : t.chains()) {
                out.addAll(c.rules());
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "InstalledRules[" + iptables.size() + " iptables tables, " + nft.size() + " nft tables]";
    }

    // ------------------------------------------------------------------ iptables

    /**
     * One table of iptables-save ({@code *nat}, {@code *filter}, …).
     *
     * @param family {@code ip} (iptables-save) or {@code ip6} (ip6tables-save)
     * @param line the line of its {@code *table} header
     */
    public record IptTable(String family, String name, List<IptChain> chains, String source, int line) {
        public IptTable {
            chains = List.copyOf(chains);
        }

        /** The chain of that name, if the table declares it. */
        public Optional<IptChain> chain(String chain) {
            return chains.stream().filter(c -> c.name().equals(chain)).findFirst();
        }
    }

    /**
     * One chain: {@code :NAME POLICY [packets:bytes]}.
     *
     * @param policy {@code ACCEPT} or {@code DROP} for a built-in chain, empty for a user chain ({@code -})
     * @param line its declaration line, 0 when only a rule names it
     */
    public record IptChain(String name, Optional<String> policy, List<IptRule> rules, int line) {
        public IptChain {
            rules = List.copyOf(rules);
        }
    }

    /**
     * One {@code -A} rule.
     *
     * @param matches the header options first (module {@code ""}: {@code -s}, {@code -d}, {@code -i}, {@code -o},
     *     {@code -p}, {@code -f}), then one entry per {@code -m module}, in the rule's order
     * @param target the {@code -j}/{@code -g} target, empty for a rule that only counts
     * @param text the rule as the file has it (counters such as {@code [0:0]} removed)
     */
    public record IptRule(String family, String table, String chain, List<IptMatch> matches,
                          Optional<IptTarget> target, String text, String source, int line) {
        public IptRule {
            matches = List.copyOf(matches);
        }

        /** The first option of that name in any match (e.g. {@code -s}, {@code --comment}), negated or not. */
        public Optional<IptOption> option(String name) {
            for (IptMatch m : matches) {
                for (IptOption o : m.options()) {
                    if (o.name().equals(name)) {
                        return Optional.of(o);
                    }
                }
            }
            return Optional.empty();
        }

        /** The {@code -m comment --comment} text, unquoted. */
        public Optional<String> comment() {
            return option("--comment").map(IptOption::value);
        }

        /** {@code source:line}, where a trace says the rule came from. */
        public String location() {
            return source + ":" + line;
        }
    }

    /**
     * One match: a module ({@code -m mark}) with its options, or the header options (module {@code ""}). A module is
     * never negated itself; its options are ({@code -m mark ! --mark 0x4000/0x4000}).
     */
    public record IptMatch(String module, List<IptOption> options) {
        public IptMatch {
            options = List.copyOf(options);
        }
    }

    /**
     * One option: {@code [!] --name value…}. Most options take one value; {@code --match-set} takes two
     * ({@code NAME dst,dst}); flags such as {@code --physdev-is-in} or {@code --random-fully} take none.
     */
    public record IptOption(String name, boolean negated, List<String> values) {
        public IptOption {
            values = List.copyOf(values);
        }

        /** The first value, or {@code ""} for a flag. */
        public String value() {
            return values.isEmpty() ? "" : values.get(0);
        }
    }

    /**
     * The target: {@code -j NAME} (or {@code -g NAME}, {@code jump} false) and its options, e.g. {@code -j DNAT
     * --to-destination 10.244.1.5:8080} or {@code -j MARK --set-xmark 0x4000/0x4000}.
     */
    public record IptTarget(String name, boolean jump, List<IptOption> options) {
        public IptTarget {
            options = List.copyOf(options);
        }

        public Optional<IptOption> option(String option) {
            return options.stream().filter(o -> o.name().equals(option)).findFirst();
        }
    }

    // ------------------------------------------------------------------ nft

    /** One nft table: {@code table FAMILY NAME { … }}, its sets and maps and its chains, in listing order. */
    public record NftTable(String family, String name, Optional<String> comment, List<NftSet> sets,
                           List<NftChain> chains, String source, int line) {
        public NftTable {
            sets = List.copyOf(sets);
            chains = List.copyOf(chains);
        }

        public Optional<NftSet> set(String set) {
            return sets.stream().filter(s -> s.name().equals(set)).findFirst();
        }

        public Optional<NftChain> chain(String chain) {
            return chains.stream().filter(c -> c.name().equals(chain)).findFirst();
        }
    }

    /**
     * A named set or map ({@code map} true): {@code type}, {@code flags} and its {@code elements}, each element as
     * listed ({@code 10.96.0.10 . udp . 53 : goto service-…}).
     */
    public record NftSet(String name, boolean map, String type, List<String> flags, List<String> elements,
                         Optional<String> comment, int line) {
        public NftSet {
            flags = List.copyOf(flags);
            elements = List.copyOf(elements);
        }
    }

    /**
     * One chain; a base chain has its {@code type … hook … priority …; policy …;} line in {@code base}.
     */
    public record NftChain(String name, Optional<NftBase> base, Optional<String> comment, List<NftRule> rules,
                           int line) {
        public NftChain {
            rules = List.copyOf(rules);
        }
    }

    /**
     * A base chain's registration: {@code type nat hook postrouting priority srcnat; policy accept;}.
     *
     * @param priority as listed: a number or a name with an offset ({@code dstnat - 10})
     * @param policy {@code accept} when the line has none (nft's default)
     */
    public record NftBase(String type, String hook, Optional<String> device, String priority, String policy,
                          String text) {
    }

    /**
     * One rule: its statements as words (quoted strings unquoted, braces and commas as their own words), its
     * {@code comment}, and the text as listed.
     */
    public record NftRule(String family, String table, String chain, List<String> words, Optional<String> comment,
                          String text, String source, int line) {
        public NftRule {
            words = List.copyOf(words);
        }

        public String location() {
            return source + ":" + line;
        }
    }

    // ------------------------------------------------------------------ shared lexing

    /** A word of a rule and whether it was quoted (a quoted word is never an option name). */
    record Word(String text, boolean quoted) {
    }

    /**
     * Splits a line into words as the shell and nft do: double quotes group, and inside them a backslash escapes the
     * next character (xtables_save_string writes {@code \"} and {@code \\}).
     */
    static List<Word> words(String line, String source, int lineNo, String command) {
        List<Word> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inQuote = false;
        boolean quoted = false;
        boolean have = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (inQuote) {
                if (ch == '\\' && i + 1 < line.length()) {
                    cur.append(line.charAt(++i));
                } else if (ch == '"') {
                    inQuote = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                inQuote = true;
                quoted = true;
                have = true;
            } else if (Character.isWhitespace(ch)) {
                if (have) {
                    out.add(new Word(cur.toString(), quoted));
                    cur.setLength(0);
                    have = false;
                    quoted = false;
                }
            } else {
                cur.append(ch);
                have = true;
            }
        }
        if (inQuote) {
            throw new ImportException(source, lineNo, "unterminated quote in '" + line + "'; give the output of "
                    + command + " unchanged");
        }
        if (have) {
            out.add(new Word(cur.toString(), quoted));
        }
        return out;
    }

    /** Builds chains in declaration order; a rule may name a chain no {@code :CHAIN} line declared. */
    static final class ChainsBuilder {
        private final Map<String, String> policies = new LinkedHashMap<>();
        private final Map<String, Integer> lines = new LinkedHashMap<>();
        private final Map<String, List<IptRule>> rules = new LinkedHashMap<>();

        void declare(String chain, @Nullable String policy, int line) {
            rules.computeIfAbsent(chain, c -> new ArrayList<>());
            if (policy != null) {
                policies.put(chain, policy);
            }
            lines.putIfAbsent(chain, line);
        }

        void add(IptRule r) {
            declare(r.chain(), null, 0);
            rules.get(r.chain()).add(r);
        }

        List<IptChain> build() {
            List<IptChain> out = new ArrayList<>();
            rules.forEach((c, r) -> out.add(new IptChain(c, Optional.ofNullable(policies.get(c)), r,
                    lines.getOrDefault(c, 0))));
            return out;
        }
    }
}
