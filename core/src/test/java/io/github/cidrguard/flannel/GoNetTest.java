package io.github.cidrguard.flannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.cidrguard.net.IpAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Go's net.ParseIP / ParseCIDR / IP.String as flannel sees them (Go 1.25 netip-based parsing). */
class GoNetTest {

    @ParameterizedTest(name = "ParseIP({0}) prints {1}")
    @CsvSource({
        "10.252.158.71, 10.252.158.71",
        "0.0.0.0, 0.0.0.0",
        "::ffff:1.2.3.4, 1.2.3.4",
        "::ffff:102:304, 1.2.3.4",
        "fc00:0:0:1::, fc00:0:0:1::",
        "FC00::1, fc00::1",
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "1:0:0:1:0:0:0:1, 1:0:0:1::1",
        "1:0:0:2:0:0:3:4, 1::2:0:0:3:4",
        "fc00:0:1:0:1::, fc00:0:1:0:1::",
        "::, ::",
        "::1, ::1",
        "1::, 1::",
        "::1.2.3.4, ::102:304",
    })
    void parsesAndPrintsLikeGo(String text, String printed) {
        GoNet.Addr a = GoNet.parseIp(text);
        assertNotNull(a, text);
        assertEquals(printed, GoNet.ipString(a.bytes16()));
    }

    @ParameterizedTest(name = "ParseIP rejects \"{0}\"")
    @ValueSource(strings = {"", "010.1.2.3", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.", ".1.2.3", "1..2.3",
        "fe80::1%eth0", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "::g", "1:2:3:4:5:6:7::8", " 1.2.3.4",
        "1.2.3.4 ", "１.2.3.4", "::ffff:1.2.3", "1:2:3:4:5:6:7:1.2.3.4", ":", ":1::", "1:"})
    void rejectsWhatGoRejects(String text) {
        assertNull(GoNet.parseIp(text));
    }

    @ParameterizedTest(name = "ParseCIDR({0}) = {1}/{2}")
    @CsvSource({
        "10.252.61.0/16, 10.252.0.0, 16",
        "10.3.0.7/24, 10.3.0.0, 24",
        "10.3.0.0/016, 10.3.0.0, 16",
        "fc00::1/48, fc00::, 48",
        "::ffff:10.3.0.0/112, 10.3.0.0, 112",
        "10.0.0.0/0, 0.0.0.0, 0",
    })
    void parsesCidrAndMasks(String text, String network, int length) {
        GoNet.CidrResult r = GoNet.parseCidr(text);
        assertNotNull(r, text);
        assertEquals(network, GoNet.ipString(r.network().bytes16()));
        assertEquals(length, r.prefixLength());
    }

    @ParameterizedTest(name = "ParseCIDR rejects \"{0}\"")
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x", "fc00::/129",
        "/8", "10.0.0.0/ 8", "fe80::%eth0/64", "10.0.0.0/99999999", "167968768"})
    void rejectsCidrsGoRejects(String text) {
        assertNull(GoNet.parseCidr(text));
    }

    @ParameterizedTest(name = "flannel IP6 {0} prints {1}")
    @CsvSource({
        "::a00:1, 10.0.0.1",
        "::ffff:a00:1, 10.0.0.1",
        "::ff:ffff, ::ff:ffff",
        "::1:0:0, ::1:0:0",
        "fd00::4, fd00::4",
        "::, ::",
    })
    void flannelIp6Quirk(String text, String printed) {
        assertEquals(printed, GoNet.ip6String(IpAddress.parse(text)));
    }
}
