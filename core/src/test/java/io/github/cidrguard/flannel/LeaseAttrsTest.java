package io.github.cidrguard.flannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cidrguard.net.IpAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** lease.LeaseAttrs: Go decoding and flannel's exact json.Marshal bytes. */
class LeaseAttrsTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "{\"PublicIP\":\"10.252.158.71\",\"PublicIPv6\":null,\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"c6:d2:32:6f:8f:44\"}}",
        "{\"PublicIP\":\"10.0.0.1\",\"PublicIPv6\":null}",
        "{\"PublicIP\":\"10.12.0.5\",\"PublicIPv6\":\"fd00:12::5\",\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"c6:d2:32:6f:8f:44\"},\"BackendV6Data\":{\"VNI\":1,\"VtepMAC\":\"c6:d2:32:6f:8f:45\"}}",
        "{\"PublicIP\":\"10.0.0.1\",\"PublicIPv6\":null,\"BackendType\":\"wireguard\",\"BackendData\":{\"PublicKey\":\"9Zq+/l3=\",\"Port\":51820}}",
        "{\"PublicIP\":\"10.0.0.1\",\"PublicIPv6\":null,\"BackendType\":\"extension\",\"BackendData\":\"out\\u003cput\\u003e \\u0026 more\"}",
        "{\"PublicIP\":\"10.0.0.1\",\"PublicIPv6\":null,\"BackendType\":\"host-gw\"}",
        "{\"PublicIP\":\"0.0.0.0\",\"PublicIPv6\":\"fd00::1\",\"BackendType\":\"vxlan\",\"BackendV6Data\":{\"VNI\":1}}",
        "{\"PublicIP\":\"10.0.0.1\",\"PublicIPv6\":null,\"BackendData\":null}",
    })
    void flannelWrittenValuesRoundTripByteForByte(String value) {
        LeaseAttrs a = LeaseAttrs.parse(value);
        assertEquals(value, a.toJson());
        assertEquals(a, LeaseAttrs.parse(a.toJson()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "{ \"publicip\" : \"10.0.0.1\", \"BACKENDTYPE\": \"vxlan\", \"backenddata\": { \"VNI\" : 1 } , \"x\":1}"
            + "|{\"PublicIP\":\"10.0.0.1\",\"PublicIPv6\":null,\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1}}",
        "{\"PublicIP\":\"::ffff:10.0.0.1\",\"PublicIPv6\":\"FD00:0:0:0:0:0:0:1\"}|{\"PublicIP\":\"10.0.0.1\",\"PublicIPv6\":\"fd00::1\"}",
        "{\"PublicIPv6\":\"::a00:1\"}|{\"PublicIP\":\"0.0.0.0\",\"PublicIPv6\":\"10.0.0.1\"}",
        "{\"PublicIP\":\"10.0.0.1\",\"BackendType\":\"<&>\\u2028\"}|{\"PublicIP\":\"10.0.0.1\",\"PublicIPv6\":null,\"BackendType\":\"\\u003c\\u0026\\u003e\\u2028\"}",
        "{\"PublicIP\":\"10.0.0.1\",\"BackendType\":\"a\\\"b\\\\c\\u0001\\b\\f\\n\\r\\t\\/é\"}|{\"PublicIP\":\"10.0.0.1\",\"PublicIPv6\":null,\"BackendType\":\"a\\\"b\\\\c\\u0001\\b\\f\\n\\r\\t/é\"}",
        "{\"PublicIP\":\"10.0.0.1\",\"BackendData\":{\"k\":\"<\\u003c é\"}}|{\"PublicIP\":\"10.0.0.1\",\"PublicIPv6\":null,\"BackendData\":{\"k\":\"\\u003c\\u003c é\"}}",
        "{\"PublicIP\":\"10.0.0.1\",\"BackendType\":null,\"PublicIP\":\"10.0.0.2\"}|{\"PublicIP\":\"10.0.0.2\",\"PublicIPv6\":null}",
        "null|{\"PublicIP\":\"0.0.0.0\",\"PublicIPv6\":null}",
    })
    void decodesLeniently(String in, String written) {
        assertEquals(written, LeaseAttrs.parse(in).toJson());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "{\"PublicIP\":\"fd00::1\"}|invalid IPv4 address format",
        "{\"PublicIP\":null}|invalid IP address format",
        "{\"PublicIP\":\"10.0.0.1/24\"}|invalid IP address format",
        "{\"PublicIP\":\"10.0.0.1\",\"PublicIPv6\":\"x\"}|invalid IP address format",
        "{\"PublicIP\":\"10.0.0.1\",\"BackendType\":5}|json: cannot unmarshal number into Go struct field LeaseAttrs.BackendType of type string",
        "[]|json: cannot unmarshal array into Go value of type lease.LeaseAttrs",
        "{\"PublicIP\":\"10.0.0.1\"|unexpected end of JSON input",
        "''|unexpected end of JSON input",
    })
    void rejectsWhatFlannelIgnores(String in, String error) {
        String json = in.equals("''") ? "" : in;
        LeaseAttrsException e = assertThrows(LeaseAttrsException.class, () -> LeaseAttrs.parse(json));
        assertEquals(error, e.flannelMessage());
        assertTrue(e.getMessage().contains("Ignoring bad subnet node: " + error), e.getMessage());
    }

    @Test
    void buildsValues() {
        LeaseAttrs a = LeaseAttrs.of(IpAddress.parse("10.252.158.71")).withBackendType("vxlan")
                .withBackendData("{ \"VNI\": 1, \"VtepMAC\": \"c6:d2:32:6f:8f:44\" }", null);
        assertEquals("{\"PublicIP\":\"10.252.158.71\",\"PublicIPv6\":null,\"BackendType\":\"vxlan\","
                + "\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"c6:d2:32:6f:8f:44\"}}", a.toJson());
        assertEquals(Optional.of("{ \"VNI\": 1, \"VtepMAC\": \"c6:d2:32:6f:8f:44\" }"), a.backendData());
        assertEquals("fd00::1", a.withPublicIPv6(IpAddress.parse("fd00::1")).publicIPv6().orElseThrow().toString());
        assertThrows(IllegalArgumentException.class, () -> LeaseAttrs.of(IpAddress.parse("fd00::1")));
        assertThrows(IllegalArgumentException.class, () -> a.withBackendData("{", null));
    }
}
