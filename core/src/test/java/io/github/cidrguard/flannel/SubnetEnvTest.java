package io.github.cidrguard.flannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SubnetEnv against flannel's WriteSubnetFile and flanneld's subnet.env reader. */
class SubnetEnvTest {
    private static final String DUAL = """
        FLANNEL_NETWORK=10.252.0.0/16
        FLANNEL_SUBNET=10.252.61.1/24
        FLANNEL_IPV6_NETWORK=fd00:10:244::/56
        FLANNEL_IPV6_SUBNET=fd00:10:244:7::1/64
        FLANNEL_MTU=1450
        FLANNEL_IPMASQ=true
        """;

    @Test
    void rendersTheReferenceFile() {
        SubnetEnv env = SubnetEnv.ofDualStack(Cidr.parse("10.252.0.0/16"), Cidr.parse("10.252.61.0/24"),
            Cidr.parse("fd00:10:244::/56"), Cidr.parse("fd00:10:244:7::/64"), 1450, true);
        assertEquals(DUAL, env.render());
        assertEquals(DUAL, env.toString());
        assertEquals(env, SubnetEnv.parse(DUAL));
    }

    @Test
    void singleFamilies() {
        assertEquals("FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.3.1/24\nFLANNEL_MTU=1500\n"
            + "FLANNEL_IPMASQ=false\n",
            SubnetEnv.ofIpv4(Cidr.parse("10.244.0.0/16"), Cidr.parse("10.244.3.0/24"), 1500, false).render());
        assertEquals("FLANNEL_IPV6_NETWORK=fc00::/48\nFLANNEL_IPV6_SUBNET=fc00:0:0:1::1/64\nFLANNEL_MTU=1420\n"
            + "FLANNEL_IPMASQ=true\n",
            SubnetEnv.ofIpv6(Cidr.parse("fc00::/48"), Cidr.parse("fc00:0:0:1::/64"), 1420, true).render());
    }

    @Test
    void accessors() {
        SubnetEnv env = SubnetEnv.parse(DUAL);
        assertEquals(Optional.of(Cidr.parse("10.252.0.0/16")), env.network());
        assertEquals(Optional.of(Cidr.parse("10.252.61.0/24")), env.subnet());
        assertEquals(Optional.of(IpAddress.parse("10.252.61.1")), env.gateway());
        assertEquals(Optional.of(Cidr.parse("fd00:10:244::/56")), env.ipv6Network());
        assertEquals(Optional.of(Cidr.parse("fd00:10:244:7::/64")), env.ipv6Subnet());
        assertEquals(Optional.of(IpAddress.parse("fd00:10:244:7::1")), env.ipv6Gateway());
        assertEquals(1450, env.mtu());
        assertTrue(env.ipMasq());
        assertEquals(1400, env.withMtu(1400).mtu());
        assertFalse(env.withIpMasq(false).ipMasq());
        SubnetEnv v4 = SubnetEnv.ofIpv4(Cidr.parse("10.244.0.0/16"), Cidr.parse("10.244.3.0/24"), 1500, false);
        assertEquals(Optional.empty(), v4.ipv6Network());
        assertEquals(Optional.empty(), v4.ipv6Subnet());
        assertEquals(Optional.empty(), v4.ipv6Gateway());
    }

    @Test
    void readsWhatFlannelTolerates() {
        SubnetEnv env = SubnetEnv.parse("""
            # written by hand\r
            export FLANNEL_NETWORK = "10.252.0.0/16"\r
              FLANNEL_SUBNET='10.252.61.1/024'\r
            FLANNEL_SUBNET_EXTRA=whatever\r
            OTHER=1\r
            FLANNEL_MTU=1450 # vxlan\r
            FLANNEL_IPMASQ=1\r
            """);
        assertEquals(SubnetEnv.ofIpv4(Cidr.parse("10.252.0.0/16"), Cidr.parse("10.252.61.0/24"), 1450, true), env);
        // comma-separated lists with one entry (MultiClusterCIDR leftovers); host bits cleared like net.ParseCIDR
        SubnetEnv list = SubnetEnv.parse("FLANNEL_NETWORK=10.252.61.0/16,\nFLANNEL_SUBNET=,10.252.61.1/24\n"
            + "FLANNEL_MTU=0\nFLANNEL_IPMASQ=F\n");
        assertEquals(Optional.of(Cidr.parse("10.252.0.0/16")), list.network());
        assertEquals(0, list.mtu());
        assertFalse(list.ipMasq());
        // a gateway that is not lease + 1 is kept as written; the lease is the masked block
        SubnetEnv odd = SubnetEnv.parse("FLANNEL_NETWORK=10.0.0.0/8\nFLANNEL_SUBNET=10.1.2.9/24\n"
            + "FLANNEL_MTU=1500\nFLANNEL_IPMASQ=false\n");
        assertEquals(Optional.of(Cidr.parse("10.1.2.0/24")), odd.subnet());
        assertEquals("FLANNEL_NETWORK=10.0.0.0/8\nFLANNEL_SUBNET=10.1.2.9/24\nFLANNEL_MTU=1500\n"
            + "FLANNEL_IPMASQ=false\n", odd.render());
    }

    @ParameterizedTest(name = "rejects: {1}")
    @CsvSource(delimiter = '|', value = {
        "FLANNEL_NETWORK=10.0.0.0/8\\nFLANNEL_MTU=1500\\nFLANNEL_IPMASQ=true | has FLANNEL_NETWORK but no FLANNEL_SUBNET",
        "FLANNEL_SUBNET=10.0.0.1/24\\nFLANNEL_MTU=1500\\nFLANNEL_IPMASQ=true | has FLANNEL_SUBNET but no FLANNEL_NETWORK",
        "FLANNEL_MTU=1500\\nFLANNEL_IPMASQ=true | has neither",
        "FLANNEL_NETWORK=10.0.0.0/8\\nFLANNEL_SUBNET=10.0.0.1/24\\nFLANNEL_IPMASQ=true | no FLANNEL_MTU line",
        "FLANNEL_NETWORK=10.0.0.0/8\\nFLANNEL_SUBNET=10.0.0.1/24\\nFLANNEL_MTU=1500 | no FLANNEL_IPMASQ line",
        "FLANNEL_NETWORK=10.0.0.0/8\\nFLANNEL_SUBNET=10.0.0.1/24\\nFLANNEL_MTU=-1\\nFLANNEL_IPMASQ=true | line 3 'FLANNEL_MTU=-1': FLANNEL_MTU must be",
        "FLANNEL_NETWORK=10.0.0.0/8\\nFLANNEL_SUBNET=10.0.0.1/24\\nFLANNEL_MTU=1500\\nFLANNEL_IPMASQ=yes | line 4 'FLANNEL_IPMASQ=yes': FLANNEL_IPMASQ must be true or false",
        "FLANNEL_NETWORK=10.0.0.0/8\\nFLANNEL_SUBNET=10.0.0.1/24,10.0.1.1/24\\nFLANNEL_MTU=1500\\nFLANNEL_IPMASQ=true | line 2 'FLANNEL_SUBNET=10.0.0.1/24,10.0.1.1/24': FLANNEL_SUBNET lists more than one CIDR",
        "FLANNEL_NETWORK=10.0.0.0/8\\nFLANNEL_SUBNET=010.0.0.1/24\\nFLANNEL_MTU=1500\\nFLANNEL_IPMASQ=true | line 2 'FLANNEL_SUBNET=010.0.0.1/24': '010.0.0.1/24' is not a CIDR",
        "FLANNEL_NETWORK=fd00::/8\\nFLANNEL_SUBNET=10.0.0.1/24\\nFLANNEL_MTU=1500\\nFLANNEL_IPMASQ=true | line 1 'FLANNEL_NETWORK=fd00::/8': FLANNEL_NETWORK needs an IPv4 CIDR",
        "FLANNEL_IPV6_NETWORK=10.0.0.0/8\\nFLANNEL_IPV6_SUBNET=fd00::1/64\\nFLANNEL_MTU=1500\\nFLANNEL_IPMASQ=true | FLANNEL_IPV6_NETWORK needs an IPv6 CIDR",
        "FLANNEL_NETWORK=10.0.0.0/8\\nFLANNEL_NETWORK=10.0.0.0/8\\nFLANNEL_SUBNET=10.0.0.1/24\\nFLANNEL_MTU=1500\\nFLANNEL_IPMASQ=true | line 2 'FLANNEL_NETWORK=10.0.0.0/8': FLANNEL_NETWORK was already set on line 1",
        "FLANNEL_NETWORK\\nFLANNEL_SUBNET=10.0.0.1/24\\nFLANNEL_MTU=1500\\nFLANNEL_IPMASQ=true | line 1 'FLANNEL_NETWORK': it is not KEY=VALUE",
        "FLANNEL_NETWORK=\\nFLANNEL_SUBNET=10.0.0.1/24\\nFLANNEL_MTU=1500\\nFLANNEL_IPMASQ=true | FLANNEL_NETWORK is empty",
    })
    void rejectsWithLineAndFix(String text, String expected) {
        String t = text.replace("\\n", "\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SubnetEnv.parse(t));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(SubnetEnv.isValid(t));
    }

    @Test
    void factoriesCheckTheirArguments() {
        Cidr v4 = Cidr.parse("10.0.0.0/8");
        Cidr v6 = Cidr.parse("fd00::/48");
        assertThrows(IllegalArgumentException.class, () -> SubnetEnv.ofIpv4(v4, Cidr.parse("10.0.0.1/32"), 1, true));
        assertThrows(IllegalArgumentException.class, () -> SubnetEnv.ofIpv4(v4, v6, 1, true));
        assertThrows(IllegalArgumentException.class, () -> SubnetEnv.ofIpv6(v4, v6, 1, true));
        assertThrows(IllegalArgumentException.class, () -> SubnetEnv.ofIpv4(v4, Cidr.parse("10.1.0.0/24"), -1, true));
        assertThrows(NullPointerException.class, () -> SubnetEnv.ofIpv4(null, v4, 1, true));
    }

    @Test
    void readsAFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("subnet.env");
        Files.writeString(f, DUAL);
        assertEquals(SubnetEnv.parse(DUAL), SubnetEnv.read(f));
        assertThrows(java.io.UncheckedIOException.class, () -> SubnetEnv.read(dir.resolve("missing.env")));
    }

    @Test
    void ipv6PrintedLikeFlannel() {
        // flannel prints IPv6 through IP6.String: RFC 5952, the longest zero run collapses, single zero groups stay
        SubnetEnv env = SubnetEnv.ofIpv6(Cidr.parse("fc00:0:0:1::/64"), Cidr.parse("fc00:0:0:1:0:1::/96"), 1, true);
        assertEquals("FLANNEL_IPV6_NETWORK=fc00:0:0:1::/64\nFLANNEL_IPV6_SUBNET=fc00::1:0:1:0:1/96\n"
            + "FLANNEL_MTU=1\nFLANNEL_IPMASQ=true\n", env.render());
        assertEquals(env, SubnetEnv.parse(env.render()));
    }
}
