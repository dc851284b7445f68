package io.github.cidrguard.ingest;

import io.github.cidrguard.analysis.Analysis;
import io.github.cidrguard.analysis.FindingCode;
import io.github.cidrguard.analysis.Report;
import io.github.cidrguard.kube.ControllerManager;
import io.github.cidrguard.kube.KubeProxy;
import io.github.cidrguard.kube.Kubernetes;
import io.github.cidrguard.kube.LoadBalancerPool;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.ProxyMode;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.Service;
import io.github.cidrguard.kube.ServicePort;
import io.github.cidrguard.kube.ServiceType;
import io.github.cidrguard.kube.SubnetManager;
import io.github.cidrguard.kube.TrafficPolicy;
import io.github.cidrguard.net.AddressRange;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static io.github.cidrguard.ingest.ScenarioImportTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kube-mode sources, each from a sample in its tool's real format (import/ beside ScenarioImportTest). */
class KubeModeImportTest {
    private static ScenarioImport k3s() {
        return ScenarioImport.named("k3s")
                .withKubectlNodes(fixture("k3s-nodes.json"), "k3s-nodes.json")
                .withKubectlServices(fixture("k3s-services.json"), "k3s-services.json")
                .withK3sConfig(fixture("k3s-config.yaml"), "config.yaml")
                .withLoadBalancerPools(fixture("metallb-pools.json"), "metallb-pools.json");
    }

    @Test
    void k3sClusterImportsInKubeModeWithItsDefaultsAndAnnotations() {
        ScenarioImport imp = k3s();
        Scenario s = imp.toScenario();
        assertEquals(SubnetManager.KUBE, s.subnetManager());
        assertEquals("{\"Network\": \"10.42.0.0/16\", \"EnableIPv6\": false, \"EnableIPv4\": true, \"IPv6Network\":"
                + " \"::/0\", \"Backend\": {\"Type\": \"host-gw\"}}", s.flannel().orElseThrow().config());
        assertTrue(s.flannel().orElseThrow().leases().isEmpty());
        Kubernetes k = s.kubernetes().orElseThrow();
        assertEquals(List.of(Cidr.parse("10.43.0.0/16")), k.serviceCidrs());
        assertEquals(List.of(IpAddress.parse("10.43.0.10")), k.clusterDns());
        assertEquals(new ControllerManager(List.of(Cidr.parse("10.42.0.0/16")), 25, 64), k.controllerManager()
                .orElseThrow());
        KubeProxy kp = k.kubeProxy().orElseThrow();
        assertEquals(ProxyMode.IPVS, kp.mode());
        assertEquals(List.of(Cidr.parse("10.42.0.0/16")), kp.clusterCidrs());
        // k3s-2: public-ip-overwrite wins; its flanneld still ran vxlan while the config says host-gw
        Node k2 = s.node("k3s-2").orElseThrow();
        assertEquals(List.of(IpAddress.parse("203.0.113.72")), k2.publicIps());
        assertEquals(Optional.of("vxlan"), k2.backend());
        Node k1 = s.node("k3s-1").orElseThrow();
        assertEquals(List.of(), k1.publicIps(), "public-ip equal to the InternalIP is the default");
        assertEquals(Optional.empty(), k1.backend());
        Service ingress = k.services().stream().filter(x -> x.name().equals("ingress-nginx/ingress-nginx-controller"))
                .findFirst().orElseThrow();
        assertEquals(ServiceType.LOAD_BALANCER, ingress.type());
        assertEquals(List.of(IpAddress.parse("192.168.50.72")), ingress.loadBalancerIps());
        assertEquals(TrafficPolicy.LOCAL, ingress.externalTrafficPolicy());
        assertEquals(List.of(new ServicePort(80, "TCP", "http", "http", 30364),
                new ServicePort(443, "TCP", "https", "https", 31528)), ingress.ports());
        assertEquals(List.of(new LoadBalancerPool("metallb-system/lan", List.of(
                        AddressRange.parse("192.168.50.70-192.168.50.79"), AddressRange.parse("192.168.60.0/28"))),
                new LoadBalancerPool("metallb-system/reserved", List.of(
                        AddressRange.parse("192.168.61.10-192.168.61.20")))), s.loadBalancerPools());
        List<String> notes = imp.notes();
        assertTrue(notes.stream().anyMatch(n -> n.contains("no service-cidr, k3s's default 10.43.0.0/16")), notes
                .toString());
        assertTrue(notes.stream().anyMatch(n -> n.contains("public-ip-overwrite 203.0.113.72 is not yet")), notes
                .toString());
        assertTrue(notes.stream().anyMatch(n -> n.contains("autoAssign: false")), notes.toString());
        assertEquals(s, Scenario.parse(s.toYaml(), "again.yaml"), s.toYaml());
        // the MetalLB pool holds both node addresses, and in IPVS mode the LB address 192.168.50.72 hijacks k3s-2
        Report r = Analysis.of(s);
        assertEquals(3, r.findings(FindingCode.LOAD_BALANCER_POOL_OVERLAP).size(), r.toJson());
        assertFalse(r.has(FindingCode.SUBNET_RANGE_COVERS_HOST_NETWORK));
    }

    @Test
    void rke2WithCanalIsFlannelInKubeMode() {
        ScenarioImport imp = ScenarioImport.named("rke2").withKubectlNodes(fixture("k3s-nodes.json"), "nodes.json")
                .withK3sConfig(fixture("rke2-config.yaml"), "config.yaml");
        Scenario s = imp.toScenario();
        assertEquals(SubnetManager.KUBE, s.subnetManager());
        assertTrue(s.flannel().orElseThrow().config().contains("\"Network\": \"10.42.0.0/16\""));
        assertEquals(List.of(Cidr.parse("10.96.0.0/16")), s.kubernetes().orElseThrow().serviceCidrs());
        assertTrue(imp.notes().stream().anyMatch(n -> n.contains("RKE2's default 10.42.0.0/16")), imp.notes()
                .toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "flannel-backend: none        | another CNI",
        "cni: cilium                  | is not flannel",
        "flannel-conf: /etc/my.json   | give that file with --net-conf",
    })
    void k3sWithoutGeneratedFlannelConfigSaysWhy(String line, String note) {
        ScenarioImport imp = ScenarioImport.named("k").withKubectlNodes(fixture("k3s-nodes.json"), "nodes.json")
                .withK3sConfig(line + "\n", "config.yaml");
        assertTrue(imp.toScenario().flannel().isEmpty() || line.startsWith("flannel-conf"));
        assertTrue(imp.notes().stream().anyMatch(n -> n.contains(note)), imp.notes().toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "flannel-backend: ipsec                                  | flannel-backend 'ipsec' is not one k3s",
        "cluster-cidr: 10.42.0.1/16                              | cluster-cidr '10.42.0.1/16' is not a CIDR",
        "'kube-controller-manager-arg: [node-cidr-mask-size=x]'   | --node-cidr-mask-size=x is not a prefix length",
        "'kube-proxy-arg: [proxy-mode=userspace]'                 | proxy-mode=userspace is not iptables",
        "'- a list'                                               | is not one YAML mapping",
    })
    void badK3sConfigNamesTheValueAndTheFix(String yaml, String expected) {
        ImportException e = assertThrows(ImportException.class, () -> ScenarioImport.named("k")
                .withK3sConfig(yaml + "\n", "config.yaml"));
        assertTrue(e.getMessage().contains(expected) && e.getMessage().startsWith("config.yaml"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"kubeadm-config.yaml, 26, iptables, 10.96.0.10", "kubeadm-init.yaml, 24, ipvs, 10.96.0.10"})
    void kubeadmConfigGivesTheControllerManagerAndServiceCidr(String file, int mask, String mode, String dns) {
        ScenarioImport imp = ScenarioImport.named("kubeadm").withKubectlNodes(fixture("nodes.json"), "nodes.json")
                .withKubeadmConfig(fixture(file), file);
        Kubernetes k = imp.toScenario().kubernetes().orElseThrow();
        assertEquals(new ControllerManager(List.of(Cidr.parse("10.244.0.0/16")), mask, 64),
                k.controllerManager().orElseThrow());
        assertEquals(List.of(Cidr.parse("10.96.0.0/12")), k.serviceCidrs());
        assertEquals(List.of(IpAddress.parse(dns)), k.clusterDns());
        assertEquals(mode.equals("ipvs"), k.kubeProxy().map(p -> p.mode() == ProxyMode.IPVS).orElse(false));
        assertEquals(file.equals("kubeadm-config.yaml"), imp.notes().stream().anyMatch(n -> n.contains("tenth"
                + " address")), imp.notes().toString());
    }

    @Test
    void kubeadmWithoutClusterConfigurationIsRefused() {
        ImportException e = assertThrows(ImportException.class, () -> ScenarioImport.named("k")
                .withKubeadmConfig("apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n", "init.yaml"));
        assertTrue(e.getMessage().contains("holds no ClusterConfiguration"), e.getMessage());
    }

    @Test
    void serviceCidrObjectsPutTheKubernetesOneFirst() {
        ScenarioImport imp = ScenarioImport.named("s").withKubectlNodes(fixture("nodes.json"), "nodes.json")
                .withServiceCidrs(fixture("servicecidrs.json"), "servicecidrs.json");
        assertEquals(List.of(Cidr.parse("10.96.0.0/12"), Cidr.parse("fd00:10:96::/112")),
                imp.toScenario().kubernetes().orElseThrow().serviceCidrs());
        assertTrue(imp.notes().stream().anyMatch(n -> n.contains("ServiceCIDR extra-v4 adds 10.97.0.0/24")),
                imp.notes().toString());
    }

    @Test
    void bareNetConfIsKubeModeAndKeptVerbatim() {
        Scenario s = ScenarioImport.named("n").withKubectlNodes(fixture("k3s-nodes.json"), "nodes.json")
                .withNetConf(fixture("net-conf.json"), "net-conf.json").toScenario();
        assertEquals(fixture("net-conf.json"), s.flannel().orElseThrow().config());
        assertEquals(SubnetManager.KUBE, s.subnetManager());
        ImportException e = assertThrows(ImportException.class, () -> ScenarioImport.named("n")
                .withNetConf("{\"Network\": \"10.42.0.0/33\"}", "net-conf.json"));
        assertTrue(e.getMessage().contains("flanneld cannot parse it: invalid CIDR address"), e.getMessage());
        // a CheckNetworkConfig-only problem is left to the analysis: kube mode does not run that check
        ScenarioImport.named("n").withNetConf("{\"Network\": \"10.42.0.0/30\"}", "net-conf.json");
    }

    @Test
    void subnetManagerCanBeForcedEitherWay() {
        ScenarioImport etcd = ScenarioImportTest.seed().withSubnetManager(SubnetManager.ETCD);
        Scenario s = etcd.toScenario();
        assertEquals(SubnetManager.ETCD, s.subnetManager());
        assertEquals(1, s.flannel().orElseThrow().leases().size(), "etcd mode keeps node-71's lease");
        assertEquals(SubnetManager.KUBE, ScenarioImport.named("x")
                .withIpRoute("node-71", fixture("node-71.route"), "node-71.route")
                .withSubnetEnv("node-71", fixture("node-71.subnet.env"), "node-71.subnet.env")
                .withSubnetManager(SubnetManager.KUBE).toScenario().subnetManager());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{\"kind\": \"IPAddressPool\", \"metadata\": {\"name\": \"p\"}, \"spec\": {\"addresses\": [\"10.0.0.300/32\"]}} | IPAddressPool default/p address '10.0.0.300/32'",
        "{\"kind\": \"L2Advertisement\", \"metadata\": {\"name\": \"p\"}}                                                   | not IPAddressPool or CiliumLoadBalancerIPPool",
    })
    void badPoolsNameTheItem(String json, String expected) {
        ImportException e = assertThrows(ImportException.class, () -> ScenarioImport.named("p")
                .withLoadBalancerPools(json, "pools.json"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void ciliumPoolsAreReadToo() {
        String json = "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [{\"apiVersion\": \"cilium.io/v2alpha1\","
                + " \"kind\": \"CiliumLoadBalancerIPPool\", \"metadata\": {\"name\": \"blue\"}, \"spec\": {\"blocks\":"
                + " [{\"cidr\": \"10.0.10.0/24\"}, {\"start\": \"20.0.20.100\", \"stop\": \"20.0.20.200\"}]}}]}";
        Scenario s = ScenarioImport.named("c").withKubectlNodes(fixture("nodes.json"), "nodes.json")
                .withLoadBalancerPools(json, "pools.json").toScenario();
        assertEquals(List.of(LoadBalancerPool.of("blue", "10.0.10.0/24", "20.0.20.100-20.0.20.200")),
                s.loadBalancerPools());
    }
}
