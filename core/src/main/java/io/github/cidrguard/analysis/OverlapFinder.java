package io.github.cidrguard.analysis;

import io.github.cidrguard.net.AddressRange;

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
 * <p>Cost: O(n log n + k) time for n inputs and k pairs. The inputs are copied into
 * primitive arrays (IPv4 as one long per bound, IPv6 as two), sorted by start, and swept once with an active list:
 * an entry leaves the list the first time a later start passes its end, and every entry still on the list when a
 * range starts overlaps that range. Each visit of a list entry therefore either reports a pair or removes the
 * entry, which is what bounds the sweep by n + k. For CIDR inputs the active list is the stack of enclosing blocks.
 * IPv4 is sorted with a stable three-pass radix sort on the start address (linear, and it carries the ends along so
 * the sweep reads memory in order); IPv6 with a merge sort of indices. At most 2^30 inputs per call.
 */
public final class OverlapFinder {
    /**
     * Pair encoding: lower input position in bits 34–63, higher in bits 4–33, the shape in bits 0–3: one of the
     * constants below, which says the kind and which of the two comes first in the {@link Overlap}.
     */
    private static final int SHAPE_BITS = 4;
    private static final int DUPLICATE = 0;
    private static final int LOWER_CONTAINS = 1;
    private static final int HIGHER_CONTAINS = 2;
    private static final int LOWER_STARTS_FIRST = 3;
    private static final int HIGHER_STARTS_FIRST = 4;
    /** Input positions must fit the 30 bits the pair encoding gives them. */
    static final int MAX_INPUTS = 1 << 30;

    private OverlapFinder() {
    }

    /**
     * Every overlapping pair among the inputs, in the order described in the class comment; empty when none
     * overlap (and for fewer than two inputs).
     *
     * @throws NullPointerException if the list or an element is null
     * @throws IllegalArgumentException if the list holds more than 2^30 ranges
     */
    public static List<Overlap> find(List<NamedRange> ranges) {
        if (ranges.size() > MAX_INPUTS) {
            throw new IllegalArgumentException(ranges.size() + " ranges are more than the " + MAX_INPUTS
                    + " the engine takes at once; split the input, e.g. by family or by top-level block");
        }
        Split split = Split.of(ranges);
        PairBuffer pairs = new PairBuffer(Math.max(16, ranges.size() / 4));
        if (split.v4 != null) {
            split.v4.sweep(pairs);
        }
        if (split.v6 != null) {
            split.v6.sweep(pairs);
        }
        List<Overlap> out = new ArrayList<>(pairs.size);
        for (int p = 0; p < pairs.size; p++) {
            long pair = pairs.data[p];
            out.add(toOverlap(ranges, (int) (pair >>> 34), (int) (pair >>> SHAPE_BITS) & (MAX_INPUTS - 1),
                    (int) pair & 15));
        }
        return out;
    }

    /**
     * Whether any two inputs overlap: the same sort, then a linear scan that keeps the highest end seen so far,
     * without building pairs.
     *
     * @throws NullPointerException if the list or an element is null
     */
    public static boolean anyOverlap(List<NamedRange> ranges) {
        Split split = Split.of(ranges);
        return (split.v4 != null && split.v4.anyOverlap()) || (split.v6 != null && split.v6.anyOverlap());
    }

    /** Builds the result object of input positions {@code i < j} in the shape the sweep found. */
    private static Overlap toOverlap(List<NamedRange> ranges, int i, int j, int shape) {
        NamedRange a = ranges.get(i);
        NamedRange b = ranges.get(j);
        return switch (shape) {
            case DUPLICATE -> Overlap.classified(a, i, b, j, Overlap.Kind.DUPLICATE, a.range());
            case LOWER_CONTAINS -> Overlap.classified(a, i, b, j, Overlap.Kind.CONTAINS, b.range());
            case HIGHER_CONTAINS -> Overlap.classified(b, j, a, i, Overlap.Kind.CONTAINS, a.range());
            // partial: the common part runs from the later start to the earlier end
            case LOWER_STARTS_FIRST -> Overlap.classified(a, i, b, j, Overlap.Kind.PARTIAL,
                    AddressRange.of(b.range().first(), a.range().last()));
            default -> Overlap.classified(b, j, a, i, Overlap.Kind.PARTIAL,
                    AddressRange.of(a.range().first(), b.range().last()));
        };
    }

    /**
     * Packs the pair of the active entry {@code a} and the current entry {@code c} (which starts at or after
     * {@code a}); {@code starts} and {@code ends} compare a's bounds with c's. Sorting packed pairs orders them by
     * (lower position, higher position).
     */
    private static long pair(int a, int c, int starts, int ends) {
        int outerOrFirst; // DUPLICATE: nobody; otherwise 0 if a, 1 if c
        int shape;
        if (starts == 0 && ends == 0) {
            return pack(a, c, DUPLICATE);
        } else if (ends >= 0) {
            outerOrFirst = 0; // a starts no later and ends no earlier: a contains c
            shape = LOWER_CONTAINS;
        } else if (starts == 0) {
            outerOrFirst = 1; // same start, c ends later: c contains a
            shape = LOWER_CONTAINS;
        } else {
            outerOrFirst = 0; // a starts first and ends first (within c): partial
            shape = LOWER_STARTS_FIRST;
        }
        boolean aIsLower = a < c;
        boolean lowerFirst = (outerOrFirst == 0) == aIsLower;
        if (!lowerFirst) {
            shape = shape == LOWER_CONTAINS ? HIGHER_CONTAINS : HIGHER_STARTS_FIRST;
        }
        return pack(a, c, shape);
    }

    private static long pack(int x, int y, int shape) {
        return ((long) Math.min(x, y) << 34) | ((long) Math.max(x, y) << SHAPE_BITS) | shape;
    }

    /** The inputs split by family into primitive columns; a family without inputs is null. */
    private record Split(V4 v4, V6 v6) {
        static Split of(List<NamedRange> ranges) {
            int n = ranges.size();
            // One pass over the objects (the expensive, pointer-chasing part); IPv6 positions are set aside.
            long[] keys = new long[n];
            long[] ends = new long[n];
            int n4 = 0;
            int[] v6 = null;
            int n6 = 0;
            for (int i = 0; i < n; i++) {
                NamedRange r = ranges.get(i);
                if (r.ipv4) {
                    keys[n4] = (r.firstLo << 32) | i;
                    ends[n4++] = r.lastLo;
                } else {
                    if (v6 == null) {
                        v6 = new int[Math.min(n, 16)];
                    } else if (n6 == v6.length) {
                        v6 = Arrays.copyOf(v6, Math.min(n, n6 * 2));
                    }
                    v6[n6++] = i;
                }
            }
            return new Split(n4 < 2 ? null : V4.of(keys, ends, n4), n6 < 2 ? null : V6.of(ranges, v6, n6));
        }
    }

    /**
     * IPv4 entries sorted by start: {@code keys[t]} holds the start in its high 32 bits and the input position in
     * its low 32 bits; {@code ends[t]} the last address of the same entry.
     */
    private static final class V4 {
        final long[] keys;
        final long[] ends;
        final int n;

        private V4(long[] keys, long[] ends, int n) {
            this.keys = keys;
            this.ends = ends;
            this.n = n;
        }

        /** Takes the arrays in input order and sorts them together by start. */
        static V4 of(long[] keys, long[] ends, int n) {
            long[][] sorted = radixSortByStart(keys, ends, n);
            return new V4(sorted[0], sorted[1], n);
        }

        /**
         * Stable LSD radix sort of the first {@code n} keys (and their ends) on bits 32–63 in passes of 11, 11
         * and 10 bits. Keys arrive in input order, and stability keeps that order among equal starts, which is the
         * tie-break the result order needs.
         */
        private static long[][] radixSortByStart(long[] keys, long[] ends, int n) {
            long[] k = keys;
            long[] e = ends;
            long[] k2 = new long[n];
            long[] e2 = new long[n];
            int[][] counts = new int[3][2049];
            for (int t = 0; t < n; t++) {
                long key = k[t];
                counts[0][(int) (key >>> 32) & 2047]++;
                counts[1][(int) (key >>> 43) & 2047]++;
                counts[2][(int) (key >>> 54) & 1023]++;
            }
            for (int pass = 0; pass < 3; pass++) {
                int[] c = counts[pass];
                int shift = 32 + 11 * pass;
                if (c[(int) (k[0] >>> shift) & (pass == 2 ? 1023 : 2047)] == n) {
                    continue; // every key has the same digit: this pass would not move anything
                }
                int sum = 0;
                for (int d = 0; d < c.length; d++) {
                    int x = c[d];
                    c[d] = sum;
                    sum += x;
                }
                int mask = pass == 2 ? 1023 : 2047;
                for (int t = 0; t < n; t++) {
                    long key = k[t];
                    int dst = c[(int) (key >>> shift) & mask]++;
                    k2[dst] = key;
                    e2[dst] = e[t];
                }
                long[] swap = k;
                k = k2;
                k2 = swap;
                swap = e;
                e = e2;
                e2 = swap;
            }
            return new long[][] {k, e};
        }

        void sweep(PairBuffer out) {
            int[] active = new int[Math.min(n, 64)];
            int live = 0;
            int groupFrom = out.size;
            long prevStart = -1;
            for (int t = 0; t < n; t++) {
                long start = keys[t] >>> 32;
                long end = ends[t];
                int input = (int) keys[t];
                if (start != prevStart) {
                    out.sortFrom(groupFrom); // pairs of one intersection start, put into input order
                    groupFrom = out.size;
                    prevStart = start;
                }
                for (int s = 0; s < live; ) {
                    int a = active[s];
                    long aEnd = ends[a];
                    if (aEnd < start) {
                        active[s] = active[--live]; // a ends before every later start: drop it for good
                    } else {
                        long aStart = keys[a] >>> 32;
                        out.add(pair((int) keys[a], input, Long.compare(aStart, start), Long.compare(aEnd, end)));
                        s++;
                    }
                }
                if (live == active.length) {
                    active = Arrays.copyOf(active, Math.min(n, active.length * 2));
                }
                active[live++] = t;
            }
            out.sortFrom(groupFrom);
        }

        boolean anyOverlap() {
            long maxEnd = ends[0];
            for (int t = 1; t < n; t++) {
                if ((keys[t] >>> 32) <= maxEnd) {
                    return true;
                }
                maxEnd = ends[t]; // t starts after every earlier end, so its end is now the highest
            }
            return false;
        }
    }

    /** IPv6 entries as unsigned (high, low) halves of start and end, with a sorted order of column positions. */
    private static final class V6 {
        final long[] startHi;
        final long[] startLo;
        final long[] endHi;
        final long[] endLo;
        final int[] input;
        final int[] order;
        final int n;

        private V6(int n) {
            this.n = n;
            startHi = new long[n];
            startLo = new long[n];
            endHi = new long[n];
            endLo = new long[n];
            input = new int[n];
            order = new int[n];
        }

        static V6 of(List<NamedRange> ranges, int[] positions, int n) {
            V6 c = new V6(n);
            for (int k = 0; k < n; k++) {
                NamedRange r = ranges.get(positions[k]);
                c.startHi[k] = r.firstHi;
                c.startLo[k] = r.firstLo;
                c.endHi[k] = r.lastHi;
                c.endLo[k] = r.lastLo;
                c.input[k] = positions[k];
                c.order[k] = k;
            }
            // Column positions follow input order, so the last tie-break keeps equal starts in input order.
            IndexSort.sort(c.order, (a, b) -> {
                int x = compare(c.startHi[a], c.startLo[a], c.startHi[b], c.startLo[b]);
                return x != 0 ? x : Integer.compare(a, b);
            });
            return c;
        }

        private static int compare(long hiA, long loA, long hiB, long loB) {
            int c = Long.compareUnsigned(hiA, hiB);
            return c != 0 ? c : Long.compareUnsigned(loA, loB);
        }

        void sweep(PairBuffer out) {
            int[] active = new int[Math.min(n, 64)];
            int live = 0;
            int groupFrom = out.size;
            int prev = -1;
            for (int t = 0; t < n; t++) {
                int c = order[t];
                if (prev < 0 || compare(startHi[prev], startLo[prev], startHi[c], startLo[c]) != 0) {
                    out.sortFrom(groupFrom);
                    groupFrom = out.size;
                }
                prev = c;
                for (int s = 0; s < live; ) {
                    int a = active[s];
                    if (compare(endHi[a], endLo[a], startHi[c], startLo[c]) < 0) {
                        active[s] = active[--live];
                    } else {
                        out.add(pair(input[a], input[c],
                                compare(startHi[a], startLo[a], startHi[c], startLo[c]),
                                compare(endHi[a], endLo[a], endHi[c], endLo[c])));
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
            int maxEnd = order[0];
            for (int t = 1; t < n; t++) {
                int c = order[t];
                if (compare(endHi[maxEnd], endLo[maxEnd], startHi[c], startLo[c]) >= 0) {
                    return true;
                }
                maxEnd = c;
            }
            return false;
        }
    }

    /** A growable array of packed pairs. */
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
