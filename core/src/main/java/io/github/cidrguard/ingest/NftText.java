package io.github.cidrguard.ingest;

import io.github.cidrguard.ingest.InstalledRules.NftBase;
import io.github.cidrguard.ingest.InstalledRules.NftChain;
import io.github.cidrguard.ingest.InstalledRules.NftRule;
import io.github.cidrguard.ingest.InstalledRules.NftSet;
import io.github.cidrguard.ingest.InstalledRules.NftTable;
import io.github.cidrguard.ingest.InstalledRules.Word;

import org.jspecify.annotations.Nullable;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parser of {@code nft list ruleset} text, in the layout nft lists it (nftables' src/rule.c: {@code table_print}
 * prints the table's comment, its sets and maps, then its chains; {@code chain_print} the comment, the
 * {@code type … hook … priority …; policy …;} line of a base chain, then one rule a line). A set's elements may run
 * over several lines; so may an anonymous set written by hand, which is joined until its braces close. Objects the
 * tracer has no use for (flowtables, counters, quotas, ct helpers, …) are skipped whole. {@code nft -a}'s
 * {@code # handle N} is dropped.
 */
final class NftText {
    static final String COMMAND = "nft list ruleset (run on the node as root)";
    private static final Pattern TABLE = Pattern.compile("table\\s+(\\S+)\\s+(\\S+)\\s*\\{");
    private static final Pattern BLOCK = Pattern.compile("(chain|set|map|flowtable|counter|quota|limit|secmark|synproxy"
            + "|ct\\s+helper|ct\\s+timeout|ct\\s+expectation)\\s+(\\S+)\\s*\\{");
    private static final Pattern BASE = Pattern.compile("type\\s+(\\S+)\\s+hook\\s+(\\S+)(?:\\s+device\\s+(\\S+))?"
            + "\\s+priority\\s+([^;]+);(?:\\s*policy\\s+(\\S+?)\\s*;)?\\s*");

    private enum Kind { TABLE, CHAIN, SET, OTHER }

    /** An open block: a table, chain, set/map or an object that is skipped. */
    private static final class Block {
        final Kind kind;
        final String name;
        final int line;
        final boolean map;
        String family = "";
        @Nullable String comment;
        @Nullable NftBase base;
        String type = "";
        final List<String> flags = new ArrayList<>();
        final List<String> elements = new ArrayList<>();
        final List<NftRule> rules = new ArrayList<>();
        final List<NftSet> sets = new ArrayList<>();
        final List<NftChain> chains = new ArrayList<>();

        Block(Kind kind, String name, int line, boolean map) {
            this.kind = kind;
            this.name = name;
            this.line = line;
            this.map = map;
        }
    }

    private NftText() {
    }

    static List<NftTable> parse(String text, String source) {
        List<NftTable> tables = new ArrayList<>();
        Deque<Block> open = new ArrayDeque<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int no = i + 1;
            String l = stripComment(lines[i]).strip();
            if (l.isEmpty()) {
                continue;
            }
            // a statement whose braces do not close on its line goes on until they do (set elements, long sets)
            while (balance(l) > 0 && !l.endsWith("{") && i + 1 < lines.length) {
                l = (l + " " + stripComment(lines[++i]).strip()).strip();
            }
            if (balance(l) > 0 && !l.endsWith("{")) {
                throw new ImportException(source, no, "'" + l + "' opens a brace that never closes; give the whole "
                        + "output of " + COMMAND);
            }
            Block top = open.peek();
            if (l.equals("}")) {
                if (top == null) {
                    throw new ImportException(source, no, "'}' closes nothing; give the output of " + COMMAND
                            + " unchanged");
                }
                close(open.pop(), open.peek(), tables, source);
                continue;
            }
            if (top == null) {
                Matcher m = TABLE.matcher(l);
                if (!m.matches()) {
                    throw new ImportException(source, no, "'" + l + "' is not a line nft list ruleset writes at the "
                            + "top (table FAMILY NAME { … }); give the output of " + COMMAND);
                }
                Block t = new Block(Kind.TABLE, m.group(2), no, false);
                t.family = m.group(1);
                open.push(t);
                continue;
            }
            if (top.kind == Kind.OTHER) {
                if (l.endsWith("{")) {
                    open.push(new Block(Kind.OTHER, l, no, false));
                }
                continue;
            }
            Matcher b = BLOCK.matcher(l);
            if (top.kind == Kind.TABLE) {
                if (b.matches()) {
                    String what = b.group(1);
                    Kind k = what.equals("chain") ? Kind.CHAIN : what.equals("set") || what.equals("map") ? Kind.SET
                            : Kind.OTHER;
                    open.push(new Block(k, b.group(2), no, what.equals("map")));
                } else if (l.startsWith("comment ")) {
                    top.comment = quoted(l.substring(8), source, no);
                } else if (!l.startsWith("flags ")) {
                    throw new ImportException(source, no, "'" + l + "' is not a line nft lists inside table "
                            + top.family + " " + top.name + " (chain, set, map, comment, flags); give the output of "
                            + COMMAND);
                }
                continue;
            }
            if (top.kind == Kind.SET) {
                set(top, l, source, no);
                continue;
            }
            // a chain
            Matcher base = BASE.matcher(l);
            if (l.startsWith("type ") && base.matches()) {
                top.base = new NftBase(base.group(1), base.group(2), Optional.ofNullable(base.group(3)),
                        base.group(4).strip(), base.group(5) == null ? "accept" : base.group(5), l);
            } else if (l.startsWith("type ") && l.contains(" hook ")) {
                throw new ImportException(source, no, "'" + l + "' is not a base chain line (type TYPE hook HOOK "
                        + "priority PRIO; policy POLICY;); give the output of " + COMMAND);
            } else if (l.startsWith("comment \"") && top.rules.isEmpty()) {
                top.comment = quoted(l.substring(8), source, no);
            } else if (l.startsWith("policy ") && l.endsWith(";")) {
                top.base = top.base == null ? null : new NftBase(top.base.type(), top.base.hook(), top.base.device(),
                        top.base.priority(), l.substring(7, l.length() - 1).strip(), top.base.text() + " " + l);
            } else if (b.matches()) {
                throw new ImportException(source, no, "'" + l + "' opens a block inside chain " + top.name + "; give "
                        + "the output of " + COMMAND);
            } else {
                top.rules.add(rule(open, top, l, source, no));
            }
        }
        if (!open.isEmpty()) {
            Block b = open.peekLast();
            throw new ImportException(source, b.line, "table " + b.family + " " + b.name + " is never closed; give "
                    + "the whole output of " + COMMAND);
        }
        return tables;
    }

    private static NftRule rule(Deque<Block> open, Block chain, String l, String source, int no) {
        Block table = open.peekLast();
        List<Word> ws = InstalledRules.words(l, source, no, COMMAND);
        List<String> words = new ArrayList<>();
        String comment = null;
        for (int k = 0; k < ws.size(); k++) {
            words.add(ws.get(k).text());
            if (!ws.get(k).quoted() && ws.get(k).text().equals("comment") && k + 1 < ws.size()
                    && ws.get(k + 1).quoted()) {
                comment = ws.get(k + 1).text();
            }
        }
        return new NftRule(table.family, table.name, chain.name, words, Optional.ofNullable(comment), l, source, no);
    }

    private static void set(Block s, String l, String source, int no) {
        if (l.startsWith("type ") || l.startsWith("typeof ")) {
            s.type = l.substring(l.indexOf(' ') + 1).strip();
        } else if (l.startsWith("flags ")) {
            for (String f : l.substring(6).split(",")) {
                s.flags.add(f.strip());
            }
        } else if (l.startsWith("comment ")) {
            s.comment = quoted(l.substring(8), source, no);
        } else if (l.startsWith("elements")) {
            int open = l.indexOf('{');
            int close = l.lastIndexOf('}');
            if (open < 0 || close < open) {
                throw new ImportException(source, no, "'" + l + "' is not an element list (elements = { … }); give "
                        + "the output of " + COMMAND);
            }
            s.elements.addAll(split(l.substring(open + 1, close)));
        }
        // size, timeout, gc-interval, policy, auto-merge, counter: nothing the tracer reads
    }

    private static void close(Block b, @Nullable Block parent, List<NftTable> tables, String source) {
        switch (b.kind) {
            case TABLE -> tables.add(new NftTable(b.family, b.name, Optional.ofNullable(b.comment), b.sets, b.chains,
                    source, b.line));
            case CHAIN -> parent.chains.add(new NftChain(b.name, Optional.ofNullable(b.base),
                    Optional.ofNullable(b.comment), b.rules, b.line));
            case SET -> parent.sets.add(new NftSet(b.name, b.map, b.type, b.flags, b.elements,
                    Optional.ofNullable(b.comment), b.line));
            case OTHER -> {
                // skipped whole
            }
        }
    }

    /** Splits {@code a, b . c : goto x, d} on the commas outside braces. */
    private static List<String> split(String inner) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                add(out, inner.substring(from, i));
                from = i + 1;
            }
        }
        add(out, inner.substring(from));
        return out;
    }

    private static void add(List<String> out, String element) {
        String e = element.strip().replaceAll("\\s+", " ");
        if (!e.isEmpty()) {
            out.add(e);
        }
    }

    private static String quoted(String text, String source, int no) {
        List<Word> w = InstalledRules.words(text, source, no, COMMAND);
        return w.isEmpty() ? "" : w.get(0).text();
    }

    /** Open braces minus closed ones outside quotes. */
    private static int balance(String l) {
        int n = 0;
        boolean q = false;
        for (int i = 0; i < l.length(); i++) {
            char c = l.charAt(i);
            if (c == '"' && (i == 0 || l.charAt(i - 1) != '\\')) {
                q = !q;
            } else if (!q && c == '{') {
                n++;
            } else if (!q && c == '}') {
                n--;
            }
        }
        return n;
    }

    /** The line without a {@code #} comment outside quotes ({@code # handle 7} of {@code nft -a}). */
    private static String stripComment(String l) {
        boolean q = false;
        for (int i = 0; i < l.length(); i++) {
            char c = l.charAt(i);
            if (c == '"' && (i == 0 || l.charAt(i - 1) != '\\')) {
                q = !q;
            } else if (!q && c == '#') {
                return l.substring(0, i);
            }
        }
        return l;
    }
}
