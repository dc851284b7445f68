package io.github.cidrguard.ingest;

import io.github.cidrguard.analysis.Analysis;
import io.github.cidrguard.analysis.FindingCode;
import io.github.cidrguard.analysis.Report;
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
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenarioImportTest {
    static String fixture(String name) {
        try (InputStream in = ScenarioImportTest.class.getResourceAsStream("import/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no fixture import/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ScenarioImport seed() {
        return ScenarioImport.named("seed-2017")
                .withKubectlNodes(fixture("nodes.json"), "nodes.json")
                .withKubectlServices(fixture("services.json"), "services.json")
                .withKubectlPods(fixture("pods.json"), "pods.json")
                .withFlannelConfigMap(fixture("kube-flannel-cfg.yaml"), "kube-flannel-cfg.yaml")
                .withKubeProxyConfigMap(fixture("kube-proxy.json"), "kube-proxy.json")
                .withSubnetEnv("node-71", fixture("node-71.subnet.env"), "node-71.subnet.env")
                .withIptablesSave("node-71", fixture("node-71.iptables"), "node-71.iptables")
                .withIpRoute("node-71", fixture("node-71.route"), "node-71.route")
                .withServiceCidr(Cidr.parse("10.252.77.0/24"));
    }

    @Test
    void seedFixturesImportToTheHandWrittenScenario() {
        Scenario imported = seed().toScenario();
        Scenario expected = Scenario.parse(fixture("seed-imported.yaml"), "seed-imported.yaml");
        assertEquals(expected, imported, imported.toYaml());
        Report report = Analysis.of(imported);
        assertEquals(Analysis.of(expected), report);
        // the same diagnosis as the story's seed: the pod network swallows the nodes
        assertTrue(report.has(FindingCode.POD_NETWORK_CONTAINS_NODE_IP));
        assertTrue(report.has(FindingCode.NETWORK_HOST_BITS_SET));
        assertTrue(report.has(FindingCode.SERVICE_CIDR_OVERLAPS_POD_NETWORK));
        // the one note: the annotation that says kube mode
        assertEquals(1, seed().notes().size(), seed().notes().toString());
        assertTrue(seed().notes().get(0).startsWith("kube mode (flanneld --kube-subnet-mgr): node node-71 carries"),
                seed().notes().toString());
        // and it survives its own file format
        assertEquals(imported, Scenario.parse(imported.toYaml(), "again"));
    }

    @Test
    void nodeLocalSourcesAloneRecoverWhatIsInstalled() {
        ScenarioImport imp = ScenarioImport.named("from-node")
                .withIptablesSave("node-71", fixture("node-71.iptables"), "node-71.iptables")
                .withIpRoute("node-71", fixture("node-71.route"), "node-71.route");
        Scenario s = imp.toScenario();
        assertEquals("{\"Network\": \"10.252.0.0/16\", \"Backend\": {\"Type\": \"vxlan\"}}", s.flannel().get().config());
        assertTrue(s.flannel().get().ipMasq());
        assertEquals(List.of(Lease.of("10.252.100.0-24", "10.252.158.71")), s.flannel().get().leases());
        Node n = s.nodes().get(0);
        assertEquals(IpAddress.parse("10.252.158.71"), n.ip());
        assertEquals(List.of(Cidr.parse("10.252.158.0/24")), n.hostNetworks());
        assertEquals(List.of(Cidr.parse("10.252.100.0/24")), n.podCidrs());
        KubeProxy kp = s.kubernetes().get().kubeProxy().get();
        assertEquals(List.of(Cidr.parse("10.252.0.0/16")), kp.clusterCidrs());
        assertEquals(ProxyMode.IPTABLES, kp.mode());
        assertFalse(kp.masqueradeAll());
        assertEquals(List.of(IpAddress.parse("10.252.77.10")), s.kubernetes().get().clusterDns());
        assertEquals(3, s.kubernetes().get().services().size());
        assertTrue(imp.notes().stream().anyMatch(x -> x.contains("Network 10.252.0.0/16 from the iptables rules "
                + "flanneld installed on node-71")), imp.notes().toString());
        assertTrue(Analysis.of(s).has(FindingCode.POD_NETWORK_CONTAINS_NODE_IP));
    }

    @Test
    void dualStackNodesAndServicesInYamlAndJson() {
        Scenario s = ScenarioImport.named("ds")
                .withKubectlNodes(fixture("dual-stack-nodes.yaml"), "nodes.yaml")
                .withKubectlServices(fixture("dual-stack-services.json"), "svc.json")
                .toScenario();
        Node ds2 = s.nodes().get(1);
        assertEquals(List.of(IpAddress.parse("192.168.10.12"), IpAddress.parse("fd00:192:168:10::12")), ds2.ips());
        assertEquals(List.of(Cidr.parse("10.244.1.0/24"), Cidr.parse("fd00:10:244:1::/64")), ds2.podCidrs());
        Service web = s.kubernetes().get().services().get(0);
        assertEquals("shop/web", web.name());
        assertEquals(2, web.clusterIps().size());
        assertEquals(List.of(new ServicePort(443, "TCP", "", "8443", 31443), new ServicePort(443, "UDP", "", "8443",
                31443)), web.ports());
        assertEquals(List.of(ServicePort.parse("31443/TCP"), ServicePort.parse("31443/UDP")), web.nodePorts());
        assertEquals(List.of(IpAddress.parse("192.168.10.200")), web.externalIps());
        assertEquals("SCTP", s.kubernetes().get().services().get(1).ports().get(0).protocol());
        assertTrue(s.flannel().isEmpty());
    }

    @Test
    void flannelBeforeV016WroteUncommentedRulesIntoPostrouting() {
        IptablesSave.Facts f = IptablesSave.parse(fixture("old-flannel.iptables"), "old.iptables");
        assertEquals(Cidr.parse("10.244.0.0/16"), f.network().get());
        assertEquals(Cidr.parse("10.244.3.0/24"), f.lease().get());
        assertEquals(true, f.ipMasq().get());
        KubeProxy kp = f.kubeProxy().get();
        assertTrue(kp.masqueradeAll(), "-d <clusterIP> -j KUBE-MARK-MASQ without a source test");
        assertEquals(List.of(), kp.clusterCidrs());
        Service k = f.services().get(0);
        assertEquals("default/kubernetes", k.name());
        assertEquals(List.of(Endpoint.parse("192.168.1.10:6443")), k.endpoints());
    }

    @Test
    void ipvsModeAndItsClusterCidr() {
        IptablesSave.Facts f = IptablesSave.parse(fixture("ipvs.iptables"), "ipvs.iptables");
        KubeProxy kp = f.kubeProxy().get();
        assertEquals(ProxyMode.IPVS, kp.mode());
        assertEquals(List.of(Cidr.parse("10.233.64.0/18")), kp.clusterCidrs());
        assertTrue(f.network().isEmpty());
        assertTrue(f.ipMasq().isEmpty(), "no flannel rules at all: --ip-masq unknown");
    }

    @Test
    void routesOfAMultiHomedNodeWithDocker() {
        IpRoute.Facts f = IpRoute.parse(fixture("multi-nic.route"), "multi-nic.route");
        assertEquals(IpAddress.parse("192.168.10.11"), f.nodeIp().get());
        assertEquals(Cidr.parse("192.168.10.0/24"), f.hostNetworks().get(0));
        assertEquals(Cidr.parse("172.17.0.0/16"), f.docker().get());
        assertEquals(Cidr.parse("10.244.1.0/24"), f.podCidr().get());
        assertEquals(List.of(Cidr.parse("10.244.2.0/24"), Cidr.parse("10.244.3.0/24")), f.flannelRoutes());
        Scenario s = ScenarioImport.named("mn").withIpRoute("n1", fixture("multi-nic.route"), "r")
                .withSubnetEnv("n1", fixture("dual-stack.subnet.env"), "subnet.env").toScenario();
        Node n = s.nodes().get(0);
        assertEquals(List.of(Cidr.parse("192.168.10.0/24")), n.hostNetworks());
        assertEquals(Cidr.parse("172.17.0.0/16"), n.docker().get());
        assertEquals(List.of(Cidr.parse("10.244.1.0/24")), n.podCidrs());
        assertFalse(s.flannel().get().ipMasq(), "FLANNEL_IPMASQ=false");
    }

    @Test
    void aBadServicePortNamesTheFileAndLine() {
        String save = "*nat\n:KUBE-SERVICES - [0:0]\n"
                + "-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment \"default/web cluster IP\" -m tcp"
                + " --dport abc -j KUBE-SVC-X\nCOMMIT\n";
        ImportException e = assertThrows(ImportException.class, () -> IptablesSave.parse(save, "n.iptables"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith("n.iptables line 3: --dport 'abc' is not a port number"),
                e.getMessage());
    }

    @Test
    void errorsNameTheSourceAndTheCommand() {
        ImportException e = assertThrows(ImportException.class, () -> ScenarioImport.named("x")
                .withKubectlNodes(fixture("services.json"), "nodes.json"));
        assertTrue(e.getMessage().startsWith("nodes.json line 4: items[0] has kind 'Service', not Node"), e.getMessage());
        assertTrue(e.getMessage().endsWith("give the output of kubectl get nodes -o json"), e.getMessage());
        e = assertThrows(ImportException.class, () -> ScenarioImport.named("x")
                .withIptablesSave("n", "*nat\n-A POSTROUTING -j X\nhello world\n", "n.iptables"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith("n.iptables line 3: 'hello world' is not a line iptables-save writes"),
                e.getMessage());
        e = assertThrows(ImportException.class, () -> ScenarioImport.named("x").withKubectlNodes("{\"kind\": ", "n.json"));
        assertTrue(e.getMessage().startsWith("n.json line 1: is not valid JSON or YAML"), e.getMessage());
        e = assertThrows(ImportException.class, () -> ScenarioImport.named("x")
                .withKubectlNodes("{\"kind\":\"List\",\"items\":[{\"kind\":\"Node\",\"metadata\":{\"name\":\"a\"},"
                        + "\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"10.0.0.300\"}]}}]}", "n.json"));
        assertTrue(e.getMessage().contains("items[0].status.addresses[0].address '10.0.0.300' is not an IP address"),
                e.getMessage());
        e = assertThrows(ImportException.class, () -> ScenarioImport.named("x")
                .withIptablesSave("n", fixture("node-71.iptables"), "n").toScenario());
        assertTrue(e.getMessage().contains("node n is in no kubectl output and its address is unknown"),
                e.getMessage());
        e = assertThrows(ImportException.class, () -> ScenarioImport.named("x")
                .withFlannelConfigMap(fixture("kube-proxy.json"), "cm.json"));
        assertTrue(e.getMessage().startsWith("cm.json: ConfigMap kube-system/kube-proxy has no data.net-conf.json"),
                e.getMessage());
        assertThrows(ImportException.class, () -> ScenarioImport.named("x").withSubnetEnv("n", "FLANNEL_MTU=x\n", "s"));
        assertThrows(ImportException.class, () -> ScenarioImport.named("x").withIpRoute("n", "\n\n", "r"));
        assertThrows(ImportException.class, () -> ScenarioImport.named("x").toScenario());
    }
}
