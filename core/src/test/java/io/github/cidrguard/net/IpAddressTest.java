package io.github.cidrguard.net;

import static io.github.cidrguard.net.CidrTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpAddressTest {

    private static IpAddress a(String text) {
        return IpAddress.parse(text);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.1                 | 10.0.0.1                 | IPV4
            0.0.0.0                  | 0.0.0.0                  | IPV4
            255.255.255.255          | 255.255.255.255          | IPV4
            10.252.158.71            | 10.252.158.71            | IPV4
            ::                       | ::                       | IPV6
            0::0                     | ::                       | IPV6
            ::1                      | ::1                      | IPV6
            fd00::1                  | fd00::1                  | IPV6
            FD00::A                  | fd00::a                  | IPV6
            2001:0db8:0000:0000:0000:0000:0000:0001 | 2001:db8::1 | IPV6
            2001:db8:0:0:1:0:0:1     | 2001:db8::1:0:0:1        | IPV6
            2001:db8:0:1:1:1:1:1     | 2001:db8:0:1:1:1:1:1     | IPV6
            fc00:0:0:1::             | fc00:0:0:1::             | IPV6
            1::                      | 1::                      | IPV6
            ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | IPV6
            ::ffff:1.2.3.4           | ::ffff:102:304           | IPV6
            """)
    void acceptsAndPrints(String input, String printed, IpFamily family) {
        IpAddress address = a(input);
        assertEquals(printed, address.toString());
        assertEquals(family, address.family());
        assertEquals(family == IpFamily.IPV4, address.isIpv4());
        assertTrue(IpAddress.isValid(input));
        assertEquals(address, a(printed));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            010.0.0.1       | segment value starts with zero
            10.0.0.01       | segment value starts with zero
            1.2.3           | less than four segments
            10              | non-segmented single value
            256.0.0.0       | IPv4 segment too large
            1.2.3.4.5       | too many segments
            0x0a.0.0.1      | is not an IP address
            10.0.0.0/8      | is a CIDR, not an address; write the address alone, e.g. 10.0.0.0
            10.0.0.7/8      | is a CIDR, not an address
            fd00::/64       | is a CIDR, not an address; write the address alone, e.g. fd00::
            10.0.0.1-5      | do not allow range segments
            10.0.0.*        | wildcard
            *               | universal address is not allowed
            fe80::1%eth0    | it has a zone (%eth0)
            fe80::1%25eth0  | it has a zone
            ::ffff:010.0.0.1 | segment value starts with zero
            1:2:3:4:5:6:7:8:9 | is not an IP address
            fd00:::1        | is not an IP address
            gggg::          | is not an IP address
            """)
    void rejectsWithMessage(String input, String fragment) {
        AddressFormatException e = assertThrows(AddressFormatException.class, () -> a(input));
        assertContains(fragment, e.getMessage());
        assertContains("'" + input + "'", e.getMessage());
        assertEquals(input, e.input());
        assertFalse(IpAddress.isValid(input));
    }

    @Test
    void rejectsWhiteSpaceEmptyAndNull() {
        for (String s : List.of(" 10.0.0.1", "10.0.0.1 ", "10.0.0. 1", "\t::1", "::1\n")) {
            assertContains("contains white space", assertThrows(AddressFormatException.class, () -> a(s)).getMessage());
        }
        assertContains("you must specify an address",
                assertThrows(AddressFormatException.class, () -> a("")).getMessage());
        assertContains("got null", assertThrows(AddressFormatException.class, () -> a(null)).getMessage());
        assertFalse(IpAddress.isValid(null));
    }

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.1          | 1            | 10.0.0.2
            10.0.0.255        | 1            | 10.0.1.0
            10.0.1.0          | -1           | 10.0.0.255
            0.0.0.0           | 4294967295   | 255.255.255.255
            255.255.255.255   | -4294967295  | 0.0.0.0
            10.0.0.1          | 0            | 10.0.0.1
            fd00::1           | 1            | fd00::2
            fd00::ffff:ffff:ffff:ffff | 1    | fd00:0:0:1::
            fd00:0:0:1::      | -1           | fd00::ffff:ffff:ffff:ffff
            fd00::ffff:ffff:ffff:fff0 | 32   | fd00:0:0:1::10
            fd00:0:0:1::10    | -32          | fd00::ffff:ffff:ffff:fff0
            ::                | 9223372036854775807 | ::7fff:ffff:ffff:ffff
            ::7fff:ffff:ffff:ffff | 9223372036854775807 | ::ffff:ffff:ffff:fffe
            0:0:0:1::         | -9223372036854775808 | ::8000:0:0:0
            ::8000:0:0:0      | -9223372036854775808 | ::
            ::1:0:0:0:0       | -1           | ::ffff:ffff:ffff:ffff
            ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe | 1 | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
            ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | -1 | ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe
            ::1               | -1           | ::
            """)
    void plus(String from, long n, String to) {
        assertEquals(a(to), a(from).plus(n));
        if (n != Long.MIN_VALUE) {
            assertEquals(a(from), a(to).plus(-n));
        }
        BigInteger expected = a(from).toBigInteger().add(BigInteger.valueOf(n));
        assertEquals(expected, a(to).toBigInteger());
    }

    @ParameterizedTest(name = "{0} + {1} overflows")
    @CsvSource(delimiter = '|', textBlock = """
            255.255.255.255   | 1
            0.0.0.0           | -1
            10.0.0.0          | 4294967295
            10.0.0.0          | -167772161
            10.0.0.0          | 9223372036854775807
            10.0.0.0          | -9223372036854775808
            ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | 1
            ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00 | 256
            ffff:ffff:ffff:ffff:8000::1             | 9223372036854775807
            ::                | -1
            ::ff              | -256
            ::                | -9223372036854775808
            """)
    void plusOverflow(String from, long n) {
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> a(from).plus(n));
        assertContains("leaves the IPv", e.getMessage());
    }

    @Test
    void plusStaysInFamily() {
        assertEquals(IpFamily.IPV4, a("0.0.0.0").plus(4294967295L).family());
        assertEquals(IpFamily.IPV6, a("::").plus(1).family());
        assertEquals(a("::1"), a("::").plus(1));
    }

    @ParameterizedTest(name = "{0} <-> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.252.158.71 | 0afc9e47
            0.0.0.0       | 00000000
            255.255.255.255 | ffffffff
            128.0.0.1     | 80000001
            ::            | 00000000000000000000000000000000
            ::1           | 00000000000000000000000000000001
            fd00::1       | fd000000000000000000000000000001
            fd00:0:0:1::  | fd000000000000010000000000000000
            8000::8000:0:0:0 | 80000000000000008000000000000000
            ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | ffffffffffffffffffffffffffffffff
            ::ffff:10.0.0.1 | 00000000000000000000ffff0a000001
            """)
    void bytesAndBigInteger(String text, String hex) {
        IpAddress address = a(text);
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertArrayEquals(bytes, address.toBytes());
        assertEquals(address, IpAddress.fromBytes(bytes));
        BigInteger value = new BigInteger(hex, 16);
        assertEquals(value, address.toBigInteger());
        assertEquals(address, IpAddress.of(address.family(), value));
        InetAddress inet = address.toInetAddress();
        assertArrayEquals(bytes, inet.getAddress());
        assertEquals(address.isIpv4(), inet instanceof Inet4Address, "the java.net type keeps the family");
        assertEquals(address, IpAddress.of(inet));
        assertEquals(address, IpAddress.of(address.toIPAddress()));
        if (address.isIpv4()) {
            assertEquals(address, IpAddress.ofIpv4(value.longValueExact()));
            assertEquals(0, address.high());
            assertEquals(value.longValueExact(), address.low());
        } else {
            assertEquals(address, IpAddress.ofIpv6(value.shiftRight(64).longValue(), value.longValue()));
        }
    }

    @Test
    void factoryErrors() {
        assertThrows(IllegalArgumentException.class, () -> IpAddress.fromBytes(new byte[5]));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.fromBytes(new byte[0]));
        assertContains("is not a IPv4 address value", assertThrows(IllegalArgumentException.class,
                () -> IpAddress.of(IpFamily.IPV4, BigInteger.ONE.shiftLeft(32))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> IpAddress.of(IpFamily.IPV4, BigInteger.valueOf(-1)));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.of(IpFamily.IPV6, BigInteger.ONE.shiftLeft(128)));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.of(IpFamily.IPV6, BigInteger.valueOf(-1)));
        assertEquals(a("255.255.255.255"), IpAddress.of(IpFamily.IPV4, BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE)));
        assertEquals(a("::ffff:ffff"), IpAddress.of(IpFamily.IPV6, BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE)));
        // ofIpv4 keeps only the low 32 bits
        assertEquals(a("0.0.0.1"), IpAddress.ofIpv4(0x1_0000_0001L));
    }

    @Test
    void edgesOfTheSpace() {
        assertTrue(a("255.255.255.255").isMax());
        assertTrue(a("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").isMax());
        assertFalse(a("::ffff:ffff:ffff:ffff").isMax());
        assertFalse(a("ffff:ffff:ffff:ffff::").isMax());
        assertFalse(a("255.255.255.254").isMax());
        assertTrue(a("0.0.0.0").isZero());
        assertTrue(a("::").isZero());
        assertFalse(a("::1").isZero());
    }

    @Test
    void equalityAndOrder() {
        assertEquals(a("10.0.0.1"), IpAddress.ofIpv4(0x0a000001L));
        assertEquals(a("10.0.0.1").hashCode(), IpAddress.ofIpv4(0x0a000001L).hashCode());
        assertNotEquals(a("0.0.0.0"), a("::"));
        assertNotEquals(a("10.0.0.1"), a("::a00:1"));
        assertNotEquals(a("10.0.0.1"), a("::ffff:10.0.0.1"));
        assertNotEquals(a("10.0.0.1"), "10.0.0.1");

        List<IpAddress> expected = List.of(a("0.0.0.0"), a("0.0.0.1"), a("10.0.0.1"), a("127.255.255.255"),
                a("128.0.0.0"), a("255.255.255.255"), a("::"), a("::1"), a("::ffff:ffff"), a("::1:0:0"),
                a("::7fff:ffff:ffff:ffff"), a("::8000:0:0:0"), a("::ffff:ffff:ffff:ffff"), a("0:0:0:1::"),
                a("7fff::"), a("8000::"), a("fd00::"), a("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
        List<IpAddress> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new Random(3));
        Collections.sort(shuffled);
        assertEquals(expected, shuffled);
        assertTrue(a("255.255.255.255").compareTo(a("::")) < 0, "IPv4 sorts before IPv6");
        assertTrue(a("::").compareTo(a("255.255.255.255")) > 0);
    }
}
