package io.github.cidrguard.flannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SubnetKey against flannel's ParseSubnetKey / MakeSubnetKey (v0.28.9). */
class SubnetKeyTest {

    static Stream<Arguments> vectors() throws IOException {
        JsonNode root;
        try (var in = SubnetKeyTest.class.getResourceAsStream("vectors/flannel-subnet-keys.json")) {
            root = new ObjectMapper().readTree(in);
        }
        List<Arguments> out = new ArrayList<>();
        for (JsonNode v : root) {
            out.add(Arguments.of(v.get("name").asText(), v));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void sharedVectors(String name, JsonNode v) {
        String key = v.get("key").asText();
        boolean ok = v.get("ok").asBoolean();
        assertEquals(ok, SubnetKey.isValid(key), key);
        if (!ok) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SubnetKey.parse(key));
            assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
            return;
        }
        SubnetKey k = SubnetKey.parse(key);
        assertEquals(v.get("subnet").asText(), k.subnet().toString());
        JsonNode v6 = v.get("ipv6Subnet");
        assertEquals(v6 == null || v6.isNull() ? Optional.empty() : Optional.of(v6.asText()),
            k.ipv6Subnet().map(Cidr::toString));
        assertEquals(v.get("canonicalKey").asText(), k.toString());
    }

    /** Keys flannel accepts although they look wrong; the expected MakeSubnetKey form and masked blocks. */
    @ParameterizedTest(name = "accepts \"{0}\" as {1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "/coreos.com/network/subnets/10.5.1.0-24 | 10.5.1.0-24          | 10.5.1.0/24   | -",
        "/coreos.com/network/subnets/10.5.1.0-24&fd00:5:1::-64 | 10.5.1.0-24&fd00:5:1::-64 | 10.5.1.0/24 | fd00:5:1::/64",
        // unanchored start: anything before the key is ignored
        "x10.1.2.0-24                | 10.1.2.0-24             | 10.1.2.0/24   | -",
        "subnetsX/10.1.2.0-24         | 10.1.2.0-24             | 10.1.2.0/24   | -",
        // the leftmost candidate is 10.1.2.3 once the 5-number prefix fails to match
        "999.10.1.2.3-24             | 10.1.2.3-24             | 10.1.2.0/24   | -",
        // fullwidth digits are not \\d: the match starts after it
        "\uff110.1.2.0-24            | 0.1.2.0-24              | 0.1.2.0/24    | -",
        // the optional IPv6 part cannot hold dotted text, so the match moves to the key after '&'
        "1.2.3.4-24&1.2.3.4-8        | 1.2.3.4-8               | 1.0.0.0/8     | -",
        // no masking
        "10.252.61.7-16              | 10.252.61.7-16          | 10.252.0.0/16 | -",
        "10.1.2.0-24&fd00::1-64      | 10.1.2.0-24&fd00::1-64  | 10.1.2.0/24   | fd00::/64",
        // prefix lengths: leading zeros, 0
        "10.0.0.0-024                | 10.0.0.0-24             | 10.0.0.0/24   | -",
        "10.0.0.0-00000000000000000000031 | 10.0.0.0-31        | 10.0.0.0/31   | -",
        "10.1.2.0-24&fd00::-064      | 10.1.2.0-24&fd00::-64   | 10.1.2.0/24   | fd00::/64",
        "0.0.0.0-0                   | 0.0.0.0-0               | 0.0.0.0/0     | -",
        "10.1.2.0-24&fd00::-127      | 10.1.2.0-24&fd00::-127  | 10.1.2.0/24   | fd00::/127",
        "10.1.2.0-24&fd00::-0        | 10.1.2.0-24&fd00::-0    | 10.1.2.0/24   | ::/0",
        // IPv6-only lease form
        "0.0.0.0-0&fd00::-64         | 0.0.0.0-0&fd00::-64     | 0.0.0.0/0     | fd00::/64",
        // ::/0 is flannel's empty IP6Net: dropped by MakeSubnetKey, IPv6 disabled by the registry
        "10.1.2.0-24&::-0            | 10.1.2.0-24             | 10.1.2.0/24   | -",
        "10.1.2.0-24&0::0-64         | 10.1.2.0-24&::-64       | 10.1.2.0/24   | ::/64",
        // long IPv6 spellings are reprinted in RFC 5952 form
        "10.1.2.0-24&fd00:0000:0:0:0:0:0:0-56 | 10.1.2.0-24&fd00::-56 | 10.1.2.0/24 | fd00::/56",
        // IPv4-mapped and small values pass ParseIP in hex, but flannel's IP6.String prints them dotted
        "10.1.2.0-24&::ffff:a00:1-96 | 10.1.2.0-24&10.0.0.1-96 | 10.1.2.0/24   | ::ffff:0:0/96",
        "10.1.2.0-24&::a00:0-120     | 10.1.2.0-24&10.0.0.0-120 | 10.1.2.0/24  | ::a00:0/120",
    })
    void acceptsOddKeys(String key, String canonical, String subnet, String ipv6) {
        assertTrue(SubnetKey.isValid(key), key);
        SubnetKey k = SubnetKey.parse(key);
        assertEquals(canonical, k.toString());
        assertEquals(subnet, k.subnet().toString());
        assertEquals(Optional.ofNullable(ipv6), k.ipv6Subnet().map(Cidr::toString));
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(strings = {
        "", " ", "garbage", "10.12.13.0-32", "10.12.13.0-99", "10.1.2.0-4294967320", "10.1.2.0-18446744073709551640",
        "10.12.13.0-24&fd00::-128", "10.12.13.0-24&fd00::-999",
        "10.12.13.0-24&FD00::-64", "10.12.13.0-24&fd00::G-64",
        "10.12.13.0-24 ", "10.12.13.0-24\n", "10.12.13.0-24\r\n", "10.12.13.0-24/", "10.12.13.0-24&", "10.12.13.0-24&fd00::-64&",
        "10.12.13.0/24", "10.1x2y3.4-24", "10.1.2.3x-24", "1110.1.2.3-24", "010.1.2.3-24", "10.1.2.256-24",
        "10.1.2.0-24&10.0.0.1-96", "10.1.2.0-24&1-64", "10.1.2.0-24&1:2:3:4:5:6:7:8:9-64", "10.1.2.0-24&fd00::-",
        "10.1.2.0--24", "10.1.2.0-+24", "10.1.2.0-\uff1224",
        // a group of five hex digits: Go 1.19 accepted 03127; the netip-based ParseIP of flannel's Go 1.25 rejects it
        "10.1.2.0-24&::ffff:8774:03127-125",
    })
    void rejects(String key) {
        assertFalse(SubnetKey.isValid(key), key);
        assertThrows(IllegalArgumentException.class, () -> SubnetKey.parse(key));
    }

    @Test
    void messagesQuoteTheInputAndTheRule() {
        assertEquals("'10.12.13.0-32' is not a flannel subnet key: the IPv4 prefix length must be 0–31 "
            + "(flannel parses it in 5 bits), not 32",
            assertThrows(IllegalArgumentException.class, () -> SubnetKey.parse("10.12.13.0-32")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SubnetKey.parse("10.12.13.300-24"))
            .getMessage().contains("'10.12.13.300' is not an IPv4 address"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SubnetKey.parse("a-b"))
            .getMessage().startsWith("'a-b' is not a flannel subnet key: it must end in"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SubnetKey.parse("1.2.3.0-24&fd00::-128"))
            .getMessage().contains("IPv6 prefix length must be 0–127"));
        assertThrows(IllegalArgumentException.class, () -> SubnetKey.parse(null));
        assertFalse(SubnetKey.isValid(null));
    }

    @Test
    void rawValuesAreKept() {
        SubnetKey k = SubnetKey.parse("10.252.61.7-16");
        assertEquals(IpAddress.parse("10.252.61.7"), k.address());
        assertEquals(16, k.prefixLength());
        assertFalse(k.isMasked());
        assertNotEquals(SubnetKey.parse("10.252.0.0-16"), k);
        assertTrue(SubnetKey.parse("10.252.0.0-16").isMasked());
        assertEquals(Optional.of(IpAddress.parse("fd00::1")), SubnetKey.parse("1.2.3.0-24&fd00::1-64").ipv6Address());
        assertFalse(SubnetKey.parse("1.2.3.0-24&fd00::1-64").isMasked());
    }

    @Test
    void factoriesAndWithers() {
        Cidr v4 = Cidr.parse("10.12.13.0/24");
        Cidr v6 = Cidr.parse("fd00:12:13::/56");
        assertEquals("10.12.13.0-24", SubnetKey.of(v4).toString());
        assertEquals("10.12.13.0-24&fd00:12:13::-56", SubnetKey.of(v4, v6).toString());
        assertEquals("0.0.0.0-0&fd00::-64", SubnetKey.of(Cidr.all(IpFamily.IPV4), Cidr.parse("fd00::/64")).toString());
        assertEquals(SubnetKey.of(v4), SubnetKey.of(v4, Cidr.all(IpFamily.IPV6)));
        assertEquals(SubnetKey.of(v4, v6), SubnetKey.of(v4).withIpv6Subnet(v6));
        assertEquals(SubnetKey.of(v4), SubnetKey.of(v4, v6).withoutIpv6());
        assertEquals(SubnetKey.parse("10.12.13.0-24&fd00:12:13::-56"), SubnetKey.of(v4, v6));
        assertEquals(SubnetKey.parse("10.12.13.0-24&fd00:12:13::-56").hashCode(), SubnetKey.of(v4, v6).hashCode());
        assertThrows(IllegalArgumentException.class, () -> SubnetKey.of(Cidr.parse("10.0.0.1/32")));
        assertThrows(IllegalArgumentException.class, () -> SubnetKey.of(v6));
        assertThrows(IllegalArgumentException.class, () -> SubnetKey.of(v4, v4));
        assertThrows(IllegalArgumentException.class, () -> SubnetKey.of(v4, Cidr.parse("fd00::1/128")));
        assertThrows(NullPointerException.class, () -> SubnetKey.of(null));
    }

    @Test
    void ordering() {
        List<SubnetKey> keys = new ArrayList<>(Stream.of("10.1.2.0-24&fd00::-64", "10.1.2.0-24", "10.1.2.0-23",
            "10.1.1.0-24", "10.1.2.0-24&fc00::-64").map(SubnetKey::parse).toList());
        keys.sort(null);
        assertEquals(List.of("10.1.1.0-24", "10.1.2.0-23", "10.1.2.0-24", "10.1.2.0-24&fc00::-64",
            "10.1.2.0-24&fd00::-64"), keys.stream().map(SubnetKey::toString).toList());
    }

    @ParameterizedTest(name = "path.Join({0}, subnets, key) = {1}")
    @CsvSource(delimiter = '|', value = {
        "/coreos.com/network   | /coreos.com/network/subnets/10.5.1.0-24",
        "/coreos.com/network/  | /coreos.com/network/subnets/10.5.1.0-24",
        "//coreos.com//network | /coreos.com/network/subnets/10.5.1.0-24",
        "coreos.com/network    | coreos.com/network/subnets/10.5.1.0-24",
        "/a/./b/../network     | /a/network/subnets/10.5.1.0-24",
        "/                     | /subnets/10.5.1.0-24",
        "/..                   | /subnets/10.5.1.0-24",
        "../x                  | ../x/subnets/10.5.1.0-24",
        "''                    | subnets/10.5.1.0-24",
    })
    void etcdKeys(String prefix, String expected) {
        assertEquals(expected, SubnetKey.parse("10.5.1.0-24").etcdKey(prefix));
        assertEquals(SubnetKey.parse("10.5.1.0-24"), SubnetKey.parse(expected));
    }

    @Test
    void flannelPaths() {
        assertEquals("/coreos.com/network/config", FlannelPaths.configKey(FlannelPaths.DEFAULT_PREFIX));
        assertEquals("/coreos.com/network/subnets", FlannelPaths.subnetsKey("/coreos.com/network/"));
        assertEquals("config", FlannelPaths.configKey(""));
        assertThrows(NullPointerException.class, () -> FlannelPaths.configKey(null));
    }
}
