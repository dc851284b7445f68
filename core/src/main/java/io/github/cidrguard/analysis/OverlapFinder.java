package io.github.cidrguard.analysis;

import io.github.cidrguard.net.AddressRange;
import io.github.cidrguard.net.IpFamily;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The overlap engine: every overlapping pair among named address ranges, usable on its own (an IPAM inventory, a
 * list of VPCs) as well as by the cluster analysis.
 *
 * <pre>{@code
 * List<Overlap> pairs = OverlapFinder.find(List.of(
 *         NamedRange.of("pods", Cidr.parse("10.252.0.0/16")),
 *         NamedRange.of("lan", Cidr.parse("10.252.158.0/24"))));
 * // [CONTAINS pods 10.252.0.0/16 contains lan 10.252.158.0/24 on 10.252.158.0/24]
 * }</pre>
 *
 * <p>Inputs may mix IPv4 and IPv6, CIDRs and arbitrary ranges; the two families never overlap. The result lists
 * each overlapping pair once, classified as {@link Overlap.Kind#DUPLICATE}, {@link Overlap.Kind#CONTAINS} or
 * {@link Overlap.Kind#PARTIAL}, ordered by the first address of the intersection (IPv4 before IPv6) and then by the
 * input positions of the pair (lower position first, then the other). The order depends only on the input list.
 *
 * <p>Cost: O(n log n + k) time for n inputs and k pairs (reference/libraries.md §3.1). The inputs are copied into
 * primitive arrays (IPv4 as one long per bound, IPv6 as two), sorted by start, and swept once with an active list:
 * an entry leaves the list the first time a later start passes its end, and every entry still on the list when a
 * range starts overlaps that range. Each visit of a list entry therefore either reports a pair or removes the
 * entry, which is what bounds the sweep by n + k. For CIDR inputs the active list is the stack of enclosing blocks.
 */
public final class OverlapFinder {
    /** Flips the sign bit so that a signed sort of packed keys is an unsigned sort of addresses. */
    private static final long SIGN = Long.MIN_VALUE;

    private OverlapFinder() {
    }

    /**
     * Every overlapping pair among the inputs, in the order described in the class comment; empty when none
     * overlap (and for fewer than two inputs).
     *
     * @throws NullPointerException if the list or an element is null
     */
    public static List<Overlap> find(List<NamedRange> ranges) {
        Columns v4 = Columns.of(ranges, IpFamily.IPV4);
        Columns v6 = Columns.of(ranges, IpFamily.IPV6);
        PairBuffer pairs = new PairBuffer(Math.max(16, ranges.size() / 4));
        v4.sweep(v4.sortedOrder(), pairs);
        v6.sweep(v6.sortedOrder(), pairs);
        List<Overlap> out = new ArrayList<>(pairs.size);
        for (int p = 0; p < pairs.size; p++) {
            out.add(toOverlap(ranges, (int) (pairs.data[p] >>> 32), (int) pairs.data[p]));
        }
        return out;
    }

    /**
     * Whether any two inputs overlap: one sort and a linear scan that keeps the highest end seen so far, without
     * building pairs.
     *
     * @throws NullPointerException if the list or an element is null
     */
    public static boolean anyOverlap(List<NamedRange> ranges) {
        return Columns.of(ranges, IpFamily.IPV4).anyOverlap() || Columns.of(ranges, IpFamily.IPV6).anyOverlap();
    }

    /** Classifies the pair of input positions {@code i < j} on their (already known to overlap) ranges. */
    private static Overlap toOverlap(List<NamedRange> ranges, int i, int j) {
        NamedRange a = ranges.get(i);
        NamedRange b = ranges.get(j);
        AddressRange ra = a.range();
        AddressRange rb = b.range();
        int firsts = ra.first().compareTo(rb.first());
        int lasts = ra.last().compareTo(rb.last());
        if (firsts == 0 && lasts == 0) {
            return Overlap.classified(a, i, b, j, Overlap.Kind.DUPLICATE, ra);
        }
        if (firsts <= 0 && lasts >= 0) {
            return Overlap.classified(a, i, b, j, Overlap.Kind.CONTAINS, rb);
        }
        if (firsts >= 0 && lasts <= 0) {
            return Overlap.classified(b, j, a, i, Overlap.Kind.CONTAINS, ra);
        }
        // Partial: one starts lower and ends lower; the common part runs from the later start to the earlier end.
        return firsts < 0
                ? Overlap.classified(a, i, b, j, Overlap.Kind.PARTIAL, AddressRange.of(rb.first(), ra.last()))
                : Overlap.classified(b, j, a, i, Overlap.Kind.PARTIAL, AddressRange.of(ra.first(), rb.last()));
    }

    /**
     * The inputs of one family as parallel primitive arrays: start and end (for IPv6 also their high halves) and
     * the position in the input list. IPv4 leaves the high halves null.
     */
    private static final class Columns {
        final int n;
        final long[] startLo;
        final long[] endLo;
        final long[] startHi;
        final long[] endHi;
        final int[] input;

        private Columns(int n, boolean wide) {
            this.n = n;
            startLo = new long[n];
            endLo = new long[n];
            startHi = wide ? new long[n] : null;
            endHi = wide ? new long[n] : null;
            input = new int[n];
        }

        static Columns of(List<NamedRange> ranges, IpFamily family) {
            int size = ranges.size();
            int count = 0;
            for (int i = 0; i < size; i++) {
                if (ranges.get(i).range().family() == family) {
                    count++;
                }
            }
            Columns c = new Columns(count, family == IpFamily.IPV6);
            int k = 0;
            for (int i = 0; i < size && k < count; i++) {
                AddressRange r = ranges.get(i).range();
                if (r.family() != family) {
                    continue;
                }
                c.startLo[k] = r.first().low();
                c.endLo[k] = r.last().low();
                if (c.startHi != null) {
                    c.startHi[k] = r.first().high();
                    c.endHi[k] = r.last().high();
                }
                c.input[k++] = i;
            }
            return c;
        }

        /** Whether column entry {@code a} ends before entry {@code b} starts. */
        boolean endsBeforeStart(int a, int b) {
            if (startHi == null) {
                return endLo[a] < startLo[b]; // IPv4 values are non-negative longs
            }
            int c = Long.compareUnsigned(endHi[a], startHi[b]);
            return c < 0 || (c == 0 && Long.compareUnsigned(endLo[a], startLo[b]) < 0);
        }

        boolean sameStart(int a, int b) {
            return startLo[a] == startLo[b] && (startHi == null || startHi[a] == startHi[b]);
        }

        /** Column entries ordered by start, ties by column position (= input order). */
        int[] sortedOrder() {
            int[] order = new int[n];
            if (startHi == null) {
                // Start in the high 32 bits, column position in the low 32: one primitive sort, no comparator.
                long[] keys = new long[n];
                for (int k = 0; k < n; k++) {
                    keys[k] = ((startLo[k] << 32) | k) ^ SIGN;
                }
                Arrays.sort(keys);
                for (int k = 0; k < n; k++) {
                    order[k] = (int) keys[k];
                }
                return order;
            }
            for (int k = 0; k < n; k++) {
                order[k] = k;
            }
            IndexSort.sort(order, (a, b) -> {
                int c = Long.compareUnsigned(startHi[a], startHi[b]);
                if (c == 0) {
                    c = Long.compareUnsigned(startLo[a], startLo[b]);
                }
                return c != 0 ? c : Integer.compare(a, b);
            });
            return order;
        }

        /** The active-list sweep; appends each pair as (lower input position, higher input position). */
        void sweep(int[] order, PairBuffer out) {
            int[] active = new int[Math.min(n, 64)];
            int live = 0;
            int groupFrom = out.size;
            int prev = -1;
            for (int t = 0; t < n; t++) {
                int c = order[t];
                if (prev >= 0 && !sameStart(prev, c)) {
                    out.sortFrom(groupFrom); // pairs of one intersection start, put into input order
                    groupFrom = out.size;
                }
                prev = c;
                int ci = input[c];
                for (int s = 0; s < live; ) {
                    int a = active[s];
                    if (endsBeforeStart(a, c)) {
                        active[s] = active[--live]; // a ends before every later start: drop it for good
                    } else {
                        int ai = input[a];
                        out.add(ai < ci ? ((long) ai << 32) | ci : ((long) ci << 32) | ai);
                        s++;
                    }
                }
                if (live == active.length) {
                    active = Arrays.copyOf(active, Math.min(n, active.length * 2));
                }
                active[live++] = c;
            }
            out.sortFrom(groupFrom);
        }

        boolean anyOverlap() {
            if (n < 2) {
                return false;
            }
            int[] order = sortedOrder();
            int maxEnd = order[0]; // the entry with the highest end so far
            for (int t = 1; t < n; t++) {
                int c = order[t];
                if (!endsBeforeStart(maxEnd, c)) {
                    return true;
                }
                maxEnd = c; // c starts after every earlier end, so its end is now the highest
            }
            return false;
        }
    }

    /** A growable array of packed pairs (high 32 bits: lower input position; low 32 bits: the higher one). */
    private static final class PairBuffer {
        long[] data;
        int size;

        PairBuffer(int capacity) {
            data = new long[capacity];
        }

        void add(long pair) {
            if (size == data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = pair;
        }

        void sortFrom(int from) {
            if (size - from > 1) {
                Arrays.sort(data, from, size);
            }
        }
    }
}
