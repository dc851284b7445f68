package io.github.cidrguard.flannel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Backend options with flannel's defaults, and what flanneld does with them at startup (pkg/backend/*). */
class BackendTest {
    private static final String PSK96 = "k".repeat(96);

    private static Arguments c(String backend, Backend expected, String startupError) {
        return Arguments.of(backend, expected, startupError);
    }

    static Stream<Arguments> cases() {
        String reg = "Error registering network: ";
        return Stream.of(
            c(null, new Backend.Udp(8285), null),
            c("{\"Type\":\"udp\",\"port\":9000}", new Backend.Udp(9000), null),
            c("{\"Type\":\"vxlan\"}", new Backend.Vxlan(1, 0, OptionalLong.empty(), false, false, false), null),
            c("{\"Type\":\"VXLAN\",\"VNI\":4096,\"Port\":4789,\"MTU\":9000,\"GBP\":true,\"learning\":true,"
                + "\"DIRECTROUTING\":true,\"MacPrefix\":\"0E-2A\"}",
                new Backend.Vxlan(4096, 4789, OptionalLong.of(9000), true, true, true), null),
            c("{\"Type\":\"vxlan\",\"VNI\":null}", new Backend.Vxlan(1, 0, OptionalLong.empty(), false, false, false), null),
            c("{\"Type\":\"vxlan\",\"VNI\":\"1\"}", new Backend.Invalid("vxlan",
                "error decoding VXLAN backend config: json: cannot unmarshal string into Go struct field VXLANConfig.vni of type int"),
                reg + "error decoding VXLAN backend config: json: cannot unmarshal string into Go struct field VXLANConfig.vni of type int"),
            c("{\"Type\":\"vxlan\",\"directRouting\":1}", new Backend.Invalid("vxlan",
                "error decoding VXLAN backend config: json: cannot unmarshal number into Go struct field VXLANConfig.directRouting of type bool"),
                reg + "error decoding VXLAN backend config: json: cannot unmarshal number into Go struct field VXLANConfig.directRouting of type bool"),
            c("{\"Type\":\"vxlan\",\"Port\":1.5}", new Backend.Invalid("vxlan",
                "error decoding VXLAN backend config: json: cannot unmarshal number 1.5 into Go struct field VXLANConfig.port of type int"),
                reg + "error decoding VXLAN backend config: json: cannot unmarshal number 1.5 into Go struct field VXLANConfig.port of type int"),
            c("{\"Type\":\"host-gw\"}", new Backend.HostGw(), null),
            c("{\"Type\":\"Host-GW\",\"Anything\":[1]}", new Backend.HostGw(), null),
            c("{\"Type\":\"wireguard\"}", new Backend.Wireguard(51820, 51821, OptionalLong.empty(), "", 0, "separate"), null),
            c("{\"Type\":\"wireguard\",\"ListenPort\":1,\"ListenPortV6\":2,\"MTU\":1420,\"PersistentKeepaliveInterval\":25,"
                + "\"Mode\":\"auto\",\"PSK\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}",
                new Backend.Wireguard(1, 2, OptionalLong.of(1420), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", 25, "auto"), null),
            c("{\"Type\":\"wireguard\",\"Mode\":\"Auto\"}", new Backend.Wireguard(51820, 51821, OptionalLong.empty(), "", 0, "Auto"),
                reg + "no valid Mode configured"),
            c("{\"Type\":\"wireguard\",\"Mode\":\"\"}", new Backend.Wireguard(51820, 51821, OptionalLong.empty(), "", 0, ""),
                reg + "no valid Mode configured"),
            c("{\"Type\":\"wireguard\",\"PersistentKeepaliveInterval\":\"25s\"}", new Backend.Invalid("wireguard",
                "error decoding backend config: json: cannot unmarshal string into Go struct field .PersistentKeepaliveInterval of type time.Duration"),
                reg + "error decoding backend config: json: cannot unmarshal string into Go struct field .PersistentKeepaliveInterval of type time.Duration"),
            c("{\"Type\":\"wireguard\",\"Mode\":4}", new Backend.Invalid("wireguard",
                "error decoding backend config: json: cannot unmarshal number into Go struct field .Mode of type wireguard.Mode"),
                reg + "error decoding backend config: json: cannot unmarshal number into Go struct field .Mode of type wireguard.Mode"),
            c("{\"Type\":\"wireguard\",\"PSK\":\"AAAA\"}", new Backend.Wireguard(51820, 51821, OptionalLong.empty(), "AAAA", 0, "separate"),
                reg + "could not parse psk: wgtypes: incorrect key size: 3"),
            c("{\"Type\":\"ipip\",\"DirectRouting\":true}", new Backend.Ipip(true), null),
            c("{\"Type\":\"ipip\",\"DirectRouting\":\"yes\"}", new Backend.Invalid("ipip",
                "error decoding IPIP backend config: json: cannot unmarshal string into Go struct field .DirectRouting of type bool"),
                reg + "error decoding IPIP backend config: json: cannot unmarshal string into Go struct field .DirectRouting of type bool"),
            c("{\"Type\":\"ipsec\"}", new Backend.Ipsec("", false, "aes128gcm16-sha256-prfsha256-ecp256"),
                reg + "config error, password is too short"),
            c("{\"Type\":\"ipsec\",\"PSK\":\"" + PSK96.substring(1) + "\"}",
                new Backend.Ipsec(PSK96.substring(1), false, "aes128gcm16-sha256-prfsha256-ecp256"), reg + "config error, password is too short"),
            c("{\"Type\":\"ipsec\",\"PSK\":\"" + PSK96 + "\",\"UDPEncap\":true,\"ESPProposal\":\"aes256\"}",
                new Backend.Ipsec(PSK96, true, "aes256"), null),
            c("{\"Type\":\"alloc\"}", new Backend.Alloc(), null),
            c("{\"Type\":\"tencent-vpc\",\"AccessKeyID\":\"a\",\"accesskeysecret\":\"b\"}", new Backend.TencentVpc("a", "b"), null),
            c("{\"Type\":\"tencent-vpc\",\"AccessKeyID\":5}", new Backend.Invalid("tencent-vpc",
                "error decoding VPC backend config: json: cannot unmarshal number into Go struct field .AccessKeyID of type string"),
                reg + "error decoding VPC backend config: json: cannot unmarshal number into Go struct field .AccessKeyID of type string"),
            c("{\"Type\":\"extension\",\"PreStartupCommand\":\"echo hi\",\"SubnetAddCommand\":\"add\"}",
                new Backend.Extension("echo hi", "", "add", ""), null),
            c("{\"Type\":\"aws-vpc\",\"RouteTableID\":\"rtb-1\"}", new Backend.Removed("aws-vpc"),
                "Error fetching backend: unknown backend type: aws-vpc"),
            c("{\"Type\":\"GCE\"}", new Backend.Removed("gce"), "Error fetching backend: unknown backend type: gce"),
            c("{\"Type\":\"ali-vpc\"}", new Backend.Removed("ali-vpc"), "Error fetching backend: unknown backend type: ali-vpc"),
            c("{}", new Backend.Unknown(""), "Error fetching backend: unknown backend type: "),
            c("null", new Backend.Unknown(""), "Error fetching backend: unknown backend type: "),
            c("{\"Type\":\"flannel\"}", new Backend.Unknown("flannel"), "Error fetching backend: unknown backend type: flannel"),
            c("{\"Type\":\"\u0130pip\"}", new Backend.Ipip(false), null) // Go's ToLower maps U+0130 to plain i
        );
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void decodesLikeTheBackend(String backend, Backend expected, String startupError) {
        String json = "{\"Network\":\"10.244.0.0/16\"" + (backend == null ? "" : ",\"Backend\":" + backend) + "}";
        FlannelConfig c = FlannelConfig.parse(json);
        assertEquals(expected, c.backend());
        assertEquals(Optional.ofNullable(startupError), c.startupError());
    }

    @org.junit.jupiter.api.Test
    void bothFamiliesOffFailsAtStartup() {
        assertEquals(Optional.of("none defined stack"), FlannelConfig.parse("{\"EnableIPv4\":false}").startupError());
    }
}
