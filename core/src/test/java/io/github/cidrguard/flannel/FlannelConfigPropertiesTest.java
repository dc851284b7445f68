package io.github.cidrguard.flannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Round trips of generated configs (explicit tries) and fuzzing (tries left to jqwik.tries.default: 10 000 in CI,
 * 1 000 000 with -Pfuzz): parsing anything throws nothing but FlannelConfigException, and whatever parses writes back
 * to an equal config.
 */
class FlannelConfigPropertiesTest {

    // ------------------------------------------------------------ round trip

    @Property(tries = 300)
    void parseOfToJsonIsEqual(@ForAll("configs") String json) {
        FlannelConfig c;
        try {
            c = FlannelConfig.parse(json);
        } catch (FlannelConfigException e) {
            return; // generated values can be inconsistent (e.g. SubnetMin outside the Network); flannel says so
        }
        assertRoundTrips(c);
    }

    @Property(tries = 300)
    void withersGiveConfigsThatRoundTrip(@ForAll("configs") String json,
                                         @ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long address,
                                         @ForAll @IntRange(min = 0, max = 32) int prefix,
                                         @ForAll @IntRange(min = 0, max = 32) int subnetLen) {
        FlannelConfig c;
        try {
            c = FlannelConfig.parse(json);
        } catch (FlannelConfigException e) {
            return;
        }
        try {
            FlannelConfig moved = c.withDerivedSubnetRange().withNetwork(Cidr.ofMasked(IpAddress.ofIpv4(address), prefix))
                    .withSubnetLen(subnetLen);
            assertRoundTrips(moved);
            Cidr want = Cidr.ofMasked(IpAddress.ofIpv4(address), prefix);
            // 0.0.0.0/0 is flannel's "no Network" (accepted only with IPv4 disabled)
            assertEquals(want.prefixLength() == 0 && want.network().isZero() ? java.util.Optional.empty()
                    : java.util.Optional.of(want), moved.network());
        } catch (FlannelConfigException e) {
            assertNotNull(e.flannelMessage());
        }
    }

    private static void assertRoundTrips(FlannelConfig c) {
        String out = c.toJson();
        FlannelConfig back = FlannelConfig.parse(out);
        assertEquals(c, back, out);
        assertEquals(c.hashCode(), back.hashCode(), out);
        assertEquals(c.flannelValues(), back.flannelValues(), out);
        assertEquals(c.unknownKeys(), back.unknownKeys(), out);
        assertEquals(out, back.toJson());
        assertEquals(c.backend(), back.backend());
    }

    @Provide
    Arbitrary<String> configs() {
        Arbitrary<Long> addr = Arbitraries.longs().between(0, 0xFFFF_FFFFL);
        Arbitrary<Integer> prefix = Arbitraries.integers().between(0, 30);
        Arbitrary<String> network = Combinators.combine(addr, prefix)
                .as((a, p) -> "\"" + IpAddress.ofIpv4(a) + "/" + (p < 10 && p % 3 == 0 ? "0" + p : "" + p) + "\"");
        Arbitrary<String> subnetLen = Arbitraries.oneOf(Arbitraries.integers().between(0, 31).map(String::valueOf),
                Arbitraries.just("null"));
        Arbitrary<String> ip4 = addr.map(a -> "\"" + IpAddress.ofIpv4(a & 0xFFFF_FF00L) + "\"");
        Arbitrary<String> v6net = Arbitraries.of("\"fd00:10:244::/56\"", "\"fc00::/48\"", "\"fd00::/124\"",
                "\"fd00::/63\"", "\"fc00::1/48\"", "\"2001:db8:0:0:1::/80\"");
        Arbitrary<String> bool = Arbitraries.of("true", "false", "null");
        Arbitrary<String> backend = Arbitraries.of("{\"Type\":\"vxlan\"}", "{ \"type\" : \"VXLAN\", \"VNI\" : 4 }",
                "{\"Type\":\"host-gw\"}", "null", "{}", "{\"Type\":\"wireguard\",\"Mode\":\"auto\"}",
                "{\"Type\":\"aws-vpc\",\"RouteTableID\":[\"a\",\"b\"]}", "{\"Type\":\"udp\",\"Port\":1}");
        Arbitrary<String> unknown = Arbitraries.of("\"Comment\":\"<&> é \\u2028\"", "\"Networks\":[\"10.0.0.0/8\"]",
                "\"BackendType\":\"vxlan\"", "\"x\":{\"y\":[1,2,{}]}", "\"Netwörk\":null");
        Arbitrary<String> member = Arbitraries.oneOf(List.of(
                keyed("Network", network),
                keyed("SubnetLen", subnetLen),
                keyed("SubnetMin", ip4),
                keyed("SubnetMax", ip4),
                keyed("EnableIPv4", bool),
                keyed("EnableIPv6", bool),
                keyed("EnableNFTables", bool),
                keyed("IPv6Network", v6net),
                keyed("IPv6SubnetLen", Arbitraries.of("66", "0", "120")),
                keyed("IPv6SubnetMin", Arbitraries.of("null", "\"::\"", "\"fd00:10:244:1::\"")),
                keyed("Backend", backend),
                unknown));
        Arbitrary<List<String>> members = member.list().ofMinSize(0).ofMaxSize(8);
        return Combinators.combine(network, members, Arbitraries.of("", " ", "\n  "))
                .as((net, ms, ws) -> {
                    List<String> all = new ArrayList<>();
                    all.add("\"Network\":" + net);
                    all.addAll(ms);
                    return ws + "{" + String.join("," + ws, all) + "}" + ws;
                });
    }

    /** The member under one of the case variants Go accepts for the field name. */
    private static Arbitrary<String> keyed(String name, Arbitrary<String> values) {
        return Combinators.combine(Arbitraries.integers().between(0, 3), values).as((variant, v) -> {
            String k = switch (variant) {
                case 0 -> name.toLowerCase(java.util.Locale.ROOT);
                case 1 -> name.toUpperCase(java.util.Locale.ROOT);
                default -> name;
            };
            return "\"" + k + "\":" + v;
        });
    }

    // ------------------------------------------------------------ fuzz (tries from jqwik.tries.default)

    /**
     * One fuzz property for both parsers (jqwik costs about half a millisecond a try here, so one property keeps the
     * package's CI run short): arbitrary text, JSON-ish text and mutated valid configs and lease values.
     */
    @Property
    void parsersOnlyEverThrowTheirOwnExceptions(@ForAll("fuzz") String input) {
        parseAndCheck(input);
        try {
            LeaseAttrs a = LeaseAttrs.parse(input);
            assertEquals(a, LeaseAttrs.parse(a.toJson()), a.toJson());
        } catch (LeaseAttrsException e) {
            assertNotNull(e.flannelMessage());
        }
    }

    @Provide
    Arbitrary<String> fuzz() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, text()),
                net.jqwik.api.Tuple.of(5, mutantsOf(SEEDS)),
                net.jqwik.api.Tuple.of(2, mutantsOf(LEASE_SEEDS)));
    }

    private static void parseAndCheck(String input) {
        FlannelConfig c;
        try {
            c = FlannelConfig.parse(input);
        } catch (FlannelConfigException e) {
            assertNotNull(e.flannelMessage());
            return;
        }
        // whatever flannel accepts writes back to an equal config, and the startup view never throws
        assertEquals(c, FlannelConfig.parse(c.toJson()), c.toJson());
        assertNotNull(c.backend());
        assertNotNull(c.startupError());
        assertNotNull(c.flannelValues());
    }

    private static final String JSONISH = "{}[]\":,0123456789.-+eE \t\n\\/untrfals ./:abcdefNSLIPv6\u212a\u017fé\uFEFF";

    private static Arbitrary<String> text() {
        Arbitrary<String> any = Arbitraries.strings().ofMaxLength(60);
        Arbitrary<String> jsonish = Arbitraries.strings().withChars(JSONISH.toCharArray()).ofMaxLength(60);
        return Arbitraries.oneOf(any, jsonish);
    }

    static final List<String> SEEDS = List.of(
            "{\"Network\":\"10.0.0.0/8\",\"SubnetLen\":24,\"Backend\":{\"Type\":\"vxlan\"}}",
            "{ \"Network\": \"10.42.0.0/16\", \"IPv6Network\": \"fd00:10:244::/56\", \"EnableIPv6\": true,"
                    + " \"Backend\": { \"Type\": \"vxlan\", \"VNI\": 1 }, \"EnableNFTables\": true }",
            "{\"Network\":\"10.3.0.0/16\",\"SubnetMin\":\"10.3.5.0\",\"SubnetMax\":\"10.3.8.0\",\"SubnetLen\":28}",
            "{\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\",\"IPv6SubnetMin\":\"fc00:0:0:1::\","
                    + "\"IPv6SubnetMax\":\"fc00:0:0:f::\",\"IPv6SubnetLen\":124,\"enableIPv4\":false}",
            "{\"Network\":\"10.0.0.0/8\",\"Backend\":{\"Type\":\"wireguard\",\"PSK\":\"AAAA\",\"Mode\":\"auto\","
                    + "\"PersistentKeepaliveInterval\":25}}",
            "{\"Network\":\"::ffff:10.3.0.0/112\",\"EnableIPv4\":false,\"x\":[1,{\"y\":null}]}",
            "null");

    static final List<String> LEASE_SEEDS = List.of(
            "{\"PublicIP\":\"10.252.158.71\",\"PublicIPv6\":null,\"BackendType\":\"vxlan\","
                    + "\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"c6:d2:32:6f:8f:44\"}}",
            "{\"PublicIP\":\"10.12.0.5\",\"PublicIPv6\":\"fd00:12::5\",\"BackendType\":\"extension\","
                    + "\"BackendData\":\"out<put>\",\"BackendV6Data\":{\"a\":[1,2]}}");

    /** Byte/char mutations of valid inputs: replace, insert, delete, duplicate a slice, truncate; 1 to 4 times. */
    private static Arbitrary<String> mutantsOf(List<String> seeds) {
        return Combinators.combine(Arbitraries.of(seeds), Arbitraries.longs(), Arbitraries.integers().between(1, 4))
                .as((seed, rnd, n) -> {
                    Random r = new Random(rnd);
                    StringBuilder sb = new StringBuilder(seed);
                    for (int i = 0; i < n; i++) {
                        int at = sb.length() == 0 ? 0 : r.nextInt(sb.length());
                        char c = r.nextInt(4) == 0 ? (char) r.nextInt(0x3000) : JSONISH.charAt(r.nextInt(JSONISH.length()));
                        switch (r.nextInt(5)) {
                            case 0 -> {
                                if (sb.length() > 0) {
                                    sb.setCharAt(at, c);
                                }
                            }
                            case 1 -> sb.insert(at, c);
                            case 2 -> {
                                if (sb.length() > 0) {
                                    sb.deleteCharAt(at);
                                }
                            }
                            case 3 -> {
                                int end = Math.min(sb.length(), at + r.nextInt(12));
                                sb.insert(at, sb.substring(at, end));
                            }
                            default -> sb.setLength(at);
                        }
                    }
                    return sb.toString();
                });
    }
}
