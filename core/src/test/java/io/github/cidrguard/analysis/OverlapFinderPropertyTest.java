package io.github.cidrguard.analysis;

import io.github.cidrguard.net.AddressRange;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine against a brute-force pairwise oracle on random mixes of families, CIDRs and ranges. */
class OverlapFinderPropertyTest {

    @Property(tries = 200)
    void equalsThePairwiseOracle(@ForAll("inputs") List<NamedRange> in) {
        List<Overlap> expected = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            for (int j = i + 1; j < in.size(); j++) {
                if (in.get(i).range().overlaps(in.get(j).range())) {
                    expected.add(Overlap.of(in.get(i), i, in.get(j), j));
                }
            }
        }
        // The documented order: intersection start, then the pair's input positions.
        expected.sort((a, b) -> {
            int c = a.intersection().first().compareTo(b.intersection().first());
            if (c == 0) {
                c = Integer.compare(Math.min(a.firstIndex(), a.secondIndex()),
                        Math.min(b.firstIndex(), b.secondIndex()));
            }
            return c != 0 ? c : Integer.compare(Math.max(a.firstIndex(), a.secondIndex()),
                    Math.max(b.firstIndex(), b.secondIndex()));
        });
        assertEquals(expected, OverlapFinder.find(in));
        assertEquals(!expected.isEmpty(), OverlapFinder.anyOverlap(in));
    }

    @Example
    void equalsTheOracleOnThousandsOfPrefixesAcrossTheSpace() {
        // Big enough for every radix pass to move keys; dense enough (in 10.0.0.0/12 and 240.0.0.0/12) for nesting.
        Random random = new Random(42);
        List<NamedRange> in = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            long base = random.nextBoolean() ? 0x0A00_0000L : 0xF000_0000L;
            long address = random.nextInt(8) == 0 ? random.nextLong() & 0xFFFF_FFFFL : base + random.nextInt(1 << 20);
            in.add(NamedRange.of("p" + i, Cidr.ofMasked(IpAddress.ofIpv4(address), 12 + random.nextInt(21))));
        }
        equalsThePairwiseOracle(in);
        int pairs = OverlapFinder.find(in).size();
        assertTrue(pairs > 1000, "too sparse to test nesting: " + pairs + " pairs");
    }

    @Property(tries = 100)
    void shufflingKeepsTheSetOfPairs(@ForAll("inputs") List<NamedRange> in, @ForAll long seed) {
        List<NamedRange> shuffled = new ArrayList<>(in);
        Collections.shuffle(shuffled, new Random(seed));
        assertEquals(pairSet(in), pairSet(shuffled));
    }

    /** Pairs as index-free text; the inputs carry unique names so that this loses nothing. */
    private static Set<String> pairSet(List<NamedRange> in) {
        Set<String> out = new HashSet<>();
        for (Overlap o : OverlapFinder.find(in)) {
            String a = o.first().name();
            String b = o.second().name();
            // a duplicate's orientation follows input order; make it order-free
            if (o.kind() == Overlap.Kind.DUPLICATE && a.compareTo(b) > 0) {
                String t = a;
                a = b;
                b = t;
            }
            out.add(o.kind() + " " + a + " " + b + " " + o.intersection());
        }
        return out;
    }

    @Provide
    Arbitrary<List<NamedRange>> inputs() {
        return range().list().ofMinSize(0).ofMaxSize(60).map(rs -> {
            List<NamedRange> out = new ArrayList<>();
            for (int i = 0; i < rs.size(); i++) {
                AddressRange r = rs.get(i);
                out.add(r.asCidr().map(c -> NamedRange.of("n" + out.size(), c))
                        .orElseGet(() -> NamedRange.of("n" + out.size(), r)));
            }
            return out;
        });
    }

    /**
     * Ranges crowded into small windows so that overlaps, duplicates and shared starts are common: IPv4 near the
     * bottom and the top of the space (the sign bit of the packed keys), IPv6 around the 2^64 and 2^127 carries.
     */
    private Arbitrary<AddressRange> range() {
        Arbitrary<IpAddress> v4 = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 300), Arbitraries.longs().between(0xFFFF_FF00L, 0xFFFF_FFFFL))
                .map(IpAddress::ofIpv4);
        Arbitrary<IpAddress> v6 = Combinators.combine(
                Arbitraries.of(0L, 1L, 0x7FFF_FFFF_FFFF_FFFFL, Long.MIN_VALUE, -1L),
                Arbitraries.oneOf(Arbitraries.longs().between(0, 300), Arbitraries.longs().between(-300, -1)))
                .as(IpAddress::ofIpv6);
        Arbitrary<AddressRange> arbitrary = Arbitraries.oneOf(v4.list().ofSize(2), v6.list().ofSize(2))
                .map(ab -> ab.get(0).compareTo(ab.get(1)) <= 0 ? AddressRange.of(ab.get(0), ab.get(1))
                        : AddressRange.of(ab.get(1), ab.get(0)));
        Arbitrary<AddressRange> v4Cidr = Combinators.combine(v4, Arbitraries.integers().between(22, 32))
                .as((a, len) -> Cidr.ofMasked(a, len).toRange());
        Arbitrary<AddressRange> v6Cidr = Combinators.combine(v6, Arbitraries.integers().between(118, 128))
                .as((a, len) -> Cidr.ofMasked(a, len).toRange());
        return Arbitraries.oneOf(arbitrary, v4Cidr, v6Cidr);
    }
}
