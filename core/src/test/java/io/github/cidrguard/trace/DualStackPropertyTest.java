package io.github.cidrguard.trace;

import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.net.IpFamily;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Adding the IPv6 half to a plan changes nothing of its IPv4 half: every IPv4 trace between its pods, nodes and
 * Service, and its IPv4 reachability, are the same with and without IPv6 (the families' data planes share nothing).
 */
class DualStackPropertyTest {

    record Plan(int nodes, String backend, String rp, String mode, boolean story, boolean nft, boolean antiSpoofing) {
    }

    @Provide
    Arbitrary<Plan> plans() {
        return Combinators.combine(Arbitraries.integers().between(2, 4), Arbitraries.of("vxlan", "host-gw"),
                Arbitraries.of("strict", "loose", "off"), Arbitraries.of("iptables", "nftables", "ipvs"),
                Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false)).as(Plan::new);
    }

    static String yaml(Plan p, boolean dual) {
        String net = p.story() ? "10.252.61.0/16" : "10.244.0.0/16";
        String lease = p.story() ? "10.252.%d.0/24" : "10.244.%d.0/24";
        StringBuilder y = new StringBuilder("cidrguard: 1\nname: plan\nflannel:\n  config: |\n    {\"Network\": \"" + net
                + "\"" + (dual ? ", \"EnableIPv6\": true, \"IPv6Network\": \"fd00:10:244::/56\"" : "")
                + ", \"EnableNFTables\": " + p.nft() + ", \"Backend\": {\"Type\": \"" + p.backend() + "\"}}\nnodes:\n");
        for (int i = 0; i < p.nodes(); i++) {
            String l4 = lease.formatted(100 + i);
            y.append("  - {name: node-").append(i).append(", ip: '10.252.158.").append(71 + i)
                    .append(dual ? ",fd00:158::" + (71 + i) : "").append("', hostNetwork: '10.252.158.0/24")
                    .append(dual ? ",fd00:158::/64" : "").append("', podCidr: '").append(l4)
                    .append(dual ? ",fd00:10:244:" + (i + 1) + "::/64" : "").append("', rpFilter: ").append(p.rp())
                    .append("}\n");
        }
        String ep4 = lease.formatted(100).replace(".0/24", ".5");
        y.append("kubernetes:\n  serviceCidr: '10.96.0.0/16").append(dual ? ",fd00:96::/112" : "").append("'\n")
                .append("  kubeProxy: {mode: ").append(p.mode()).append(", clusterCidr: '").append(p.story() ? "10.252.0.0/16" : net)
                .append(dual ? ",fd00:10:244::/56" : "").append("'}\n")
                .append("  services:\n    - {name: default/web, clusterIp: '10.96.0.20").append(dual ? ",fd00:96::20" : "")
                .append("', ports: [80/TCP], nodePorts: [30080/TCP], endpoints: ['").append(ep4).append(":8080'")
                .append(dual ? ", '[fd00:10:244:1::5]:8080'" : "").append("]}\n");
        y.append("pods:\n  - {name: default/web, ip: '").append(ep4).append("', node: node-0}\n");
        y.append("  - {name: default/client, ip: '").append(lease.formatted(100 + p.nodes() - 1).replace(".0/24", ".7"))
                .append("', node: node-").append(p.nodes() - 1).append("}\n");
        if (dual) {
            y.append("  - {name: default/web, ip: 'fd00:10:244:1::5', node: node-0}\n");
            y.append("  - {name: default/client, ip: 'fd00:10:244:").append(p.nodes()).append("::7', node: node-")
                    .append(p.nodes() - 1).append("}\n");
        }
        y.append("underlay: {antiSpoofing: ").append(p.antiSpoofing()).append("}\n");
        return y.toString();
    }

    @Property(tries = 40)
    void ipv4TracesAreUnchangedByTheIpv6Half(@ForAll("plans") Plan p) {
        Tracer v4 = Tracer.of(Scenario.parse(yaml(p, false), "v4.yaml"));
        Tracer dual = Tracer.of(Scenario.parse(yaml(p, true), "dual.yaml"));
        List<String> ends = new ArrayList<>(List.of("pod:default/web", "pod:default/client"));
        for (int i = 0; i < p.nodes(); i++) {
            ends.add("node:node-" + i);
        }
        int traced = 0;
        for (String from : ends) {
            for (String to : ends) {
                for (String port : new String[] {null, "8080/TCP"}) {
                    assertEquals(v4.trace(from, to, port).toJson(), dual.trace(from, to, port).toJson(),
                            from + " -> " + to + " " + port + "\n" + yaml(p, true));
                    traced++;
                }
            }
            assertEquals(v4.trace(from, "svc:default/web:80/TCP", null).toJson(),
                    dual.trace(from, "svc:default/web:80/TCP", null, IpFamily.IPV4).toJson());
        }
        assertTrue(traced > 0);
        Reachability r4 = v4.reach();
        Reachability rd = dual.reach();
        List<Reachability.Source> ipv4Sources = rd.sources().stream()
                .filter(s -> s.family() == IpFamily.IPV4).toList();
        assertEquals(r4.sources().size(), ipv4Sources.size());
        for (int i = 0; i < ipv4Sources.size(); i++) {
            assertEquals(r4.sources().get(i).name(), ipv4Sources.get(i).name());
            assertEquals(r4.sources().get(i).failures(), ipv4Sources.get(i).failures());
        }
        assertEquals(r4.coverage().get(0), rd.coverage().get(0));
        assertEquals(IpFamily.IPV6, rd.coverage().get(1).family());
        assertTrue(rd.coverage().get(1).sources() > 0, rd.coverageText());
    }
}
