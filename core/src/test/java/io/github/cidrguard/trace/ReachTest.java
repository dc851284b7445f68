package io.github.cidrguard.trace;

import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.net.Cidr;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReachTest {

    static Reachability.Source source(Reachability r, String name) {
        return r.sources().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void seedReachListsTheOtherNodeAsRpFilterDrop() {
        Scenario s = SeedScenarioTest.seed();
        Reachability r = Tracer.of(s).reach();
        List<String> names = r.sources().stream().map(Reachability.Source::name).toList();
        assertEquals(List.of("pods of node-71", "pods of flannel@10.252.158.72", "node node-71",
                "node flannel@10.252.158.72", "network office-vpn"), names);
        Reachability.Source pods = source(r, "pods of node-71");
        Reachability.Failure f = pods.failureFor(IpAddress.parse("10.252.158.72")).orElseThrow();
        assertEquals("10.252.158.72/32", f.text());
        assertEquals(Verdict.DROPPED, f.verdict());
        assertEquals(Reason.RP_FILTER, f.reason());
        // pod -> pod and pod -> ClusterIP:80 are delivered, the outside world too
        assertTrue(pods.failureFor(IpAddress.parse("10.252.61.7")).isEmpty());
        assertTrue(pods.failureFor(IpAddress.parse("10.252.77.85")).isEmpty());
        assertTrue(pods.failureFor(IpAddress.parse("8.8.8.8")).isEmpty());
        assertTrue(pods.failureFor(IpAddress.parse("172.17.1.1")).isEmpty());
        // LAN hosts inside the Network: not masqueraded, the reply has no way back
        assertEquals(Verdict.NO_ROUTE, pods.failureFor(IpAddress.parse("10.252.158.5")).orElseThrow().verdict());
        assertTrue(source(r, "node node-71").failureFor(IpAddress.parse("10.252.158.72")).isEmpty());
        String json = r.toJson();
        assertTrue(json.contains("\"range\" : \"10.252.158.72/32\""), json);
        assertTrue(json.contains("\"scenario\" : \"seed-2017\""));
    }

    @Test
    void reachForOneSource() {
        Scenario s = SeedScenarioTest.seed();
        Tracer t = Tracer.of(s);
        Reachability one = t.reach("pod:10.252.100.5");
        assertEquals(1, one.sources().size());
        assertEquals("pods of node-71", one.sources().get(0).name());
        assertEquals(source(t.reach(), "pods of node-71").failures(), one.sources().get(0).failures());
        assertEquals("network office-vpn", t.reach("host:172.17.3.3").sources().get(0).name());
    }

    @Test
    void fixedPlanHasNoNodeFailures() {
        Scenario s = SeedScenarioTest.seed();
        Scenario withNode = s.toBuilder().node(Node.of("node-72", "10.252.158.72")
                .withHostNetwork(Cidr.parse("10.252.158.0/24")).withPodCidr(Cidr.parse("10.252.61.0/24"))).build();
        Reachability r = Tracer.of(withNode).reach();
        for (Reachability.Source src : r.sources()) {
            if (src.name().startsWith("node ")) {
                assertTrue(src.failureFor(IpAddress.parse("10.252.158.71")).isEmpty(), src.name());
                assertTrue(src.failureFor(IpAddress.parse("10.252.158.72")).isEmpty(), src.name());
            }
        }
    }
}
