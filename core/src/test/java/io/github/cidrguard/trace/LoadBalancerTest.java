package io.github.cidrguard.trace;

import io.github.cidrguard.kube.ProxyMode;
import io.github.cidrguard.kube.TrafficPolicy;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LoadBalancer ingress addresses and the traffic policies, walked in each kube-proxy mode on the fixed seed cluster
 * (node-71 10.252.158.71 runs the endpoint 10.244.100.5:8080, node-72 10.252.158.72 runs busybox; a declared network
 * 192.168.0.0/16 stands for clients outside).
 *
 * <p>Behaviour mirrored (pkg/proxy/iptables, nftables and ipvs {@code proxier.go}, {@code pkg/proxy/serviceport.go}):
 * every node captures {@code <lbIP>:<port>} before routing (nat PREROUTING/OUTPUT, nft {@code services}, IPVS with
 * the address bound to kube-ipvs0 unless it is the node's own), so an LB address that is also a node's address is
 * answered by the Service's endpoint on that port from everywhere; with externalTrafficPolicy Local, external traffic
 * reaches only the node's own endpoints (iptables and nftables drop when there is none; IPVS falls back to all
 * endpoints, kubernetes#97081) while pods and the nodes themselves are short-circuited to every endpoint.
 */
class LoadBalancerTest {
    static final String LAN_LB = "10.252.158.240";

    static Spec cluster(ProxyMode mode, List<String> lbIps, TrafficPolicy external, TrafficPolicy internal) {
        Spec s = Fixtures.fixed();
        Spec.SvcSpec jenkins = s.services().get(0).withLoadBalancer(lbIps.stream().map(IpAddress::parse).toList(),
                external, internal);
        return s.withServices(List.of(jenkins)).withProxy(s.proxy().withMode(mode))
                .withNetworks(List.of(new Spec.NetSpec("dc", Cidr.parse("192.168.0.0/16"))));
    }

    static Trace trace(Spec s, String from, String to, String port) {
        return Tracer.of(s).trace(from, to, port.isEmpty() ? null : port);
    }

    static String verdict(Trace t) {
        return t.verdict() + (t.reason().isPresent() ? "/" + t.reason().get() : "");
    }

    /** An address of an L2 pool inside the node LAN: every client reaches the endpoint, and the reply returns. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            IPTABLES | host:192.168.7.7
            IPTABLES | pod:default/busybox
            IPTABLES | node:node-72
            IPTABLES | node:node-71
            NFTABLES | host:192.168.7.7
            NFTABLES | pod:default/busybox
            NFTABLES | node:node-72
            NFTABLES | node:node-71
            IPVS     | host:192.168.7.7
            IPVS     | pod:default/busybox
            IPVS     | node:node-72
            IPVS     | node:node-71
            """)
    void loadBalancerAddressReachesTheEndpoint(ProxyMode mode, String from) {
        Trace t = trace(cluster(mode, List.of(LAN_LB), TrafficPolicy.CLUSTER, TrafficPolicy.CLUSTER), from, LAN_LB,
                "80/TCP");
        assertEquals("DELIVERED", verdict(t), t.toJson());
        assertTrue(t.request().stream().anyMatch(h -> h.packet().contains("> 10.244.100.5:8080")), t.toJson());
    }

    /**
     * The reported outage: the pool handed out node-72's own address. On the Service's port the node is gone from
     * every client's view (the Service's endpoint answers); on another port iptables and nftables let it through,
     * while IPVS mode has bound the address to kube-ipvs0 on the other nodes, whose KUBE-IPVS-FILTER rejects it.
     * Worse in IPVS mode: node-72's own VXLAN packets (source 10.252.158.72) reach node-71, which holds that address
     * on kube-ipvs0, and are dropped there as martians, so whatever node-72 forwards to node-71 is lost.
     */
    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            IPTABLES | pod:default/busybox | node:node-72 | 80/TCP | HIJACKED/SERVICE_DNAT | loadbalancer IP
            IPTABLES | node:node-71        | node:node-72 | 80/TCP | HIJACKED/SERVICE_DNAT | loadbalancer IP
            IPTABLES | host:192.168.7.7    | 10.252.158.72 | 80/TCP | HIJACKED/SERVICE_DNAT | loadbalancer IP
            IPTABLES | pod:default/busybox | node:node-72 | 22/TCP | DELIVERED            |
            IPTABLES | node:node-71        | node:node-72 | 22/TCP | DELIVERED            |
            NFTABLES | pod:default/busybox | node:node-72 | 80/TCP | HIJACKED/SERVICE_DNAT | vmap @service-ips
            NFTABLES | node:node-71        | node:node-72 | 80/TCP | HIJACKED/SERVICE_DNAT | vmap @service-ips
            NFTABLES | host:192.168.7.7    | 10.252.158.72 | 80/TCP | HIJACKED/SERVICE_DNAT | vmap @service-ips
            NFTABLES | node:node-71        | node:node-72 | 22/TCP | DELIVERED            |
            IPVS     | pod:default/busybox | node:node-72 | 80/TCP | DROPPED/RP_FILTER     | -t 10.252.158.72:80
            IPVS     | node:node-71        | node:node-72 | 80/TCP | HIJACKED/SERVICE_DNAT | -t 10.252.158.72:80
            IPVS     | host:192.168.7.7    | 10.252.158.72 | 80/TCP | DROPPED/RP_FILTER     | -t 10.252.158.72:80
            IPVS     | pod:default/busybox | node:node-72 | 22/TCP | DELIVERED            |
            IPVS     | node:node-71        | node:node-72 | 22/TCP | HIJACKED/LOCAL_SHADOW | KUBE-IPVS-IPS dst -j REJECT
            """)
    void loadBalancerAddressOfANodeIsHijackedHopByHop(ProxyMode mode, String from, String to, String port,
                                                      String want, String rule) {
        Trace t = trace(cluster(mode, List.of("10.252.158.72"), TrafficPolicy.CLUSTER, TrafficPolicy.CLUSTER), from,
                to, port);
        assertEquals(want, verdict(t), t.toJson());
        if (rule != null) {
            assertTrue(t.request().stream().anyMatch(h -> h.rule().contains(rule)), rule + ": " + t.toJson());
        }
    }

    /**
     * externalTrafficPolicy Local, the endpoint on node-71. The underlay hands the LB address to node-71 (MetalLB
     * announces it from a node with a local endpoint); node-72 has none, so its NodePort drops outside traffic
     * (iptables, nftables) or sends it to the endpoint without kube-proxy's SNAT (IPVS; flannel's masquerade of
     * traffic from outside the Network into it brings the reply back). Pods and nodes are short-circuited to every
     * endpoint wherever they are, except the node itself in nftables mode: up to v1.33 its filter-output chain runs
     * service-endpoints-check before nat-output's DNAT and drops it (kubernetes#131765, fixed by #132456 in v1.34).
     */
    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            IPTABLES | host:192.168.7.7    | 10.252.158.240 | 80/TCP    | DELIVERED
            IPTABLES | host:192.168.7.7    | node:node-71   | 30080/TCP | DELIVERED
            IPTABLES | host:192.168.7.7    | node:node-72   | 30080/TCP | DROPPED/FILTERED
            IPTABLES | pod:default/busybox | 10.252.158.240 | 80/TCP    | DELIVERED
            IPTABLES | node:node-72        | 10.252.158.240 | 80/TCP    | DELIVERED
            NFTABLES | host:192.168.7.7    | 10.252.158.240 | 80/TCP    | DELIVERED
            NFTABLES | host:192.168.7.7    | node:node-72   | 30080/TCP | DROPPED/FILTERED
            NFTABLES | pod:default/busybox | 10.252.158.240 | 80/TCP    | DELIVERED
            NFTABLES | node:node-72        | 10.252.158.240 | 80/TCP    | DROPPED/FILTERED
            IPVS     | host:192.168.7.7    | 10.252.158.240 | 80/TCP    | DELIVERED
            IPVS     | host:192.168.7.7    | node:node-72   | 30080/TCP | DELIVERED
            IPVS     | pod:default/busybox | 10.252.158.240 | 80/TCP    | DELIVERED
            """)
    void externalTrafficPolicyLocal(ProxyMode mode, String from, String to, String port, String want) {
        Trace t = trace(cluster(mode, List.of(LAN_LB), TrafficPolicy.LOCAL, TrafficPolicy.CLUSTER), from, to, port);
        assertEquals(want, verdict(t), t.toJson());
        if (from.startsWith("host:") && to.equals(LAN_LB) && want.equals("DELIVERED")) {
            // the client's address is kept: nothing masquerades on the way in
            assertTrue(t.request().stream().noneMatch(h -> h.action().equals("MASQUERADE")), t.toJson());
        }
    }

    /** internalTrafficPolicy Local: ClusterIP traffic stays on the client's node. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            IPTABLES | pod:default/busybox | DROPPED/FILTERED | has no local endpoints
            IPTABLES | node:node-71        | DELIVERED        | KUBE-SVL-
            NFTABLES | pod:default/busybox | DROPPED/FILTERED | @no-endpoint-services
            NFTABLES | node:node-71        | DELIVERED        | local-
            IPVS     | pod:default/busybox | DELIVERED        | -t 10.252.77.85:80
            IPVS     | node:node-71        | DELIVERED        | -t 10.252.77.85:80
            """)
    void internalTrafficPolicyLocal(ProxyMode mode, String from, String want, String rule) {
        Trace t = trace(cluster(mode, List.of(), TrafficPolicy.CLUSTER, TrafficPolicy.LOCAL), from,
                "svc:default/jenkins:80/TCP", "");
        assertEquals(want, verdict(t), t.toJson());
        assertTrue(t.request().stream().anyMatch(h -> h.rule().contains(rule) || h.action().contains(rule)),
                rule + ": " + t.toJson());
    }
}
