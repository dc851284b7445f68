package io.github.cidrguard.net;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * An immutable set of addresses of either or both families, kept as the sorted list of maximal disjoint ranges.
 *
 * <p>Used for free space ("the Network minus every lease and reserved range"), for cutting the address space into
 * atoms, and wherever a union of CIDRs must be compared as addresses rather than as blocks. Equal sets have equal
 * range lists however they were built.
 */
public final class AddressSet {
    private static final AddressSet EMPTY = new AddressSet(List.of());

    /** Sorted, pairwise disjoint and non-adjacent. */
    private final List<AddressRange> ranges;

    private AddressSet(List<AddressRange> normalized) {
        this.ranges = normalized;
    }

    /** The empty set. */
    public static AddressSet empty() {
        return EMPTY;
    }

    /** The addresses of the given blocks. */
    public static AddressSet of(Cidr... cidrs) {
        return ofCidrs(Arrays.asList(cidrs));
    }

    /** The addresses of the given blocks. */
    public static AddressSet ofCidrs(Collection<Cidr> cidrs) {
        List<AddressRange> rs = new ArrayList<>(cidrs.size());
        for (Cidr c : cidrs) {
            rs.add(c.toRange());
        }
        return ofRanges(rs);
    }

    /** The addresses of the given ranges. */
    public static AddressSet ofRanges(Collection<AddressRange> ranges) {
        if (ranges.isEmpty()) {
            return EMPTY;
        }
        List<AddressRange> sorted = new ArrayList<>(ranges);
        Collections.sort(sorted);
        List<AddressRange> out = new ArrayList<>(sorted.size());
        AddressRange cur = sorted.get(0);
        for (int i = 1; i < sorted.size(); i++) {
            AddressRange r = sorted.get(i);
            if (touches(cur, r)) {
                if (r.last().compareTo(cur.last()) > 0) {
                    cur = AddressRange.of(cur.first(), r.last());
                }
            } else {
                out.add(cur);
                cur = r;
            }
        }
        out.add(cur);
        return new AddressSet(List.copyOf(out));
    }

    /** Whether {@code b} (which starts at or after {@code a}) overlaps {@code a} or starts right after it. */
    private static boolean touches(AddressRange a, AddressRange b) {
        if (a.family() != b.family()) {
            return false;
        }
        return a.last().isMax() || b.first().compareTo(a.last().plus(1)) <= 0;
    }

    /** The maximal ranges of this set, sorted, IPv4 first. */
    public List<AddressRange> ranges() {
        return ranges;
    }

    /** The fewest CIDR blocks that cover exactly this set, in address order. */
    public List<Cidr> cidrs() {
        List<Cidr> out = new ArrayList<>();
        for (AddressRange r : ranges) {
            out.addAll(r.toCidrs());
        }
        return out;
    }

    /** Whether the set holds no address. */
    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** The number of addresses. */
    public BigInteger size() {
        BigInteger n = BigInteger.ZERO;
        for (AddressRange r : ranges) {
            n = n.add(r.size());
        }
        return n;
    }

    /** Whether the address is in the set. */
    public boolean contains(IpAddress a) {
        int i = indexAtOrBefore(a);
        return i >= 0 && ranges.get(i).contains(a);
    }

    /** Whether every address of the block is in the set. */
    public boolean contains(Cidr c) {
        int i = indexAtOrBefore(c.first());
        return i >= 0 && ranges.get(i).contains(c);
    }

    /** Whether some address of the block is in the set. */
    public boolean overlaps(Cidr c) {
        return overlaps(c.toRange());
    }

    /** Whether some address of the range is in the set. */
    public boolean overlaps(AddressRange r) {
        int i = indexAtOrBefore(r.last());
        return i >= 0 && ranges.get(i).overlaps(r);
    }

    /** Index of the last range whose first address is ≤ a, or -1. */
    private int indexAtOrBefore(IpAddress a) {
        int lo = 0;
        int hi = ranges.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (ranges.get(mid).first().compareTo(a) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Every address in either set. */
    public AddressSet union(AddressSet other) {
        if (other.isEmpty()) {
            return this;
        }
        List<AddressRange> all = new ArrayList<>(ranges);
        all.addAll(other.ranges);
        return ofRanges(all);
    }

    /** The addresses in both sets. */
    public AddressSet intersect(AddressSet other) {
        List<AddressRange> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < ranges.size() && j < other.ranges.size()) {
            AddressRange a = ranges.get(i);
            AddressRange b = other.ranges.get(j);
            a.intersection(b).ifPresent(out::add);
            if (a.last().compareTo(b.last()) < 0) {
                i++;
            } else {
                j++;
            }
        }
        return out.isEmpty() ? EMPTY : new AddressSet(List.copyOf(out));
    }

    /** The addresses of this set that are not in {@code other}. */
    public AddressSet subtract(AddressSet other) {
        List<AddressRange> out = new ArrayList<>();
        int j = 0;
        for (AddressRange a : ranges) {
            IpAddress start = a.first();
            boolean done = false;
            while (j < other.ranges.size() && other.ranges.get(j).last().compareTo(start) < 0) {
                j++;
            }
            int k = j;
            while (!done && k < other.ranges.size()) {
                AddressRange b = other.ranges.get(k);
                if (b.first().compareTo(a.last()) > 0) {
                    break;
                }
                if (b.first().compareTo(start) > 0) {
                    out.add(AddressRange.of(start, b.first().plus(-1)));
                }
                if (b.last().compareTo(a.last()) >= 0) {
                    done = true;
                } else {
                    start = b.last().plus(1);
                    k++;
                }
            }
            if (!done) {
                out.add(AddressRange.of(start, a.last()));
            }
        }
        return out.isEmpty() ? EMPTY : new AddressSet(List.copyOf(out));
    }

    /** The addresses of this set that are not in the block. */
    public AddressSet subtract(Cidr cidr) {
        return subtract(of(cidr));
    }

    /**
     * The aligned blocks of the given length that lie wholly inside this set, in address order, computed lazily.
     * With a set of free space this lists the free subnets of that size.
     *
     * @throws IllegalArgumentException (at once, not when the stream is consumed) if the length is negative or
     *     beyond the width of a family this set holds (so a set holding IPv4 addresses has no /64 blocks to list)
     */
    public Stream<Cidr> blocks(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("/" + length + " is not a prefix length");
        }
        if (!ranges.isEmpty() && length > ranges.get(0).family().bits()) { // IPv4 sorts first: the narrower family
            throw new IllegalArgumentException("/" + length + " is not a prefix length for "
                    + ranges.get(0).family().label());
        }
        return ranges.stream().flatMap(r -> r.toCidrs().stream().filter(c -> c.prefixLength() <= length)
                .flatMap(c -> c.subnets(length)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressSet s && s.ranges.equals(ranges);
    }

    @Override
    public int hashCode() {
        return ranges.hashCode();
    }

    /** The ranges, e.g. {@code [10.0.1.0-10.0.1.255, 10.0.3.0-10.0.3.255]}. */
    @Override
    public String toString() {
        return ranges.toString();
    }
}
