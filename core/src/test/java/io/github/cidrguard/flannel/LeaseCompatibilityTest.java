package io.github.cidrguard.flannel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** flannel's isSubnetConfigCompat / isIPv6SubnetConfigCompat on existing leases (reference §3.4). */
class LeaseCompatibilityTest {
    private static final String V4 = "{\"Network\":\"10.3.0.0/16\"}";
    private static final String DUAL = "{\"Network\":\"10.42.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fd00:10:244::/56\"}";
    private static final String REVERSED = "{\"Network\":\"10.3.0.0/16\",\"SubnetMin\":\"10.3.8.0\",\"SubnetMax\":\"10.3.5.0\"}";
    private static final String V6ONLY = "{\"EnableIPv4\":false,\"EnableIPv6\":true,\"IPv6Network\":\"fd00::/48\"}";

    @ParameterizedTest(name = "[{index}] {1} under {0}")
    @CsvSource(delimiter = '|', value = {
        "V4|10.3.1.0-24|COMPATIBLE",
        "V4|10.3.255.0-24|COMPATIBLE",
        "V4|10.3.0.0-24|OUTSIDE_SUBNET_RANGE",       // the first subnet is skipped by the default SubnetMin
        "V4|10.4.0.0-24|OUTSIDE_SUBNET_RANGE",
        "V4|10.2.255.0-24|OUTSIDE_SUBNET_RANGE",
        "V4|10.3.1.0-25|WRONG_SUBNET_LEN",
        "V4|10.3.1.7-24|COMPATIBLE",                 // raw key address, unmasked, alignment not rechecked
        "V4|10.3.255.7-24|OUTSIDE_SUBNET_RANGE",     // ... and compared raw against SubnetMax
        "V4|10.3.1.0-24&fd00::-64|IPV6_NOT_ENABLED",
        "V4|10.9.0.0-25&fd00::-64|OUTSIDE_SUBNET_RANGE", // IPv4 is tested first
        "DUAL|10.42.5.0-24&fd00:10:244:5::-64|COMPATIBLE",
        "DUAL|10.42.5.0-24|IPV6_MISSING",
        "DUAL|10.42.5.0-24&fd00:10:244::-64|IPV6_OUTSIDE_SUBNET_RANGE",
        "DUAL|10.42.5.0-24&fd00:10:245::-64|IPV6_OUTSIDE_SUBNET_RANGE",
        "DUAL|10.42.5.0-24&fd00:10:244:5::-65|IPV6_WRONG_SUBNET_LEN",
        "DUAL|10.42.5.0-23&fd00:10:244:5::-65|WRONG_SUBNET_LEN",
        "REVERSED|10.3.6.0-24|OUTSIDE_SUBNET_RANGE",  // a reversed range accepts no lease at all
        "V6ONLY|0.0.0.0-0&fd00:0:0:7::-64|COMPATIBLE", // IPv4 still tested: 0 <= 0 <= 0 and length 0
        "V6ONLY|10.0.0.0-24&fd00:0:0:7::-64|OUTSIDE_SUBNET_RANGE",
    })
    void judgesLikeFlannel(String config, String key, LeaseCompatibility expected) {
        String json = switch (config) {
            case "V4" -> V4;
            case "DUAL" -> DUAL;
            case "REVERSED" -> REVERSED;
            default -> V6ONLY;
        };
        FlannelConfig c = FlannelConfig.parse(json);
        assertEquals(expected, c.compatibility(SubnetKey.parse(key)));
        assertEquals(expected == LeaseCompatibility.COMPATIBLE, c.isCompatible(SubnetKey.parse(key)));
    }
}
