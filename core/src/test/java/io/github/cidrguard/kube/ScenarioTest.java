package io.github.cidrguard.kube;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenarioTest {
    @Test
    void seedLoadsEveryFieldOfDesign32() {
        Scenario s = Scenario.load(ScenarioFiles.file("seed.yaml"));
        assertEquals("seed-2017", s.name());
        assertEquals(Platform.ONPREM, s.platform());
        Flannel f = s.flannel().orElseThrow();
        assertEquals("{\"Network\": \"10.252.61.0/16\", \"Backend\": {\"Type\": \"vxlan\"}}\n", f.config());
        assertTrue(f.ipMasq());
        assertEquals(List.of(Lease.of("10.252.61.0-24", "10.252.158.72")), f.leases());
        Node n = s.nodes().get(0);
        assertEquals(new Node("node-71", List.of(IpAddress.parse("10.252.158.71")),
                List.of(Cidr.parse("10.252.158.0/24")), List.of(Cidr.parse("10.252.100.0/24")), RpFilter.STRICT,
                Optional.empty()), n);
        Kubernetes k = s.kubernetes().orElseThrow();
        assertEquals(List.of(Cidr.parse("10.252.77.0/24")), k.serviceCidrs());
        assertEquals(List.of(IpAddress.parse("10.252.77.10")), k.clusterDns());
        KubeProxy kp = k.kubeProxy().orElseThrow();
        assertEquals(ProxyMode.IPTABLES, kp.mode());
        assertEquals(List.of(Cidr.parse("10.252.0.0/16")), kp.clusterCidrs());
        assertEquals(DetectLocalMode.CLUSTER_CIDR, kp.detectLocalMode());
        Service svc = k.services().get(0);
        assertEquals("default/jenkins", svc.name());
        assertEquals(List.of(IpAddress.parse("10.252.77.85")), svc.clusterIps());
        assertEquals(List.of(new ServicePort(80, "TCP")), svc.ports());
        assertEquals(List.of(new ServicePort(30080, "TCP")), svc.nodePorts());
        assertEquals(List.of(Endpoint.parse("10.252.100.5:8080")), svc.endpoints());
        assertEquals(List.of(), svc.externalIps());
        assertEquals(List.of(Pod.of("default/busybox", IpAddress.parse("10.252.61.7"), "node-72")), s.pods());
        assertEquals(List.of(DeclaredNetwork.of("office-vpn", "172.17.0.0/16")), s.networks());
        assertFalse(s.underlay().antiSpoofing());
    }

    @Test
    void seedRoundTripsThroughYaml() {
        Scenario s = Scenario.load(ScenarioFiles.file("seed.yaml"));
        String yaml = s.toYaml();
        assertEquals(s, Scenario.parse(yaml, "written.yaml"), yaml);
    }

    @Test
    void builtScenarioRoundTrips() {
        Scenario s = Scenario.builder("dual")
                .platform(Platform.AWS)
                .flannel(Flannel.of("{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,"
                        + "\"IPv6Network\":\"fd00:10:244::/56\",\"Backend\":{\"Type\":\"vxlan\"}}")
                        .withIpMasq(false).withLeases(List.of(Lease.of("10.244.1.0-24&fd00:10:244:1::-64",
                                "10.0.0.11"))))
                .node(Node.of("n1", "10.0.0.11").withIps(List.of(IpAddress.parse("10.0.0.11"),
                                IpAddress.parse("fd00::11")))
                        .withHostNetworks(List.of(Cidr.parse("10.0.0.0/24"), Cidr.parse("fd00::/64")))
                        .withPodCidrs(List.of(Cidr.parse("10.244.1.0/24"), Cidr.parse("fd00:10:244:1::/64")))
                        .withRpFilter(RpFilter.LOOSE).withDocker(true))
                .node(Node.of("n2", "10.0.0.12").withDocker(Cidr.parse("172.30.0.0/16")))
                .kubernetes(Kubernetes.empty()
                        .withServiceCidrs(List.of(Cidr.parse("10.96.0.0/12"), Cidr.parse("fd00:96::/108")))
                        .withClusterDns(IpAddress.parse("10.96.0.10"))
                        .withKubeProxy(KubeProxy.defaults().withMode(ProxyMode.IPVS)
                                .withDetectLocalMode(DetectLocalMode.NODE_CIDR).withMasqueradeAll(true)
                                .withNodePortAddresses(List.of("primary", "10.0.0.0/24")))
                        .withServices(List.of(Service.of("kube-system/dns", IpAddress.parse("10.96.0.10"))
                                .withPorts(List.of(ServicePort.parse("53/UDP")))
                                .withEndpoints(List.of(Endpoint.parse("[fd00:10:244:1::5]:53"),
                                        Endpoint.parse("10.244.1.5")))
                                .withExternalIps(List.of(IpAddress.parse("192.0.2.7"))),
                                new Service("default/headless", List.of(), List.of(), List.of(), List.of(),
                                        List.of()))))
                .pod(new Pod("default/p", IpAddress.parse("10.244.1.5"), Optional.empty()))
                .network(DeclaredNetwork.of("vpn", "192.168.0.0/16"))
                .underlay(new Underlay(true))
                .build();
        assertEquals(s, Scenario.parse(s.toYaml(), "x.yaml"), s.toYaml());
    }

    @Test
    void jsonIsAcceptedToo() {
        Scenario s = Scenario.parse("{\"name\": \"j\", \"nodes\": [{\"name\": \"a\", \"ip\": \"10.0.0.1\","
                + " \"docker\": true}]}", "j.json");
        assertEquals(Optional.of(Node.DOCKER_DEFAULT_BRIDGE), s.nodes().get(0).docker());
    }

    @Test
    void nameDefaultsToTheFileStem() {
        assertEquals("small", Scenario.parse("nodes: []", "dir/small.yaml").name());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            nodes:\\n  - name: node-71\\n    ip: 10.0.0.1\\n    podCIRD: 10.1.0.0/24 | s.yaml line 4: unknown key 'podCIRD' under nodes[0]; did you mean 'podCidr'?
            nodes: []\\nflanel: {} | s.yaml line 2: unknown key 'flanel' under top level; did you mean 'flannel'?
            nodes: []\\nzzz: 1 | s.yaml line 2: unknown key 'zzz' under top level; the keys there are cidrguard, name, platform, flannel, nodes, kubernetes, pods, networks, underlay
            name: x | s.yaml line 1: the scenario has no 'nodes'; list the nodes, e.g. nodes: [{name: node-1, ip: 10.0.0.11}]
            nodes:\\n  - {name: a} | s.yaml line 2: nodes[0] has no 'ip'; add it, e.g. ip: 10.0.0.11
            nodes:\\n  - {name: a, ip: 10.0.0.1, hostNetwork: 10.0.0.1/24} | s.yaml line 2: bad value for nodes[0].hostNetwork: 10.0.0.1/24 has host bits set; the network is 10.0.0.0/24
            nodes:\\n  - {name: a, ip: 10.0.0.1, rpFilter: strik} | s.yaml line 2: nodes[0].rpFilter must be one of strict, loose, off, not 'strik'
            nodes:\\n  - {name: a, ip: 10.0.0.1, docker: 'yes'} | s.yaml line 2: nodes[0].docker must be false, true (docker0 = 172.17.0.0/16) or the bridge's CIDR: 'yes' is not a CIDR
            nodes: []\\nkubernetes:\\n  serviceCidr: 10.96.0.0/12,10.112.0.0/12 | s.yaml line 3: serviceCidr '10.96.0.0/12,10.112.0.0/12' must hold one value, or two of different families for dual stack (e.g. 10.96.0.0/12,fd00:96::/108)
            nodes: []\\nunderlay: {antiSpoofing: 'no'} | s.yaml line 2: underlay.antiSpoofing must be true or false, not 'no'
            cidrguard: 2\\nnodes: [] | s.yaml line 1: cidrguard: '2' is not a format this version reads; write cidrguard: 1
            nodes:\\n  - {name: a, ip: 10.0.0.1}\\n  - {name: a, ip: 10.0.0.2} | s.yaml line 1: node name 'a' appears twice; node names are unique, rename one
            nodes: []\\nnodes: [] | s.yaml line 2: key 'nodes' appears twice; keep one
            nodes: [ | s.yaml line 1: not valid YAML
            """)
    void badInputNamesFileLineKeyAndFix(String text, String expected) {
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> Scenario.parse(text.replace("\\n", "\n"), "s.yaml"));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    @Test
    void leaseKeysFlannelWouldSkipAreRefused() {
        ScenarioException e = assertThrows(ScenarioException.class, () -> Scenario.parse(
                "nodes: []\nflannel:\n  config: '{}'\n  leases:\n    - {key: 10.0.0.0-32, publicIp: 10.0.0.1}\n",
                "s.yaml"));
        assertTrue(e.getMessage().startsWith("s.yaml line 5: "), e.getMessage());
        assertTrue(e.getMessage().contains("10.0.0.0-32") && e.getMessage().contains("bad subnet node"),
                e.getMessage());
    }

    @Test
    void parsedConfigIsWhatFlannelUses() {
        Flannel f = Scenario.load(ScenarioFiles.file("seed.yaml")).flannel().orElseThrow();
        assertEquals(Optional.of(Cidr.parse("10.252.0.0/16")), f.parsedConfig().network());
        assertEquals(Cidr.parse("10.252.61.0/24"), f.leases().get(0).subnetKey().subnet());
    }

    @Test
    void exceptionCarriesSourceAndLine() {
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> Scenario.parse("nodes: []\n\nbogus: 1\n", "f.yaml"));
        assertEquals("f.yaml", e.source());
        assertEquals(3, e.line());
    }
}
