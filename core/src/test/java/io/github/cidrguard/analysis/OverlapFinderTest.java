package io.github.cidrguard.analysis;

import io.github.cidrguard.net.AddressRange;
import io.github.cidrguard.net.Cidr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OverlapFinderTest {

    /** Inputs written as {@code name=cidr} or {@code name=a-b}. */
    private static List<NamedRange> inputs(String... specs) {
        List<NamedRange> out = new ArrayList<>();
        for (String s : specs) {
            String[] kv = s.split("=", 2);
            out.add(kv[1].contains("/") ? NamedRange.of(kv[0], Cidr.parse(kv[1]))
                    : NamedRange.of(kv[0], AddressRange.parse(kv[1])));
        }
        return out;
    }

    /** Each expected pair as {@code KIND first second intersection}. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("empty", inputs(), List.of()),
                Arguments.of("single", inputs("a=10.0.0.0/8"), List.of()),
                Arguments.of("disjoint neighbours", inputs("a=10.0.0.0/24", "b=10.0.1.0/24"), List.of()),
                Arguments.of("adjacent ranges do not overlap",
                        inputs("a=10.0.0.0-10.0.0.9", "b=10.0.0.10-10.0.0.20"), List.of()),
                Arguments.of("the seed: pod network holds the node LAN",
                        inputs("flannel.Network=10.252.0.0/16", "lan=10.252.158.0/24", "svc=10.96.0.0/12"),
                        List.of("CONTAINS flannel.Network lan 10.252.158.0/24")),
                Arguments.of("contained listed first: container still first",
                        inputs("inner=10.252.158.0/24", "outer=10.252.0.0/16"),
                        List.of("CONTAINS outer inner 10.252.158.0/24")),
                Arguments.of("duplicates, with a container",
                        inputs("x=10.1.0.0/16", "big=10.0.0.0/8", "y=10.1.0.0/16"),
                        // same intersection start: by input positions (0,1), (0,2), (1,2)
                        List.of("CONTAINS big x 10.1.0.0/16", "DUPLICATE x y 10.1.0.0/16",
                                "CONTAINS big y 10.1.0.0/16")),
                Arguments.of("nested chain",
                        inputs("a=10.0.0.0/8", "b=10.1.0.0/16", "c=10.1.2.0/24", "d=10.1.2.3/32"),
                        List.of("CONTAINS a b 10.1.0.0/16", "CONTAINS a c 10.1.2.0/24", "CONTAINS b c 10.1.2.0/24",
                                "CONTAINS a d 10.1.2.3/32", "CONTAINS b d 10.1.2.3/32",
                                "CONTAINS c d 10.1.2.3/32")),
                Arguments.of("partial ranges, intersection not a CIDR",
                        inputs("min-max=10.252.1.0-10.252.255.0", "lan=10.252.0.0/17"),
                        List.of("PARTIAL lan min-max 10.252.1.0-10.252.127.255")),
                Arguments.of("partial ranges, intersection exactly a CIDR",
                        inputs("r1=10.0.0.0-10.0.1.255", "r2=10.0.1.0-10.0.2.255"),
                        List.of("PARTIAL r1 r2 10.0.1.0/24")),
                Arguments.of("range contains a CIDR",
                        inputs("range=10.0.0.5-10.0.3.7", "cidr=10.0.1.0/24"),
                        List.of("CONTAINS range cidr 10.0.1.0/24")),
                Arguments.of("a range equal to a CIDR is a duplicate",
                        inputs("cidr=10.0.1.0/24", "range=10.0.1.0-10.0.1.255"),
                        List.of("DUPLICATE cidr range 10.0.1.0/24")),
                Arguments.of("mixed families never overlap each other",
                        inputs("v4=0.0.0.0/0", "v6=::/0", "v6b=fd00::/8", "v4b=10.0.0.0/8"),
                        List.of("CONTAINS v4 v4b 10.0.0.0/8", "CONTAINS v6 v6b fd00::/8")),
                Arguments.of("IPv6 upper half (unsigned order)",
                        inputs("ula=fd00::/8", "k3s=fd00:42::/56", "mc=ff00::/8", "r=fe00::-ff00::10"),
                        List.of("CONTAINS ula k3s fd00:42::/56", "PARTIAL r mc ff00::-ff00::10")),
                Arguments.of("IPv4 top of space (sign bit)",
                        inputs("e=240.0.0.0/4", "b=255.255.255.255/32", "m=224.0.0.0/3"),
                        List.of("CONTAINS m e 240.0.0.0/4", "CONTAINS e b 255.255.255.255/32",
                                "CONTAINS m b 255.255.255.255/32")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void findsEveryPairClassifiedAndOrdered(String label, List<NamedRange> in, List<String> expected) {
        List<String> got = OverlapFinder.find(in).stream()
                .map(o -> o.kind() + " " + o.first().name() + " " + o.second().name() + " " + o.intersectionText())
                .toList();
        assertEquals(expected, got);
        assertEquals(!expected.isEmpty(), OverlapFinder.anyOverlap(in), "anyOverlap");
    }

    @Test
    void indicesTellSameNamedInputsApart() {
        List<NamedRange> in = inputs("x=10.0.0.0/24", "x=10.0.0.0/24");
        Overlap o = OverlapFinder.find(in).get(0);
        assertEquals(0, o.firstIndex());
        assertEquals(1, o.secondIndex());
        assertEquals(Overlap.Kind.DUPLICATE, o.kind());
    }

    @Test
    void toStringReadsAsASentence() {
        Overlap o = OverlapFinder.find(inputs("pods=10.252.0.0/16", "lan=10.252.158.0/24")).get(0);
        assertEquals("CONTAINS pods 10.252.0.0/16 contains lan 10.252.158.0/24 on 10.252.158.0/24", o.toString());
    }

    @Test
    void overlapOfRefusesDisjointRanges() {
        List<NamedRange> in = inputs("a=10.0.0.0/24", "b=10.0.1.0/24");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Overlap.of(in.get(0), 0, in.get(1), 1));
        assertTrue(e.getMessage().contains("a 10.0.0.0/24 and b 10.0.1.0/24 do not overlap"), e.getMessage());
    }

    @Test
    void overlapOfMatchesTheEngine() {
        List<NamedRange> in = inputs("min-max=10.252.1.0-10.252.255.0", "lan=10.252.0.0/17");
        assertEquals(OverlapFinder.find(in).get(0), Overlap.of(in.get(0), 0, in.get(1), 1));
    }

    @Test
    void anyOverlapSeesALateOverlapBehindALongRange() {
        assertTrue(OverlapFinder.anyOverlap(inputs("long=10.0.0.0-10.0.9.255", "a=10.0.1.0/24", "b=10.0.5.0/24")));
        assertFalse(OverlapFinder.anyOverlap(inputs("a=10.0.0.0/24", "b=10.0.2.0/24", "c=::/0")));
    }
}
