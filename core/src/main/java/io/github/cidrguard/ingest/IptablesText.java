package io.github.cidrguard.ingest;

import io.github.cidrguard.ingest.InstalledRules.IptMatch;
import io.github.cidrguard.ingest.InstalledRules.IptOption;
import io.github.cidrguard.ingest.InstalledRules.IptRule;
import io.github.cidrguard.ingest.InstalledRules.IptTable;
import io.github.cidrguard.ingest.InstalledRules.IptTarget;
import io.github.cidrguard.ingest.InstalledRules.Word;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The lexer and parser of {@code iptables-save} / {@code ip6tables-save} output: {@code *table}, {@code :CHAIN POLICY
 * [p:b]}, {@code -A CHAIN options…}, {@code COMMIT}, {@code #} comments; {@code iptables-save -c}'s {@code [p:b]}
 * counter prefix is dropped. Long option names of the header ({@code --source}, {@code --jump}, …) are read as the
 * short names iptables-save prints.
 */
final class IptablesText {
    private static final Map<String, String> LONG = Map.ofEntries(Map.entry("--source", "-s"),
            Map.entry("--destination", "-d"), Map.entry("--in-interface", "-i"), Map.entry("--out-interface", "-o"),
            Map.entry("--protocol", "-p"), Map.entry("--fragment", "-f"), Map.entry("--match", "-m"),
            Map.entry("--jump", "-j"), Map.entry("--goto", "-g"), Map.entry("--append", "-A"));
    private static final List<String> HEADER = List.of("-s", "-d", "-i", "-o", "-p", "-f");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9][0-9.]*");
    private static final Pattern COUNTERS = Pattern.compile("\\[[0-9]+:[0-9]+]\\s+");

    private IptablesText() {
    }

    static String command(String family) {
        return (family.equals("ip6") ? "ip6tables-save" : "iptables-save") + " (run on the node as root)";
    }

    static List<IptTable> parse(String text, String source, String family) {
        String command = command(family);
        List<IptTable> tables = new ArrayList<>();
        String table = null;
        int tableLine = 0;
        InstalledRules.ChainsBuilder chains = null;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int no = i + 1;
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.startsWith("*")) {
                if (table != null) {
                    tables.add(new IptTable(family, table, chains.build(), source, tableLine));
                }
                table = l.substring(1).strip();
                if (table.isEmpty() || table.contains(" ")) {
                    throw new ImportException(source, no, "'" + l + "' is not a table line (*nat, *filter, …); give "
                            + "the output of " + command + " unchanged");
                }
                tableLine = no;
                chains = new InstalledRules.ChainsBuilder();
                continue;
            }
            if (l.equals("COMMIT")) {
                if (table == null) {
                    throw new ImportException(source, no, "COMMIT without a *table line before it; give the whole "
                            + "output of " + command);
                }
                tables.add(new IptTable(family, table, chains.build(), source, tableLine));
                table = null;
                continue;
            }
            boolean chainLine = l.startsWith(":");
            boolean ruleLine = l.equals("-A") || l.startsWith("-A ") || l.startsWith("--append ") || COUNTERS.matcher(l).lookingAt();
            if (!chainLine && !ruleLine) {
                throw new ImportException(source, no, "'" + l + "' is not a line " + command.split(" ")[0]
                        + " writes (*table, :CHAIN, -A CHAIN …, COMMIT); give the output of " + command);
            }
            if (table == null) {
                throw new ImportException(source, no, "'" + l + "': " + (chainLine ? "chain" : "rule")
                        + " before any *table line; give the whole output of " + command);
            }
            if (chainLine) {
                String[] p = l.substring(1).strip().split("\\s+");
                if (p[0].isEmpty() || p.length > 3) {
                    throw new ImportException(source, no, "'" + l + "' is not a chain line (:NAME POLICY "
                            + "[packets:bytes]); give the output of " + command + " unchanged");
                }
                chains.declare(p[0], p.length > 1 && !p[1].equals("-") ? p[1] : null, no);
                continue;
            }
            chains.add(rule(family, table, l, source, no, command));
        }
        if (table != null) {
            // a file cut before COMMIT: keep what was read, iptables-restore would refuse it but the rules are facts
            tables.add(new IptTable(family, table, chains.build(), source, tableLine));
        }
        return tables;
    }

    /** One {@code -A} line: header options, then {@code -m} modules, then the target, as iptables-save orders them. */
    static IptRule rule(String family, String table, String line, String source, int no, String command) {
        var counters = COUNTERS.matcher(line);
        String l = counters.lookingAt() ? line.substring(counters.end()) : line;
        List<Word> w = InstalledRules.words(l, source, no, command);
        if (w.size() < 2 || !norm(w.get(0)).equals("-A")) {
            throw new ImportException(source, no, "'" + line + "' has no chain (-A CHAIN …); give the output of "
                    + command);
        }
        String chain = w.get(1).text();
        List<IptOption> header = new ArrayList<>();
        List<IptMatch> modules = new ArrayList<>();
        String module = null;
        List<IptOption> moduleOptions = new ArrayList<>();
        IptTarget target = null;
        boolean neg = false;
        int i = 2;
        while (i < w.size()) {
            Word word = w.get(i);
            String k = norm(word);
            if (!word.quoted() && k.equals("!")) {
                neg = true;
                i++;
                continue;
            }
            if (!isOption(word)) {
                throw new ImportException(source, no, "'" + word.text() + "' in '" + line + "' is neither an option "
                        + "nor the value of one; give the rule as " + command + " printed it");
            }
            if (k.equals("-m") || k.equals("-j") || k.equals("-g")) {
                if (i + 1 >= w.size()) {
                    throw new ImportException(source, no, "'" + line + "' ends after " + k + " without its name; give "
                            + "the rule as " + command + " printed it");
                }
                if (neg) {
                    throw new ImportException(source, no, "'! " + k + "' in '" + line + "': iptables negates options, "
                            + "not " + k + "; give the rule as " + command + " printed it");
                }
                if (module != null) {
                    modules.add(new IptMatch(module, moduleOptions));
                    module = null;
                    moduleOptions = new ArrayList<>();
                }
                String name = w.get(i + 1).text();
                i += 2;
                if (k.equals("-m")) {
                    module = name;
                    continue;
                }
                List<IptOption> opts = new ArrayList<>();
                i = options(w, i, opts, line, source, no, command);
                target = new IptTarget(name, k.equals("-j"), opts);
                break;
            }
            List<String> values = new ArrayList<>();
            i++;
            // iptables-save has printed "! --opt" since 1.4.3; the older "--opt ! value" is not read (a flag before a
            // negated option would be ambiguous)
            while (i < w.size() && (w.get(i).quoted() || !isOption(w.get(i)) && !w.get(i).text().equals("!"))) {
                values.add(w.get(i).text());
                i++;
            }
            IptOption o = new IptOption(k, neg, values);
            neg = false;
            if (HEADER.contains(k)) {
                header.add(o);
            } else if (module == null) {
                throw new ImportException(source, no, "option " + k + " in '" + line + "' belongs to no -m module; "
                        + "give the rule as " + command + " printed it");
            } else {
                moduleOptions.add(o);
            }
        }
        if (module != null) {
            modules.add(new IptMatch(module, moduleOptions));
        }
        if (neg) {
            throw new ImportException(source, no, "'" + line + "' ends with '!'; give the rule as " + command
                    + " printed it");
        }
        List<IptMatch> matches = new ArrayList<>();
        if (!header.isEmpty()) {
            matches.add(new IptMatch("", header));
        }
        matches.addAll(modules);
        return new IptRule(family, table, chain, matches, Optional.ofNullable(target), l.strip(), source,
                no);
    }

    /** A target's options: everything after {@code -j NAME}. */
    private static int options(List<Word> w, int from, List<IptOption> out, String line, String source, int no,
                               String command) {
        int i = from;
        boolean neg = false;
        while (i < w.size()) {
            Word word = w.get(i);
            if (!word.quoted() && word.text().equals("!")) {
                neg = true;
                i++;
                continue;
            }
            if (!isOption(word)) {
                throw new ImportException(source, no, "'" + word.text() + "' in '" + line + "' is neither a target "
                        + "option nor the value of one; give the rule as " + command + " printed it");
            }
            String k = norm(word);
            List<String> values = new ArrayList<>();
            i++;
            while (i < w.size() && (w.get(i).quoted() || !isOption(w.get(i)) && !w.get(i).text().equals("!"))) {
                values.add(w.get(i).text());
                i++;
            }
            out.add(new IptOption(k, neg, values));
            neg = false;
        }
        return i;
    }

    /** An unquoted word starting with a dash that is not a negative number. */
    private static boolean isOption(Word w) {
        String t = w.text();
        return !w.quoted() && t.length() > 1 && t.charAt(0) == '-' && !NUMBER.matcher(t).matches();
    }

    private static String norm(Word w) {
        return w.quoted() ? w.text() : LONG.getOrDefault(w.text(), w.text());
    }
}
