package io.github.cidrguard.analysis;

import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.net.AddressSet;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpFamily;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** suggest for IPv6 and dual stack: ULA sites with a random global ID, sizing, the broken family first. */
class SuggestIpv6Test {
    private static final Cidr ULA = Cidr.parse("fd00::/8");

    /** The dual-stack plan of DualStackTest: NET4, NET6, SVC6 and LEN6 (an IPv6SubnetLen member) are filled in. */
    private static final String PLAN = """
            name: dual
            flannel:
              config: '{"Network": "NET4", "EnableIPv6": true, "IPv6Network": "NET6"LEN6, "Backend": {"Type": "vxlan"}}'
            nodes:
              - {name: n1, ip: '10.10.0.11,fd00:10:10::11', hostNetwork: '10.10.0.0/24,fd00:10:10::/64'}
              - {name: n2, ip: '10.10.0.12,fd00:10:10::12', hostNetwork: '10.10.0.0/24,fd00:10:10::/64'}
            kubernetes:
              serviceCidr: 10.96.0.0/12,SVC6
              clusterDns: 10.96.0.10
            """;

    private static Scenario plan(String net4, String net6, String svc6, String len6) {
        return Scenario.parse(PLAN.replace("NET4", net4).replace("NET6", net6).replace("SVC6", svc6)
                .replace("LEN6", len6), "dual.yaml");
    }

    private static Suggest suggest(Scenario s, long seed) {
        return Suggest.of(s, new SplittableRandom(seed));
    }

    private static List<Suggestion> ofFamily(List<Suggestion> list, IpFamily family) {
        return list.stream().filter(x -> x.cidr().family() == family).toList();
    }

    @Test
    void aBrokenIpv6NetworkGetsIpv6NetworksFirst() {
        // fd00:10::/32 holds the node LAN fd00:10:10::/64 and the nodes: the IPv6 half is broken, IPv4 is clean
        Scenario s = plan("10.244.0.0/16", "fd00:10::/32", "fd00:96::/108", "");
        Suggest sg = suggest(s, 1);
        assertEquals(List.of(IpFamily.IPV6, IpFamily.IPV4), sg.families());
        Suggestion best = sg.networks().get(0);
        assertEquals(IpFamily.IPV6, best.cidr().family(), sg.networks().toString());
        assertEquals(56, best.cidr().prefixLength(), "/64 subnets, 256 of them for 2 nodes");
        assertTrue(ULA.contains(best.cidr()), best.toString());
        assertTrue(best.reasons().get(0).contains("random"), best.reasons().toString());
        assertTrue(best.reasons().stream().anyMatch(r -> r.contains("255 subnets of /64")), best.reasons().toString());
        AddressSet avoid = InUse.avoid(s);
        for (Suggestion x : sg.networks()) {
            assertFalse(avoid.overlaps(x.cidr()), x.toString());
        }
        List<Suggestion> v6 = ofFamily(sg.networks(), IpFamily.IPV6);
        assertEquals(Suggest.COUNT, v6.size());
        assertEquals(Cidr.parse("fd00:42::/56"), v6.get(v6.size() - 1).cidr(), "k3s's default last: " + v6);
        assertTrue(v6.get(v6.size() - 1).reasons().get(0).contains("not random"), v6.toString());
        assertEquals(List.of(IpFamily.IPV4), ofFamily(sg.networks().subList(v6.size(), sg.networks().size()),
                IpFamily.IPV4).stream().map(x -> x.cidr().family()).distinct().toList(), "IPv4 after IPv6");
        assertFalse(ofFamily(sg.networks(), IpFamily.IPV4).get(0).cidr().overlaps(Cidr.parse("10.244.0.0/16")),
                "the Network in use is not proposed again");
    }

    @Test
    void theIpv6ServiceCidrSharesTheSiteOfTheFirstNetworkAndKeepsItsSize() {
        Suggest sg = suggest(plan("10.244.0.0/16", "fd00:10::/32", "fd00:96::/108", ""), 7);
        Cidr net = sg.networks().get(0).cidr();
        Suggestion svc = ofFamily(sg.serviceCidrs(), IpFamily.IPV6).get(0);
        assertEquals(IpFamily.IPV6, sg.serviceCidrs().get(0).cidr().family(), "broken family first");
        assertEquals(108, svc.cidr().prefixLength(), "the current /108");
        assertTrue(net.supernet(48).contains(svc.cidr()), svc + " in the site of " + net);
        assertFalse(net.overlaps(svc.cidr()), svc.toString());
        assertTrue(svc.reasons().stream().anyMatch(r -> r.contains("clear of the first proposed IPv6Network " + net)),
                svc.reasons().toString());
        assertEquals(Cidr.parse("fd00:43::/108"), ofFamily(sg.serviceCidrs(), IpFamily.IPV6).get(Suggest.COUNT - 1)
                .cidr(), "at k3s's service default fd00:43::/112, the /108 asked for, last");
    }

    @Test
    void aBrokenIpv4NetworkKeepsIpv4First() {
        // 10.10.0.0/16 holds the nodes' IPv4 LAN; the IPv6 half is clean
        Suggest sg = suggest(plan("10.10.0.0/16", "fd00:10:244::/56", "fd00:96::/108", ""), 1);
        assertEquals(List.of(IpFamily.IPV4, IpFamily.IPV6), sg.families());
        assertEquals(IpFamily.IPV4, sg.networks().get(0).cidr().family());
        assertEquals(Suggest.COUNT, ofFamily(sg.networks(), IpFamily.IPV6).size());
    }

    @Test
    void anIpv4OnlyPlanGetsNoIpv6Proposals() {
        Suggest sg = Suggest.of(Scenario.load(io.github.cidrguard.kube.ScenarioFiles.file("seed.yaml")));
        assertEquals(List.of(IpFamily.IPV4), sg.families());
        assertTrue(sg.networks().stream().allMatch(x -> x.cidr().family() == IpFamily.IPV4), sg.networks().toString());
        assertTrue(sg.toJson().contains("\"families\":[\"IPv4\"]"), sg.toJson());
    }

    @ParameterizedTest(name = "IPv6SubnetLen {0} -> /{1}")
    @CsvSource({
            "'', 56",                     // derived 64: 8 bits of subnets
            "', \"IPv6SubnetLen\": 80', 72",
            "', \"IPv6SubnetLen\": 64', 56",
            "', \"IPv6SubnetLen\": 120', 112",
    })
    void theIpv6NetworkIsSizedFromIpv6SubnetLen(String len6, int expected) {
        Suggest sg = suggest(plan("10.244.0.0/16", "fd00:10::/32", "fd00:96::/108", len6), 3);
        assertEquals(expected, sg.networks().get(0).cidr().prefixLength(), sg.networks().toString());
    }

    @Test
    void theSameSeedGivesTheSameSiteAndAnotherSeedAnother() {
        Scenario s = plan("10.244.0.0/16", "fd00:10::/32", "fd00:96::/108", "");
        assertEquals(suggest(s, 42).toJson(), suggest(s, 42).toJson());
        assertNotEquals(suggest(s, 42).networks().get(0).cidr(), suggest(s, 43).networks().get(0).cidr());
    }

    @Test
    void theWellKnownDefaultIsLeftOutWhenTaken() {
        Scenario s = Scenario.parse(PLAN.replace("NET4", "10.244.0.0/16").replace("NET6", "fd00:42::/56")
                .replace("SVC6", "fd00:96::/108").replace("LEN6", "") + "networks:\n"
                + "  - {name: other-cluster, cidr: 'fd00:43::/64'}\n", "dual.yaml");
        Suggest sg = suggest(s, 5);
        for (Suggestion x : ofFamily(sg.networks(), IpFamily.IPV6)) {
            assertFalse(x.cidr().overlaps(Cidr.parse("fd00:42::/56")), "in use: " + x);
        }
        for (Suggestion x : ofFamily(sg.serviceCidrs(), IpFamily.IPV6)) {
            assertFalse(x.cidr().overlaps(Cidr.parse("fd00:43::/64")), "declared: " + x);
        }
        assertEquals(Suggest.COUNT, ofFamily(sg.serviceCidrs(), IpFamily.IPV6).size(), "all from the random site");
    }

    @Test
    void anIpv6OnlyPlanGetsOnlyIpv6() {
        Scenario s = Scenario.parse("""
                name: v6only
                flannel:
                  config: '{"EnableIPv4": false, "EnableIPv6": true, "IPv6Network": "fd00:10:244::/56", "Backend": {"Type": "vxlan"}}'
                nodes:
                  - {name: n1, ip: 'fd00:10:10::11', hostNetwork: 'fd00:10:10::/64'}
                kubernetes:
                  serviceCidr: fd00:96::/112
                """, "v6.yaml");
        Suggest sg = suggest(s, 9);
        assertEquals(List.of(IpFamily.IPV6), sg.families());
        assertEquals(112, sg.serviceCidrs().get(0).cidr().prefixLength());
        assertTrue(sg.toJson().contains("\"family\":\"IPv6\""), sg.toJson());
    }

    @Property(tries = 300)
    void everyIpv6ProposalIsAFreeUlaBlockOfTheLengthAsked(@ForAll long seed, @ForAll @IntRange(min = 40, max = 120)
            int length) {
        AddressSet inUse = AddressSet.ofCidrs(List.of(Cidr.parse("fd00:10::/32"), Cidr.parse("10.0.0.0/8")));
        List<RangeSuggester.Suggestion> s = RangeSuggester.avoiding(inUse).withRandom(new SplittableRandom(seed))
                .suggest(IpFamily.IPV6, length, 4);
        assertEquals(4, s.size(), s.toString());
        for (int i = 0; i < s.size(); i++) {
            Cidr c = s.get(i).cidr();
            assertEquals(length, c.prefixLength());
            assertTrue(ULA.contains(c), c.toString());
            assertFalse(inUse.overlaps(c), c.toString());
            assertFalse(c.overlaps(Cidr.parse("fd00::/48")), "Docker's IPv6 pool: " + c);
            for (int j = 0; j < i; j++) {
                assertFalse(c.overlaps(s.get(j).cidr()), s.toString());
            }
        }
    }

    @Property(tries = 1000)
    void aRandomUlaSiteIsAnFdSlash48(@ForAll long seed) {
        Cidr site = RangeSuggester.randomUlaSite(new SplittableRandom(seed));
        assertEquals(48, site.prefixLength());
        assertTrue(ULA.contains(site), site.toString());
    }

    @Test
    void badIpv6RequestsAreRefusedWithTheFix() {
        RangeSuggester r = RangeSuggester.avoiding(AddressSet.empty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.suggest(IpFamily.IPV6, 7, 1));
        assertTrue(e.getMessage().contains("/7") && e.getMessage().contains("longer prefix"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.suggest(IpFamily.IPV6, 129, 1));
        e = assertThrows(IllegalArgumentException.class, () -> r.withUlaSite(Cidr.parse("2001:cafe:42::/56")));
        assertTrue(e.getMessage().contains("2001:cafe:42::/56") && e.getMessage().contains("fd00::/8"), e.getMessage());
        assertEquals(List.of(), r.suggest(IpFamily.IPV6, 56, 0));
    }

    @Test
    void aGivenSiteIsUsed() {
        List<RangeSuggester.Suggestion> s = RangeSuggester.avoiding(AddressSet.empty())
                .withUlaSite(Cidr.parse("fd12:3456:789a::/48")).suggest(IpFamily.IPV6, 64, 2);
        assertEquals("fd12:3456:789a::/64", s.get(0).cidr().toString());
        assertTrue(s.get(0).reasons().get(0).contains("fd12:3456:789a::/48"), s.get(0).toString());
    }
}
