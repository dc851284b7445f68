package io.github.cidrguard.flannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cases from flannel v0.28.9 ParseConfig and CheckNetworkConfig and Go's encoding/json, beyond the shared vectors. Accepted cases
 * list the fields flannel ends up with (as flannel prints them); rejected cases the stage and flannel's text.
 */
class FlannelConfigTest {

    private static Arguments ok(String json, String fields) {
        return Arguments.of(json, fields, null);
    }

    private static Arguments parseError(String json, String text) {
        return Arguments.of(json, text, FlannelConfigException.Stage.PARSE);
    }

    private static Arguments checkError(String json, String text) {
        return Arguments.of(json, text, FlannelConfigException.Stage.CHECK);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
            // §1.6 derived values
            ok("{\"Network\":\"10.0.0.0/8\"}", "Network=10.0.0.0/8 SubnetLen=24 SubnetMin=10.0.1.0 SubnetMax=10.255.255.0"),
            ok("{\"Network\":\"172.16.0.0/12\"}", "SubnetLen=24 SubnetMin=172.16.1.0 SubnetMax=172.31.255.0"),
            ok("{\"Network\":\"10.252.61.0/16\"}", "Network=10.252.0.0/16 SubnetLen=24 SubnetMin=10.252.1.0 SubnetMax=10.252.255.0"),
            ok("{\"Network\":\"10.0.0.0/22\"}", "SubnetLen=24 SubnetMin=10.0.1.0 SubnetMax=10.0.3.0"),
            ok("{\"Network\":\"10.0.0.0/23\"}", "SubnetLen=25 SubnetMin=10.0.0.128 SubnetMax=10.0.1.128"),
            ok("{\"Network\":\"192.168.0.0/24\"}", "SubnetLen=26 SubnetMin=192.168.0.64 SubnetMax=192.168.0.192"),
            ok("{\"Network\":\"10.0.0.0/28\"}", "SubnetLen=30 SubnetMin=10.0.0.4 SubnetMax=10.0.0.12"),
            checkError("{\"Network\":\"10.0.0.0/29\"}", "network is too small. Minimum useful network prefix is /28"),
            ok("{\"Network\":\"10.3.0.0/16\",\"SubnetLen\":20}", "SubnetLen=20 SubnetMin=10.3.16.0 SubnetMax=10.3.240.0"),
            ok("{\"EnableIPv4\":false,\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\"}",
                "IPv6Network=fc00::/48 IPv6SubnetLen=64 IPv6SubnetMin=fc00:0:0:1:: IPv6SubnetMax=fc00:0:0:ffff::"),
            ok("{\"EnableIPv4\":false,\"EnableIPv6\":true,\"IPv6Network\":\"fd00::/63\"}",
                "IPv6SubnetLen=65 IPv6SubnetMin=fd00::8000:0:0:0 IPv6SubnetMax=fd00:0:0:1:8000::"),
            ok("{\"EnableIPv4\":false,\"EnableIPv6\":true,\"IPv6Network\":\"fd00::/124\"}",
                "IPv6SubnetLen=126 IPv6SubnetMin=fd00::4 IPv6SubnetMax=fd00::c"),
            checkError("{\"EnableIPv4\":false,\"EnableIPv6\":true,\"IPv6Network\":\"fd00::/125\"}",
                "IPv6Network is too small. Minimum useful network prefix is /124"),
            ok("{\"Network\":\"255.255.255.0/24\"}", "SubnetLen=26 SubnetMin=255.255.255.64 SubnetMax=255.255.255.192"),
            ok("{\"Network\":\"0.0.0.0/8\"}", "Network=0.0.0.0/8 SubnetLen=24 SubnetMin=0.0.1.0 SubnetMax=0.255.255.0"),
            checkError("{\"Network\":\"0.0.0.0/0\"}", "please define a correct Network parameter in the flannel config"),
            ok("{\"Network\":\"10.3.0.0/016\"}", "Network=10.3.0.0/16 SubnetLen=24"),
            ok("{\"Network\":\"10.3.0.0/16\",\"SubnetMin\":\"10.3.8.0\",\"SubnetMax\":\"10.3.5.0\"}",
                "SubnetMin=10.3.8.0 SubnetMax=10.3.5.0"),
            ok("{\"Network\":\"10.3.0.0/16\",\"SubnetMin\":\"10.3.0.0\"}", "SubnetMin=10.3.0.0"),
            ok("{\"Network\":\"10.3.0.0/16\",\"SubnetMin\":\"0.0.0.0\"}", "SubnetMin=10.3.1.0"),
            ok("{\"Network\":\"10.3.0.0/16\",\"SubnetMin\":\"::ffff:10.3.4.0\"}", "SubnetMin=10.3.4.0"),
            // §1.6 explicit SubnetLen
            checkError("{\"Network\":\"10.3.0.0/16\",\"SubnetLen\":31}", "SubnetLen must be less than /31"),
            checkError("{\"Network\":\"10.3.0.0/16\",\"SubnetLen\":4294967296}", "SubnetLen must be less than /31"),
            checkError("{\"Network\":\"10.3.0.0/16\",\"SubnetLen\":18446744073709551615}", "SubnetLen must be less than /31"),
            checkError("{\"Network\":\"10.3.0.0/16\",\"SubnetLen\":17}", "network must be able to accommodate at least four subnets"),
            checkError("{\"Network\":\"10.3.0.0/16\",\"SubnetLen\":8}", "network must be able to accommodate at least four subnets"),
            checkError("{\"Network\":\"10.0.0.0/29\",\"SubnetLen\":30}", "network must be able to accommodate at least four subnets"),
            ok("{\"Network\":\"10.0.0.0/28\",\"SubnetLen\":30}", "SubnetLen=30 SubnetMin=10.0.0.4"),
            checkError("{\"EnableIPv6\":true,\"EnableIPv4\":false,\"IPv6Network\":\"fc00::/48\",\"IPv6SubnetLen\":127}",
                "SubnetLen must be less than /127"),
            checkError("{\"EnableIPv6\":true,\"EnableIPv4\":false,\"IPv6Network\":\"fc00::/48\",\"IPv6SubnetLen\":49}",
                "network must be able to accommodate at least four subnets"),
            // §1.6 range checks run before alignment checks
            checkError("{\"Network\":\"10.3.0.0/16\",\"SubnetMin\":\"10.3.0.7\",\"SubnetMax\":\"10.4.0.0\"}",
                "SubnetMax is not in the range of the Network"),
            checkError("{\"Network\":\"10.3.0.0/16\",\"SubnetMin\":\"10.4.0.0\"}", "SubnetMin is not in the range of the Network"),
            checkError("{\"Network\":\"10.3.0.0/16\",\"SubnetMin\":\"10.3.0.7\",\"SubnetMax\":\"10.3.0.9\"}",
                "SubnetMin is not on a SubnetLen boundary: 10.3.0.7"),
            checkError("{\"Network\":\"10.3.0.0/16\",\"SubnetMax\":\"10.3.0.9\"}", "SubnetMax is not on a SubnetLen boundary: 10.3.0.9"),
            checkError("{\"EnableIPv6\":true,\"EnableIPv4\":false,\"IPv6Network\":\"fc00::/48\",\"IPv6SubnetMin\":\"fc01::\"}",
                "IPv6SubnetMin is not in the range of the IPv6Network"),
            checkError("{\"EnableIPv6\":true,\"EnableIPv4\":false,\"IPv6Network\":\"fc00::/48\",\"IPv6SubnetMax\":\"fc00::1\"}",
                "IPv6SubnetMax is not on a SubnetLen boundary: fc00::1"),
            // IPv6Network takes IPv4 text as ::ffff:a.b.c.d with a 32-bit prefix: the alignment check trips
            checkError("{\"EnableIPv6\":true,\"IPv6Network\":\"10.0.0.0/8\",\"Network\":\"10.3.0.0/16\"}",
                "IPv6SubnetMin is not on a SubnetLen boundary: ::1:0:ffff:a00:0"),
            // ... and with a /0 the derived IPv6SubnetMax passes 2^128: IP6.String panics, fmt prints the panic
            checkError("{\"EnableIPv4\":false,\"IPv6Network\":\"10.0.0.0/0\",\"EnableIPv6\":true,\"IPv6SubnetLen\":104}",
                "IPv6SubnetMax is not on a SubnetLen boundary: %!v(PANIC=String method: math/big: buffer too small to fit value)"),
            ok("{\"EnableIPv6\":true,\"EnableIPv4\":false,\"IPv6Network\":\"fc00::1/48\",\"IPv6SubnetMin\":null}",
                "IPv6Network=fc00::/48 IPv6SubnetMin=fc00:0:0:1::"),
            ok("{\"EnableIPv6\":true,\"EnableIPv4\":false,\"IPv6Network\":\"fc00::/48\",\"IPv6SubnetMin\":\"::\"}",
                "IPv6SubnetMin=fc00:0:0:1::"),
            // families: a disabled family is not checked, but must decode
            ok("{\"EnableIPv4\":false}", "EnableIPv4=false EnableIPv6=false SubnetLen=0"),
            ok("{\"EnableIPv4\":false,\"Network\":\"10.0.0.0/30\",\"SubnetLen\":99}", "Network=10.0.0.0/30 SubnetLen=99"),
            parseError("{\"Network\":\"10.3.0.0/16\",\"IPv6Network\":\"bogus\"}", "invalid CIDR address: bogus"),
            parseError("{\"Network\":\"10.3.0.0/16\",\"EnableIPv6\":false,\"IPv6SubnetMin\":\"x\"}", "invalid IP address format"),
            checkError("{\"EnableIPv6\":true,\"Network\":\"10.3.0.0/16\"}",
                "please define a correct IPv6Network parameter in the flannel config"),
            checkError("{\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\"}",
                "please define a correct Network parameter in the flannel config"),
            // §1.4 address parsing from the raw token
            parseError("{\"Network\":\"10.3.0.0\\/16\"}", "invalid CIDR address: 10.3.0.0\\/16"),
            parseError("{\"Network\":\"\\u0031\\u0030.3.0.0/16\"}", "invalid CIDR address: \\u0031\\u0030.3.0.0/16"),
            parseError("{\"Network\":167968768}", "invalid CIDR address: 167968768"),
            parseError("{\"Network\":[\"10.3.0.0/16\"]}", "invalid CIDR address: [\"10.3.0.0/16\"]"),
            parseError("{\"Network\":true}", "invalid CIDR address: true"),
            ok("{\"Network\":\"\\\"10.3.0.0/16\\\"\"}".replace("\\\"10", "10").replace("16\\\"", "16"), "Network=10.3.0.0/16"),
            parseError("{\"Network\":\"010.3.0.0/16\"}", "invalid CIDR address: 010.3.0.0/16"),
            parseError("{\"Network\":\" 10.3.0.0/16\"}", "invalid CIDR address:  10.3.0.0/16"),
            parseError("{\"Network\":\"2001:db8::/64\"}", "invalid IPv4 CIDR format"),
            parseError("{\"Network\":\"::ffff:10.0.0.0/80\"}", "invalid IPv4 CIDR format"),
            checkError("{\"Network\":\"::ffff:10.3.0.0/112\"}", "network is too small. Minimum useful network prefix is /28"),
            checkError("{\"Network\":\"::ffff:10.3.0.0/112\",\"SubnetLen\":24}", "network must be able to accommodate at least four subnets"),
            parseError("{\"Network\":\"10.3.0.0/16\",\"SubnetMin\":\"10.3.1.0/24\"}", "invalid IP address format"),
            parseError("{\"Network\":\"10.3.0.0/16\",\"SubnetMax\":\"fc00::1\"}", "invalid IPv4 address format"),
            // §1.2 null
            ok("{\"Network\":\"10.3.0.0/16\",\"EnableIPv4\":null,\"SubnetLen\":null,\"EnableIPv6\":null}",
                "EnableIPv4=true SubnetLen=24"),
            parseError("{\"Network\":null}", "invalid CIDR address: null"),
            parseError("{\"Network\":\"10.3.0.0/16\",\"IPv6Network\":null}", "invalid CIDR address: null"),
            parseError("{\"Network\":\"10.3.0.0/16\",\"SubnetMin\":null}", "invalid IP address format"),
            ok("{\"Network\":\"10.3.0.0/16\",\"IPv6SubnetMin\":null,\"IPv6SubnetMax\":null}", "SubnetLen=24"),
            ok("{\"Network\":\"10.3.0.0/16\",\"Backend\":null}", "BackendType= Backend=null"),
            checkError("null", "please define a correct Network parameter in the flannel config"),
            checkError(" null ", "please define a correct Network parameter in the flannel config"),
            // §1.2 keys: case-insensitive with simple folding, exact preferred, last duplicate wins
            ok("{\"NETWORK\":\"10.3.0.0/16\",\"subnetlen\":20}", "Network=10.3.0.0/16 SubnetLen=20"),
            ok("{\"Networ\\u212a\":\"10.3.0.0/16\"}", "Network=10.3.0.0/16"),
            ok("{\"Networ\u212a\":\"10.3.0.0/16\"}", "Network=10.3.0.0/16"),
            ok("{\"Network\":\"10.3.0.0/16\",\"\u017fubnetLen\":20}", "SubnetLen=20"),
            ok("{\"\\u004eetwork\":\"10.3.0.0/16\"}", "Network=10.3.0.0/16"),
            ok("{\"Network\":\"10.3.0.0/16\",\"network\":\"10.4.0.0/16\"}", "Network=10.4.0.0/16 SubnetMin=10.4.1.0"),
            ok("{\"Network\":\"10.3.0.0/16\",\"SubnetLen\":20,\"SubnetLen\":22}", "SubnetLen=22"),
            ok("{\"Network\":\"10.3.0.0/16\",\"Netwörk\":\"x\",\"BackendType\":\"vxlan\"}", "BackendType=udp"),
            checkError("{\"Net work\":\"10.3.0.0/16\"}", "please define a correct Network parameter in the flannel config"),
            // §1.2 strict types (Go wording)
            parseError("{\"Network\":\"10.3.0.0/16\",\"SubnetLen\":\"24\"}",
                "json: cannot unmarshal string into Go struct field Config.SubnetLen of type uint"),
            parseError("{\"Network\":\"10.3.0.0/16\",\"SubnetLen\":24.0}",
                "json: cannot unmarshal number 24.0 into Go struct field Config.SubnetLen of type uint"),
            parseError("{\"Network\":\"10.3.0.0/16\",\"SubnetLen\":2.4e1}",
                "json: cannot unmarshal number 2.4e1 into Go struct field Config.SubnetLen of type uint"),
            parseError("{\"Network\":\"10.3.0.0/16\",\"SubnetLen\":-1}",
                "json: cannot unmarshal number -1 into Go struct field Config.SubnetLen of type uint"),
            parseError("{\"Network\":\"10.3.0.0/16\",\"SubnetLen\":18446744073709551616}",
                "json: cannot unmarshal number 18446744073709551616 into Go struct field Config.SubnetLen of type uint"),
            parseError("{\"Network\":\"10.3.0.0/16\",\"IPv6SubnetLen\":{}}",
                "json: cannot unmarshal object into Go struct field Config.IPv6SubnetLen of type uint"),
            parseError("{\"Network\":\"10.3.0.0/16\",\"EnableIPv4\":\"true\"}",
                "json: cannot unmarshal string into Go struct field Config.EnableIPv4 of type bool"),
            parseError("{\"Network\":\"10.3.0.0/16\",\"EnableIPv6\":1}",
                "json: cannot unmarshal number into Go struct field Config.EnableIPv6 of type bool"),
            parseError("{\"Network\":\"10.3.0.0/16\",\"enablenftables\":[]}",
                "json: cannot unmarshal array into Go struct field Config.EnableNFTables of type bool"),
            parseError("[]", "json: cannot unmarshal array into Go value of type subnet.Config"),
            parseError("\"x\"", "json: cannot unmarshal string into Go value of type subnet.Config"),
            parseError("42", "json: cannot unmarshal number into Go value of type subnet.Config"),
            parseError("true", "json: cannot unmarshal bool into Go value of type subnet.Config"),
            // the first type error is reported; an address error stops decoding at once and wins
            parseError("{\"SubnetLen\":\"a\",\"EnableIPv4\":1}",
                "json: cannot unmarshal string into Go struct field Config.SubnetLen of type uint"),
            parseError("{\"SubnetLen\":\"a\",\"Network\":\"bad\"}", "invalid CIDR address: bad"),
            parseError("{\"Network\":\"bad\",\"SubnetLen\":\"a\"}", "invalid CIDR address: bad"),
            parseError("{\"Network\":\"bad\",\"Network\":\"10.3.0.0/16\"}", "invalid CIDR address: bad"),
            parseError("{\"SubnetLen\":\"a\",\"SubnetLen\":20,\"Network\":\"10.3.0.0/16\"}",
                "json: cannot unmarshal string into Go struct field Config.SubnetLen of type uint"),
            // syntax is checked for the whole input first
            parseError("{\"SubnetLen\":\"a\",\"Network\":\"bad\",}", "invalid character '}' looking for beginning of object key string"),
            parseError("", "unexpected end of JSON input"),
            parseError("   \n\t", "unexpected end of JSON input"),
            parseError("\uFEFF{\"Network\":\"10.3.0.0/16\"}", "invalid character 'ï' looking for beginning of value"),
            parseError("{\"Network\":\"10.3.0.0/16\"} x", "invalid character 'x' after top-level value"),
            parseError("{\"Network\":\"10.3.0.0/16\"}{}", "invalid character '{' after top-level value"),
            parseError("// c\n{\"Network\":\"10.3.0.0/16\"}", "invalid character '/' looking for beginning of value"),
            parseError("{\"Network\":\"10.3.0.0/16\" /* c */}", "invalid character '/' after object key:value pair"),
            parseError("{\"Network\" \"10.3.0.0/16\"}", "invalid character '\"' after object key"),
            parseError("{Network:\"10.3.0.0/16\"}", "invalid character 'N' looking for beginning of object key string"),
            parseError("{'Network':'10.3.0.0/16'}", "invalid character '\\'' looking for beginning of object key string"),
            parseError("{\"Network\":\"10.3.0.0/16\"", "unexpected end of JSON input"),
            parseError("{\"a\":[1 2]}", "invalid character '2' after array element"),
            parseError("{\"a\":[1,]}", "invalid character ']' looking for beginning of value"),
            parseError("{\"a\":tru}", "invalid character '}' in literal true (expecting 'e')"),
            parseError("nul", "invalid character ' ' in literal null (expecting 'l')"),
            parseError("{\"a\":fals}", "invalid character '}' in literal false (expecting 'e')"),
            parseError("{\"a\":01}", "invalid character '1' after object key:value pair"),
            parseError("-", "invalid character ' ' in numeric literal"),
            parseError("{\"a\":-x}", "invalid character 'x' in numeric literal"),
            parseError("{\"a\":1.}", "invalid character '}' after decimal point in numeric literal"),
            parseError("{\"a\":1e+}", "invalid character '}' in exponent of numeric literal"),
            parseError("{\"a\":\"\\x\"}", "invalid character 'x' in string escape code"),
            parseError("{\"a\":\"\\u12g4\"}", "invalid character 'g' in \\u hexadecimal character escape"),
            parseError("{\"a\":\"tab\there\"}", "invalid character '\\t' in string literal"),
            parseError("{\"a\":\"\u0001\"}", "invalid character '\\x01' in string literal"),
            parseError("{\"a\":NaN}", "invalid character 'N' looking for beginning of value"),
            parseError("\u00a0{}", "invalid character 'Â' looking for beginning of value"), // C2 A0: Go names the first byte
            parseError("{\"a\":1}\u0085", "invalid character 'Â' after top-level value"),
            parseError("{\"a\":\"x\"}\u0000", "invalid character '\\x00' after top-level value"),
            parseError("[".repeat(10001), "invalid character '[' exceeded max depth"),
            checkError("{\"a\":" + "[".repeat(9999) + "]".repeat(9999) + "}",
                "please define a correct Network parameter in the flannel config"),
            // §1.5 backend type
            ok("{\"Network\":\"10.3.0.0/16\"}", "BackendType=udp"),
            ok("{\"Network\":\"10.3.0.0/16\",\"Backend\":{}}", "BackendType="),
            ok("{\"Network\":\"10.3.0.0/16\",\"Backend\":{\"Foo\":1}}", "BackendType="),
            ok("{\"Network\":\"10.3.0.0/16\",\"backend\":{\"type\":\"VXLAN\"}}", "BackendType=VXLAN"),
            ok("{\"Network\":\"10.3.0.0/16\",\"Backend\":{\"Type\":\"v\\u0078lan\",\"Type\":\"host-gw\"}}", "BackendType=host-gw"),
            ok("{\"Network\":\"10.3.0.0/16\",\"Backend\":{\"Type\":null}}", "BackendType="),
            parseError("{\"Network\":\"10.3.0.0/16\",\"Backend\":\"vxlan\"}",
                "error decoding Backend property of config: json: cannot unmarshal string into Go value of type struct { Type string }"),
            parseError("{\"Network\":\"10.3.0.0/16\",\"Backend\":[]}",
                "error decoding Backend property of config: json: cannot unmarshal array into Go value of type struct { Type string }"),
            parseError("{\"Network\":\"10.3.0.0/16\",\"Backend\":{\"Type\":5}}",
                "error decoding Backend property of config: json: cannot unmarshal number into Go struct field .Type of type string"),
            parseError("{\"SubnetLen\":\"x\",\"Backend\":5}",
                "json: cannot unmarshal string into Go struct field Config.SubnetLen of type uint")
        );
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void behavesLikeFlannel(String json, String expected, FlannelConfigException.Stage stage) {
        if (stage != null) {
            FlannelConfigException e = assertThrows(FlannelConfigException.class, () -> FlannelConfig.parse(json));
            assertEquals(expected, e.flannelMessage());
            assertEquals(stage, e.stage());
            return;
        }
        FlannelConfig c = FlannelConfig.parse(json);
        Map<String, Object> got = c.flannelValues();
        for (String kv : expected.split(" ")) {
            int eq = kv.indexOf('=');
            String key = kv.substring(0, eq);
            assertEquals(kv.substring(eq + 1), String.valueOf(got.get(key)), key + " of " + got);
        }
        assertEquals(c, FlannelConfig.parse(c.toJson()), c.toJson());
    }

    @Test
    void keepsHowTheNetworkWasWritten() {
        FlannelConfig c = FlannelConfig.parse("{\"Network\": \"10.252.61.0/16\", \"Backend\": {\"Type\": \"vxlan\"}}");
        assertEquals(Optional.of(Cidr.parse("10.252.0.0/16")), c.network());
        assertEquals(Optional.of("10.252.61.0/16"), c.networkAsWritten());
        assertTrue(c.networkHostBitsSet());
        FlannelConfig clean = FlannelConfig.parse("{\"Network\":\"10.252.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}");
        assertFalse(clean.networkHostBitsSet());
        assertEquals(clean, c); // equality is on the effective config
        assertEquals(clean.hashCode(), c.hashCode());
        FlannelConfig v6 = FlannelConfig.parse("{\"EnableIPv4\":false,\"EnableIPv6\":true,\"IPv6Network\":\"fc00::1/48\"}");
        assertTrue(v6.ipv6NetworkHostBitsSet());
        assertEquals(Optional.of("fc00::1/48"), v6.ipv6NetworkAsWritten());
        assertEquals("fc00::/48", v6.ipv6Network().orElseThrow().toString());
    }

    @Test
    void keepsUnknownKeysAndWritesPlainAddresses() {
        String in = "{\"netWork\":\"10.3.0.0/16\",\"Comment\":\"é <&> \\u00e9\",\"BackendType\":\"x\","
                + "\"Backend\":{ \"Type\" : \"vxlan\", \"VNI\": 4 },\"x\":[1,{\"y\":null}]}";
        FlannelConfig c = FlannelConfig.parse(in);
        assertEquals(List.of("Comment", "BackendType", "x"), c.unknownKeys());
        assertEquals("{\"Network\":\"10.3.0.0/16\",\"Comment\":\"é <&> \\u00e9\",\"BackendType\":\"x\","
                + "\"Backend\":{ \"Type\" : \"vxlan\", \"VNI\": 4 },\"x\":[1,{\"y\":null}]}", c.toJson());
        assertEquals(c, FlannelConfig.parse(c.toJson()));
        assertEquals(Optional.of("{ \"Type\" : \"vxlan\", \"VNI\": 4 }"), c.backendJson());
        assertEquals(c, FlannelConfig.parse("{\"Network\":\"10.3.0.0/16\",\"Backend\":{\"Type\":\"vxlan\",\"VNI\":4}}"));
        assertNotEquals(c, FlannelConfig.parse("{\"Network\":\"10.3.0.0/16\",\"Backend\":{\"Type\":\"vxlan\",\"VNI\":5}}"));
    }

    @Test
    void writesOddButAcceptedValuesSoTheyReadBackTheSame() {
        for (String in : List.of(
                "{\"EnableIPv4\":false,\"Network\":\"::ffff:10.3.0.0/112\"}",
                "{\"EnableIPv4\":false,\"EnableIPv6\":false,\"IPv6Network\":\"10.0.0.0/8\",\"IPv6SubnetMin\":\"10.0.0.1\"}",
                "{\"EnableIPv4\":false,\"IPv6Network\":\"::ffff:10.0.0.0/100\",\"IPv6SubnetMax\":\"::a00:1\"}",
                "{\"EnableIPv4\":false,\"SubnetLen\":18446744073709551615,\"SubnetMin\":\"10.0.0.1\"}",
                "{\"EnableIPv4\":false,\"IPv6Network\":\"0.0.0.0/0\"}",
                "{\"Network\":\"10.3.0.0/16\",\"IPv6SubnetMin\":\"::\"}")) {
            FlannelConfig c = FlannelConfig.parse(in);
            FlannelConfig back = FlannelConfig.parse(c.toJson());
            assertEquals(c, back, in + " -> " + c.toJson());
            assertEquals(c.flannelValues(), back.flannelValues(), in);
        }
        FlannelConfig odd = FlannelConfig.parse("{\"EnableIPv4\":false,\"Network\":\"::ffff:10.3.0.0/112\"}");
        assertEquals(Optional.empty(), odd.network());
        assertEquals("10.3.0.0/112", odd.flannelValues().get("Network"));
        FlannelConfig big = FlannelConfig.parse("{\"EnableIPv4\":false,\"SubnetLen\":4294967296}");
        assertEquals(Integer.MAX_VALUE, big.subnetLen());
        FlannelConfig small = FlannelConfig.parse("{\"EnableIPv4\":false,\"IPv6SubnetMin\":\"::a00:1\"}");
        assertEquals("10.0.0.1", small.flannelValues().get("IPv6SubnetMin"));
        assertEquals("::a00:1", small.ipv6SubnetMin().orElseThrow().toString());
    }

    @Test
    void acceptsAnIpv4MappedIpv6NetworkWhenTheArithmeticLinesUp() {
        // IPv6Network "10.0.0.0/8" is the value ::ffff:10.0.0.0 with prefix 8; /104 subnets happen to align
        FlannelConfig c = FlannelConfig.parse("{\"EnableIPv4\":false,\"EnableIPv6\":true,\"IPv6Network\":\"10.0.0.0/8\","
                + "\"IPv6SubnetLen\":104}");
        assertEquals("10.0.0.0/8", c.flannelValues().get("IPv6Network"));
        assertEquals("11.0.0.0", c.flannelValues().get("IPv6SubnetMin"));
        assertEquals("::/8", c.ipv6Network().orElseThrow().toString());
        assertEquals(c, FlannelConfig.parse(c.toJson()));
    }

    @Test
    void withersRerunTheCheck() {
        FlannelConfig c = FlannelConfig.parse("{\"Network\":\"10.252.61.0/16\",\"Backend\":{\"Type\":\"vxlan\"},\"x\":1}");
        FlannelConfig moved = c.withNetwork(Cidr.parse("10.244.0.0/16"));
        assertEquals("10.244.1.0", moved.subnetMin().orElseThrow().toString());
        assertEquals("{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"},\"x\":1}", moved.toJson());
        assertFalse(moved.networkHostBitsSet());
        FlannelConfigException e = assertThrows(FlannelConfigException.class,
                () -> c.withNetwork(Cidr.parse("10.0.0.0/29")));
        assertEquals("network is too small. Minimum useful network prefix is /28", e.flannelMessage());
        assertEquals(FlannelConfigException.Stage.CHECK, e.stage());
        assertEquals("invalid IPv4 CIDR format",
                assertThrows(FlannelConfigException.class, () -> c.withNetwork(Cidr.parse("fd00::/64"))).flannelMessage());
        assertEquals("SubnetLen must be less than /31",
                assertThrows(FlannelConfigException.class, () -> c.withSubnetLen(31)).flannelMessage());
        FlannelConfig ranged = c.withSubnetLen(20).withSubnetRange(IpAddress.parse("10.252.16.0"),
                IpAddress.parse("10.252.32.0"));
        assertEquals(20, ranged.subnetLen());
        assertEquals("SubnetMin is not in the range of the Network", assertThrows(FlannelConfigException.class,
                () -> ranged.withNetwork(Cidr.parse("10.1.0.0/16"))).flannelMessage());
        FlannelConfig derived = ranged.withDerivedSubnetRange().withNetwork(Cidr.parse("10.1.0.0/16"));
        assertEquals("10.1.16.0", derived.subnetMin().orElseThrow().toString());
        assertEquals(derived, FlannelConfig.parse(derived.toJson()));
        FlannelConfig dual = c.withIPv6Network(Cidr.parse("fd00:10:244::/56")).withEnableIPv6(true);
        assertEquals("fd00:10:244:1::", dual.ipv6SubnetMin().orElseThrow().toString());
        assertEquals("please define a correct IPv6Network parameter in the flannel config",
                assertThrows(FlannelConfigException.class, () -> c.withEnableIPv6(true)).flannelMessage());
    }

    @Test
    void exceptionMessageQuotesInputAndNamesAFix() {
        FlannelConfigException e = assertThrows(FlannelConfigException.class,
                () -> FlannelConfig.parse("{\"Network\":\"10.0.0.0/33\"}"));
        assertTrue(e.getMessage().contains("invalid CIDR address: 10.0.0.0/33"), e.getMessage());
        assertTrue(e.getMessage().contains("{\"Network\":\"10.0.0.0/33\"}"), e.getMessage());
        assertTrue(e.getMessage().contains("fix:"), e.getMessage());
    }
}
