package io.github.cidrguard.analysis;

import io.github.cidrguard.analysis.RangeSuggester.Suggestion;
import io.github.cidrguard.kube.Platform;
import io.github.cidrguard.net.AddressSet;
import io.github.cidrguard.net.Cidr;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RangeSuggesterTest {

    private static AddressSet set(String... cidrs) {
        return AddressSet.ofCidrs(java.util.Arrays.stream(cidrs).map(Cidr::parse).toList());
    }

    private static List<String> cidrs(List<Suggestion> s) {
        return s.stream().map(x -> x.cidr().toString()).toList();
    }

    @Test
    void theSeedClusterGetsFlannelsDefaultFirst() {
        // seed story: nodes on 10.252.158.0/24, services 10.252.77.0/24, an office VPN on 172.17.0.0/16
        List<Suggestion> s = RangeSuggester.avoiding(set("10.252.158.0/24", "10.252.77.0/24", "172.17.0.0/16"))
                .suggest(16, 3);
        assertEquals("10.244.0.0/16", s.get(0).cidr().toString());
        assertTrue(s.get(0).reasons().get(0).startsWith("flannel's default Network"), s.get(0).toString());
        assertEquals(3, s.size());
        for (Suggestion x : s) {
            assertFalse(x.cidr().overlaps(Cidr.parse("10.252.0.0/16")) && x.cidr().contains(Cidr.parse(
                    "10.252.158.0/24")), x.toString());
            assertTrue(x.cidr().toString().startsWith("10."), x.toString()); // 10/8 before 172.16/12
        }
    }

    @Test
    void neverTouchesDockerReservedOrOtherDefaults() {
        List<Suggestion> s = RangeSuggester.avoiding(AddressSet.empty()).suggest(16, 400);
        AddressSet bad = set("172.17.0.0/16", "172.18.0.0/15", "172.20.0.0/14", "172.24.0.0/13", "192.168.0.0/16",
                "10.96.0.0/12", "10.42.0.0/15", "198.18.0.0/15");
        for (Suggestion x : s) {
            assertFalse(bad.overlaps(x.cidr()), x.toString());
        }
        // distinct, each inside RFC 1918 or RFC 6598
        assertEquals(s.size(), s.stream().map(Suggestion::cidr).distinct().count());
        AddressSet allowed = set("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10");
        s.forEach(x -> assertTrue(allowed.contains(x.cidr()), x.toString()));
        // 10/8 has 256 /16s less 16 (10.96/12) and 2 (k3s): 238; then 172.16.0.0/16 only; then 100.64/10's 64
        assertEquals(238 + 1 + 64, s.size());
        assertEquals("172.16.0.0/16", s.get(238).cidr().toString());
        assertEquals("100.64.0.0/16", s.get(239).cidr().toString());
        assertTrue(s.get(239).reasons().get(0).startsWith("shared address space (RFC 6598"), s.get(239).toString());
    }

    @Test
    void bestFitWithinPrivateSpace() {
        // 10.244.0.0/16 taken: the smallest free hole of 10/8 that holds a /16 comes next
        List<Suggestion> s = RangeSuggester.avoiding(set("10.244.0.0/16")).suggest(16, 2);
        // 10.245.0.0/16 is a free block of exactly that size; then the /15 holes, lowest first: 10.40.0.0/15 (next
        // to k3s's 10.42.0.0/15) before 10.246.0.0/15
        assertEquals(List.of("10.245.0.0/16", "10.40.0.0/16"), cidrs(s));
        assertTrue(s.get(0).reasons().stream().anyMatch(r -> r.startsWith("best fit: exactly a free block")),
                s.get(0).toString());
        assertTrue(s.get(1).reasons().stream().anyMatch(r -> r.startsWith("best fit: cut from 10.40.0.0/15")),
                s.get(1).toString());
        assertTrue(s.get(0).reasons().stream().anyMatch(r -> r.contains("10.96.0.0/12 (kubeadm")),
                s.get(0).toString());
    }

    @Test
    void sizesOtherThanSlash16StartAtTheDefaultAddress() {
        assertEquals("10.244.0.0/14", RangeSuggester.avoiding(AddressSet.empty()).suggest(14, 1).get(0).cidr()
                .toString());
        assertEquals("10.244.0.0/20", RangeSuggester.avoiding(AddressSet.empty()).suggest(20, 1).get(0).cidr()
                .toString());
    }

    @Test
    void platformReservationsAreAvoided() {
        // On Azure 10.0.0.0/16 is AKS's service default; on premises it may be suggested.
        List<String> onprem = cidrs(RangeSuggester.avoiding(set("10.244.0.0/16")).suggest(16, 300));
        List<String> azure = cidrs(RangeSuggester.avoiding(set("10.244.0.0/16"))
                .withPlatform(Platform.AZURE).suggest(16, 300));
        assertTrue(onprem.contains("10.0.0.0/16"));
        assertFalse(azure.contains("10.0.0.0/16"));
    }

    @Test
    void nothingFreeGivesNothing() {
        AddressSet all = set("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10");
        assertEquals(List.of(), RangeSuggester.avoiding(all).suggest(24, 5));
        assertEquals(List.of(), RangeSuggester.avoiding(AddressSet.empty()).suggest(16, 0));
    }

    @Test
    void refusesImpossibleSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RangeSuggester.avoiding(AddressSet.empty()).suggest(7, 1));
        assertTrue(e.getMessage().startsWith("cannot suggest a /7"), e.getMessage());
    }
}
