package io.github.cidrguard.trace;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cidrguard.net.AddressRange;
import io.github.cidrguard.net.IpAddress;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Exhaustive reachability (docs/architecture.md ("Traces")): per source class, every destination range that is not delivered, with
 * verdict and reason. The address space is cut into atoms by every modelled boundary and one trace decides each atom
 * (traces of equivalent source/atom pairs are shared). Ranges are listed in address order; adjacent atoms with the
 * same outcome are merged.
 */
public final class Reachability {
    private final String scenario;
    private final List<Source> sources;
    private final List<Coverage> coverage;
    private List<Group> groups;

    Reachability(String scenario, List<Source> sources) {
        this(scenario, sources, List.of());
    }

    Reachability(String scenario, List<Source> sources, List<Coverage> coverage) {
        this.scenario = scenario;
        this.sources = List.copyOf(sources);
        this.coverage = List.copyOf(coverage);
    }

    /** One answer of both families' answers: the IPv4 sources, then the IPv6 ones, each family's coverage. */
    static Reachability combine(String scenario, List<Reachability> parts) {
        List<Source> s = new ArrayList<>();
        List<Coverage> c = new ArrayList<>();
        for (Reachability r : parts) {
            s.addAll(r.sources);
            c.addAll(r.coverage);
        }
        return new Reachability(scenario, s, c);
    }

    /**
     * What was covered per address family, IPv4 first then IPv6: every family is listed, one the plan has no address
     * of with zero sources and a note saying so, so that no family is skipped silently.
     */
    public List<Coverage> coverage() {
        return coverage;
    }

    /** {@code IPv4: 6 sources, 240 flows; IPv6: 6 sources, 180 flows}, each family's note in parentheses. */
    public String coverageText() {
        List<String> parts = new ArrayList<>();
        for (Coverage c : coverage) {
            parts.add(c.family().label() + ": " + (c.sources() == 0 && !c.note().isEmpty() ? c.note()
                    : c.sources() + (c.sources() == 1 ? " source, " : " sources, ") + c.flows()
                    + (c.flows() == 1 ? " flow" : " flows") + (c.note().isEmpty() ? "" : " (" + c.note() + ")")));
        }
        return String.join("; ", parts);
    }

    /**
     * One family's share of the answer.
     *
     * @param family the address family
     * @param sources the source classes traced in it
     * @param destinationRanges the atoms its address space was cut into
     * @param flows the (source, destination range) pairs decided: sources times ranges
     * @param note what was not covered and why (no address of the family, kube-proxy rules not modelled), or empty
     */
    public record Coverage(io.github.cidrguard.net.IpFamily family, int sources, int destinationRanges, long flows,
                           String note) {
        /** Checks the values. */
        public Coverage {
            java.util.Objects.requireNonNull(family, "family");
            java.util.Objects.requireNonNull(note, "note");
        }
    }

    /** The source classes, in scenario order: the pods of each node, each node, each declared network. */
    public List<Source> sources() {
        return sources;
    }

    /**
     * The sources grouped by identical failure lists, in the order of each group's first member (scenario order).
     * Members of one equivalence class usually share their list (healthy plans put thousands of nodes in one group),
     * but a member whose own atoms fare differently gets a group of its own: a group never hides a difference.
     * Computing the groups makes members share one list, so a large plan holds each distinct list once.
     */
    public List<Group> groups() {
        if (groups == null) {
            Map<List<Failure>, List<Source>> byFailures = new HashMap<>();
            List<List<Source>> order = new ArrayList<>();
            for (Source s : sources) {
                List<Source> members = byFailures.get(s.failures());
                if (members == null) {
                    members = new ArrayList<>();
                    byFailures.put(s.failures(), members);
                    order.add(members);
                } else {
                    s.failures = members.get(0).failures;
                }
                members.add(s);
            }
            List<Group> out = new ArrayList<>(order.size());
            for (List<Source> m : order) {
                out.add(new Group(m, m.get(0).failures()));
            }
            groups = List.copyOf(out);
        }
        return groups;
    }

    /** Counts over the whole answer: sources, groups and the failing (source, range) pairs per verdict. */
    public Summary summary() {
        Map<Verdict, Long> byVerdict = new EnumMap<>(Verdict.class);
        long flows = 0;
        for (Group g : groups()) {
            for (Failure f : g.failures()) {
                byVerdict.merge(f.verdict(), (long) g.members().size(), Long::sum);
                flows += g.members().size();
            }
        }
        return new Summary(sources.size(), groups().size(), flows, byVerdict);
    }

    /**
     * The answer as JSON: {@code {"cidrguard":1,"scenario":…,"sources":[{"source":…,"failures":[…]}],
     * "groups":[{"name":…,"count":…,"members":[…],"failures":[…]}],"summary":{…}}} (docs/schema/reach.schema.json).
     * {@code sources} lists every source with its own failures as it always has; {@code groups} holds every source
     * too, once, under the failure list it shares with its group.
     */
    public String toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("cidrguard", 1);
        o.put("scenario", scenario);
        ArrayNode cov = o.putArray("coverage");
        for (Coverage c : coverage) {
            ObjectNode co = cov.addObject();
            co.put("family", c.family().label());
            co.put("sources", c.sources());
            co.put("destinationRanges", c.destinationRanges());
            co.put("flows", c.flows());
            co.put("note", c.note());
        }
        ArrayNode arr = o.putArray("sources");
        for (Source s : sources) {
            ObjectNode so = arr.addObject();
            so.put("source", s.name());
            so.put("family", s.family().label());
            so.put("representative", s.representative());
            failures(so.putArray("failures"), s.failures());
        }
        ArrayNode gs = o.putArray("groups");
        for (Group g : groups()) {
            ObjectNode go = gs.addObject();
            go.put("name", g.name());
            go.put("count", g.members().size());
            go.put("representative", g.members().get(0).representative());
            ArrayNode m = go.putArray("members");
            g.members().forEach(s -> m.add(s.name()));
            failures(go.putArray("failures"), g.failures());
        }
        Summary sum = summary();
        ObjectNode so = o.putObject("summary");
        so.put("sources", sum.sources());
        so.put("groups", sum.groups());
        so.put("failingFlows", sum.failingFlows());
        ObjectNode bv = so.putObject("byVerdict");
        sum.byVerdict().forEach((v, n) -> bv.put(v.name(), n));
        return Json.write(o);
    }

    private static void failures(ArrayNode f, List<Failure> failures) {
        for (Failure x : failures) {
            ObjectNode fo = f.addObject();
            fo.put("range", x.text());
            fo.put("verdict", x.verdict().name());
            fo.put("reason", x.reason().name());
        }
    }

    /**
     * Sources whose failure lists are identical, in scenario order.
     *
     * @param members at least one source
     * @param failures the list they share
     */
    public record Group(List<Source> members, List<Failure> failures) {
        /** At most this many runs of consecutive names are spelled out in {@link #name()}. */
        static final int RUNS_SHOWN = 4;

        /** Copies the members. */
        public Group {
            members = List.copyOf(members);
            failures = List.copyOf(failures);
        }

        /**
         * The members named compactly: a lone source by its name ({@code pods of node-71}); runs of names that differ
         * only in a consecutive trailing number as {@code pods of node-00000…node-16383}; at most four runs, then
         * {@code … and 12 more}. The count is {@code members().size()}.
         */
        public String name() {
            int n = members.size();
            if (n == 1) {
                return members.get(0).name();
            }
            List<String> runs = new ArrayList<>();
            int i = 0;
            int shown = 0;
            while (i < n && runs.size() < RUNS_SHOWN) {
                int j = i;
                while (j + 1 < n && follows(members.get(j).name(), members.get(j + 1).name())) {
                    j++;
                }
                String a = members.get(i).name();
                runs.add(j == i ? a : a + "…" + shortened(a, members.get(j).name()));
                shown = j + 1;
                i = j + 1;
            }
            return String.join(", ", runs) + (shown < n ? " … and " + grouped(n - shown) + " more" : "");
        }

        /** Whether b is a's name with its trailing number plus one, in the same width when zero-padded. */
        static boolean follows(String a, String b) {
            int da = digitsFrom(a);
            int db = digitsFrom(b);
            if (da == a.length() || db == b.length() || !a.regionMatches(0, b, 0, da) || da != db) {
                return false;
            }
            String na = a.substring(da);
            String nb = b.substring(db);
            if (na.length() > 18 || nb.length() > 18) {
                return false;
            }
            boolean padded = na.length() > 1 && na.charAt(0) == '0' || nb.length() > 1 && nb.charAt(0) == '0';
            if (padded && na.length() != nb.length()) {
                return false;
            }
            return Long.parseLong(nb) == Long.parseLong(na) + 1;
        }

        private static int digitsFrom(String s) {
            int k = s.length();
            while (k > 0 && Character.isDigit(s.charAt(k - 1)) && s.charAt(k - 1) < 128) {
                k--;
            }
            return k;
        }

        /** The last name of a run without the words it shares with the first ({@code pods of }). */
        private static String shortened(String first, String last) {
            int common = 0;
            while (common < first.length() && common < last.length() && first.charAt(common) == last.charAt(common)) {
                common++;
            }
            int cut = first.lastIndexOf(' ', common - 1);
            return last.substring(cut + 1);
        }

        /** 16384 as {@code 16 384}: big counts read at a glance. */
        private static String grouped(long n) {
            return String.format(java.util.Locale.ROOT, "%,d", n).replace(',', ' ');
        }
    }

    /**
     * Counts over a whole answer.
     *
     * @param sources the source classes traced
     * @param groups the groups of identical failure lists
     * @param failingFlows (source, destination range) pairs not delivered, every member of a group counted
     * @param byVerdict the same pairs per verdict; verdicts without any are absent
     */
    public record Summary(int sources, int groups, long failingFlows, Map<Verdict, Long> byVerdict) {
        /** Copies the map, keeping the verdicts in their declared order. */
        public Summary {
            byVerdict = java.util.Collections.unmodifiableMap(new EnumMap<>(byVerdict));
        }
    }

    /** One destination range that is not delivered. */
    public record Failure(AddressRange range, Verdict verdict, Reason reason) {
        /** The range as a CIDR when it is one block, else {@code first-last}. */
        public String text() {
            if (!range.first().isIpv4()) {
                return range.asCidr().map(Object::toString).orElse(range.toString());
            }
            long f = range.first().low();
            long l = range.last().low();
            long size = l - f + 1;
            if (Long.bitCount(size) == 1 && (f & (size - 1)) == 0) {
                return range.first() + "/" + (32 - Long.numberOfTrailingZeros(size));
            }
            return range.toString();
        }

        static Failure of(IpAddress first, IpAddress last, int code) {
            return new Failure(AddressRange.of(first, last), Verdict.values()[code >> 8], Reason.values()[code & 0xff]);
        }
    }

    /** One source class and its failures. */
    public static final class Source {
        private final String name;
        private final String representative;
        private final io.github.cidrguard.net.IpFamily family;
        private final boolean inCluster;
        private final Supplier<List<Failure>> compute;
        private List<Failure> failures;

        Source(String name, String representative, boolean inCluster, Supplier<List<Failure>> compute) {
            this.name = name;
            this.representative = representative;
            this.family = IpAddress.parse(representative).family();
            this.inCluster = inCluster;
            this.compute = compute;
        }

        /** e.g. {@code pods of node-71}, {@code node node-71}, {@code network office-vpn}. */
        public String name() {
            return name;
        }

        /**
         * Whether the source is part of the cluster (the pods of a node, or a node), which is meant to reach every
         * node, pod and ClusterIP; a declared network usually has no route into the pod network, and need not.
         */
        public boolean inCluster() {
            return inCluster;
        }

        /** The address family its traces ran in (its representative's). */
        public io.github.cidrguard.net.IpFamily family() {
            return family;
        }

        /** The address that stood for the class in the traces. */
        public String representative() {
            return representative;
        }

        /** Every destination range not delivered from this source, in address order. */
        public List<Failure> failures() {
            if (failures == null) {
                failures = List.copyOf(compute.get());
            }
            return failures;
        }

        /** The failure covering an address, if any. */
        public java.util.Optional<Failure> failureFor(IpAddress a) {
            for (Failure f : failures()) {
                if (f.range().contains(a)) {
                    return java.util.Optional.of(f);
                }
            }
            return java.util.Optional.empty();
        }

        /**
         * Failures from atom coordinates, adjacent ones with one outcome merged; {@code lo} and {@code hi} turn a
         * coordinate into the atom's first and last address.
         */
        static List<Failure> merge(long[] first, long[] last, int[] code, int n,
                                   java.util.function.LongFunction<IpAddress> lo,
                                   java.util.function.LongFunction<IpAddress> hi) {
            List<Failure> out = new ArrayList<>();
            int i = 0;
            while (i < n) {
                int j = i;
                while (j + 1 < n && last[j] + 1 == first[j + 1] && code[j + 1] == code[i]) {
                    j++;
                }
                out.add(Failure.of(lo.apply(first[i]), hi.apply(last[j]), code[i]));
                i = j + 1;
            }
            return out;
        }
    }
}
