package io.github.cidrguard.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ends of each address space and the mixing of families, across Cidr, AddressRange and AddressSet. */
class AddressSpaceEdgesTest {

    @Test
    void blocksAtTheTopAndBottomHaveNoNeighbourBeyond() {
        assertEquals(Optional.empty(), Cidr.parse("255.255.255.0/24").next());
        assertEquals(Optional.empty(), Cidr.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:0/112").next());
        assertEquals(Optional.empty(), Cidr.parse("::/64").previous());
        assertEquals(Optional.of(Cidr.parse("255.255.254.0/24")), Cidr.parse("255.255.255.0/24").previous());
        assertEquals(Optional.of(Cidr.parse("0:0:0:1::/64")), Cidr.parse("::/64").next());
    }

    @Test
    void wholeSpacesConvertBackToOneBlock() {
        assertEquals(List.of(Cidr.all(IpFamily.IPV4)), Cidr.all(IpFamily.IPV4).toRange().toCidrs());
        assertEquals(List.of(Cidr.all(IpFamily.IPV6)), Cidr.all(IpFamily.IPV6).toRange().toCidrs());
        assertEquals(BigInteger.ONE.shiftLeft(128), Cidr.all(IpFamily.IPV6).toRange().size());
        assertEquals(List.of(Cidr.parse("255.255.255.255/32")),
                AddressRange.parse("255.255.255.255-255.255.255.255").toCidrs());
    }

    @Test
    void rangesEndingAtTheTopDoNotMergeIntoTheOtherFamily() {
        AddressSet s = AddressSet.of(Cidr.parse("255.255.255.0/24"), Cidr.parse("::/120"));
        assertEquals(2, s.ranges().size());
        AddressSet rest = s.subtract(AddressSet.of(Cidr.parse("255.255.255.128/25")));
        assertEquals(List.of(AddressRange.parse("255.255.255.0-255.255.255.127"), AddressRange.parse("::-::ff")),
                rest.ranges());
        assertTrue(AddressSet.of(Cidr.all(IpFamily.IPV4)).subtract(AddressSet.of(Cidr.all(IpFamily.IPV4))).isEmpty());
        assertEquals(AddressSet.of(Cidr.parse("::/120")),
                s.intersect(AddressSet.of(Cidr.all(IpFamily.IPV6))));
    }
}
