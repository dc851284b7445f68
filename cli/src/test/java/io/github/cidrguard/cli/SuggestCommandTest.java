package io.github.cidrguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuggestCommandTest {
    @Test
    void seedGetsFlannelsDefault() {
        Run r = Run.of("suggest", Run.scenario("seed.yaml"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("proposed flannel Networks, best first:\n 1. 10.244.0.0/16\n"), r.out());
        assertTrue(r.out().contains("proposed service CIDRs, best first:"), r.out());
        assertTrue(r.out().contains("current Network 10.252.0.0/16"), r.out());
    }

    @Test
    void json() throws Exception {
        Run r = Run.of("suggest", "--format", "json", Run.scenario("seed.yaml"));
        assertEquals(0, r.code());
        JsonNode j = CheckCommandTest.JSON.readTree(r.out());
        assertEquals("10.244.0.0/16", j.get("networks").get(0).get("cidr").asText());
        assertTrue(j.get("serviceCidrs").size() > 0);
    }

    @Test
    void aBrokenIpv6NetworkGetsIpv6NetworksFirst() throws Exception {
        Run r = Run.of("suggest", Run.scenario("dual-stack-ipv6-broken.yaml"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("proposed flannel IPv6Networks, best first:\n 1. fd"), r.out());
        int v6svc = r.out().indexOf("proposed IPv6 service CIDRs, best first:");
        int v4 = r.out().indexOf("proposed flannel Networks, best first:");
        assertTrue(v6svc > 0 && v4 > v6svc, r.out());
        assertTrue(r.out().contains("random"), r.out());
        JsonNode j = CheckCommandTest.JSON.readTree(Run.of("suggest", "--format", "json",
                Run.scenario("dual-stack-ipv6-broken.yaml")).out());
        assertEquals("IPv6", j.get("families").get(0).asText());
        assertEquals("IPv6", j.get("networks").get(0).get("family").asText());
        assertTrue(j.get("networks").get(0).get("cidr").asText().endsWith("/56"), j.toString());
        assertEquals("IPv6", j.get("serviceCidrs").get(0).get("family").asText());
    }

    @Test
    void badInputExitsTwo() {
        assertEquals(2, Run.withStdin("nodes: 3\n", "suggest", "-").code());
    }
}
