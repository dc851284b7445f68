package io.github.cidrguard.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the net package, each checked on 500 generated cases. The set operations are compared with a
 * brute-force oracle: a {@link BitSet} over two small windows of address space (one IPv4, one IPv6), so every
 * address the sets can hold is checked one by one.
 */
class NetPropertyTest {
    private static final int TRIES = 500;
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    // ---------------------------------------------------------------------------------------------------------
    // Generators

    /**
     * Random addresses of both families plus, one time in five, an address at an edge: the ends of each family's
     * space, the IPv4 halves, and IPv6's 64-bit word boundary. (jqwik's own edge cases are switched off in these
     * properties: for combined arbitraries they multiply into far more than 500 cases.)
     */
    @Provide
    Arbitrary<IpAddress> addresses() {
        Arbitrary<IpAddress> v4 = Arbitraries.longs().between(0, IpAddress.IPV4_MASK).map(IpAddress::ofIpv4);
        Arbitrary<IpAddress> v6 = Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(IpAddress::ofIpv6);
        Arbitrary<IpAddress> edges = Arbitraries.of("0.0.0.0", "0.0.0.1", "127.255.255.255", "128.0.0.0",
                "255.255.255.254", "255.255.255.255", "::", "::1", "::ffff:ffff:ffff:ffff", "0:0:0:1::",
                "7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "8000::", "ffff:ffff:ffff:ffff::",
                "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").map(IpAddress::parse);
        return Arbitraries.frequencyOf(Tuple.of(2, v4), Tuple.of(2, v6), Tuple.of(1, edges));
    }

    /** Prefix lengths 0 to {@code bits}, with the ends and (for IPv6) the word boundary more often. */
    private static Arbitrary<Integer> lengths(int bits) {
        Arbitrary<Integer> edges = bits == 32 ? Arbitraries.of(0, 1, 31, 32) : Arbitraries.of(0, 1, 63, 64, 65, 127, 128);
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.integers().between(0, bits)), Tuple.of(1, edges));
    }

    @Provide
    Arbitrary<Cidr> cidrs() {
        return addresses().flatMap(a -> lengths(a.family().bits()).map(len -> Cidr.ofMasked(a, len)));
    }

    /** Two blocks of one family whose networks share a random number of leading bits, so many overlap. */
    @Provide
    Arbitrary<Cidr[]> cidrPairs() {
        return addresses().flatMap(a -> {
            int bits = a.family().bits();
            return Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), Arbitraries.integers().between(0, bits),
                    lengths(bits), lengths(bits))
                    .as((rHi, rLo, k, len1, len2) -> {
                        IpAddress b = a.isIpv4() ? IpAddress.ofIpv4(a.low() ^ (rLo & lowBits(k)))
                                : IpAddress.ofIpv6(a.high() ^ (rHi & lowBits(k - 64)), a.low() ^ (rLo & lowBits(k)));
                        return new Cidr[] {Cidr.ofMasked(a, len1), Cidr.ofMasked(b, len2)};
                    });
        });
    }

    /** A mask of the lowest {@code k} bits of a long (0 for k ≤ 0, all for k ≥ 64). */
    private static long lowBits(int k) {
        return k <= 0 ? 0 : k >= 64 ? -1L : (1L << k) - 1;
    }

    @Provide
    Arbitrary<AddressRange> ranges() {
        Arbitrary<AddressRange> any = Combinators.combine(addresses(), Arbitraries.longs(), Arbitraries.longs())
                .as((a, rHi, rLo) -> {
                    IpAddress b = a.isIpv4() ? IpAddress.ofIpv4(rLo) : IpAddress.ofIpv6(rHi, rLo);
                    return a.compareTo(b) <= 0 ? AddressRange.of(a, b) : AddressRange.of(b, a);
                });
        // short ranges, which are the ones with interesting, unaligned ends
        Arbitrary<AddressRange> near = Combinators.combine(addresses(), Arbitraries.longs().between(0, 5000))
                .as((a, n) -> {
                    BigInteger end = a.toBigInteger().add(BigInteger.valueOf(n));
                    BigInteger max = BigInteger.ONE.shiftLeft(a.family().bits()).subtract(BigInteger.ONE);
                    return AddressRange.of(a, IpAddress.of(a.family(), end.min(max)));
                });
        return Arbitraries.oneOf(any, near);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Cidr

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void cidrPrintParseIsIdentity(@ForAll("cidrs") Cidr cidr) {
        String printed = cidr.toString();
        assertEquals(cidr, Cidr.parse(printed));
        assertEquals(printed, Cidr.parse(printed).toString());
        assertEquals(cidr, Cidr.parseMasked(printed));
        assertEquals(cidr.network(), IpAddress.parse(cidr.network().toString()));
        assertTrue(cidr.family() == IpFamily.IPV4 || !printed.contains("."), "IPv6 prints in hex groups only");
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void cidrsAreNestedOrDisjoint(@ForAll("cidrPairs") Cidr[] pair) {
        Cidr x = pair[0];
        Cidr y = pair[1];
        AddressRange rx = x.toRange();
        AddressRange ry = y.toRange();
        boolean rangesOverlap = rx.overlaps(ry);
        Statistics.label("overlap").collect(rangesOverlap);
        Statistics.label("overlap").coverage(c -> c.check(true).percentage(p -> p > 20));

        assertEquals(rangesOverlap, x.overlaps(y), "overlaps agrees with the address ranges");
        assertEquals(x.overlaps(y), x.contains(y) || y.contains(x), "overlapping blocks are nested");
        assertEquals(x.overlaps(y), y.overlaps(x), "overlaps is symmetric");
        assertEquals(rx.contains(ry), x.contains(y), "contains agrees with the address ranges");
        if (x.contains(y)) {
            assertTrue(x.overlaps(y));
            assertTrue(x.contains(y.first()) && x.contains(y.last()));
            assertTrue(x.prefixLength() <= y.prefixLength());
            assertEquals(x, y.supernet(x.prefixLength()));
        }
        if (x.contains(y) && y.contains(x)) {
            assertEquals(x, y);
        }
        Optional<Cidr> meet = x.intersection(y);
        assertEquals(x.overlaps(y), meet.isPresent(), "intersection is present iff the blocks overlap");
        assertEquals(rx.intersection(ry), meet.map(Cidr::toRange), "intersection agrees with the address ranges");
        assertEquals(meet, y.intersection(x));
        assertEquals(Integer.signum(x.compareTo(y)), -Integer.signum(y.compareTo(x)));
        assertEquals(x.equals(y), x.compareTo(y) == 0);
        if (x.equals(y)) {
            assertEquals(x.hashCode(), y.hashCode());
        }
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void cidrAsRangeIsOneBlock(@ForAll("cidrs") Cidr cidr) {
        assertEquals(List.of(cidr), cidr.toRange().toCidrs());
        assertEquals(Optional.of(cidr), cidr.toRange().asCidr());
        assertEquals(cidr.size(), cidr.toRange().size());
        assertEquals(cidr.size(), BigInteger.ONE.shiftLeft(cidr.hostBits()));
        assertTrue(cidr.contains(cidr.first()) && cidr.contains(cidr.last()));
        cidr.next().ifPresent(n -> {
            assertEquals(cidr.last().plus(1), n.first());
            assertEquals(Optional.of(cidr), n.previous());
            assertFalse(n.overlaps(cidr));
        });
        assertEquals(cidr.last().isMax(), cidr.next().isEmpty());
        cidr.previous().ifPresent(p -> {
            assertEquals(cidr.first().plus(-1), p.last());
            assertEquals(Optional.of(cidr), p.next());
        });
        assertEquals(cidr.first().isZero(), cidr.previous().isEmpty());
        if (cidr.prefixLength() > 0) {
            Cidr parent = cidr.supernet(cidr.prefixLength() - 1);
            List<Cidr> halves = parent.subnets(cidr.prefixLength()).collect(Collectors.toList());
            assertEquals(2, halves.size());
            assertTrue(halves.contains(cidr));
            assertEquals(halves.get(0).next(), Optional.of(halves.get(1)));
            assertEquals(parent.first(), halves.get(0).first());
            assertEquals(parent.last(), halves.get(1).last());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // AddressRange

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void rangeToCidrsCoversExactlyTheRange(@ForAll("ranges") AddressRange range) {
        List<Cidr> blocks = range.toCidrs();
        assertEquals(AddressSet.ofRanges(List.of(range)), AddressSet.ofCidrs(blocks));
        assertEquals(range.first(), blocks.get(0).first());
        assertEquals(range.last(), blocks.get(blocks.size() - 1).last());
        BigInteger total = BigInteger.ZERO;
        for (int i = 0; i < blocks.size(); i++) {
            total = total.add(blocks.get(i).size());
            if (i > 0) {
                Cidr prev = blocks.get(i - 1);
                Cidr cur = blocks.get(i);
                assertEquals(prev.last().plus(1), cur.first(), "blocks are contiguous and in order");
                boolean siblings = prev.prefixLength() == cur.prefixLength() && prev.prefixLength() > 0
                        && prev.supernet(prev.prefixLength() - 1).equals(cur.supernet(cur.prefixLength() - 1));
                assertFalse(siblings, () -> "not minimal: " + prev + " and " + cur + " make one block");
            }
        }
        assertEquals(range.size(), total);
        assertTrue(blocks.size() <= 2 * range.family().bits());
        assertEquals(blocks.size() == 1, range.asCidr().isPresent());
        assertEquals(range, AddressRange.parse(range.toString()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // IpAddress

    @Provide
    Arbitrary<Long> steps() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-1000, 1000),
                Arbitraries.of(0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32, -(1L << 32), IpAddress.IPV4_MASK));
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void plusThenMinusIsIdentity(@ForAll("addresses") IpAddress a, @ForAll("steps") long n) {
        BigInteger expected = a.toBigInteger().add(BigInteger.valueOf(n));
        boolean inside = expected.signum() >= 0 && expected.bitLength() <= a.family().bits();
        if (!inside) {
            assertThrows(ArithmeticException.class, () -> a.plus(n));
            return;
        }
        IpAddress b = a.plus(n);
        assertEquals(expected, b.toBigInteger());
        assertEquals(a.family(), b.family());
        if (n != Long.MIN_VALUE) {
            assertEquals(a, b.plus(-n));
        }
        assertEquals(Long.signum(n), Integer.signum(b.compareTo(a)));
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void addressRoundTrips(@ForAll("addresses") IpAddress a) {
        assertEquals(a, IpAddress.parse(a.toString()));
        assertEquals(a, IpAddress.fromBytes(a.toBytes()));
        assertEquals(a, IpAddress.of(a.family(), a.toBigInteger()));
        assertEquals(a, IpAddress.of(a.toInetAddress()));
        assertEquals(a.isIpv4() ? 4 : 16, a.toBytes().length);
        assertEquals(a.toBigInteger().mod(TWO_64).longValue(), a.low());
    }

    // ---------------------------------------------------------------------------------------------------------
    // AddressSet against a BitSet oracle

    /**
     * Two windows of 256 addresses each: one IPv4, one IPv6. Oracle bit {@code i} is address {@code base4 + i} for
     * i < 256 and {@code base6 + (i − 256)} above. {@code minLen} is the shortest block generated inside each window
     * (a window base aligned to 256 takes /24 or /120 blocks; the one astride IPv6's 64-bit word boundary is only
     * aligned to 128, so its blocks are /121 or longer).
     */
    record Windows(IpAddress base4, int minLen4, IpAddress base6, int minLen6) {
        static final int SIZE = 256;

        IpAddress address(int bit) {
            return bit < SIZE ? base4.plus(bit) : base6.plus(bit - SIZE);
        }

        @Override
        public String toString() {
            return base4 + "+256, " + base6 + "+256";
        }
    }

    record Case(Windows w, List<AddressRange> a, List<AddressRange> b) {
        @Override
        public String toString() {
            return w + ": A=" + a + " B=" + b;
        }
    }

    @Provide
    Arbitrary<Case> setCases() {
        Arbitrary<Windows> windows = Combinators.combine(
                Arbitraries.of(IpAddress.parse("10.0.0.0"), IpAddress.parse("0.0.0.0"), IpAddress.parse("255.255.255.0")),
                Arbitraries.of(IpAddress.parse("fd00::"), IpAddress.parse("::"),
                        IpAddress.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00"),
                        IpAddress.parse("fd00::ffff:ffff:ffff:ff80")))
                .as((b4, b6) -> new Windows(b4, 24, b6, (b6.low() & 0xFF) == 0 ? 120 : 121));
        return windows.flatMap(w -> Combinators.combine(elements(w).list().ofMaxSize(6), elements(w).list().ofMaxSize(6))
                .as((a, b) -> new Case(w, a, b)));
    }

    /** A block (/24–/32 or /120–/128) or an arbitrary range, inside one of the two windows. */
    private static Arbitrary<AddressRange> elements(Windows w) {
        Arbitrary<Boolean> v6 = Arbitraries.of(false, true);
        Arbitrary<Integer> offset = Arbitraries.integers().between(0, Windows.SIZE - 1);
        Arbitrary<AddressRange> block = Combinators.combine(v6, offset, Arbitraries.integers().between(0, 8))
                .as((six, i, extra) -> {
                    IpAddress base = six ? w.base6() : w.base4();
                    int len = Math.min(base.family().bits(), (six ? w.minLen6() : w.minLen4()) + extra);
                    return Cidr.ofMasked(base.plus(i), len).toRange();
                });
        Arbitrary<AddressRange> range = Combinators.combine(v6, offset, offset).as((six, i, j) -> {
            IpAddress base = six ? w.base6() : w.base4();
            return AddressRange.of(base.plus(Math.min(i, j)), base.plus(Math.max(i, j)));
        });
        return Arbitraries.oneOf(block, range);
    }

    private static BitSet oracle(Windows w, List<AddressRange> ranges) {
        BitSet bits = new BitSet(2 * Windows.SIZE);
        for (AddressRange r : ranges) {
            bits.set(index(w, r.first()), index(w, r.last()) + 1);
        }
        return bits;
    }

    /** The oracle bit of an address, which must lie in one of the windows. */
    private static int index(Windows w, IpAddress a) {
        IpAddress base = a.isIpv4() ? w.base4() : w.base6();
        BigInteger offset = a.toBigInteger().subtract(base.toBigInteger());
        assertTrue(offset.signum() >= 0 && offset.intValueExact() < Windows.SIZE, () -> a + " is outside " + w);
        return offset.intValue() + (a.isIpv4() ? 0 : Windows.SIZE);
    }

    /** The maximal runs of set bits as ranges, never joining the two windows. */
    private static List<AddressRange> runs(Windows w, BitSet bits) {
        List<AddressRange> out = new ArrayList<>();
        for (int half = 0; half < 2 * Windows.SIZE; half += Windows.SIZE) {
            int i = bits.nextSetBit(half);
            while (i >= 0 && i < half + Windows.SIZE) {
                int end = Math.min(bits.nextClearBit(i), half + Windows.SIZE);
                out.add(AddressRange.of(w.address(i), w.address(end - 1)));
                i = bits.nextSetBit(end);
            }
        }
        return out;
    }

    /** The set equals the oracle exactly: the same maximal ranges, the same membership of every window address. */
    private static void assertMatches(Windows w, BitSet expected, AddressSet actual, String what) {
        assertEquals(runs(w, expected), actual.ranges(), what);
        for (int i = 0; i < 2 * Windows.SIZE; i++) {
            int bit = i;
            assertEquals(expected.get(i), actual.contains(w.address(i)), () -> what + " contains " + w.address(bit));
        }
        assertEquals(BigInteger.valueOf(expected.cardinality()), actual.size(), what + " size");
        assertEquals(actual, AddressSet.ofCidrs(actual.cidrs()), what + " cidrs");
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void setOperationsMatchTheOracle(@ForAll("setCases") Case k) {
        Windows w = k.w();
        AddressSet a = AddressSet.ofRanges(k.a());
        AddressSet b = AddressSet.ofRanges(k.b());
        BitSet oa = oracle(w, k.a());
        BitSet ob = oracle(w, k.b());
        assertMatches(w, oa, a, "A");
        assertMatches(w, ob, b, "B");

        BitSet union = (BitSet) oa.clone();
        union.or(ob);
        assertMatches(w, union, a.union(b), "A ∪ B");
        BitSet meet = (BitSet) oa.clone();
        meet.and(ob);
        assertMatches(w, meet, a.intersect(b), "A ∩ B");
        BitSet minus = (BitSet) oa.clone();
        minus.andNot(ob);
        assertMatches(w, minus, a.subtract(b), "A − B");

        // addresses just outside the windows are never members
        for (IpAddress base : List.of(w.base4(), w.base6())) {
            if (!base.isZero()) {
                assertFalse(a.union(b).contains(base.plus(-1)));
            }
            IpAddress last = base.plus(Windows.SIZE - 1);
            if (!last.isMax()) {
                assertFalse(a.union(b).contains(last.plus(1)));
            }
        }
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void setLaws(@ForAll("setCases") Case k) {
        AddressSet a = AddressSet.ofRanges(k.a());
        AddressSet b = AddressSet.ofRanges(k.b());
        assertEquals(a, a.subtract(b).union(a.intersect(b)), "(A − B) ∪ (A ∩ B) = A");
        assertTrue(a.subtract(b).intersect(b).isEmpty(), "(A − B) ∩ B = ∅");
        assertEquals(a.union(b), b.union(a), "∪ commutes");
        assertEquals(a.intersect(b), b.intersect(a), "∩ commutes");
        assertEquals(a, a.union(a));
        assertEquals(a, a.intersect(a));
        assertTrue(a.subtract(a).isEmpty());
        assertEquals(a.union(b).subtract(b), a.subtract(b));
        assertEquals(a.size().add(b.size()), a.union(b).size().add(a.intersect(b).size()), "|A|+|B| = |A∪B|+|A∩B|");
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void setQueriesMatchTheOracle(@ForAll("setCases") Case k) {
        Windows w = k.w();
        AddressSet a = AddressSet.ofRanges(k.a());
        BitSet oa = oracle(w, k.a());
        for (AddressRange r : k.b()) {
            int from = index(w, r.first());
            int to = index(w, r.last()) + 1;
            boolean any = oa.nextSetBit(from) >= 0 && oa.nextSetBit(from) < to;
            boolean all = oa.nextClearBit(from) >= to;
            assertEquals(any, a.overlaps(r), () -> "overlaps " + r);
            r.asCidr().ifPresent(c -> {
                assertEquals(any, a.overlaps(c), () -> "overlaps " + c);
                assertEquals(all, a.contains(c), () -> "contains " + c);
            });
        }
        // every aligned block of a length inside a window is listed by blocks(len) iff all its addresses are in A
        int hostBits = 3; // /29 and /125: eight addresses
        List<Cidr> expected = new ArrayList<>();
        for (int i = 0; i < 2 * Windows.SIZE; i += 1 << hostBits) {
            if (oa.nextClearBit(i) >= i + (1 << hostBits)) {
                IpAddress first = w.address(i);
                expected.add(Cidr.of(first, first.family().bits() - hostBits));
            }
        }
        List<Cidr> v4 = a.blocks(29).filter(c -> c.family() == IpFamily.IPV4).collect(Collectors.toList());
        AddressSet v6only = a.subtract(AddressSet.of(Cidr.all(IpFamily.IPV4)));
        List<Cidr> listed = new ArrayList<>(v4);
        listed.addAll(v6only.blocks(125).collect(Collectors.toList()));
        assertEquals(expected, listed);
    }
}
