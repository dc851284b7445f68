package io.github.cidrguard.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class AddressSetTest {
    private static final String MAX6 = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";

    private static Cidr c(String text) {
        return Cidr.parse(text);
    }

    private static IpAddress a(String text) {
        return IpAddress.parse(text);
    }

    /** A set from CIDRs, ranges or addresses, comma separated. */
    private static AddressSet set(String items) {
        if (items.isEmpty()) {
            return AddressSet.empty();
        }
        return AddressSet.ofRanges(Arrays.stream(items.split(",")).map(AddressRange::parse).collect(Collectors.toList()));
    }

    private static List<AddressRange> ranges(String items) {
        return items.isEmpty() ? List.of()
                : Arrays.stream(items.split(",")).map(AddressRange::parse).collect(Collectors.toList());
    }

    private static List<Cidr> cidrs(String items) {
        return items.isEmpty() ? List.of() : Arrays.stream(items.split(",")).map(Cidr::parse).collect(Collectors.toList());
    }

    @Test
    void freeSpace() {
        AddressSet free = AddressSet.of(c("10.0.0.0/22")).subtract(AddressSet.of(c("10.0.0.0/24"), c("10.0.2.0/24")));
        assertEquals(ranges("10.0.1.0-10.0.1.255,10.0.3.0-10.0.3.255"), free.ranges());
        assertEquals(cidrs("10.0.1.0/24,10.0.3.0/24"), free.cidrs());
        assertEquals(BigInteger.valueOf(512), free.size());
        assertEquals("[10.0.1.0-10.0.1.255, 10.0.3.0-10.0.3.255]", free.toString());
        assertEquals(free, AddressSet.of(c("10.0.0.0/22")).subtract(c("10.0.0.0/24")).subtract(c("10.0.2.0/24")));
        assertEquals(cidrs("10.0.1.0/25,10.0.1.128/25,10.0.3.0/25,10.0.3.128/25"),
                free.blocks(25).collect(Collectors.toList()));
        assertEquals(List.of(), free.blocks(23).collect(Collectors.toList()));
        assertEquals(cidrs("10.0.1.0/24,10.0.3.0/24"), free.blocks(24).collect(Collectors.toList()));
        assertEquals(512, free.blocks(32).count());
    }

    @Test
    void freeSpaceWithUnalignedHoles() {
        AddressSet free = set("10.252.0.0/16").subtract(set("10.252.0.0/24,10.252.1.5,10.252.158.71,10.252.200.0/21"));
        assertEquals(ranges("10.252.1.0-10.252.1.4,10.252.1.6-10.252.158.70,10.252.158.72-10.252.199.255,"
                + "10.252.208.0-10.252.255.255"), free.ranges());
        assertEquals(cidrs("10.252.2.0/24,10.252.3.0/24"), free.blocks(24).limit(2).collect(Collectors.toList()));
        assertFalse(free.blocks(24).anyMatch(b -> b.contains(a("10.252.158.71"))));
        assertEquals(c("10.252.160.0/19"), free.blocks(19).skip(3).findFirst().orElseThrow());
        assertEquals(cidrs("10.252.32.0/19,10.252.64.0/19,10.252.96.0/19,10.252.160.0/19,10.252.224.0/19"),
                free.blocks(19).collect(Collectors.toList()));
    }

    @Test
    void unionMergesOverlappingAndAdjacentRanges() {
        assertEquals(ranges("10.0.0.0-10.0.1.255"), set("10.0.0.0/24").union(set("10.0.1.0/24")).ranges());
        assertEquals(cidrs("10.0.0.0/23"), set("10.0.0.0/24").union(set("10.0.1.0/24")).cidrs());
        assertEquals(ranges("10.0.0.0-10.0.0.255,10.0.2.0-10.0.2.255"),
                set("10.0.0.0/24").union(set("10.0.2.0/24")).ranges());
        assertEquals(ranges("10.0.0.0-10.0.3.255"),
                set("10.0.0.0/24,10.0.2.0/24").union(set("10.0.1.0/24,10.0.3.0/24")).ranges());
        assertEquals(ranges("10.0.0.0-10.0.0.20"), set("10.0.0.0-10.0.0.10,10.0.0.5-10.0.0.20").ranges());
        assertEquals(ranges("10.0.0.0-10.0.0.20"), set("10.0.0.0-10.0.0.20,10.0.0.5-10.0.0.10").ranges());
        assertEquals(ranges("10.0.0.0-10.0.0.20"), set("10.0.0.11-10.0.0.20,10.0.0.0-10.0.0.10").ranges());
        assertEquals(ranges("10.0.0.0-10.0.0.10,10.0.0.12-10.0.0.20"),
                set("10.0.0.12-10.0.0.20,10.0.0.0-10.0.0.10").ranges());
        assertEquals(ranges("10.0.0.1"), set("10.0.0.1,10.0.0.1,10.0.0.1").ranges());
        assertEquals(set("10.0.0.0/8"), set("10.0.0.0/8").union(set("10.1.0.0/16")));
        assertEquals(set("10.0.0.0/8"), set("10.1.0.0/16").union(set("10.0.0.0/8")));
        // many small blocks in any order make one range
        AddressSet many = AddressSet.ofCidrs(c("10.0.0.0/24").subnets(28).sorted((x, y) -> y.compareTo(x))
                .collect(Collectors.toList()));
        assertEquals(set("10.0.0.0/24"), many);
        assertEquals(cidrs("10.0.0.0/24"), many.cidrs());
    }

    @Test
    void equalSetsHaveEqualRangesHoweverBuilt() {
        AddressSet a = set("10.0.0.0/23");
        AddressSet b = set("10.0.1.0/24").union(set("10.0.0.0/25")).union(set("10.0.0.128/25"));
        AddressSet c = AddressSet.of(c("10.0.0.0/22")).subtract(set("10.0.2.0/23"));
        assertEquals(a, b);
        assertEquals(a, c);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a.hashCode(), c.hashCode());
        assertNotEquals(a, set("10.0.0.0/24"));
        assertNotEquals(a, set("::a00:0/119"));
        assertEquals(AddressSet.empty(), set("10.0.0.0/24").subtract(set("10.0.0.0/24")));
        assertEquals(AddressSet.empty(), AddressSet.ofRanges(List.of()));
        assertEquals(AddressSet.empty(), AddressSet.of());
        assertTrue(AddressSet.empty().isEmpty());
        assertEquals(BigInteger.ZERO, AddressSet.empty().size());
        assertEquals(List.of(), AddressSet.empty().cidrs());
        assertEquals("[]", AddressSet.empty().toString());
    }

    @Test
    void intersect() {
        assertEquals(set("10.0.1.0/24"), set("10.0.0.0/23").intersect(set("10.0.1.0/24,10.0.2.0/24")));
        assertEquals(set("10.0.0.5-10.0.0.10,10.0.0.20-10.0.0.25"),
                set("10.0.0.0-10.0.0.10,10.0.0.20-10.0.0.30").intersect(set("10.0.0.5-10.0.0.25")));
        assertEquals(AddressSet.empty(), set("10.0.0.0/24").intersect(set("10.0.1.0/24")));
        assertEquals(AddressSet.empty(), set("10.0.0.0/24").intersect(AddressSet.empty()));
        assertEquals(AddressSet.empty(), AddressSet.empty().intersect(set("10.0.0.0/24")));
        assertEquals(AddressSet.empty(), set("0.0.0.0/0").intersect(set("::/0")));
        assertEquals(set("10.0.0.0/24,fd00::/64"),
                set("0.0.0.0/0,fd00::/48").intersect(set("10.0.0.0/24,fd00::/64,fe00::/8")));
    }

    @Test
    void subtract() {
        assertEquals(set("10.0.0.0-10.0.0.4,10.0.0.21-10.0.0.255"), set("10.0.0.0/24").subtract(set("10.0.0.5-10.0.0.20")));
        assertEquals(set("10.0.0.0/24"), set("10.0.0.0/24").subtract(set("10.0.1.0/24")));
        assertEquals(set("10.0.0.0/24"), set("10.0.0.0/24").subtract(AddressSet.empty()));
        assertEquals(AddressSet.empty(), set("10.0.0.0/24").subtract(set("10.0.0.0/8")));
        assertEquals(AddressSet.empty(), AddressSet.empty().subtract(set("10.0.0.0/8")));
        assertEquals(set("10.0.0.1-10.0.0.254"), set("10.0.0.0/24").subtract(set("10.0.0.0,10.0.0.255")));
        // one hole spanning two ranges, and holes before and after
        assertEquals(set("10.0.0.0-10.0.0.9,10.0.0.31-10.0.0.40"),
                set("10.0.0.0-10.0.0.20,10.0.0.25-10.0.0.40").subtract(set("9.0.0.0/8,10.0.0.10-10.0.0.30,11.0.0.0/8")));
        // the other family is untouched
        assertEquals(set("10.0.0.0/24"), set("10.0.0.0/24").subtract(set("::/0")));
        assertEquals(set("fd00::/64"), set("10.0.0.0/24,fd00::/64").subtract(set("0.0.0.0/0")));
        assertEquals(set("10.0.0.0/24"), set("10.0.0.0/24,fd00::/64").subtract(c("::/0")));
    }

    @Test
    void mixedFamilies() {
        AddressSet mixed = set("fd00::/64,10.0.0.0/24,::a00:0/120,10.0.1.0/24");
        assertEquals(ranges("10.0.0.0-10.0.1.255,::a00:0-::a00:ff,fd00::-fd00::ffff:ffff:ffff:ffff"), mixed.ranges());
        assertEquals(cidrs("10.0.0.0/23,::a00:0/120,fd00::/64"), mixed.cidrs());
        assertEquals(BigInteger.valueOf(512 + 256).add(BigInteger.ONE.shiftLeft(64)), mixed.size());
        assertTrue(mixed.contains(a("10.0.0.1")));
        assertTrue(mixed.contains(a("::a00:1")));
        assertFalse(mixed.contains(a("::a00:100")));
        assertFalse(mixed.contains(a("::ffff:10.0.0.1")));
        assertFalse(mixed.contains(a("10.0.2.0")));
        assertTrue(mixed.contains(c("fd00::/65")));
        assertFalse(mixed.contains(c("fd00::/63")));
        assertFalse(mixed.overlaps(c("::ffff:0:0/96")));
        // adjacent by value but not by family: 255.255.255.255 and :: never merge
        AddressSet ends = set("255.255.255.255,::");
        assertEquals(ranges("255.255.255.255,::"), ends.ranges());
        assertEquals(cidrs("255.255.255.255/32,::/128"), ends.cidrs());
        assertEquals(set("0.0.0.0/0,::/0"), set("0.0.0.0/1,::/1").union(set("8000::/1,128.0.0.0/1")));
        assertEquals(cidrs("0.0.0.0/0,::/0"), set("0.0.0.0/1,::/1").union(set("8000::/1,128.0.0.0/1")).cidrs());
    }

    @Test
    void containsAndOverlaps() {
        AddressSet s = set("10.0.0.0/24,10.0.2.0/24,10.0.3.5-10.0.3.9");
        assertTrue(s.contains(a("10.0.0.0")));
        assertTrue(s.contains(a("10.0.0.255")));
        assertFalse(s.contains(a("10.0.1.0")));
        assertFalse(s.contains(a("9.255.255.255")));
        assertTrue(s.contains(a("10.0.3.9")));
        assertFalse(s.contains(a("10.0.3.10")));
        assertFalse(s.contains(a("::")));
        assertTrue(s.contains(c("10.0.2.128/25")));
        assertFalse(s.contains(c("10.0.2.0/23")));
        assertFalse(s.contains(c("10.0.0.0/22")));
        assertTrue(s.contains(c("10.0.3.8/31")));
        assertFalse(s.contains(c("10.0.3.4/31")));
        assertTrue(s.overlaps(c("10.0.0.0/22")));
        assertTrue(s.overlaps(c("10.0.3.4/31")));
        assertFalse(s.overlaps(c("10.0.1.0/24")));
        assertFalse(s.overlaps(c("10.0.3.0/30")));
        assertTrue(s.overlaps(c("0.0.0.0/0")));
        assertFalse(s.overlaps(c("::/0")));
        assertTrue(s.overlaps(AddressRange.parse("10.0.1.0-10.0.2.0")));
        assertTrue(s.overlaps(AddressRange.parse("9.0.0.0-10.0.0.0")));
        assertFalse(s.overlaps(AddressRange.parse("10.0.1.0-10.0.1.255")));
        assertFalse(s.overlaps(AddressRange.parse("10.0.3.10-255.255.255.255")));
        assertFalse(AddressSet.empty().contains(a("10.0.0.1")));
        assertFalse(AddressSet.empty().overlaps(c("0.0.0.0/0")));
        assertFalse(AddressSet.empty().contains(c("10.0.0.1/32")));
    }

    @Test
    void topOfTheAddressSpace() {
        AddressSet top4 = set("255.255.255.0/24");
        assertTrue(top4.contains(a("255.255.255.255")));
        assertEquals(set("255.255.255.0-255.255.255.254"), top4.subtract(set("255.255.255.255")));
        assertEquals(set("255.255.255.255"), top4.subtract(set("255.255.255.0-255.255.255.254")));
        assertEquals(set("255.255.255.0/24"), set("255.255.255.255").union(set("255.255.255.0-255.255.255.254")));
        assertEquals(set("255.255.255.0/24"), set("255.255.255.0-255.255.255.254").union(set("255.255.255.255")));
        assertEquals(set("255.255.255.0/24"), set("255.255.255.0/24,255.255.255.128/25,255.255.255.255"));
        assertEquals(set("0.0.0.0-255.255.255.254"), set("0.0.0.0/0").subtract(set("255.255.255.255")));
        assertEquals(set("0.0.0.1-255.255.255.255"), set("0.0.0.0/0").subtract(set("0.0.0.0")));
        assertEquals(set("255.255.255.255"), set("0.0.0.0/0").subtract(set("0.0.0.0-255.255.255.254")));
        assertEquals(c("255.255.255.255/32"), set("0.0.0.0/0").subtract(set("0.0.0.0-255.255.255.254"))
                .blocks(32).findFirst().orElseThrow());
        assertEquals(cidrs("255.255.255.128/25"), top4.blocks(25).skip(1).collect(Collectors.toList()));

        AddressSet top6 = set("ffff:ffff:ffff:ffff::/64");
        assertTrue(top6.contains(a(MAX6)));
        assertEquals(set("ffff:ffff:ffff:ffff::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"), top6.subtract(set(MAX6)));
        assertEquals(set(MAX6), top6.subtract(set("ffff:ffff:ffff:ffff::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")));
        assertEquals(top6, set(MAX6).union(set("ffff:ffff:ffff:ffff::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")));
        assertEquals(top6, set("ffff:ffff:ffff:ffff::/64," + MAX6 + ",ffff:ffff:ffff:ffff:8000::/65"));
        assertEquals(set("::/0"), set("::-ffff:ffff:ffff:fffe:ffff:ffff:ffff:ffff").union(top6));
        assertEquals(set("::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"), set("::/0").subtract(set(MAX6)));
        assertEquals(set("::1-" + MAX6), set("::/0").subtract(set("::")));
        assertEquals(cidrs("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127"),
                set("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe-" + MAX6).blocks(127).collect(Collectors.toList()));
        assertEquals(set(MAX6), set("::/0").intersect(set(MAX6)));
    }

    @Test
    void blocks() {
        AddressSet s = set("10.0.0.5-10.0.0.20,10.0.0.64/26");
        assertEquals(cidrs("10.0.0.8/29,10.0.0.64/29,10.0.0.72/29,10.0.0.80/29,10.0.0.88/29,10.0.0.96/29,10.0.0.104/29,"
                + "10.0.0.112/29,10.0.0.120/29"), s.blocks(29).collect(Collectors.toList()));
        assertEquals(cidrs("10.0.0.6/31,10.0.0.8/31,10.0.0.10/31,10.0.0.12/31,10.0.0.14/31,10.0.0.16/31,10.0.0.18/31"),
                s.blocks(31).limit(7).collect(Collectors.toList()));
        assertEquals(cidrs("10.0.0.64/26"), s.blocks(26).collect(Collectors.toList()));
        assertEquals(List.of(), s.blocks(25).collect(Collectors.toList()));
        assertEquals(List.of(), s.blocks(0).collect(Collectors.toList()));
        assertEquals(16 + 64, s.blocks(32).count());
        assertEquals(List.of(c("0.0.0.0/0")), set("0.0.0.0/0").blocks(0).collect(Collectors.toList()));
        assertEquals(List.of(c("::/0")), set("::/0").blocks(0).collect(Collectors.toList()));

        AddressSet six = set("fd00::/47").subtract(set("fd00::/52"));
        assertEquals(cidrs("fd00:0:0:1000::/52,fd00:0:0:2000::/51,fd00:0:0:4000::/50,fd00:0:0:8000::/49,fd00:0:1::/48"),
                six.cidrs());
        assertEquals(cidrs("fd00:0:0:1000::/52,fd00:0:0:2000::/52,fd00:0:0:3000::/52"),
                six.blocks(52).limit(3).collect(Collectors.toList()));
        assertEquals(List.of(c("fd00:0:1::/48")), six.blocks(48).collect(Collectors.toList()));
        assertEquals(32 - 1, six.blocks(52).count());
        // across the 64-bit boundary
        assertEquals(cidrs("fd00::/65,fd00::8000:0:0:0/65,fd00:0:0:1::/65,fd00:0:0:1:8000::/65"),
                set("fd00::/63").blocks(65).collect(Collectors.toList()));
    }

    @Test
    void blocksRejectsLengthsBeyondAFamilyPresent() {
        assertThrows(IllegalArgumentException.class, () -> set("10.0.0.0/24").blocks(33));
        assertThrows(IllegalArgumentException.class, () -> set("fd00::/64").blocks(129));
        assertThrows(IllegalArgumentException.class, () -> set("10.0.0.0/24").blocks(-1));
        assertThrows(IllegalArgumentException.class, () -> AddressSet.empty().blocks(-1));
        // a mixed set: /64 is no IPv4 length
        assertThrows(IllegalArgumentException.class, () -> set("10.0.0.0/24,fd00::/48").blocks(64));
        assertEquals(List.of(c("fd00::/64")), set("fd00::/64,fd00::/64").blocks(64).collect(Collectors.toList()));
        assertEquals(0, AddressSet.empty().blocks(64).count());
        assertEquals(0, AddressSet.empty().blocks(200).count());
    }

    @Test
    void ofIsTheSameAsOfCidrs() {
        assertSame(AddressSet.empty(), AddressSet.ofCidrs(List.of()));
        assertEquals(AddressSet.ofCidrs(cidrs("10.0.0.0/24,10.0.1.0/24")), AddressSet.of(c("10.0.0.0/24"), c("10.0.1.0/24")));
    }
}
