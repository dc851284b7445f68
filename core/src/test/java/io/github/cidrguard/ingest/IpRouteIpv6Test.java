package io.github.cidrguard.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cidrguard.kube.Lease;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

/**
 * {@code ip -6 route}: the fixture node-71-v6.route is {@code ip -6 route show table all} of a network namespace built
 * as a flannel vxlan node over IPv6 (eth0, cni0, flannel-v6.1), so its lines are the kernel's own.
 */
class IpRouteIpv6Test {
    private static final String V6 = ScenarioImportTest.fixture("node-71-v6.route");

    @Test
    void theKernelsOwnIpv6TableGivesLanAddressPodCidrAndVxlan() {
        IpRoute.Facts f = IpRoute.parse(V6, "node-71-v6.route");
        assertEquals(List.of(IpAddress.parse("fd00:10:252:158::71")), f.nodeIps(), "from the table local entry on eth0");
        assertEquals(List.of(Cidr.parse("fd00:10:252:158::/64")), f.hostNetworks(), "no scope link in IPv6");
        assertEquals(List.of(Cidr.parse("fd00:10:244:1::/64")), f.podCidrs());
        assertTrue(f.vxlan(), "flannel-v6.1 is flannel's vxlan device for IPv6");
        assertTrue(f.flannelRoutes().contains(Cidr.parse("fd00:10:244:2::/64")), f.flannelRoutes().toString());
        assertTrue(f.flannelRoutes().stream().noneMatch(c -> Cidr.parse("fe80::/10").overlaps(c)), "no link-local");
    }

    @Test
    void bothFamiliesOfOneNodeMerge() {
        Scenario s = ScenarioImport.named("dual")
                .withIptablesSave("node-71", ScenarioImportTest.fixture("node-71.iptables"), "node-71.iptables")
                .withIpRoute("node-71", ScenarioImportTest.fixture("node-71.route"), "node-71.route")
                .withIpRoute("node-71", V6, "node-71-v6.route")
                .toScenario();
        Node n = s.nodes().get(0);
        assertEquals(List.of(IpAddress.parse("10.252.158.71"), IpAddress.parse("fd00:10:252:158::71")), n.ips());
        assertEquals(List.of(Cidr.parse("10.252.158.0/24"), Cidr.parse("fd00:10:252:158::/64")), n.hostNetworks());
        assertEquals(List.of(Cidr.parse("10.252.100.0/24"), Cidr.parse("fd00:10:244:1::/64")), n.podCidrs());
        assertEquals(List.of(Lease.of("10.252.100.0-24&fd00:10:244:1::-64", "10.252.158.71")),
                s.flannel().orElseThrow().leases());
    }

    @Test
    void theOrderOfTheTwoOutputsDoesNotMatter() {
        Scenario a = ScenarioImport.named("dual")
                .withIpRoute("node-71", ScenarioImportTest.fixture("node-71.route"), "r4")
                .withIpRoute("node-71", V6, "r6").toScenario();
        Scenario b = ScenarioImport.named("dual")
                .withIpRoute("node-71", V6, "r6")
                .withIpRoute("node-71", ScenarioImportTest.fixture("node-71.route"), "r4").toScenario();
        assertEquals(a.nodes().get(0).hostNetworks(), b.nodes().get(0).hostNetworks());
        assertEquals(a.nodes().get(0).podCidrs(), b.nodes().get(0).podCidrs());
        assertEquals(a.nodes().get(0).ip(IpFamily.IPV6), b.nodes().get(0).ip(IpFamily.IPV6));
    }

    /** One line of ip -6 route each, and what it says about the node. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // plain ip -6 route (no table local): the LAN, but no address of the node
            "fd00:1::/64 dev ens3 proto kernel metric 256 pref medium|fd00:1::/64|",
            // an address set with src: taken
            "fd00:1::/64 dev ens3 proto kernel src fd00:1::5 metric 256 pref medium|fd00:1::/64|fd00:1::5",
            // RA-learnt prefix route: not the node's connected LAN
            "2001:db8:1::/64 via fe80::1 dev ens3 proto ra metric 1024 pref medium||",
            // link-local and multicast are no networks
            "fe80::/64 dev ens3 proto kernel metric 256 pref medium||",
            "multicast ff00::/8 dev ens3 table local proto kernel metric 256 pref medium||",
            // docker's IPv6 bridge is not the LAN
            "fd00:dead::/64 dev docker0 proto kernel metric 256 pref medium||",
    })
    void oneLine(String line, String lan, String ip) {
        IpRoute.Facts f = IpRoute.parse(line + "\ndefault via fe80::1 dev ens3 proto ra metric 1024\n", "r");
        assertEquals(lan == null ? List.of() : List.of(Cidr.parse(lan)), f.hostNetworks());
        assertEquals(ip == null ? List.of() : List.of(IpAddress.parse(ip)), f.nodeIps());
    }

    @Test
    void dockersIpv6BridgeIsKept() {
        IpRoute.Facts f = IpRoute.parse("fd00:dead::/64 dev docker0 proto kernel metric 256 pref medium\n", "r");
        assertEquals(Cidr.parse("fd00:dead::/64"), f.docker().orElseThrow());
    }

    @Test
    void badIpv6TextNamesTheLineAndTheCommand() {
        ImportException e = assertThrows(ImportException.class, () -> IpRoute.parse(
                "fd00:10:252:158::/64 dev eth0 proto kernel metric 256\nfd00::zz/64 dev eth0\n", "node-71-v6.route"));
        assertTrue(e.getMessage().contains("node-71-v6.route") && e.getMessage().contains("ip -6 route"),
                e.getMessage());
        assertTrue(e.getMessage().contains("fd00::zz/64"), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }
}
