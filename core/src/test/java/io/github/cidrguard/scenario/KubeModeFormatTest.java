package io.github.cidrguard.scenario;

import io.github.cidrguard.kube.ControllerManager;
import io.github.cidrguard.kube.LoadBalancerPool;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.ScenarioException;
import io.github.cidrguard.kube.ScenarioFiles;
import io.github.cidrguard.kube.Service;
import io.github.cidrguard.kube.ServicePort;
import io.github.cidrguard.kube.ServiceType;
import io.github.cidrguard.kube.SubnetManager;
import io.github.cidrguard.kube.TrafficPolicy;
import io.github.cidrguard.net.AddressRange;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scenario keys of flannel's kube subnet manager mode, load balancers and named ports. */
class KubeModeFormatTest {
    private static final String NODES = "nodes: [{name: n1, ip: 10.0.0.11}]\n";
    private static final String FLANNEL = "flannel:\n  config: '{\"Network\": \"10.244.0.0/16\"}'\n";

    /** The default rule of flannel.subnetManager: etcd unless the file says kube. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "neither key                         | ''                                                        | ETCD",
        "controllerManager, no leases        | kubernetes: {controllerManager: {clusterCidr: 10.244.0.0/16}} | KUBE",
        "empty controllerManager             | kubernetes: {controllerManager: {}}                       | KUBE",
        "explicit kube                       | ''                                                        | KUBE",
        "explicit etcd with controllerManager| kubernetes: {controllerManager: {clusterCidr: 10.244.0.0/16}} | ETCD",
    })
    void subnetManagerDefault(String name, String extra, SubnetManager expected) {
        String flannel = FLANNEL + (name.startsWith("explicit kube") ? "  subnetManager: kube\n"
                : name.startsWith("explicit etcd") ? "  subnetManager: etcd\n" : "");
        Scenario s = Scenario.parse(flannel + NODES + extra + "\n", "t.yaml");
        assertEquals(expected, s.subnetManager());
        assertEquals(expected, Scenario.parse(s.toYaml(), "t.yaml").subnetManager(), s.toYaml());
    }

    @Test
    void leasesKeepEtcdModeEvenWithAControllerManager() {
        Scenario s = Scenario.parse(FLANNEL + "  leases: [{key: 10.244.1.0-24, publicIp: 10.0.0.11}]\n" + NODES
                + "kubernetes: {controllerManager: {clusterCidr: 10.244.0.0/16}}\n", "t.yaml");
        assertEquals(SubnetManager.ETCD, s.subnetManager());
    }

    /** Files written before the key existed keep their meaning: every example outside kube/ reads as etcd mode. */
    @Test
    void oldExampleFilesStayEtcdMode() throws IOException {
        Path dir = ScenarioFiles.dir();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).toList();
        }
        int old = 0;
        for (Path p : files) {
            String text = Files.readString(p);
            if (!text.contains("subnetManager") && !text.contains("controllerManager")) {
                old++;
                assertEquals(SubnetManager.ETCD, Scenario.load(p).subnetManager(), p.toString());
            }
        }
        assertTrue(old > 20, "expected the example files from before kube mode, found " + old);
    }

    @Test
    void everyNewKeyRoundTrips() {
        Service web = new Service("default/web", List.of(IpAddress.parse("10.43.0.20")),
                List.of(new ServicePort(80, "TCP", "http", "8080", 30080),
                        new ServicePort(443, "TCP", "https", "websecure", 30443)),
                List.of(ServicePort.parse("30080/TCP"), ServicePort.parse("30443/TCP")), List.of(), List.of(),
                ServiceType.LOAD_BALANCER, List.of(IpAddress.parse("192.168.50.240")), TrafficPolicy.LOCAL,
                TrafficPolicy.LOCAL);
        Service dns = Service.of("kube-system/kube-dns", IpAddress.parse("10.43.0.10"))
                .withPorts(List.of(new ServicePort(53, "UDP", "dns", "", 0), new ServicePort(53, "TCP", "dns-tcp",
                        "", 0)));
        Scenario s = Scenario.builder("k3s")
                .flannel(io.github.cidrguard.kube.Flannel.of("{\"Network\": \"10.42.0.0/16\"}")
                        .withSubnetManager(SubnetManager.KUBE))
                .node(Node.of("k3s-1", "192.168.50.71").withPodCidr(Cidr.parse("10.42.0.0/24"))
                        .withPublicIps(List.of(IpAddress.parse("203.0.113.71"))).withBackend("host-gw"))
                .kubernetes(io.github.cidrguard.kube.Kubernetes.empty().withServiceCidr(Cidr.parse("10.43.0.0/16"))
                        .withControllerManager(new ControllerManager(List.of(Cidr.parse("10.42.0.0/16")), 25, 80))
                        .withServices(List.of(web, dns)))
                .loadBalancerPool(new LoadBalancerPool("metallb-system/lan",
                        List.of(AddressRange.parse("192.168.50.240-192.168.50.250"),
                                AddressRange.parse("192.168.60.0/28"))))
                .build();
        String yaml = s.toYaml();
        assertEquals(s, Scenario.parse(yaml, "k3s.yaml"), yaml);
        assertTrue(yaml.contains("subnetManager: kube") && yaml.contains("name: https")
                && yaml.contains("192.168.60.0/28") && yaml.contains("externalTrafficPolicy: Local"), yaml);
    }

    @Test
    void longFormPortsGiveTheNodePortsAndTheType() {
        Scenario s = Scenario.parse(NODES + "kubernetes:\n  services:\n    - name: default/web\n      clusterIp:"
                + " 10.96.0.20\n      ports: [{name: http, port: 80, nodePort: 30080}, 443/TCP]\n", "t.yaml");
        Service svc = s.kubernetes().orElseThrow().services().get(0);
        assertEquals(List.of(new ServicePort(80, "TCP", "http", "", 30080), ServicePort.parse("443/TCP")),
                svc.ports());
        assertEquals(List.of(ServicePort.parse("30080/TCP")), svc.nodePorts());
        assertEquals(ServiceType.NODE_PORT, svc.type());
        Node n = s.nodes().get(0);
        assertEquals(IpAddress.parse("10.0.0.11"), n.flannelPublicIp(IpFamily.IPV4).orElseThrow());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "flannel: {config: '{}', subnetManager: Kube}                        | flannel.subnetManager 'Kube' is spelled 'kube'",
        "flannel: {config: '{}', subnetManager: k8s}                         | must be one of etcd, kube",
        "flannel: {config: '{}', subnetManager: kube, leases: [{key: 10.1.1.0-24, publicIp: 10.0.0.11}]} | in kube mode a node's lease is its podCidr",
        "kubernetes: {controllerManager: {nodeCidrMaskSize: 33}}             | nodeCidrMaskSize 33 is not an IPv4 prefix length",
        "kubernetes: {controllerManager: {nodeCidrMaskSize: x}}              | must be a whole number, not 'x'",
        "kubernetes: {controllerManager: {clusterCIDR: 10.42.0.0/16}}        | did you mean 'clusterCidr'?",
        "kubernetes: {services: [{name: a/b, ports: [{name: http}]}]}         | has no 'port'",
        "kubernetes: {services: [{name: a/b, type: loadbalancer}]}          | 'loadbalancer' is spelled 'LoadBalancer'",
        "kubernetes: {services: [{name: a/b, externalTrafficPolicy: local}]} | 'local' is spelled 'Local'",
        "loadBalancerPools: [{name: p, addresses: [10.0.0.9-10.0.0.1]}]     | loadBalancerPools[0].addresses[0]",
        "loadBalancerPools: [{name: p, addresses: []}]                       | has no addresses",
    })
    void badKubeModeInputNamesKeyAndFix(String extra, String expected) {
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> Scenario.parse(NODES + extra + "\n", "bad.yaml"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith("bad.yaml line "), e.getMessage());
    }
}
