package io.github.cidrguard.analysis;

import io.github.cidrguard.net.AddressRange;
import io.github.cidrguard.net.AddressSet;
import io.github.cidrguard.net.Cidr;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FreeSpaceTest {

    private static List<Cidr> cidrs(String... s) {
        return java.util.Arrays.stream(s).map(Cidr::parse).toList();
    }

    @Test
    void utilizationOfANetworkWithLeases() {
        // a quarter used: 10.244.0.0/18 as four /20 leases
        FreeSpace fs = FreeSpace.of(Cidr.parse("10.244.0.0/16"),
                cidrs("10.244.0.0/20", "10.244.16.0/20", "10.244.32.0/20", "10.244.48.0/20"));
        assertEquals(BigInteger.valueOf(65536), fs.total());
        assertEquals(BigInteger.valueOf(16384), fs.usedCount());
        assertEquals(BigInteger.valueOf(49152), fs.freeCount());
        assertEquals(25.0, fs.usedPercent());
        assertEquals(Map.of(17, 1, 18, 1), fs.freeBlockCounts());
        assertEquals("1 free /17, 1 free /18", fs.freeBlockSummary());
        assertEquals("10.244.0.0/16: 16384 of 65536 addresses used (25.0 %); 1 free /17, 1 free /18", fs.toString());
        assertEquals(BigInteger.valueOf(12), fs.count(20));
    }

    @Test
    void netboxStyleCountsPerSize() {
        // one /24 used at the start of a /16: the rest is 1 /17, 1 /18, ... 1 /24
        FreeSpace fs = FreeSpace.of(Cidr.parse("10.0.0.0/16"), cidrs("10.0.0.0/24"));
        assertEquals("1 free /17, 1 free /18, 1 free /19, 1 free /20, 1 free /21, 1 free /22, 1 free /23, 1 free /24",
                fs.freeBlockSummary());
        assertEquals(BigInteger.valueOf(255), fs.count(24));
    }

    @Test
    void bestFitTakesTheSmallestHoleFirstFirstFitTheLowest() {
        // free: 10.0.0.0/24 (big hole, low) and 10.0.3.0/26 (small hole, high); everything else used
        AddressSet space = AddressSet.of(Cidr.parse("10.0.0.0/22"));
        AddressSet used = AddressSet.of(Cidr.parse("10.0.1.0/24"), Cidr.parse("10.0.2.0/24"),
                Cidr.parse("10.0.3.64/26"), Cidr.parse("10.0.3.128/25"));
        FreeSpace fs = FreeSpace.of(space, used);
        assertEquals(Optional.of(Cidr.parse("10.0.3.0/27")), fs.bestFit(27));
        assertEquals(Optional.of(Cidr.parse("10.0.0.0/27")), fs.firstFit(27));
        assertEquals(List.of("10.0.3.0/27", "10.0.3.32/27", "10.0.0.0/27", "10.0.0.32/27"),
                fs.blocks(27).limit(4).map(Cidr::toString).toList());
        assertEquals(Optional.of(Cidr.parse("10.0.0.0/24")), fs.bestFit(24));
        assertEquals(Optional.empty(), fs.bestFit(23));
    }

    @Test
    void fullAndRangeSpaces() {
        FreeSpace full = FreeSpace.of(Cidr.parse("10.0.0.0/24"), cidrs("10.0.0.0/23"));
        assertEquals("none free", full.freeBlockSummary());
        assertEquals(100.0, full.usedPercent());
        assertEquals(Optional.empty(), full.bestFit(32));
        // flannel's SubnetMin..SubnetMax is a range, not a CIDR; used addresses outside it are ignored
        FreeSpace range = FreeSpace.of(AddressSet.ofRanges(List.of(AddressRange.parse("10.0.1.0-10.0.2.255"))),
                AddressSet.of(Cidr.parse("10.0.0.0/24"), Cidr.parse("10.0.2.0/24")));
        assertEquals(BigInteger.valueOf(256), range.usedCount());
        assertEquals(List.of(Cidr.parse("10.0.1.0/24")), range.freeBlocks());
    }

    @Test
    void ipv6Works() {
        FreeSpace fs = FreeSpace.of(Cidr.parse("fd00:10::/48"), cidrs("fd00:10::/64"));
        assertEquals(BigInteger.valueOf(65535), fs.count(64));
        assertEquals(Optional.of(Cidr.parse("fd00:10:0:1::/64")), fs.bestFit(64));
        assertTrue(fs.usedPercent() > 0.0015 && fs.usedPercent() < 0.0016, String.valueOf(fs.usedPercent()));
    }

    @Test
    void refusesMixedOrEmptySpacesAndBadLengths() {
        AddressSet mixed = AddressSet.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FreeSpace.of(mixed, AddressSet.empty()));
        assertTrue(e.getMessage().contains("mixes IPv4 and IPv6; make one FreeSpace per family"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FreeSpace.of(AddressSet.empty(), AddressSet.empty()));
        FreeSpace fs = FreeSpace.of(Cidr.parse("10.0.0.0/8"), List.of());
        e = assertThrows(IllegalArgumentException.class, () -> fs.bestFit(33));
        assertEquals("/33 is not an IPv4 prefix length (0 to 32)", e.getMessage());
    }

    @Test
    void freeBlocksAreExactlyTheFreeSpace() {
        FreeSpace fs = FreeSpace.of(Cidr.parse("10.0.0.0/16"), cidrs("10.0.7.0/24", "10.0.130.0/23"));
        assertEquals(fs.free(), AddressSet.ofCidrs(fs.freeBlocks()));
        assertEquals(fs.freeCount(), fs.freeBlocks().stream().map(Cidr::size).reduce(BigInteger.ZERO,
                BigInteger::add));
        assertEquals(fs.freeBlocks(), fs.freeBlocks().stream().sorted().collect(Collectors.toList()));
    }
}
