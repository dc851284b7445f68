package io.github.cidrguard.net;

import inet.ipaddr.IPAddress;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IPv4 fast path of {@link Parsing} against IPAddress's strict parser: whatever the fast path accepts, the strict
 * parser accepts with the same value (and prefix length), so {@link IpAddress#parse} and {@link Cidr#parse} mean what
 * they meant before it existed; whatever it does not accept goes to the strict parser unchanged.
 */
class ParsingFastPathTest {
    /** Pieces of dotted quads, good and odd: leading zeros, octets past 255, signs, hex, Unicode digits, spaces. */
    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> octet = Arbitraries.oneOf(Arbitraries.integers().between(0, 255).map(String::valueOf),
                Arbitraries.of("0", "00", "01", "010", "256", "999", "1000", "", "+1", "-1", "0x1", "1a", " 1", "1 ",
                        "\u0661", "25\u0665", "0255", "00000001"));
        Arbitrary<String> prefix = Arbitraries.oneOf(Arbitraries.integers().between(0, 32).map(String::valueOf),
                Arbitraries.of("", "00", "08", "032", "33", "128", "-1", "+8", "8 ", "255.0.0.0", "1/2"));
        Arbitrary<List<String>> octets = octet.list().ofMinSize(1).ofMaxSize(6);
        Arbitrary<String> quad = Combinators.combine(octets, Arbitraries.of(".", ".", ".", ":", ".."))
                .as((o, sep) -> String.join(sep, o));
        return Combinators.combine(quad, prefix, Arbitraries.of("", "", "/", "//", "%eth0/"))
                .as((q, p, slash) -> slash.isEmpty() ? q : q + slash + p);
    }

    @Property(tries = 20_000)
    void fastAddressAgreesWithIpAddress(@ForAll("texts") String text) {
        long fast = Parsing.plainIpv4(text, 0, text.length());
        if (fast >= 0) {
            IPAddress strict = Parsing.parseStrict(text, "an IP address", "10.0.0.1");
            assertTrue(strict.isIPv4() && !strict.isPrefixed(), text);
            assertEquals(IpAddress.of(strict), IpAddress.ofIpv4(fast), text);
        }
    }

    @Property(tries = 20_000)
    void fastCidrAgreesWithIpAddress(@ForAll("texts") String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return;
        }
        long fast = Parsing.plainIpv4(text, 0, slash);
        int length = Parsing.plainPrefixLength(text, slash + 1, text.length(), 32);
        if (fast >= 0 && length >= 0) {
            IPAddress strict = Parsing.parseStrict(text, "a CIDR", "10.0.0.0/8");
            assertNotNull(strict.getNetworkPrefixLength(), text);
            assertEquals(length, strict.getNetworkPrefixLength(), text);
            assertEquals(IpAddress.of(strict), IpAddress.ofIpv4(fast), text);
        }
    }

    /** The fast path takes the plain forms (else it would be dead code and the loads slow again). */
    @ParameterizedTest
    @CsvSource({"10.252.158.71, 184327751", "0.0.0.0, 0", "255.255.255.255, 4294967295", "1.2.3.4, 16909060"})
    void plainFormsTakeTheFastPath(String text, long value) {
        assertEquals(value, Parsing.plainIpv4(text, 0, text.length()));
        assertEquals(24, Parsing.plainPrefixLength(text + "/24", text.length() + 1, text.length() + 3, 32));
    }

    /** Forms Go's net.ParseIP (and so flannel) refuses or reads otherwise go to the strict parser, which refuses. */
    @ParameterizedTest
    @ValueSource(strings = {"010.0.0.1", "10.0.0", "10.0.0.1.2", "1.2.3.256", "0x0a.0.0.1", " 1.2.3.4", "1.2.3.4 ",
            "+1.2.3.4", "\u0661.2.3.4", "1.2.3.4\n", "1.2.3.4%eth0", "::ffff:1.2.3.4", "1.2.3.4/", "1.2.3.4/00",
            "1.2.3.4/016", "1.2.3.4/33", "1.2.3.4//8", "10/8", "10.0.0.0/255.0.0.0", ""})
    void oddFormsAreLeftToTheStrictParser(String text) {
        int slash = text.indexOf('/');
        boolean fast = slash < 0 ? Parsing.plainIpv4(text, 0, text.length()) >= 0
                : Parsing.plainIpv4(text, 0, slash) >= 0
                && Parsing.plainPrefixLength(text, slash + 1, text.length(), 32) >= 0;
        if (text.equals("::ffff:1.2.3.4")) {
            assertEquals(false, fast);
            return;
        }
        assertEquals(false, fast, text);
        assertEquals(false, slash < 0 ? IpAddress.isValid(text) : Cidr.isValid(text), text);
    }
}
