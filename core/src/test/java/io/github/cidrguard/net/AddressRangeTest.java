package io.github.cidrguard.net;

import static io.github.cidrguard.net.CidrTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressRangeTest {

    private static AddressRange r(String text) {
        return AddressRange.parse(text);
    }

    private static IpAddress a(String text) {
        return IpAddress.parse(text);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.5-10.0.0.20        | 10.0.0.5-10.0.0.20    | 16
            10.0.0.5-10.0.0.5         | 10.0.0.5-10.0.0.5     | 1
            10.0.0.5                  | 10.0.0.5-10.0.0.5     | 1
            10.0.0.0/24               | 10.0.0.0-10.0.0.255   | 256
            0.0.0.0/0                 | 0.0.0.0-255.255.255.255 | 4294967296
            0.0.0.0-255.255.255.255   | 0.0.0.0-255.255.255.255 | 4294967296
            fd00::1-fd00::ff          | fd00::1-fd00::ff      | 255
            FD00::1-FD00:0:0:0::FF    | fd00::1-fd00::ff      | 255
            fd00::/127                | fd00::-fd00::1        | 2
            fd00::1                   | fd00::1-fd00::1       | 1
            ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | 340282366920938463463374607431768211456
            """)
    void parsesAndPrints(String input, String printed, String size) {
        AddressRange range = r(input);
        assertEquals(printed, range.toString());
        assertEquals(new BigInteger(size), range.size());
        assertEquals(range, r(printed));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.20-10.0.0.5     | is reversed; write 10.0.0.5-10.0.0.20
            fd00::ff-fd00::1       | is reversed; write fd00::1-fd00::ff
            10.0.0.1-fd00::1       | a range cannot mix families: 10.0.0.1-fd00::1
            fd00::1-10.0.0.1       | a range cannot mix families
            10.0.0.1-              | you must specify an address
            -10.0.0.1              | you must specify an address
            -                      | you must specify an address
            10.0.0.1-10.0.0.2-10.0.0.3 | do not allow range segments
            010.0.0.1-10.0.0.2     | segment value starts with zero
            10.0.0.1-10.0.0.02     | segment value starts with zero
            10.0.0.1-5             | non-segmented single value
            10.0.0.1 - 10.0.0.2    | contains white space
            10.0.0.5/24            | has host bits set; the network is 10.0.0.0/24
            10.0.0.1-10.0.0.2/32   | is not a CIDR
            10.0.0.0/016           | starts with zero
            fe80::1%eth0-fe80::2   | it has a zone (%eth0)
            """)
    void rejectsWithMessage(String input, String fragment) {
        AddressFormatException e = assertThrows(AddressFormatException.class, () -> r(input));
        assertContains(fragment, e.getMessage());
        assertEquals(input, e.input(), "the exception names the whole input");
        assertTrue(e.getMessage().startsWith("'" + input + "'") || e.getMessage().startsWith(input + " "),
                () -> "the message quotes the whole input: " + e.getMessage());
    }

    @Test
    void rejectsEmptyAndNull() {
        assertThrows(AddressFormatException.class, () -> r(""));
        assertContains("got null", assertThrows(AddressFormatException.class, () -> r(null)).getMessage());
    }

    @Test
    void factories() {
        assertEquals(r("10.0.0.5-10.0.0.20"), AddressRange.of(a("10.0.0.5"), a("10.0.0.20")));
        assertEquals(r("10.0.0.5-10.0.0.5"), AddressRange.of(a("10.0.0.5")));
        IllegalArgumentException reversed = assertThrows(IllegalArgumentException.class,
                () -> AddressRange.of(a("10.0.0.20"), a("10.0.0.5")));
        assertEquals("range 10.0.0.20-10.0.0.5 is reversed; write 10.0.0.5-10.0.0.20", reversed.getMessage());
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                () -> AddressRange.of(a("10.0.0.1"), a("::1")));
        assertEquals("a range cannot mix families: 10.0.0.1-::1", mixed.getMessage());
        // ::a00:1 has the numeric value of 10.0.0.1 but is another family
        assertThrows(IllegalArgumentException.class, () -> AddressRange.of(a("10.0.0.1"), a("::a00:1")));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.5-10.0.0.20          | 10.0.0.5/32,10.0.0.6/31,10.0.0.8/29,10.0.0.16/30,10.0.0.20/32
            10.0.0.0-10.0.0.255         | 10.0.0.0/24
            10.0.0.1-10.0.0.1           | 10.0.0.1/32
            10.0.0.0-10.0.1.0           | 10.0.0.0/24,10.0.1.0/32
            10.0.0.255-10.0.1.0         | 10.0.0.255/32,10.0.1.0/32
            0.0.0.0-255.255.255.255     | 0.0.0.0/0
            0.0.0.1-255.255.255.255     | 0.0.0.1/32,0.0.0.2/31,0.0.0.4/30,0.0.0.8/29,0.0.0.16/28,0.0.0.32/27,0.0.0.64/26,0.0.0.128/25,0.0.1.0/24,0.0.2.0/23,0.0.4.0/22,0.0.8.0/21,0.0.16.0/20,0.0.32.0/19,0.0.64.0/18,0.0.128.0/17,0.1.0.0/16,0.2.0.0/15,0.4.0.0/14,0.8.0.0/13,0.16.0.0/12,0.32.0.0/11,0.64.0.0/10,0.128.0.0/9,1.0.0.0/8,2.0.0.0/7,4.0.0.0/6,8.0.0.0/5,16.0.0.0/4,32.0.0.0/3,64.0.0.0/2,128.0.0.0/1
            255.255.255.254-255.255.255.255 | 255.255.255.254/31
            10.252.1.0-10.252.255.0     | 10.252.1.0/24,10.252.2.0/23,10.252.4.0/22,10.252.8.0/21,10.252.16.0/20,10.252.32.0/19,10.252.64.0/18,10.252.128.0/18,10.252.192.0/19,10.252.224.0/20,10.252.240.0/21,10.252.248.0/22,10.252.252.0/23,10.252.254.0/24,10.252.255.0/32
            fd00::1-fd00::ff            | fd00::1/128,fd00::2/127,fd00::4/126,fd00::8/125,fd00::10/124,fd00::20/123,fd00::40/122,fd00::80/121
            fd00::-fd00:0:0:1:ffff:ffff:ffff:ffff | fd00::/63
            fd00::ffff:ffff:ffff:ffff-fd00:0:0:1:: | fd00::ffff:ffff:ffff:ffff/128,fd00:0:0:1::/128
            ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | ::/0
            ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127
            """)
    void toCidrs(String range, String cidrs) {
        List<Cidr> expected = Arrays.stream(cidrs.split(",")).map(Cidr::parse).collect(Collectors.toList());
        AddressRange parsed = r(range);
        assertEquals(expected, parsed.toCidrs());
        assertEquals(expected.size() == 1 ? Optional.of(expected.get(0)) : Optional.empty(), parsed.asCidr());
        BigInteger total = expected.stream().map(Cidr::size).reduce(BigInteger.ZERO, BigInteger::add);
        assertEquals(parsed.size(), total, "the blocks cover exactly the range");
    }

    @Test
    void asCidr() {
        assertEquals(Optional.of(Cidr.parse("10.0.0.0/24")), r("10.0.0.0-10.0.0.255").asCidr());
        assertEquals(Optional.of(Cidr.parse("10.0.0.7/32")), r("10.0.0.7").asCidr());
        assertEquals(Optional.of(Cidr.parse("::/0")), r("::/0").asCidr());
        assertEquals(Optional.empty(), r("10.0.0.0-10.0.0.254").asCidr());
        assertEquals(Optional.empty(), r("10.0.0.1-10.0.0.2").asCidr());
        for (String c : List.of("10.252.0.0/16", "0.0.0.0/0", "fd00::/64", "fc00:0:0:2::/63", "::1/128")) {
            assertEquals(Optional.of(Cidr.parse(c)), Cidr.parse(c).toRange().asCidr());
        }
    }

    @Test
    void containsOverlapsIntersection() {
        AddressRange range = r("10.0.0.5-10.0.0.20");
        assertTrue(range.contains(a("10.0.0.5")));
        assertTrue(range.contains(a("10.0.0.20")));
        assertFalse(range.contains(a("10.0.0.4")));
        assertFalse(range.contains(a("10.0.0.21")));
        assertFalse(range.contains(a("::a00:5")));
        assertTrue(range.contains(r("10.0.0.8-10.0.0.15")));
        assertTrue(range.contains(range));
        assertFalse(range.contains(r("10.0.0.4-10.0.0.15")));
        assertTrue(range.contains(Cidr.parse("10.0.0.8/29")));
        assertFalse(range.contains(Cidr.parse("10.0.0.0/29")));
        assertTrue(range.overlaps(Cidr.parse("10.0.0.0/29")));
        assertFalse(range.overlaps(Cidr.parse("10.0.0.0/30")));
        assertTrue(range.overlaps(Cidr.parse("10.0.0.20/32")));
        assertFalse(range.overlaps(Cidr.parse("::/0")));
        assertTrue(range.overlaps(r("10.0.0.20-10.0.0.30")));
        assertTrue(r("10.0.0.20-10.0.0.30").overlaps(range));
        assertFalse(range.overlaps(r("10.0.0.21-10.0.0.30")));
        assertFalse(range.overlaps(r("::a00:5-::a00:20")));

        assertEquals(Optional.of(r("10.0.0.20-10.0.0.20")), range.intersection(r("10.0.0.20-10.0.0.30")));
        assertEquals(Optional.of(r("10.0.0.8-10.0.0.9")), range.intersection(r("10.0.0.8-10.0.0.9")));
        assertEquals(Optional.of(r("10.0.0.5-10.0.0.9")), r("10.0.0.0-10.0.0.9").intersection(range));
        assertEquals(Optional.empty(), range.intersection(r("10.0.0.21-10.0.0.30")));
        assertEquals(Optional.empty(), range.intersection(r("::-::ffff")));
    }

    @Test
    void accessorsEqualityAndOrder() {
        AddressRange range = r("fd00::1-fd00::ff");
        assertEquals(a("fd00::1"), range.first());
        assertEquals(a("fd00::ff"), range.last());
        assertEquals(IpFamily.IPV6, range.family());
        assertEquals(r("10.0.0.0/24"), r("10.0.0.0-10.0.0.255"));
        assertEquals(r("10.0.0.0/24").hashCode(), r("10.0.0.0-10.0.0.255").hashCode());
        assertNotEquals(r("10.0.0.0-10.0.0.1"), r("10.0.0.0-10.0.0.2"));
        assertNotEquals(r("10.0.0.1"), r("::a00:1"));
        assertNotEquals(r("10.0.0.1"), "10.0.0.1-10.0.0.1");

        List<AddressRange> expected = List.of(r("0.0.0.0-0.0.0.0"), r("10.0.0.0-10.0.0.1"), r("10.0.0.0-10.0.0.2"),
                r("10.0.0.1-10.0.0.1"), r("255.255.255.255"), r("::-::"), r("::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
                r("fd00::1-fd00::ff"));
        List<AddressRange> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new Random(11));
        Collections.sort(shuffled);
        assertEquals(expected, shuffled);
    }
}
