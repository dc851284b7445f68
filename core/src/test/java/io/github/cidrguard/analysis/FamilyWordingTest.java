package io.github.cidrguard.analysis;

import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.ScenarioFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each finding says what really breaks for its family: Linux has no rp_filter for IPv6, IPv6 keeps routes of equal
 * prefix side by side by metric, and remedies name the IPv6 fields.
 */
class FamilyWordingTest {
    /** The seed's mistake in both halves: the Networks hold the nodes' LANs. */
    private static final String PLAN = """
            name: both-broken
            flannel:
              config: '{"Network": "10.10.0.0/16", "EnableIPv6": true, "IPv6Network": "fd00:10::/32", "Backend": {"Type": "vxlan"}}'
              leases:
                - {key: 10.10.5.0-24&fd00:10:10::-64, publicIp: 10.10.5.11}
            nodes:
              - {name: n1, ip: '10.10.5.11,fd00:10:10::11', hostNetwork: '10.10.5.0/24,fd00:10:10::/64', rpFilter: RPF}
            underlay: {antiSpoofing: SPOOF}
            """;

    private static List<Finding> findings(String rpFilter, boolean antiSpoofing) {
        return Analysis.of(Scenario.parse(PLAN.replace("RPF", rpFilter).replace("SPOOF", String.valueOf(antiSpoofing)),
                "both.yaml")).findings();
    }

    private static Finding one(List<Finding> all, FindingCode code, String rangePart) {
        return all.stream().filter(f -> f.code() == code && f.range().orElse("").contains(rangePart)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + code + " on " + rangePart + " in " + all));
    }

    /** code, range fragment, antiSpoofing, texts the message must hold, texts it must not, text the remedy holds. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(FindingCode.POD_NETWORK_CONTAINS_NODE_IP, "10.10.5.11", false,
                        List.of("strict rp_filter or underlay anti-spoofing drops it"), List.of("IPv6"), "Network"),
                Arguments.of(FindingCode.POD_NETWORK_CONTAINS_NODE_IP, "fd00:10:10::11", false,
                        List.of("no rp_filter for IPv6", "ip6tables", "-m rpfilter", "fib saddr"),
                        List.of("strict rp_filter or underlay anti-spoofing drops it", "100% loss"), "IPv6Network"),
                Arguments.of(FindingCode.POD_NETWORK_CONTAINS_NODE_IP, "fd00:10:10::11", true,
                        List.of("no rp_filter for IPv6", "anti-spoofing drops the request", "100% loss"),
                        List.of("strict rp_filter"), "IPv6Network"),
                Arguments.of(FindingCode.SUBNET_RANGE_COVERS_HOST_NETWORK, "10.10.5.0", false,
                        List.of("SubnetMin..SubnetMax", "replacing the connected route"), List.of("IPv6"), "SubnetMin"),
                Arguments.of(FindingCode.SUBNET_RANGE_COVERS_HOST_NETWORK, "fd00:10:10::", false,
                        List.of("IPv6SubnetMin..IPv6SubnetMax", "metric 256", "pods of that lease are unreachable"),
                        List.of("replacing the connected route"), "IPv6SubnetMin/IPv6SubnetMax"),
                Arguments.of(FindingCode.LEASE_CONTAINS_NODE_IP, "fd00:10:10::11", false,
                        List.of("metric 256", "nodes still reach it"), List.of("nothing in the cluster reaches"),
                        "IPv6Network"),
                Arguments.of(FindingCode.LEASE_CONTAINS_NODE_IP, "10.10.5.11", false,
                        List.of("nothing in the cluster reaches the node"), List.of("metric"), "Network"));
    }

    @ParameterizedTest(name = "{0} {1} antiSpoofing={2}")
    @MethodSource("cases")
    void theMessageSaysWhatBreaksForItsFamily(FindingCode code, String range, boolean antiSpoofing, List<String> has,
                                               List<String> hasNot, String remedy) {
        Finding f = one(findings("strict", antiSpoofing), code, range);
        for (String h : has) {
            assertTrue(f.message().contains(h), "'" + h + "' missing: " + f.message());
        }
        for (String h : hasNot) {
            assertFalse(f.message().contains(h), "'" + h + "' wrong here: " + f.message());
        }
        assertTrue(f.remedy().contains(remedy), f.remedy());
    }

    @ParameterizedTest(name = "rpFilter {0} does not change the IPv6 verdict")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"strict", "loose", "off"})
    void theNodesRpFilterSettingIsIpv4Only(String rp) {
        Finding f = one(findings(rp, false), FindingCode.POD_NETWORK_CONTAINS_NODE_IP, "fd00:10:10::11");
        assertTrue(f.message().contains("rpFilter setting is IPv4 only"), f.message());
        assertFalse(f.message().contains("100% loss"), f.message());
    }

    @org.junit.jupiter.api.Test
    void theSeedsIpv4WordingStays() {
        Finding f = one(Analysis.of(Scenario.load(ScenarioFiles.file("seed.yaml"))).findings(),
                FindingCode.POD_NETWORK_CONTAINS_NODE_IP, "10.252.158.71");
        assertTrue(f.message().contains("strict rp_filter or underlay anti-spoofing drops it (pod to other node: 100%"
                + " loss)"), f.message());
    }
}
