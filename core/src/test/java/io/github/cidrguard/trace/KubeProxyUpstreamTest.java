package io.github.cidrguard.trace;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our kube-proxy rendering checked against kube-proxy's own expectations (kube-proxy ≈ v1.33).
 *
 * <p>Vectors, copied as data from:
 * <ul>
 * <li>kubernetes/kubernetes {@code pkg/proxy/iptables/proxier_test.go}, {@code TestOverallIPTablesRules} (the
 *   v1.30+ form with nfacct counters; read from the code index, which does not expose the commit): KUBE-SVC / KUBE-EXT
 *   / KUBE-SEP names and the iptables-restore lines kube-proxy writes for ns1/svc1, ns3/svc3, ns4/svc4, ns6/svc6.</li>
 * <li>kubernetes/kubernetes {@code pkg/proxy/nftables/proxier_test.go} @ 030880a5dc5449403c6d1f0aa146a7dc21d6c6dc,
 *   {@code TestOverallNFTablesRules}: {@code service-}/{@code endpoint-} chain names (hashAndTruncate).</li>
 * <li>Public dumps from live clusters, for names of unnamed and well-known ports: {@code iptables-save} of
 *   default/test-svc (ishswar/katacoda-scenarios {@code cka-cluster-with-kind/step3.md}), the default/kubernetes and
 *   kube-dns chains (kubernetes/kubernetes#61005, matrixzj/documentations
 *   {@code pages/container/kube-proxy_iptables.md}).</li>
 * </ul>
 * Behaviour mirrored, from the same sources' code: {@code ServicePortName.String()} is {@code ns/name} plus
 * {@code :port} for a named port ({@code pkg/proxy/types.go}); iptables chains are base32(sha256(that + protocol
 * [+ endpoint "ip:port"])) cut to 16 ({@code portProtoHash}, {@code servicePortEndpointChainName}); nft chains are
 * {@code hashAndTruncate("ns/name/protocol/port" [+ "__ip/port"])}, 8 hash characters.
 */
class KubeProxyUpstreamTest {

    // ------------------------------------------------------------------ fixtures

    static final String NODE = "test-node";

    /** One node (192.168.0.2, as upstream's testNodeIP) and the given services; cluster CIDR 10.0.0.0/8. */
    static Spec cluster(Spec.ProxyMode mode, List<Spec.SvcSpec> services) {
        return new Spec("upstream", null,
                List.of(Spec.NodeSpec.of(NODE, "192.168.0.2", "192.168.0.0/24", "10.0.1.0/24")),
                List.of(Cidr.parse("172.30.0.0/16")), Spec.Proxy.of(mode, "10.0.0.0/8"), services, List.of(),
                List.of(), false);
    }

    /** A Service from kube-proxy's "ns/name[:port]" ServicePortName string. */
    static Spec.SvcSpec svc(String servicePortName, String proto, String vip, int port, int nodePort,
                            List<String> endpoints, List<String> externalIps) {
        int colon = servicePortName.indexOf(':');
        String name = colon < 0 ? servicePortName : servicePortName.substring(0, colon);
        String portName = colon < 0 ? "" : servicePortName.substring(colon + 1);
        List<Spec.EpSpec> eps = new ArrayList<>();
        for (String e : endpoints) {
            int c = e.lastIndexOf(':');
            eps.add(new Spec.EpSpec(IpAddress.parse(e.substring(0, c)), Integer.parseInt(e.substring(c + 1))));
        }
        return new Spec.SvcSpec(name, IpAddress.parse(vip),
                List.of(new Spec.PortSpec(port, Proto.parse(proto), nodePort, portName)), eps,
                externalIps.stream().map(IpAddress::parse).toList());
    }

    static String rules(Spec s) {
        return Tracer.of(s).rules(NODE);
    }

    // ------------------------------------------------------------------ chain names

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            ns1/svc1:p80                 | tcp |                | KUBE-SVC-XPGD46QRK7WJZT7O
            ns2/svc2:p80                 | tcp |                | KUBE-SVC-GNZBNJ2PO5MGZ6GT
            ns3/svc3:p80                 | tcp |                | KUBE-SVC-X27LE4BHSL4DOUIK
            ns4/svc4:p80                 | tcp |                | KUBE-SVC-4SW47YFZTEDKD3PK
            ns5/svc5:p80                 | tcp |                | KUBE-SVC-NUKIZ6OKUXPJNT4C
            ns1/svc1:p80                 | tcp | 10.180.0.1:80  | KUBE-SEP-SXIVWICOYRO3J4NJ
            ns2/svc2:p80                 | tcp | 10.180.0.2:80  | KUBE-SEP-RS4RBKLTHTF2IUXJ
            ns3/svc3:p80                 | tcp | 10.180.0.3:80  | KUBE-SEP-OYPFS5VJICHGATKP
            ns4/svc4:p80                 | tcp | 10.180.0.4:80  | KUBE-SEP-UKSFD7AGPMPPLUHC
            ns4/svc4:p80                 | tcp | 10.180.0.5:80  | KUBE-SEP-C6EBXVWJJZMIWKLZ
            ns5/svc5:p80                 | tcp | 10.180.0.3:80  | KUBE-SEP-I77PXRDZVX7PMWMN
            default/test-svc             | tcp |                | KUBE-SVC-QKNQQNIN727HO3XU
            default/test-svc             | tcp | 10.244.1.3:80  | KUBE-SEP-SQEBHSRBMT4ZUBXZ
            default/test-svc             | tcp | 10.244.2.3:80  | KUBE-SEP-SUSDB4Q4CAFDFR7F
            default/nginx                | tcp |                | KUBE-SVC-2CMXP7HKUVJN7L6M
            default/kubernetes:https     | tcp |                | KUBE-SVC-NPX46M4PTMTKRN6Y
            kube-system/kube-dns:dns     | udp |                | KUBE-SVC-TCOU7JCQXEZGVUNU
            kube-system/kube-dns:dns-tcp | tcp |                | KUBE-SVC-ERIFXISQEP7F7OF4
            kube-system/kube-dns:metrics | tcp |                | KUBE-SVC-JD5MR3NA4I4DYORP
            """)
    void iptablesChainNames(String servicePortName, String proto, String endpoint, String chain) {
        String ep = endpoint == null ? "10.244.9.9:8080" : endpoint;
        String r = rules(cluster(Spec.ProxyMode.IPTABLES,
                List.of(svc(servicePortName, proto, "172.30.0.41", 80, 0, List.of(ep), List.of()))));
        assertTrue(r.contains("\n:" + chain + " - [0:0]\n"), r);
        assertTrue(r.contains(" -j " + chain + "\n"), r);
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            ns1/svc1:p80 | tcp |               | service-ULMVA6XW-ns1/svc1/tcp/p80
            ns2/svc2:p80 | tcp |               | service-42NFTM6N-ns2/svc2/tcp/p80
            ns3/svc3:p80 | tcp |               | service-4AT6LBPK-ns3/svc3/tcp/p80
            ns4/svc4:p80 | tcp |               | service-LAUZTJTB-ns4/svc4/tcp/p80
            ns5/svc5:p80 | tcp |               | service-HVFWP5L3-ns5/svc5/tcp/p80
            ns1/svc1:p80 | tcp | 10.180.0.1:80 | endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80
            ns2/svc2:p80 | tcp | 10.180.0.2:80 | endpoint-SGOXE6O3-ns2/svc2/tcp/p80__10.180.0.2/80
            ns3/svc3:p80 | tcp | 10.180.0.3:80 | endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80
            ns4/svc4:p80 | tcp | 10.180.0.4:80 | endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80
            ns4/svc4:p80 | tcp | 10.180.0.5:80 | endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80
            ns5/svc5:p80 | tcp | 10.180.0.3:80 | endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80
            """)
    void nftChainNames(String servicePortName, String proto, String endpoint, String chain) {
        String ep = endpoint == null ? "10.244.9.9:8080" : endpoint;
        String r = rules(cluster(Spec.ProxyMode.NFTABLES,
                List.of(svc(servicePortName, proto, "172.30.0.41", 80, 0, List.of(ep), List.of()))));
        assertTrue(r.contains("\tchain " + chain + " {\n"), r);
        assertTrue(r.contains("goto " + chain), r);
    }

    // ------------------------------------------------------------------ endpoint order

    /**
     * kube-proxy keeps a port's endpoints sorted by their "ip:port" string (EndpointSliceCache, byEndpoint), so the
     * statistic rules and the numgen indexes follow that order, not the EndpointSlice's. Expected lines: ns4/svc4 of
     * TestOverallIPTablesRules (as iptables-save prints them) and of TestOverallNFTablesRules.
     */
    @Test
    void endpointsInKubeProxyOrder() {
        Spec.SvcSpec s = svc("ns4/svc4:p80", "tcp", "172.30.0.44", 80, 0, List.of("10.180.0.5:80", "10.180.0.4:80"),
                List.of());
        String ipt = rules(cluster(Spec.ProxyMode.IPTABLES, List.of(s)));
        assertTrue(ipt.contains("""
                -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic \
                --mode random --probability 0.50000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC
                -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" \
                -j KUBE-SEP-C6EBXVWJJZMIWKLZ
                """), ipt);
        String nft = rules(cluster(Spec.ProxyMode.NFTABLES, List.of(s)));
        assertTrue(nft.contains("numgen random mod 2 vmap { 0 : goto endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80, "
                + "1 : goto endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80 }"), nft);
        // a string order, not a numeric one: "10.180.0.10:80" < "10.180.0.9:80"
        Spec.SvcSpec t = svc("ns1/svc1:p80", "tcp", "172.30.0.41", 80, 0,
                List.of("10.180.0.9:80", "10.180.0.10:80", "10.180.0.9:80"), List.of());
        String two = rules(cluster(Spec.ProxyMode.IPTABLES, List.of(t)));
        assertTrue(two.contains("\"ns1/svc1:p80 -> 10.180.0.10:80\" -m statistic --mode random --probability "
                + "0.50000000000 -j KUBE-SEP-"), two);
        assertTrue(two.contains("\"ns1/svc1:p80 -> 10.180.0.9:80\" -j KUBE-SEP-"), two);
        assertEquals(2, two.split("ns1/svc1:p80 -> ", -1).length - 1, "the duplicate endpoint is dropped: " + two);
    }
}
