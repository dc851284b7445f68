package io.github.cidrguard.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CidrTest {

    private static Cidr c(String text) {
        return Cidr.parse(text);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/8                 | 10.0.0.0/8
            10.252.0.0/16              | 10.252.0.0/16
            192.168.1.128/25           | 192.168.1.128/25
            10.0.0.1/32                | 10.0.0.1/32
            255.255.255.255/32         | 255.255.255.255/32
            0.0.0.0/0                  | 0.0.0.0/0
            ::/0                       | ::/0
            ::1/128                    | ::1/128
            fd00::/8                   | fd00::/8
            fc00:0:0:1::/64            | fc00:0:0:1::/64
            fc00:0:0:1:0:0:0:0/64      | fc00:0:0:1::/64
            FC00:0000:0000:0001::/64   | fc00:0:0:1::/64
            fd00:10:244::/56           | fd00:10:244::/56
            0:0:0:0:0:0:0:0/0          | ::/0
            2001:db8:0:0:1:0:0:1/128   | 2001:db8::1:0:0:1/128
            1:0:0:1:0:0:0:1/128        | 1:0:0:1::1/128
            2001:db8:0:1:1:1:1:1/128   | 2001:db8:0:1:1:1:1:1/128
            1:2:3:4:5:6:7:8/128        | 1:2:3:4:5:6:7:8/128
            ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128 | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128
            """)
    void acceptsAndPrints(String input, String printed) {
        Cidr cidr = Cidr.parse(input);
        assertEquals(printed, cidr.toString());
        assertTrue(Cidr.isValid(input));
        assertEquals(cidr, Cidr.parse(printed), "the printed form parses back to the same block");
        assertEquals(cidr, Cidr.parseMasked(input), "without host bits, parse and parseMasked agree");
    }

    /** Inputs the parser accepts although a reader might not expect it: pinned so a change is a decision. */
    @ParameterizedTest(name = "{0} -> {1} ({2})")
    @CsvSource(delimiter = '|', textBlock = """
            2001:0db8::/32       | 2001:db8::/32      | IPV6
            2001:0DB8:0000::/48  | 2001:db8::/48      | IPV6
            fd00::0:0/120        | fd00::/120         | IPV6
            ::ffff:10.0.0.0/104  | ::ffff:a00:0/104   | IPV6
            ::ffff:a00:0/104     | ::ffff:a00:0/104   | IPV6
            ::10.0.0.0/104       | ::a00:0/104        | IPV6
            ::ffff:0:0/96        | ::ffff:0:0/96      | IPV6
            """)
    void acceptedButOdd(String input, String printed, IpFamily family) {
        // IPv6 groups may carry leading zeros (RFC 4291 allows them; nobody reads them as octal); they print without.
        // An IPv4-mapped (or -compatible) CIDR stays an IPv6 block of the IPv6 length and prints in plain hex
        // groups, not in RFC 5952 §5 mixed notation: it round-trips and cannot be mistaken for the IPv4 block.
        Cidr cidr = Cidr.parse(input);
        assertEquals(printed, cidr.toString());
        assertEquals(family, cidr.family());
        assertEquals(cidr, Cidr.parse(printed));
    }

    @Test
    void ipv4MappedBlockIsNotTheIpv4Block() {
        Cidr mapped = c("::ffff:10.0.0.0/104");
        assertEquals(104, mapped.prefixLength());
        assertFalse(mapped.overlaps(c("10.0.0.0/8")));
        assertFalse(mapped.contains(IpAddress.parse("10.1.2.3")));
        assertTrue(mapped.contains(IpAddress.parse("::ffff:10.1.2.3")));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            010.0.0.0/8          | segment value starts with zero
            10.0.0.00/24         | segment value starts with zero
            10.0.0.0/016         | prefix length 016 starts with zero
            0.0.0.0/00           | prefix length 00 starts with zero
            fd00::/048           | prefix length 048 starts with zero
            10.0.0.0/0.0.0.0     | mask must be a single IP address
            10.0.0.0/0x8         | is not a CIDR
            ::ffff:0x0a.0.0.0/104 | is not a CIDR
            10/8                 | non-segmented single value
            10.1/16              | less than four segments
            10.1.0/24            | less than four segments
            0x0a.0.0.0/8         | is not a CIDR
            10.0.0.0/255.0.0.0   | mask must be a single IP address
            10.0.0.0/8/8         | is not a CIDR
            10.0.0.1-5/32        | do not allow range segments
            10.0.0.0-10.0.0.255/24 | is not a CIDR
            10.*.0.0/16          | wildcard
            *                    | universal address is not allowed
            */8                  | universal address is not allowed
            10.0.0.0/*           | is not a CIDR
            fe80::1%eth0/64      | it has a zone (%eth0/64)
            fd00::/8%eth0        | it has a zone (%eth0)
            [fd00::]/8           | is not a CIDR
            ::ffff:010.0.0.0/104 | segment value starts with zero
            ::ffff:10.0.0/104    | less than four segments
            10.0.0.0             | has no prefix length; write 10.0.0.0/32
            fd00::1              | has no prefix length; write fd00::1/128
            10.0.0.0/            | is not a CIDR
            /8                   | prefix-only address is not allowed
            /33                  | prefix-only address is not allowed
            10.0.0.0/33          | prefix bit-length is negative or exceeds
            ::/129               | prefix bit-length is negative or exceeds
            10.0.0.0/-8          | is not a CIDR
            10.0.0.0/+8          | is not a CIDR
            256.0.0.0/8          | IPv4 segment too large
            1.2.3.4.5/32         | too many segments
            """)
    void rejectsWithMessage(String input, String fragment) {
        AddressFormatException e = assertThrows(AddressFormatException.class, () -> Cidr.parse(input));
        assertContains(fragment, e.getMessage());
        assertContains("'" + input + "'", e.getMessage());
        assertEquals(input, e.input());
        assertFalse(Cidr.isValid(input));
        assertThrows(AddressFormatException.class, () -> Cidr.parseMasked(input));
    }

    static Stream<Arguments> whiteSpace() {
        return Stream.of(" 10.0.0.0/8", "10.0.0.0/8 ", "10.0.0.0 /8", "10.0.0.0/ 8", "\t10.0.0.0/8", "10.0.0.0/8\n",
                "fd00:: /8", " ", "10.0.0.0/8\u00a0", "10.0.0.0\u2003/8").map(Arguments::of);
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("whiteSpace")
    void rejectsWhiteSpaceAnywhere(String input) {
        AddressFormatException e = assertThrows(AddressFormatException.class, () -> Cidr.parse(input));
        assertContains("contains white space", e.getMessage());
    }

    @Test
    void rejectsEmptyAndNull() {
        assertContains("you must specify an address",
                assertThrows(AddressFormatException.class, () -> Cidr.parse("")).getMessage());
        AddressFormatException e = assertThrows(AddressFormatException.class, () -> Cidr.parse(null));
        assertContains("got null", e.getMessage());
        assertEquals(null, e.input());
        assertFalse(Cidr.isValid(null));
        assertThrows(AddressFormatException.class, () -> Cidr.parseMasked(null));
    }

    @Test
    void hostBitsNameTheNetwork() {
        AddressFormatException e = assertThrows(AddressFormatException.class, () -> Cidr.parse("10.252.61.0/16"));
        assertEquals("10.252.61.0/16 has host bits set; the network is 10.252.0.0/16", e.getMessage());
        assertEquals("10.252.61.0/16", e.input());
        assertEquals(c("10.252.0.0/16"), Cidr.parseMasked("10.252.61.0/16"));

        assertEquals("fd00::1/64 has host bits set; the network is fd00::/64",
                assertThrows(AddressFormatException.class, () -> Cidr.parse("fd00::1/64")).getMessage());
        assertEquals("fd00::/64", Cidr.parseMasked("fd00::1/64").toString());
        assertEquals("0.0.0.0/0", Cidr.parseMasked("10.1.2.3/0").toString());
        assertEquals("::/0", Cidr.parseMasked("fd00::1/0").toString());
        assertEquals("10.0.0.1/32", Cidr.parseMasked("10.0.0.1/32").toString());
        assertEquals("fc00:0:0:1::/64", Cidr.parseMasked("fc00:0:0:1:ffff::1/64").toString());
    }

    @Test
    void factories() {
        assertEquals(c("10.0.0.0/8"), Cidr.of(IpAddress.parse("10.0.0.0"), 8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Cidr.of(IpAddress.parse("10.252.61.0"), 16));
        assertEquals("10.252.61.0/16 has host bits set; the network is 10.252.0.0/16", e.getMessage());
        assertEquals(c("10.252.0.0/16"), Cidr.ofMasked(IpAddress.parse("10.252.61.0"), 16));
        assertEquals(c("10.0.0.7/32"), Cidr.of(IpAddress.parse("10.0.0.7")));
        assertEquals(c("fd00::7/128"), Cidr.of(IpAddress.parse("fd00::7")));
        assertEquals(c("0.0.0.0/0"), Cidr.all(IpFamily.IPV4));
        assertEquals(c("::/0"), Cidr.all(IpFamily.IPV6));
        assertContains("out of range for IPv4 (0 to 32)", assertThrows(IllegalArgumentException.class,
                () -> Cidr.ofMasked(IpAddress.parse("10.0.0.0"), 33)).getMessage());
        assertContains("out of range for IPv6 (0 to 128)", assertThrows(IllegalArgumentException.class,
                () -> Cidr.ofMasked(IpAddress.parse("::"), 129)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Cidr.of(IpAddress.parse("10.0.0.0"), -1));
    }

    @ParameterizedTest(name = "{0}: first {1}, last {2}, size {3}, host bits {4}")
    @CsvSource(delimiter = '|', textBlock = """
            10.252.0.0/16     | 10.252.0.0    | 10.252.255.255  | 65536 | 16
            10.0.0.1/32       | 10.0.0.1      | 10.0.0.1        | 1     | 0
            10.0.0.0/31       | 10.0.0.0      | 10.0.0.1        | 2     | 1
            0.0.0.0/0         | 0.0.0.0       | 255.255.255.255 | 4294967296 | 32
            128.0.0.0/1       | 128.0.0.0     | 255.255.255.255 | 2147483648 | 31
            fd00::/64         | fd00::        | fd00::ffff:ffff:ffff:ffff | 18446744073709551616 | 64
            fd00::/63         | fd00::        | fd00::1:ffff:ffff:ffff:ffff | 36893488147419103232 | 65
            fd00::/65         | fd00::        | fd00::7fff:ffff:ffff:ffff | 9223372036854775808 | 63
            fd00::/120        | fd00::        | fd00::ff        | 256   | 8
            ::/0              | ::            | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | 340282366920938463463374607431768211456 | 128
            ::1/128           | ::1           | ::1             | 1     | 0
            """)
    void boundsAndSize(String cidr, String first, String last, String size, int hostBits) {
        Cidr block = c(cidr);
        assertEquals(IpAddress.parse(first), block.first());
        assertEquals(IpAddress.parse(first), block.network());
        assertEquals(IpAddress.parse(last), block.last());
        assertEquals(new BigInteger(size), block.size());
        assertEquals(hostBits, block.hostBits());
        assertEquals(AddressRange.of(block.first(), block.last()), block.toRange());
        assertEquals(new BigInteger(size), block.toRange().size());
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.252.0.0/16 | 10.252.158.71    | true
            10.252.0.0/16 | 10.252.0.0       | true
            10.252.0.0/16 | 10.252.255.255   | true
            10.252.0.0/16 | 10.253.0.0       | false
            10.252.0.0/16 | 10.251.255.255   | false
            10.252.0.0/16 | ::ffff:10.252.0.1 | false
            0.0.0.0/0     | 255.255.255.255  | true
            0.0.0.0/0     | ::               | false
            ::/0          | 10.0.0.1         | false
            ::/0          | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | true
            fd00::/64     | fd00::ffff:ffff:ffff:ffff | true
            fd00::/64     | fd00:0:0:1::     | false
            fd00::/72     | fd00::ff:ffff:ffff:ffff | true
            fd00::/72     | fd00::100:0:0:0  | false
            """)
    void containsAddress(String cidr, String address, boolean expected) {
        assertEquals(expected, c(cidr).contains(IpAddress.parse(address)));
    }

    @ParameterizedTest(name = "{0} vs {1}: contains {2}, contained by {3}")
    @CsvSource(delimiter = '|', textBlock = """
            10.252.0.0/16  | 10.252.158.0/24 | true  | false
            10.252.0.0/16  | 10.252.0.0/16   | true  | true
            10.252.0.0/16  | 10.253.0.0/16   | false | false
            10.252.0.0/16  | 10.0.0.0/8      | false | true
            10.0.0.0/8     | 11.0.0.0/8      | false | false
            0.0.0.0/0      | 10.0.0.0/8      | true  | false
            0.0.0.0/0      | ::/0            | false | false
            10.0.0.0/8     | ::ffff:10.0.0.0/104 | false | false
            fd00::/8       | fd00:10:244::/56 | true | false
            fd00::/64      | fd00:0:0:1::/64 | false | false
            fd00::/63      | fd00:0:0:1::/64 | true  | false
            fd00::/65      | fd00::8000:0:0:0/65 | false | false
            """)
    void containsOverlapsIntersection(String a, String b, boolean aContainsB, boolean bContainsA) {
        Cidr x = c(a);
        Cidr y = c(b);
        assertEquals(aContainsB, x.contains(y));
        assertEquals(bContainsA, y.contains(x));
        boolean overlap = aContainsB || bContainsA;
        assertEquals(overlap, x.overlaps(y));
        assertEquals(overlap, y.overlaps(x));
        Optional<Cidr> expected = aContainsB ? Optional.of(y) : bContainsA ? Optional.of(x) : Optional.empty();
        assertEquals(expected, x.intersection(y));
        assertEquals(expected, y.intersection(x));
    }

    @Test
    void supernet() {
        assertEquals(c("10.252.0.0/16"), c("10.252.158.0/24").supernet(16));
        assertEquals(c("10.252.158.0/24"), c("10.252.158.0/24").supernet(24));
        assertEquals(c("0.0.0.0/0"), c("10.252.158.0/24").supernet(0));
        assertEquals(c("fd00::/48"), c("fd00:0:0:ff00::/56").supernet(48));
        assertEquals(c("fd00::/63"), c("fd00:0:0:1::/64").supernet(63));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c("10.252.0.0/16").supernet(24));
        assertContains("10.252.0.0/16 has no supernet of length /24", e.getMessage());
        assertEquals(c("10.1.0.0/16"), c("10.1.2.0/24").withPrefixLength(16));
        assertEquals(c("10.1.2.0/28"), c("10.1.2.0/24").withPrefixLength(28));
    }

    @Test
    void subnets() {
        assertEquals(List.of(c("10.0.0.0/26"), c("10.0.0.64/26"), c("10.0.0.128/26"), c("10.0.0.192/26")),
                c("10.0.0.0/24").subnets(26).collect(Collectors.toList()));
        assertEquals(List.of(c("10.0.0.0/24")), c("10.0.0.0/24").subnets(24).collect(Collectors.toList()));
        assertEquals(BigInteger.valueOf(4), c("10.0.0.0/24").subnetCount(26));
        assertEquals(256, c("10.0.0.0/24").subnets(32).count());
        assertEquals(c("10.0.0.255/32"), c("10.0.0.0/24").subnets(32).reduce((a, b) -> b).orElseThrow());
        assertEquals(c("255.255.255.0/24"), c("255.0.0.0/8").subnets(24).reduce((a, b) -> b).orElseThrow());
        assertEquals(65536, c("10.0.0.0/8").subnets(24).count());
        assertEquals(c("128.0.0.0/1"), c("0.0.0.0/0").subnets(1).skip(1).findFirst().orElseThrow());
        // IPv6 across the 64-bit boundary: a /63 holds two /64s, the second starts in the high word
        assertEquals(List.of(c("fd00::/64"), c("fd00:0:0:1::/64")),
                c("fd00::/63").subnets(64).collect(Collectors.toList()));
        assertEquals(List.of(c("fd00::/65"), c("fd00::8000:0:0:0/65")),
                c("fd00::/64").subnets(65).collect(Collectors.toList()));
        assertEquals(c("fd00:0:0:ffff::/64"), c("fd00::/48").subnets(64).reduce((a, b) -> b).orElseThrow());
        assertEquals(BigInteger.ONE.shiftLeft(64), c("fd00::/64").subnetCount(128));
        assertEquals(List.of(c("fd00::/128"), c("fd00::1/128")),
                c("fd00::/64").subnets(128).limit(2).collect(Collectors.toList()));
        assertEquals(List.of(c("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128"),
                        c("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128")),
                c("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127").subnets(128).collect(Collectors.toList()));
        assertContains("/16 is not a subnet length of 10.0.0.0/24 (use /24 to /32)",
                assertThrows(IllegalArgumentException.class, () -> c("10.0.0.0/24").subnets(16)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> c("10.0.0.0/24").subnets(33));
        assertThrows(IllegalArgumentException.class, () -> c("10.0.0.0/24").subnetCount(33));
        assertThrows(IllegalArgumentException.class, () -> c("fd00::/64").subnets(129));
    }

    @ParameterizedTest(name = "{0}: next {1}, previous {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/24          | 10.0.1.0/24         | 9.255.255.0/24
            10.0.255.0/24        | 10.1.0.0/24         | 10.0.254.0/24
            255.255.255.0/24     |                     | 255.255.254.0/24
            0.0.0.0/8            | 1.0.0.0/8           |
            0.0.0.0/0            |                     |
            255.255.255.255/32   |                     | 255.255.255.254/32
            0.0.0.0/32           | 0.0.0.1/32          |
            128.0.0.0/1          |                     | 0.0.0.0/1
            fd00::/64            | fd00:0:0:1::/64     | fcff:ffff:ffff:ffff::/64
            fd00:0:0:ffff::/64   | fd00:0:1::/64       | fd00:0:0:fffe::/64
            fd00::ffff:ffff:ffff:ffff/128 | fd00:0:0:1::/128 | fd00::ffff:ffff:ffff:fffe/128
            fd00:0:0:1::/128     | fd00:0:0:1::1/128   | fd00::ffff:ffff:ffff:ffff/128
            fd00::8000:0:0:0/65  | fd00:0:0:1::/65     | fd00::/65
            ::/0                 |                     |
            ::/1                 | 8000::/1            |
            ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128 |  | ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128
            ffff:ffff:ffff:ffff::/64 |                 | ffff:ffff:ffff:fffe::/64
            """)
    void nextAndPrevious(String cidr, String next, String previous) {
        Cidr block = c(cidr);
        assertEquals(Optional.ofNullable(next).map(Cidr::parse), block.next());
        assertEquals(Optional.ofNullable(previous).map(Cidr::parse), block.previous());
        block.next().ifPresent(n -> assertEquals(Optional.of(block), n.previous()));
        block.previous().ifPresent(p -> assertEquals(Optional.of(block), p.next()));
    }

    @Test
    void equalityGroups() {
        List<List<Cidr>> groups = List.of(
                List.of(c("10.0.0.0/8"), Cidr.parseMasked("10.1.2.3/8"), Cidr.of(IpAddress.parse("10.0.0.0"), 8),
                        c("10.0.0.0/16").supernet(8)),
                List.of(c("10.0.0.0/16"), c("10.0.0.0/16")),
                List.of(c("10.0.0.0/32"), Cidr.of(IpAddress.parse("10.0.0.0"))),
                List.of(c("0.0.0.0/0"), Cidr.all(IpFamily.IPV4)),
                List.of(c("::/0"), Cidr.all(IpFamily.IPV6), c("0:0:0:0:0:0:0:0/0")),
                List.of(c("::/8")),
                List.of(c("::ffff:10.0.0.0/104"), c("::ffff:a00:0/104")),
                List.of(c("::a00:0/104")),
                List.of(c("fc00:0:0:1::/64"), c("FC00:0000:0000:0001::/64")),
                List.of(c("fc00:0:0:1::/65")));
        for (int i = 0; i < groups.size(); i++) {
            for (int j = 0; j < groups.size(); j++) {
                for (Cidr a : groups.get(i)) {
                    for (Cidr b : groups.get(j)) {
                        if (i == j) {
                            assertEquals(a, b);
                            assertEquals(a.hashCode(), b.hashCode());
                            assertEquals(0, a.compareTo(b));
                        } else {
                            assertNotEquals(a, b);
                            assertNotEquals(0, a.compareTo(b), a + " vs " + b);
                        }
                    }
                }
            }
            assertNotEquals(groups.get(i).get(0), null);
            assertNotEquals(groups.get(i).get(0), groups.get(i).get(0).toString());
            assertNotEquals(groups.get(i).get(0), groups.get(i).get(0).network());
        }
    }

    @Test
    void compareToOrdersIpv4FirstThenNetworkThenShorterFirst() {
        List<Cidr> expected = List.of(c("0.0.0.0/0"), c("0.0.0.0/8"), c("10.0.0.0/8"), c("10.0.0.0/16"),
                c("10.0.0.0/32"), c("10.0.0.1/32"), c("10.0.1.0/24"), c("128.0.0.0/1"), c("255.255.255.255/32"),
                c("::/0"), c("::/128"), c("::ffff:10.0.0.0/104"), c("fd00::/8"), c("fd00::/64"),
                c("fd00::ffff:ffff:ffff:ffff/128"), c("fd00:0:0:1::/64"), c("fe00::/8"),
                c("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"));
        List<Cidr> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new Random(7));
        Collections.sort(shuffled);
        assertEquals(expected, shuffled);
        assertTrue(c("255.255.255.255/32").compareTo(c("::/0")) < 0);
        assertTrue(c("::/0").compareTo(c("0.0.0.0/0")) > 0);
    }

    static void assertContains(String fragment, String message) {
        assertTrue(message != null && message.contains(fragment),
                () -> "expected the message to contain [" + fragment + "] but it was [" + message + "]");
    }
}
