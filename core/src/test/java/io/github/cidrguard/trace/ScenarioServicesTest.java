package io.github.cidrguard.trace;

import io.github.cidrguard.kube.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scenario's service and node keys as the tracer reads them (ScenarioSpecs): port names in kube-proxy's chain
 * names, load-balancer addresses and traffic policies, and flannel's node {@code publicIp} as the next hop.
 *
 * <p>Behaviour mirrored: kube-proxy keys chains by {@code ServicePortName.String()} = {@code ns/name:portName}
 * (pkg/proxy/types.go) hashed with the protocol, so two TCP ports of one Service get two chains only through their
 * names; flannel's vxlan backend writes the remote lease's FDB entry {@code dst <lease PublicIP>} and host-gw the
 * route {@code <lease> via <lease PublicIP>} (pkg/backend/vxlan, hostgw: both take the lease's {@code PublicIP},
 * which is the node's public-ip annotation where set).
 */
class ScenarioServicesTest {
    static Tracer tracer(String backend, String mode, String node72PublicIp) {
        String yaml = """
                cidrguard: 1
                name: services
                flannel:
                  config: |
                    {"Network": "10.244.0.0/16", "Backend": {"Type": "%s"}}
                nodes:
                  - {name: node-71, ip: 10.252.158.71, hostNetwork: 10.252.158.0/24, podCidr: 10.244.1.0/24}
                  - {name: node-72, ip: 10.252.158.72, hostNetwork: 10.252.158.0/24, podCidr: 10.244.2.0/24%s}
                kubernetes:
                  serviceCidr: 10.96.0.0/12
                  kubeProxy: {mode: %s, clusterCidr: 10.244.0.0/16}
                  services:
                    - name: default/web
                      clusterIp: 10.96.0.80
                      ports:
                        - {name: http, port: 80, protocol: TCP, targetPort: "8080"}
                        - {name: https, port: 443, protocol: TCP, targetPort: "8443"}
                      loadBalancerIps: [10.252.158.240]
                      externalTrafficPolicy: Local
                      endpoints: ["10.244.1.5:8080"]
                    - {name: default/jenkins, clusterIp: 10.96.0.85, ports: [80/TCP], endpoints: ["10.244.1.6:8080"]}
                pods:
                  - {name: default/busybox, ip: 10.244.2.7, node: node-72}
                  - {name: default/web, ip: 10.244.1.5, node: node-71}
                """.formatted(backend, node72PublicIp == null ? "" : ", publicIp: " + node72PublicIp, mode);
        return Tracer.of(Scenario.parse(yaml, "services.yaml"));
    }

    /** Two TCP ports of one Service: one chain each, named from "default/web:http" and "default/web:https". */
    @Test
    void namedPortsGetTheirOwnChains() {
        String r = tracer("vxlan", "iptables", null).rules("node-71");
        String http = "KUBE-SVC-" + KubeProxyNames.hash("default/web:http" + "tcp", 16);
        String https = "KUBE-SVC-" + KubeProxyNames.hash("default/web:https" + "tcp", 16);
        assertNotEquals(http, https);
        assertTrue(r.contains("-d 10.96.0.80/32 -p tcp -m comment --comment \"default/web:http cluster IP\" -m tcp "
                + "--dport 80 -j " + http + "\n"), r);
        assertTrue(r.contains("-d 10.96.0.80/32 -p tcp -m comment --comment \"default/web:https cluster IP\" -m tcp "
                + "--dport 443 -j " + https + "\n"), r);
        assertTrue(r.contains("-d 10.252.158.240/32 -p tcp -m comment --comment \"default/web:https loadbalancer IP\""),
                r);
        // an unnamed single port keeps the bare "ns/name", as before port names existed
        assertTrue(r.contains("--comment \"default/jenkins cluster IP\" -m tcp --dport 80 -j KUBE-SVC-"
                + KubeProxyNames.hash("default/jenkinstcp", 16)), r);
        String nft = tracer("vxlan", "nftables", null).rules("node-71");
        assertTrue(nft.contains("goto service-" + KubeProxyNames.hashTrunc("default/web/tcp/http")), nft);
        assertTrue(nft.contains("goto local-" + KubeProxyNames.hashTrunc("default/web/tcp/https")), nft);
        assertTrue(nft.contains("10.252.158.240 . tcp . 443 : goto external-"
                + KubeProxyNames.hashTrunc("default/web/tcp/https")), nft);
    }

    /** externalTrafficPolicy Local from the scenario: node-72 runs no endpoint, so it drops outside traffic. */
    @Test
    void trafficPolicyFromTheScenario() {
        String r = tracer("vxlan", "iptables", null).rules("node-72");
        assertTrue(r.contains("-A KUBE-EXTERNAL-SERVICES -d 10.252.158.240/32 -p tcp -m comment --comment "
                + "\"default/web:http has no local endpoints\" -m tcp --dport 80 -j DROP"), r);
        String r71 = tracer("vxlan", "iptables", null).rules("node-71");
        assertFalse(r71.contains("has no local endpoints"), r71);
        assertTrue(r71.contains("-A KUBE-SVL-"), r71);
        Trace t = tracer("vxlan", "iptables", null).trace("pod:default/busybox", "10.252.158.240", "443/TCP");
        assertEquals(Verdict.DELIVERED, t.verdict(), t.toJson());
    }

    /**
     * node-72's flannel PublicIP 10.252.158.172 (a second address on its LAN): the other node's VTEP entry and
     * host-gw route lead there, and the underlay delivers it to node-72.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            vxlan   | 0e:42:0a:fc:9e:ac dev flannel.1 dst 10.252.158.172 self permanent
            host-gw | 10.244.2.0/24 via 10.252.158.172 dev eth0
            """)
    void publicIpIsTheNextHop(String backend, String hop) {
        Trace t = tracer(backend, "iptables", "10.252.158.172").trace("pod:default/web", "pod:default/busybox",
                null);
        assertEquals(Verdict.DELIVERED, t.verdict(), t.toJson());
        assertTrue(t.request().stream().anyMatch(h -> h.rule().equals(hop)), hop + ": " + t.toJson());
        Trace without = tracer(backend, "iptables", null).trace("pod:default/web", "pod:default/busybox", null);
        assertTrue(without.request().stream().noneMatch(h -> h.rule().contains("10.252.158.172")), without.toJson());
    }
}
