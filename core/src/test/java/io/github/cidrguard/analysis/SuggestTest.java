package io.github.cidrguard.analysis;

import io.github.cidrguard.kube.Flannel;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.ScenarioFiles;
import io.github.cidrguard.net.AddressSet;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuggestTest {
    @Test
    void seedGetsFlannelsDefaultNetworkFirst() {
        Suggest s = Suggest.of(Scenario.load(ScenarioFiles.file("seed.yaml")));
        Suggestion best = s.networks().get(0);
        assertEquals(Cidr.parse("10.244.0.0/16"), best.cidr());
        assertTrue(best.reasons().get(0).contains("flannel's default Network"), best.reasons().toString());
        assertEquals(Suggest.COUNT, s.networks().size());
        Cidr svc = s.serviceCidrs().get(0).cidr();
        assertEquals(24, svc.prefixLength(), "same size as the current /24");
        assertFalse(svc.overlaps(best.cidr()) || svc.overlaps(Cidr.parse("10.96.0.0/12")), svc.toString());
        assertTrue(best.reasons().stream().anyMatch(r -> r.contains("255 subnets of /24")), best.reasons().toString());
    }

    @Test
    void seedUsageCountsTheLeaseAndThePodCidr() {
        NetworkUsage u = Suggest.of(Scenario.load(ScenarioFiles.file("seed.yaml"))).usage().get(0);
        assertEquals(Cidr.parse("10.252.0.0/16"), u.network());
        assertEquals(24, u.subnetLength());
        assertEquals(BigInteger.valueOf(255), u.subnets());
        assertEquals(2, u.usedSubnets());
        assertFalse(u.free().contains(IpAddress.parse("10.252.158.20")), "the LAN is not free");
        assertFalse(u.free().contains(IpAddress.parse("10.252.77.1")), "the service CIDR is not free");
        assertTrue(u.free().contains(IpAddress.parse("10.252.200.1")));
        assertEquals(2 / 255.0, u.utilization(), 1e-9);
    }

    @Test
    void whenTheDefaultIsTakenTheNextFreeRfc1918BlockComesFirst() {
        Scenario clean = Scenario.load(ScenarioFiles.file("clean.yaml"));
        Suggest s = Suggest.of(clean);
        AddressSet known = InUse.avoid(clean);
        for (Suggestion x : s.networks()) {
            assertFalse(known.overlaps(x.cidr()), x.toString());
            assertTrue(Cidr.parse("10.0.0.0/8").contains(x.cidr()), x.toString());
        }
        assertFalse(s.networks().get(0).cidr().overlaps(Cidr.parse("10.10.0.0/24")), "not the nodes' LAN");
        for (Suggestion svc : s.serviceCidrs()) {
            assertFalse(svc.cidr().overlaps(s.networks().get(0).cidr()), svc.toString());
            assertEquals(12, svc.cidr().prefixLength(), "same size as the current /12");
        }
    }

    @Test
    void largeClustersGetLargerNetworksWithFourfoldHeadroom() {
        Scenario.Builder b = Scenario.builder("big").flannel(Flannel.of("{\"Network\": \"172.20.0.0/16\"}"));
        for (int i = 0; i < 5000; i++) {
            b.node(Node.of("n" + i, IpAddress.ofIpv4(0xAC100000L + i))); // 172.16.x.x
        }
        Suggest s = Suggest.of(b.build());
        Cidr best = s.networks().get(0).cidr();
        assertEquals(Cidr.parse("10.128.0.0/9"), best, "the /9 holding 10.244.0.0/16");
        BigInteger subnets = BigInteger.ONE.shiftLeft(24 - best.prefixLength()).subtract(BigInteger.ONE);
        assertTrue(subnets.compareTo(BigInteger.valueOf(4 * 5000)) >= 0);
        assertTrue(s.networks().get(0).reasons().stream().anyMatch(r -> r.contains("32767 subnets of /24")));
    }

    @Test
    void crowdedPrivateSpaceFallsBackToRfc6598() {
        Scenario s = Scenario.builder("crowded").node(Node.of("n", "10.0.0.1"))
                .networks(List.of(io.github.cidrguard.kube.DeclaredNetwork.of("corp", "10.0.0.0/8"),
                        io.github.cidrguard.kube.DeclaredNetwork.of("lab", "172.16.0.0/12")))
                .build();
        List<Suggestion> nets = Suggest.of(s).networks();
        assertEquals(Cidr.parse("100.64.0.0/16"), nets.get(0).cidr());
        assertTrue(nets.get(0).reasons().stream().anyMatch(r -> r.contains("RFC 6598")));
    }
}
