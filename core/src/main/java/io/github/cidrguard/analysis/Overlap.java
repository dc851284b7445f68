package io.github.cidrguard.analysis;

import io.github.cidrguard.net.AddressRange;
import io.github.cidrguard.net.Cidr;

import java.util.Objects;
import java.util.Optional;

/**
 * One pair of overlapping inputs found by {@link OverlapFinder}: who, how, and which addresses they share.
 *
 * <p>For {@link Kind#CONTAINS} {@link #first()} is the outer range and {@link #second()} the inner one; for
 * {@link Kind#PARTIAL} {@link #first()} is the one that starts lower; for {@link Kind#DUPLICATE} {@link #first()}
 * came first in the input. {@link #firstIndex()} and {@link #secondIndex()} give their positions in the input list,
 * which tell apart inputs that share a name.
 */
public final class Overlap {
    /** How two overlapping ranges relate. */
    public enum Kind {
        /** Both hold exactly the same addresses (names may differ). */
        DUPLICATE,
        /** {@link #first()} holds every address of {@link #second()} and more. */
        CONTAINS,
        /** Each holds addresses the other lacks; impossible for two CIDRs, which nest or are disjoint. */
        PARTIAL
    }

    private final NamedRange first;
    private final NamedRange second;
    private final int firstIndex;
    private final int secondIndex;
    private final Kind kind;
    private final AddressRange intersection;

    private Overlap(NamedRange first, int firstIndex, NamedRange second, int secondIndex, Kind kind,
            AddressRange intersection) {
        this.first = first;
        this.second = second;
        this.firstIndex = firstIndex;
        this.secondIndex = secondIndex;
        this.kind = kind;
        this.intersection = intersection;
    }

    /**
     * The overlap of two inputs at the given input positions, classified and oriented as the class comment says.
     *
     * @throws IllegalArgumentException if the two ranges do not overlap (different families never do)
     */
    public static Overlap of(NamedRange a, int aIndex, NamedRange b, int bIndex) {
        AddressRange ra = a.range();
        AddressRange rb = b.range();
        if (!ra.overlaps(rb)) {
            throw new IllegalArgumentException(a + " and " + b + " do not overlap; an Overlap needs shared addresses");
        }
        if (ra.equals(rb)) {
            return aIndex <= bIndex ? new Overlap(a, aIndex, b, bIndex, Kind.DUPLICATE, ra)
                    : new Overlap(b, bIndex, a, aIndex, Kind.DUPLICATE, ra);
        }
        if (ra.contains(rb)) {
            return new Overlap(a, aIndex, b, bIndex, Kind.CONTAINS, rb);
        }
        if (rb.contains(ra)) {
            return new Overlap(b, bIndex, a, aIndex, Kind.CONTAINS, ra);
        }
        AddressRange common = ra.intersection(rb).orElseThrow();
        return ra.first().compareTo(rb.first()) < 0 ? new Overlap(a, aIndex, b, bIndex, Kind.PARTIAL, common)
                : new Overlap(b, bIndex, a, aIndex, Kind.PARTIAL, common);
    }

    /** For the engine, which has already classified and oriented the pair on primitive values. */
    static Overlap classified(NamedRange first, int firstIndex, NamedRange second, int secondIndex, Kind kind,
            AddressRange intersection) {
        return new Overlap(first, firstIndex, second, secondIndex, kind, intersection);
    }

    /** The outer (CONTAINS), lower-starting (PARTIAL) or earlier (DUPLICATE) input. */
    public NamedRange first() {
        return first;
    }

    /** The other input. */
    public NamedRange second() {
        return second;
    }

    /** The position of {@link #first()} in the input list. */
    public int firstIndex() {
        return firstIndex;
    }

    /** The position of {@link #second()} in the input list. */
    public int secondIndex() {
        return secondIndex;
    }

    /** Duplicate, containment or partial overlap. */
    public Kind kind() {
        return kind;
    }

    /** The shared addresses; for CONTAINS and DUPLICATE that is the whole inner range. */
    public AddressRange intersection() {
        return intersection;
    }

    /**
     * The shared addresses as one CIDR when they are exactly one block: always for two CIDR inputs, and for ranges
     * whose common part happens to be aligned; empty otherwise (then use {@link #intersection()}, printed
     * {@code a-b}).
     */
    public Optional<Cidr> intersectionCidr() {
        if (kind != Kind.PARTIAL) {
            return second.cidr(); // for CONTAINS and DUPLICATE the intersection is second's range
        }
        return intersection.asCidr();
    }

    /** The intersection as a CIDR when it is one, else as {@code first-last}: the form a report prints. */
    public String intersectionText() {
        return intersectionCidr().map(Cidr::toString).orElseGet(intersection::toString);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Overlap v && v.firstIndex == firstIndex && v.secondIndex == secondIndex
                && v.kind == kind && v.first.equals(first) && v.second.equals(second)
                && v.intersection.equals(intersection);
    }

    @Override
    public int hashCode() {
        return Objects.hash(first, second, firstIndex, secondIndex, kind, intersection);
    }

    /** E.g. {@code CONTAINS flannel.Network 10.252.0.0/16 contains node-71 10.252.158.0/24 on 10.252.158.0/24}. */
    @Override
    public String toString() {
        String rel = switch (kind) {
            case DUPLICATE -> " = ";
            case CONTAINS -> " contains ";
            case PARTIAL -> " partly overlaps ";
        };
        return kind + " " + first + rel + second + " on " + intersectionText();
    }
}
