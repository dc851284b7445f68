package io.github.cidrguard.ingest;

import io.github.cidrguard.flannel.FlannelConfig;
import io.github.cidrguard.flannel.SubnetKey;
import io.github.cidrguard.kube.Endpoint;
import io.github.cidrguard.kube.KubeProxy;
import io.github.cidrguard.kube.Lease;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.ProxyMode;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.Service;
import io.github.cidrguard.kube.ServicePort;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.github.cidrguard.ingest.ScenarioImportTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstalledRulesImportTest {

    private static Service service(Scenario s, String name) {
        return s.kubernetes().orElseThrow().services().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no service " + name + " in " + s.kubernetes()));
    }

    @Test
    void ip6tablesSaveGivesTheIpv6HalfOfFlannelKubeProxyAndServices() {
        IptablesSave.Facts f = IptablesSave.parse6(fixture("node-71.ip6tables"), "node-71.ip6tables");
        assertEquals(Cidr.parse("fd00:10:244::/56"), f.network(IpFamily.IPV6).orElseThrow());
        assertEquals(Cidr.parse("fd00:10:244:64::/64"), f.lease(IpFamily.IPV6).orElseThrow());
        assertTrue(f.network(IpFamily.IPV4).isEmpty());
        assertEquals(List.of(Cidr.parse("fd00:10:244::/56")), f.kubeProxy().orElseThrow().clusterCidrs());

        ScenarioImport imp = ScenarioImport.named("ds")
                .withIptablesSave("node-71", fixture("node-71.iptables"), "node-71.iptables")
                .withIp6tablesSave("node-71", fixture("node-71.ip6tables"), "node-71.ip6tables")
                .withIpRoute("node-71", fixture("node-71.route"), "node-71.route");
        Scenario s = imp.toScenario();
        FlannelConfig c = FlannelConfig.parse(s.flannel().orElseThrow().config());
        assertEquals(Cidr.parse("10.252.0.0/16"), c.network().orElseThrow());
        assertEquals(Cidr.parse("fd00:10:244::/56"), c.ipv6Network().orElseThrow());
        assertTrue(c.enableIPv6());
        Node n = s.nodes().get(0);
        assertEquals(List.of(Cidr.parse("10.252.100.0/24"), Cidr.parse("fd00:10:244:64::/64")), n.podCidrs());
        assertEquals(List.of(Lease.of(SubnetKey.of(Cidr.parse("10.252.100.0/24"), Cidr.parse("fd00:10:244:64::/64"))
                .toString(), "10.252.158.71")), s.flannel().get().leases());
        KubeProxy kp = s.kubernetes().orElseThrow().kubeProxy().orElseThrow();
        assertEquals(List.of(Cidr.parse("10.252.0.0/16"), Cidr.parse("fd00:10:244::/56")), kp.clusterCidrs());
        Service dns = service(s, "kube-system/kube-dns");
        assertEquals(List.of(IpAddress.parse("10.252.77.10"), IpAddress.parse("fd00:10:96::a")), dns.clusterIps());
        assertTrue(dns.endpoints().containsAll(List.of(Endpoint.parse("10.252.100.3:53"),
                Endpoint.parse("[fd00:10:244:64::3]:53"), Endpoint.parse("[fd00:10:244:65::4]:53"))),
                dns.endpoints().toString());
        assertTrue(imp.notes().stream().anyMatch(x -> x.contains("IPv6Network fd00:10:244::/56 from flanneld's IPv6 "
                + "rules")), imp.notes().toString());
    }

    @Test
    void ip6tablesSaveAloneMakesAnIpv6OnlyConfig() {
        Scenario s = ScenarioImport.named("v6")
                .withIp6tablesSave("node-71", fixture("node-71.ip6tables"), "node-71.ip6tables")
                .withIpRoute("node-71", fixture("node-71.route"), "node-71.route")
                .toScenario();
        FlannelConfig c = FlannelConfig.parse(s.flannel().orElseThrow().config());
        assertTrue(c.network().isEmpty() && !c.enableIPv4() && c.enableIPv6(), s.flannel().get().config());
    }

    @Test
    void nftRulesetGivesFlannelAndKubeProxyOfBothFamilies() {
        IptablesSave.Facts f = NftFacts.parse(fixture("node-71.nft"), "node-71.nft");
        assertEquals(List.of(Cidr.parse("10.252.0.0/16"), Cidr.parse("fd00:10:244::/56")), f.networks());
        assertEquals(List.of(Cidr.parse("10.252.100.0/24"), Cidr.parse("fd00:10:244:64::/64")), f.leases());
        assertEquals(true, f.ipMasq().orElseThrow());
        KubeProxy kp = f.kubeProxy().orElseThrow();
        assertEquals(ProxyMode.NFTABLES, kp.mode());
        assertEquals(List.of(Cidr.parse("10.252.0.0/16"), Cidr.parse("fd00:10:244::/56")), kp.clusterCidrs());
        Service jenkins = f.services().stream().filter(x -> x.name().equals("default/jenkins")).findFirst()
                .orElseThrow();
        assertEquals(List.of(IpAddress.parse("10.252.77.85"), IpAddress.parse("fd00:10:96::55")),
                jenkins.clusterIps());
        assertEquals(List.of(ServicePort.parse("80/TCP")), jenkins.ports());
        assertEquals(List.of(Endpoint.parse("10.252.100.5:8080"), Endpoint.parse("[fd00:10:244:64::5]:8080")),
                jenkins.endpoints());

        Scenario s = ScenarioImport.named("nft")
                .withNftRuleset("node-71", fixture("node-71.nft"), "node-71.nft")
                .withIpRoute("node-71", fixture("node-71.route"), "node-71.route")
                .toScenario();
        FlannelConfig c = FlannelConfig.parse(s.flannel().orElseThrow().config());
        assertEquals(Cidr.parse("10.252.0.0/16"), c.network().orElseThrow());
        assertEquals(Cidr.parse("fd00:10:244::/56"), c.ipv6Network().orElseThrow());
        assertEquals(ProxyMode.NFTABLES, s.kubernetes().orElseThrow().kubeProxy().orElseThrow().mode());
        assertEquals(2, service(s, "default/jenkins").clusterIps().size());
    }

    @Test
    void theSameFactsFromIptablesAndFromNft() {
        // flannel's nft rules are its iptables rules in nft syntax: both readings agree on the IPv4 half
        IptablesSave.Facts ipt = IptablesSave.parse(fixture("node-71.iptables"), "node-71.iptables");
        IptablesSave.Facts nft = NftFacts.parse(fixture("node-71.nft"), "node-71.nft");
        assertEquals(ipt.network(IpFamily.IPV4), nft.network(IpFamily.IPV4));
        assertEquals(ipt.lease(IpFamily.IPV4), nft.lease(IpFamily.IPV4));
        assertEquals(ipt.ipMasq(), nft.ipMasq());
        assertEquals(ipt.kubeProxy().orElseThrow().clusterCidrs(),
                List.of(nft.kubeProxy().orElseThrow().clusterCidrs().get(0)));
    }

    @Test
    void badRulesNameTheFileLineAndCommand() {
        ImportException e = assertThrows(ImportException.class, () -> ScenarioImport.named("x")
                .withNftRuleset("n", "table ip kube-proxy {\n\tchain endpoint-ABCDEFGH-ns/a/tcp/__x/1 {\n"
                        + "\t\tmeta l4proto tcp dnat to 10.0.0.300:80\n\t}\n}\n", "n.nft"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith("n.nft line 3: 'meta l4proto tcp dnat to 10.0.0.300:80': "),
                e.getMessage());
        e = assertThrows(ImportException.class, () -> ScenarioImport.named("x").withNftRuleset("n", "\n", "n.nft"));
        assertTrue(e.getMessage().startsWith("n.nft: has no table; give the output of nft list ruleset"),
                e.getMessage());
        e = assertThrows(ImportException.class, () -> ScenarioImport.named("x")
                .withIp6tablesSave("n", "*nat\nip6 saddr ::1\n", "n.ip6tables"));
        assertTrue(e.getMessage().startsWith("n.ip6tables line 2: 'ip6 saddr ::1' is not a line ip6tables-save "
                + "writes"), e.getMessage());
        assertTrue(e.getMessage().endsWith("give the output of ip6tables-save (run on the node as root)"),
                e.getMessage());
    }
}
