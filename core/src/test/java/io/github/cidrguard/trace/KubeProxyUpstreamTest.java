package io.github.cidrguard.trace;

import io.github.cidrguard.kube.ProxyMode;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our kube-proxy rendering checked against kube-proxy's own expectations (kube-proxy ≈ v1.33), rule by rule for what
 * the model renders.
 *
 * <p>Vectors, copied as data (expected output only) from:
 * <ul>
 * <li>kubernetes/kubernetes {@code pkg/proxy/iptables/proxier_test.go}, {@code TestOverallIPTablesRules} (the
 *   v1.30+ form with nfacct counters; read through the code index, which does not expose the commit): chain names and
 *   the iptables-restore lines of ns1/svc1, ns3/svc3, ns4/svc4, ns6/svc6; the jump rules come from
 *   {@code iptablesJumpChains} in {@code proxier.go}.</li>
 * <li>kubernetes/kubernetes {@code pkg/proxy/nftables/proxier_test.go} @ 030880a5dc5449403c6d1f0aa146a7dc21d6c6dc,
 *   {@code TestOverallNFTablesRules}: {@code service-}/{@code endpoint-} chain names and element forms; and the
 *   kube-proxy unit-test dump replayed by kubernetes-sigs/knftables {@code fake_test.go} @
 *   0087e9ef619d6c93eccd07dd11af97aa2cc09296 for the ≤ v1.33 per-service rules.</li>
 * <li>kubernetes/kubernetes {@code pkg/proxy/ipvs/proxier_test.go} {@code TestNodePort}, and {@code writeIptablesRules}
 *   / {@code iptablesJumpChain} of {@code pkg/proxy/ipvs/proxier.go}.</li>
 * <li>Public dumps from live clusters: {@code iptables-save} of default/test-svc (ishswar/katacoda-scenarios
 *   {@code cka-cluster-with-kind/step3.md}), default/kubernetes and kube-dns chains (kubernetes/kubernetes#61005,
 *   matrixzj/documentations {@code pages/container/kube-proxy_iptables.md}), and {@code nft list table ip kube-proxy}
 *   of a k3s node (see {@link #NFT_K3S}).</li>
 * </ul>
 * Printing rules from the tools' sources: iptables' {@code xtables_save_string} and libxt_statistic /
 * libxt_MARK save functions, nftables' {@code src/rule.c} ({@code prio2str}, {@code table_print}).
 *
 * <p>Behaviour mirrored: {@code ServicePortName.String()} is {@code ns/name} plus {@code :port} for a named port
 * ({@code pkg/proxy/types.go}); iptables chains are base32(sha256(that + protocol [+ endpoint "ip:port"])) cut to 16
 * ({@code portProtoHash}, {@code servicePortEndpointChainName}); nft chains are
 * {@code hashAndTruncate("ns/name/protocol/port" [+ "__ip/port"])}, 8 hash characters, cut at 240; a port's
 * endpoints are sorted by their "ip:port" string ({@code pkg/proxy/endpointslicecache.go}).
 *
 * <p>LoadBalancer IPs with externalTrafficPolicy Local are compared on ns2/svc2 (iptables and nftables).
 * Not compared, because the model does not render them: source ranges and their firewall chains, session affinity,
 * health-check node ports,
 * localhost NodePorts and KUBE-FIREWALL, nfacct counters, the order of objects in an nft listing and of set elements.
 */
class KubeProxyUpstreamTest {

    // ------------------------------------------------------------------ fixtures

    static final String NODE = "test-node";

    /** One node (192.168.0.2, as upstream's testNodeIP) and the given services; cluster CIDR 10.0.0.0/8. */
    static Spec cluster(ProxyMode mode, List<Spec.SvcSpec> services) {
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
                List.of(new Spec.PortSpec(port, Protocol.parse(proto), nodePort, portName)), eps,
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
        String r = rules(cluster(ProxyMode.IPTABLES,
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
        String r = rules(cluster(ProxyMode.NFTABLES,
                List.of(svc(servicePortName, proto, "172.30.0.41", 80, 0, List.of(ep), List.of()))));
        assertTrue(r.contains("\tchain " + chain + " {\n"), r);
        assertTrue(r.contains("goto " + chain), r);
    }

    /**
     * hashAndTruncate cuts "HASH-name" to chainNameBaseLengthMax = knftables.NameLengthMax (256) less the 16 kept for
     * a chain prefix, ending it with "..." (pkg/proxy/nftables/proxier.go). Valid IPv4 names never get that long.
     */
    @Test
    void nftNamesAreCutAt240() {
        String name = "n".repeat(63) + "/" + "s".repeat(63) + "/tcp/" + "p".repeat(63) + "__" + "x".repeat(60);
        String cut = KubeProxyNames.hashTrunc(name);
        assertEquals(240, cut.length());
        assertEquals(KubeProxyNames.hash(name, 8) + "-" + name.substring(0, 237 - 9) + "...", cut);
        String fits = "ns1/svc1/tcp/p80__10.180.0.1/80";
        assertEquals("5OJB2KTY-" + fits, KubeProxyNames.hashTrunc(fits));
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
        String ipt = rules(cluster(ProxyMode.IPTABLES, List.of(s)));
        assertTrue(ipt.contains("""
                -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic \
                --mode random --probability 0.50000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC
                -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" \
                -j KUBE-SEP-C6EBXVWJJZMIWKLZ
                """), ipt);
        String nft = rules(cluster(ProxyMode.NFTABLES, List.of(s)));
        assertTrue(nft.contains("numgen random mod 2 vmap { 0 : goto endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80, "
                + "1 : goto endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80 }"), nft);
        // a string order, not a numeric one: "10.180.0.10:80" < "10.180.0.9:80"
        Spec.SvcSpec t = svc("ns1/svc1:p80", "tcp", "172.30.0.41", 80, 0,
                List.of("10.180.0.9:80", "10.180.0.10:80", "10.180.0.9:80"), List.of());
        String two = rules(cluster(ProxyMode.IPTABLES, List.of(t)));
        assertTrue(two.contains("\"ns1/svc1:p80 -> 10.180.0.10:80\" -m statistic --mode random --probability "
                + "0.50000000000 -j KUBE-SEP-"), two);
        assertTrue(two.contains("\"ns1/svc1:p80 -> 10.180.0.9:80\" -j KUBE-SEP-"), two);
        assertEquals(2, two.split("ns1/svc1:p80 -> ", -1).length - 1, "the duplicate endpoint is dropped: " + two);
    }

    // ------------------------------------------------------------------ iptables mode, rule by rule

    /**
     * TestOverallIPTablesRules, the lines of the four services we model (ns1/svc1 ClusterIP, ns3/svc3 NodePort,
     * ns4/svc4 ExternalIP with two endpoints, ns6/svc6 without endpoints), verbatim as kube-proxy feeds them to
     * iptables-restore. Left out: ns2/svc2 and ns5/svc5 (LoadBalancer IPs, externalTrafficPolicy Local, source ranges,
     * session affinity, health-check node port: not modelled), the KUBE-FIREWALL chain and the {@code -d 127.0.0.0/8
     * ... -m nfacct} NodePort rules (localhost NodePorts: not modelled). Rules of one chain keep upstream's order;
     * KUBE-SERVICES lists services in the order the test sorts them, which is our Spec's order here.
     */
    static final String IPTABLES_RESTORE = """
            *filter
            :KUBE-NODEPORTS - [0:0]
            :KUBE-SERVICES - [0:0]
            :KUBE-EXTERNAL-SERVICES - [0:0]
            :KUBE-FORWARD - [0:0]
            :KUBE-PROXY-FIREWALL - [0:0]
            -A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT
            -A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP
            -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
            -A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            COMMIT
            *nat
            :KUBE-NODEPORTS - [0:0]
            :KUBE-SERVICES - [0:0]
            :KUBE-EXT-4SW47YFZTEDKD3PK - [0:0]
            :KUBE-EXT-X27LE4BHSL4DOUIK - [0:0]
            :KUBE-MARK-MASQ - [0:0]
            :KUBE-POSTROUTING - [0:0]
            :KUBE-SEP-C6EBXVWJJZMIWKLZ - [0:0]
            :KUBE-SEP-OYPFS5VJICHGATKP - [0:0]
            :KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
            :KUBE-SEP-UKSFD7AGPMPPLUHC - [0:0]
            :KUBE-SVC-4SW47YFZTEDKD3PK - [0:0]
            :KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]
            :KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
            -A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp --dport 3003 -j KUBE-EXT-X27LE4BHSL4DOUIK
            -A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
            -A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK
            -A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK
            -A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 external IP" -m tcp -p tcp -d 192.168.99.33 --dport 80 -j KUBE-EXT-4SW47YFZTEDKD3PK
            -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
            -A KUBE-EXT-4SW47YFZTEDKD3PK -m comment --comment "masquerade traffic for ns4/svc4:p80 external destinations" -j KUBE-MARK-MASQ
            -A KUBE-EXT-4SW47YFZTEDKD3PK -j KUBE-SVC-4SW47YFZTEDKD3PK
            -A KUBE-EXT-X27LE4BHSL4DOUIK -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" -j KUBE-MARK-MASQ
            -A KUBE-EXT-X27LE4BHSL4DOUIK -j KUBE-SVC-X27LE4BHSL4DOUIK
            -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
            -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
            -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
            -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
            -A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -s 10.180.0.5 -j KUBE-MARK-MASQ
            -A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.5:80
            -A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
            -A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
            -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
            -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
            -A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -s 10.180.0.4 -j KUBE-MARK-MASQ
            -A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.4:80
            -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
            -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC
            -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j KUBE-SEP-C6EBXVWJJZMIWKLZ
            -A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
            -A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.180.0.3:80" -j KUBE-SEP-OYPFS5VJICHGATKP
            -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
            -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ
            COMMIT
            """;

    /**
     * iptablesJumpChains of pkg/proxy/iptables/proxier.go: table, source chain, and the rule kube-proxy ensures with
     * EnsureRule(Prepend), in list order (so in each chain the last one listed ends up first). The kubelet
     * KUBE-FIREWALL jumps (iptablesKubeletJumpChains) are left out with that chain.
     */
    static final String IPTABLES_JUMPS = """
            filter | INPUT       | -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
            filter | FORWARD     | -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
            filter | INPUT       | -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS
            filter | FORWARD     | -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
            filter | OUTPUT      | -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
            filter | FORWARD     | -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
            filter | INPUT       | -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
            filter | OUTPUT      | -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
            filter | FORWARD     | -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
            nat    | OUTPUT      | -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
            nat    | PREROUTING  | -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
            nat    | POSTROUTING | -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
            """;

    static List<Spec.SvcSpec> overallServices() {
        return List.of(
                svc("ns1/svc1:p80", "tcp", "172.30.0.41", 80, 0, List.of("10.180.0.1:80"), List.of()),
                svc("ns3/svc3:p80", "tcp", "172.30.0.43", 80, 3003, List.of("10.180.0.3:80"), List.of()),
                svc("ns4/svc4:p80", "tcp", "172.30.0.44", 80, 0, List.of("10.180.0.4:80", "10.180.0.5:80"),
                        List.of("192.168.99.33")),
                svc("ns6/svc6:p80", "tcp", "172.30.0.46", 80, 0, List.of(), List.of()));
    }

    @Test
    void iptablesRulesMatchTestOverallIPTablesRules() {
        Map<String, Map<String, List<String>>> ours = Ipt.tables(rules(cluster(ProxyMode.IPTABLES,
                overallServices())));
        Map<String, Map<String, List<String>>> want = new LinkedHashMap<>();
        Ipt.tables(IPTABLES_RESTORE).forEach((table, chains) -> {
            Map<String, List<String>> m = new LinkedHashMap<>();
            chains.forEach((chain, lines) -> m.put(chain, lines.stream().map(Ipt::saved).toList()));
            want.put(table, m);
        });
        for (String table : want.keySet()) {
            Map<String, List<String>> o = ours.getOrDefault(table, Map.of());
            for (var c : want.get(table).entrySet()) {
                assertTrue(o.containsKey(c.getKey()), table + " has no chain " + c.getKey() + ": " + o.keySet());
                assertEquals(String.join("\n", c.getValue()), String.join("\n", o.get(c.getKey())),
                        table + "/" + c.getKey());
            }
            // no service chain upstream does not have
            for (String chain : o.keySet()) {
                if (chain.matches("KUBE-(SVC|SVL|EXT|FW|SEP)-.*")) {
                    assertTrue(want.get(table).containsKey(chain), table + " has an extra chain " + chain);
                }
            }
        }
        // the built-in chains hold kube-proxy's jumps, each prepended in upstream's list order
        Map<String, List<String>> jumps = new LinkedHashMap<>();
        for (String row : IPTABLES_JUMPS.strip().split("\n")) {
            String[] f = row.split("\\|");
            String key = f[0].strip() + "/" + f[1].strip();
            jumps.computeIfAbsent(key, k -> new ArrayList<>()).add(0,
                    Ipt.saved("-A " + f[1].strip() + " " + f[2].strip()));
        }
        jumps.forEach((key, lines) -> {
            String[] tc = key.split("/");
            assertEquals(String.join("\n", lines), String.join("\n", ours.get(tc[0]).get(tc[1])), key);
        });
    }

    /**
     * ns2/svc2 of TestOverallIPTablesRules: a LoadBalancer (ingress 1.2.3.4) with an externalIP, NodePort 3001 and
     * externalTrafficPolicy Local, whose only endpoint runs on another node. The lines are upstream's, as the same
     * fixture's iptables-restore input in {@code pkg/proxy/iptables/cleanup_test.go} {@code TestCleanupLeftovers}
     * prints them (read through the code index, which does not expose the commit); left out is its health-check
     * node port rule (filter KUBE-NODEPORTS, not modelled).
     */
    static final String IPTABLES_LB_LOCAL = """
            *filter
            :KUBE-EXTERNAL-SERVICES - [0:0]
            -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j DROP
            -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP
            -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP
            COMMIT
            *nat
            :KUBE-NODEPORTS - [0:0]
            :KUBE-SERVICES - [0:0]
            :KUBE-EXT-GNZBNJ2PO5MGZ6GT - [0:0]
            :KUBE-SEP-RS4RBKLTHTF2IUXJ - [0:0]
            :KUBE-SVC-GNZBNJ2PO5MGZ6GT - [0:0]
            -A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp --dport 3001 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
            -A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
            -A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 external IP" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
            -A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
            -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
            -A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -s 10.0.0.0/8 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
            -A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
            -A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
            -A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ
            -A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
            -A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
            -A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 -> 10.180.0.2:80" -j KUBE-SEP-RS4RBKLTHTF2IUXJ
            COMMIT
            """;

    /**
     * ns2/svc2's nftables rules and elements as kube-proxy writes them: {@code pkg/proxy/nftables/helpers_test.go}
     * {@code testInput} (kube-proxy's own fixture, read through the code index). Its Local policy has no local
     * endpoint on the test node, so the external chain short-circuits pods and the node and ends without a goto, and
     * the external addresses and the node port are in the no-endpoint maps with {@code drop}.
     */
    static final String NFT_LB_LOCAL = """
            add rule ip kube-proxy service-42NFTM6N-ns2/svc2/tcp/p80 ip daddr 172.30.0.42 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
            add rule ip kube-proxy service-42NFTM6N-ns2/svc2/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-SGOXE6O3-ns2/svc2/tcp/p80__10.180.0.2/80 }
            add rule ip kube-proxy external-42NFTM6N-ns2/svc2/tcp/p80 ip saddr 10.0.0.0/8 goto service-42NFTM6N-ns2/svc2/tcp/p80 comment "short-circuit pod traffic"
            add rule ip kube-proxy external-42NFTM6N-ns2/svc2/tcp/p80 fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"
            add rule ip kube-proxy external-42NFTM6N-ns2/svc2/tcp/p80 fib saddr type local goto service-42NFTM6N-ns2/svc2/tcp/p80 comment "short-circuit local traffic"
            add rule ip kube-proxy endpoint-SGOXE6O3-ns2/svc2/tcp/p80__10.180.0.2/80 ip saddr 10.180.0.2 jump mark-for-masquerade
            add rule ip kube-proxy endpoint-SGOXE6O3-ns2/svc2/tcp/p80__10.180.0.2/80 meta l4proto tcp dnat to 10.180.0.2:80
            add element ip kube-proxy service-ips { 172.30.0.42 . tcp . 80 : goto service-42NFTM6N-ns2/svc2/tcp/p80 }
            add element ip kube-proxy service-ips { 192.168.99.22 . tcp . 80 : goto external-42NFTM6N-ns2/svc2/tcp/p80 }
            add element ip kube-proxy service-ips { 1.2.3.4 . tcp . 80 : goto external-42NFTM6N-ns2/svc2/tcp/p80 }
            add element ip kube-proxy service-nodeports { tcp . 3001 : goto external-42NFTM6N-ns2/svc2/tcp/p80 }
            add element ip kube-proxy no-endpoint-nodeports { tcp . 3001 comment "ns2/svc2:p80" : drop }
            add element ip kube-proxy no-endpoint-services { 1.2.3.4 . tcp . 80 comment "ns2/svc2:p80" : drop }
            add element ip kube-proxy no-endpoint-services { 192.168.99.22 . tcp . 80 comment "ns2/svc2:p80" : drop }
            """;

    static Spec.SvcSpec svc2() {
        return svc("ns2/svc2:p80", "tcp", "172.30.0.42", 80, 3001, List.of("10.180.0.2:80"),
                List.of("192.168.99.22")).withLoadBalancer(List.of(IpAddress.parse("1.2.3.4")),
                io.github.cidrguard.kube.TrafficPolicy.LOCAL, io.github.cidrguard.kube.TrafficPolicy.CLUSTER);
    }

    @Test
    void loadBalancerWithLocalPolicyMatchesUpstreamInIptablesMode() {
        Map<String, Map<String, List<String>>> ours = Ipt.tables(rules(cluster(ProxyMode.IPTABLES,
                List.of(svc2()))));
        int compared = 0;
        for (var t : Ipt.tables(IPTABLES_LB_LOCAL).entrySet()) {
            for (var c : t.getValue().entrySet()) {
                List<String> want = c.getValue().stream().map(Ipt::saved).toList();
                assertEquals(String.join("\n", want),
                        String.join("\n", ours.get(t.getKey()).getOrDefault(c.getKey(), List.of())),
                        t.getKey() + "/" + c.getKey());
                compared += want.size();
            }
            for (String chain : ours.get(t.getKey()).keySet()) {
                if (chain.matches("KUBE-(SVC|SVL|EXT|FW|SEP)-.*")) {
                    assertTrue(t.getValue().containsKey(chain), "a chain upstream does not have: " + chain);
                }
            }
        }
        assertEquals(15, compared);
    }

    @Test
    void loadBalancerWithLocalPolicyMatchesUpstreamInNftablesMode() {
        Nft ours = Nft.listed(rules(cluster(ProxyMode.NFTABLES, List.of(svc2()))));
        Map<String, List<String>> chains = new LinkedHashMap<>();
        List<String[]> elements = new ArrayList<>();
        for (String line : NFT_LB_LOCAL.strip().split("\n")) {
            List<String> w = List.of(line.split(" ", 6));
            if (w.get(1).equals("rule")) {
                chains.computeIfAbsent(w.get(4), c -> new ArrayList<>()).add(w.get(5));
            } else {
                elements.add(new String[] {w.get(4), w.get(5).substring(2, w.get(5).length() - 2)});
            }
        }
        chains.forEach((chain, want) -> assertEquals(String.join("\n", want),
                String.join("\n", ours.rules().getOrDefault(chain, List.of())), chain));
        for (String chain : ours.rules().keySet()) {
            if (chain.contains("/")) {
                assertTrue(chains.containsKey(chain), "a service chain upstream does not have: " + chain);
            }
        }
        for (String[] e : elements) {
            assertTrue(ours.elements().getOrDefault(e[0], List.of()).contains(e[1]),
                    e[0] + " lacks " + e[1] + ": " + ours.elements().get(e[0]));
        }
        assertEquals(4, chains.size() + 1);
        assertEquals(7, elements.size());
    }

    // ------------------------------------------------------------------ nftables mode, rule by rule

    /**
     * kube-proxy's per-service nftables rules for ns1/svc1, ns3/svc3 and ns4/svc4, from the kube-proxy unit-test dump
     * that kubernetes-sigs/knftables {@code fake_test.go} @ 0087e9ef619d6c93eccd07dd11af97aa2cc09296 replays
     * ({@code TestFakeParseDump}, "example from kube-proxy unit tests"), in the ≤ v1.33 form whose masquerade rule
     * still matches {@code tcp dport} (kube-proxy v1.34 dropped it, kubernetes#131492). The ns6/svc6 element is from
     * kubernetes/kubernetes {@code pkg/proxy/nftables/proxier_test.go} @ 030880a5dc5449403c6d1f0aa146a7dc21d6c6dc.
     * Transaction lines ({@code add rule ip kube-proxy CHAIN RULE}); nft lists a verdict map's elements with
     * {@code ", "} where the transaction has {@code " , "}.
     */
    static final String NFT_TRANSACTION = """
            add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip daddr 172.30.0.41 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
            add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 }
            add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 ip saddr 10.180.0.1 jump mark-for-masquerade
            add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 meta l4proto tcp dnat to 10.180.0.1:80
            add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }
            add rule ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80 ip daddr 172.30.0.43 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
            add rule ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80 }
            add rule ip kube-proxy external-4AT6LBPK-ns3/svc3/tcp/p80 jump mark-for-masquerade
            add rule ip kube-proxy external-4AT6LBPK-ns3/svc3/tcp/p80 goto service-4AT6LBPK-ns3/svc3/tcp/p80
            add rule ip kube-proxy endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80 ip saddr 10.180.0.3 jump mark-for-masquerade
            add rule ip kube-proxy endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80 meta l4proto tcp dnat to 10.180.0.3:80
            add element ip kube-proxy service-ips { 172.30.0.43 . tcp . 80 : goto service-4AT6LBPK-ns3/svc3/tcp/p80 }
            add element ip kube-proxy service-nodeports { tcp . 3003 : goto external-4AT6LBPK-ns3/svc3/tcp/p80 }
            add rule ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80 ip daddr 172.30.0.44 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
            add rule ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80 numgen random mod 2 vmap { 0 : goto endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80 , 1 : goto endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80 }
            add rule ip kube-proxy external-LAUZTJTB-ns4/svc4/tcp/p80 jump mark-for-masquerade
            add rule ip kube-proxy external-LAUZTJTB-ns4/svc4/tcp/p80 goto service-LAUZTJTB-ns4/svc4/tcp/p80
            add rule ip kube-proxy endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80 ip saddr 10.180.0.5 jump mark-for-masquerade
            add rule ip kube-proxy endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80 meta l4proto tcp dnat to 10.180.0.5:80
            add rule ip kube-proxy endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80 ip saddr 10.180.0.4 jump mark-for-masquerade
            add rule ip kube-proxy endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80 meta l4proto tcp dnat to 10.180.0.4:80
            add element ip kube-proxy service-ips { 172.30.0.44 . tcp . 80 : goto service-LAUZTJTB-ns4/svc4/tcp/p80 }
            add element ip kube-proxy service-ips { 192.168.99.33 . tcp . 80 : goto external-LAUZTJTB-ns4/svc4/tcp/p80 }
            add element ip kube-proxy cluster-ips { 172.30.0.46 }
            add element ip kube-proxy no-endpoint-services { 172.30.0.46 . tcp . 80 comment "ns6/svc6:p80" : goto reject-chain }
            """;

    @Test
    void nftServiceChainsMatchKubeProxyTests() {
        Nft ours = Nft.listed(rules(cluster(ProxyMode.NFTABLES, overallServices())));
        Map<String, List<String>> chains = new LinkedHashMap<>();
        Map<String, List<String>> elements = new LinkedHashMap<>();
        for (String line : NFT_TRANSACTION.strip().split("\n")) {
            List<String> w = List.of(line.split(" ", 6));
            if (w.get(1).equals("rule")) {
                chains.computeIfAbsent(w.get(4), c -> new ArrayList<>()).add(w.get(5).replace(" , ", ", "));
            } else {
                String e = w.get(5);
                elements.computeIfAbsent(w.get(4), c -> new ArrayList<>()).add(e.substring(2, e.length() - 2));
            }
        }
        chains.forEach((chain, want) -> assertEquals(String.join("\n", want),
                String.join("\n", ours.rules().getOrDefault(chain, List.of())), chain));
        for (String chain : ours.rules().keySet()) {
            if (chain.contains("/")) {
                assertTrue(chains.containsKey(chain), "a service chain upstream does not have: " + chain);
            }
        }
        elements.forEach((set, want) -> assertTrue(ours.elements().getOrDefault(set, List.of()).containsAll(want),
                set + " lacks " + want + ": " + ours.elements().get(set)));
    }

    /**
     * {@code nft list table ip kube-proxy} of a k3s node (kube-proxy v1.32–v1.33 layout: filter chains at
     * dstnat-10, {@code filter-output-post-dnat}, {@code tcp dport} in the masquerade rule), a public dump found by
     * the code index (index id 47666107189; the index names no repository). Cut to four of its Services (an unnamed
     * port with nine endpoints and a NodePort, two named ports, and a two-port Service without endpoints); the lines
     * kept are verbatim, except that the base chains' {@code type} lines are checked separately (that nft printed
     * output-hook priorities as numbers; see {@link #nftBaseChainHeadersAsNftPrintsThem()}).
     */
    static final String NFT_K3S = """
            table ip kube-proxy {
                    comment "rules for kube-proxy"

                    chain nat-prerouting {
                            jump services
                    }

                    chain services {
                            ip daddr . meta l4proto . th dport vmap @service-ips
                            ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports
                    }

                    map service-ips {
                            type ipv4_addr . inet_proto . inet_service : verdict
                            comment "ClusterIP, ExternalIP and LoadBalancer IP traffic"
                            elements = { 10.43.195.72 . tcp . 8000 : goto service-P6J77WGM-riset/hellopod-np-svc/tcp/,
                                         10.43.0.1 . tcp . 443 : goto service-2QRHZV4L-default/kubernetes/tcp/https,
                                         10.43.10.165 . tcp . 443 : goto service-WXVQUIFM-kube-system/metrics-server/tcp/https }
                    }

                    map service-nodeports {
                            type inet_proto . inet_service : verdict
                            comment "NodePort traffic"
                            elements = { tcp . 30000 : goto external-P6J77WGM-riset/hellopod-np-svc/tcp/ }
                    }

                    set nodeport-ips {
                            type ipv4_addr
                            comment "IPs that accept NodePort traffic"
                            elements = { 10.34.4.246 }
                    }

                    chain external-P6J77WGM-riset/hellopod-np-svc/tcp/ {
                            jump mark-for-masquerade
                            goto service-P6J77WGM-riset/hellopod-np-svc/tcp/
                    }

                    chain service-P6J77WGM-riset/hellopod-np-svc/tcp/ {
                            ip daddr 10.43.195.72 tcp dport 8000 ip saddr != 10.42.0.0/16 jump mark-for-masquerade
                            numgen random mod 9 vmap { 0 : goto endpoint-VNXJG24O-riset/hellopod-np-svc/tcp/__10.42.2.218/8080, 1 : goto endpoint-VGSZZXMZ-riset/hellopod-np-svc/tcp/__10.42.4.201/8080, 2 : goto endpoint-SRWOFVSR-riset/hellopod-np-svc/tcp/__10.42.4.202/8080, 3 : goto endpoint-IMJMHTIB-riset/hellopod-np-svc/tcp/__10.42.4.203/8080, 4 : goto endpoint-YDP3M3R6-riset/hellopod-np-svc/tcp/__10.42.4.204/8080, 5 : goto endpoint-5DYFM3QU-riset/hellopod-np-svc/tcp/__10.42.4.205/8080, 6 : goto endpoint-OK2FDFE2-riset/hellopod-np-svc/tcp/__10.42.4.206/8080, 7 : goto endpoint-JPJY2YFE-riset/hellopod-np-svc/tcp/__10.42.4.207/8080, 8 : goto endpoint-ZWSL4UYY-riset/hellopod-np-svc/tcp/__10.42.5.164/8080 }
                    }

                    set cluster-ips {
                            type ipv4_addr
                            comment "Active ClusterIPs"
                            elements = { 10.43.0.1, 10.43.10.165,
                                         10.43.21.102, 10.43.195.72 }
                    }

                    map no-endpoint-services {
                            type ipv4_addr . inet_proto . inet_service : verdict
                            comment "vmap to drop or reject packets to services with no endpoints"
                            elements = { 10.43.21.102 . tcp . 4317 comment "riset/otelcol-opentelemetry-collector:otlp" : goto reject-chain,
                                         10.43.21.102 . tcp . 4318 comment "riset/otelcol-opentelemetry-collector:otlp-http" : goto reject-chain }
                    }

                    map no-endpoint-nodeports {
                            type inet_proto . inet_service : verdict
                            comment "vmap to drop or reject packets to service nodeports with no endpoints"
                    }

                    map firewall-ips {
                            type ipv4_addr . inet_proto . inet_service : verdict
                            comment "destinations that are subject to LoadBalancerSourceRanges"
                    }

                    chain filter-prerouting {
                            ct state new jump firewall-check
                    }

                    chain filter-input {
                            ct state new jump nodeport-endpoints-check
                            ct state new jump service-endpoints-check
                    }

                    chain filter-forward {
                            ct state new jump service-endpoints-check
                            ct state new jump cluster-ips-check
                    }

                    chain filter-output {
                            ct state new jump service-endpoints-check
                            ct state new jump firewall-check
                    }

                    chain filter-output-post-dnat {
                            ct state new jump cluster-ips-check
                    }

                    chain nat-output {
                            jump services
                    }

                    chain nat-postrouting {
                            jump masquerading
                    }

                    chain nodeport-endpoints-check {
                            ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports
                    }

                    chain service-endpoints-check {
                            ip daddr . meta l4proto . th dport vmap @no-endpoint-services
                    }

                    chain firewall-check {
                            ip daddr . meta l4proto . th dport vmap @firewall-ips
                    }

                    chain masquerading {
                            meta mark & 0x00004000 == 0x00000000 return
                            meta mark set meta mark ^ 0x00004000
                            masquerade fully-random
                    }

                    chain cluster-ips-check {
                            ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"
                            ip daddr 10.43.0.0/16 drop comment "Drop traffic to unallocated ClusterIPs"
                    }

                    chain mark-for-masquerade {
                            meta mark set meta mark | 0x00004000
                    }

                    chain reject-chain {
                            comment "helper for @no-endpoint-services / @no-endpoint-nodeports"
                            reject
                    }

                    chain endpoint-VGSZZXMZ-riset/hellopod-np-svc/tcp/__10.42.4.201/8080 {
                            ip saddr 10.42.4.201 jump mark-for-masquerade
                            meta l4proto tcp dnat to 10.42.4.201:8080
                    }

                    chain endpoint-MIBO4EMV-default/kubernetes/tcp/https__10.34.4.142/6443 {
                            ip saddr 10.34.4.142 jump mark-for-masquerade
                            meta l4proto tcp dnat to 10.34.4.142:6443
                    }

                    chain service-2QRHZV4L-default/kubernetes/tcp/https {
                            ip daddr 10.43.0.1 tcp dport 443 ip saddr != 10.42.0.0/16 jump mark-for-masquerade
                            numgen random mod 1 vmap { 0 : goto endpoint-MIBO4EMV-default/kubernetes/tcp/https__10.34.4.142/6443 }
                    }

                    chain endpoint-WGYGAFOZ-kube-system/metrics-server/tcp/https__10.42.0.170/10250 {
                            ip saddr 10.42.0.170 jump mark-for-masquerade
                            meta l4proto tcp dnat to 10.42.0.170:10250
                    }

                    chain service-WXVQUIFM-kube-system/metrics-server/tcp/https {
                            ip daddr 10.43.10.165 tcp dport 443 ip saddr != 10.42.0.0/16 jump mark-for-masquerade
                            numgen random mod 1 vmap { 0 : goto endpoint-WGYGAFOZ-kube-system/metrics-server/tcp/https__10.42.0.170/10250 }
                    }
            }
            """;

    static Spec k3s() {
        List<String> hello = new ArrayList<>();
        for (String ip : List.of("10.42.5.164", "10.42.4.207", "10.42.4.206", "10.42.4.205", "10.42.4.204",
                "10.42.4.203", "10.42.4.202", "10.42.4.201", "10.42.2.218")) {
            hello.add(ip + ":8080");
        }
        Spec.SvcSpec otel = new Spec.SvcSpec("riset/otelcol-opentelemetry-collector", IpAddress.parse("10.43.21.102"),
                List.of(new Spec.PortSpec(4317, Protocol.TCP, 0, "otlp"), new Spec.PortSpec(4318, Protocol.TCP, 0,
                        "otlp-http")), List.of(), List.of());
        return new Spec("k3s", null,
                List.of(Spec.NodeSpec.of("k3s-node", "10.34.4.246", "10.34.4.0/24", "10.42.4.0/24")),
                List.of(Cidr.parse("10.43.0.0/16")), Spec.Proxy.of(ProxyMode.NFTABLES, "10.42.0.0/16"),
                List.of(svc("riset/hellopod-np-svc", "tcp", "10.43.195.72", 8000, 30000, hello, List.of()),
                        svc("default/kubernetes:https", "tcp", "10.43.0.1", 443, 0, List.of("10.34.4.142:6443"),
                                List.of()),
                        svc("kube-system/metrics-server:https", "tcp", "10.43.10.165", 443, 0,
                                List.of("10.42.0.170:10250"), List.of()),
                        otel),
                List.of(), List.of(), false);
    }

    @Test
    void nftRulesMatchALiveK3sNode() {
        Nft ours = Nft.listed(Tracer.of(k3s()).rules("k3s-node"));
        Nft want = Nft.listed(NFT_K3S.replace("        ", "\t"));
        want.rules().forEach((chain, rules) -> assertEquals(String.join("\n", rules),
                String.join("\n", ours.rules().getOrDefault(chain, List.of())), chain));
        want.elements().forEach((set, elements) -> assertEquals(new java.util.TreeSet<>(elements),
                new java.util.TreeSet<>(ours.elements().getOrDefault(set, List.of())), set));
        assertEquals("comment \"helper for @no-endpoint-services / @no-endpoint-nodeports\"",
                ours.headers().get("reject-chain").get(0));
        assertTrue(ours.text().startsWith("table ip kube-proxy {\n\tcomment \"rules for kube-proxy\"\n"),
                ours.text());
        // the endpoints, listed in reverse above, are in kube-proxy's order; the one kept chain shows the rest
        for (String ep : List.of("10.42.2.218", "10.42.4.202", "10.42.5.164")) {
            assertTrue(ours.rules().keySet().stream().anyMatch(c -> c.endsWith("__" + ep + "/8080")), ep);
        }
    }

    /**
     * Base chain lines as nft prints them: prio2str in nftables {@code src/rule.c} names a priority within 10 of a
     * standard one only where that name is valid for the hook (dstnat: prerouting and output; srcnat: input and
     * postrouting, since netfilter bugzilla 1694, 2023), else prints the number. Older nft, like the k3s node's,
     * printed the output-hook chains numerically (-110, -90, -100).
     */
    @Test
    void nftBaseChainHeadersAsNftPrintsThem() {
        Nft ours = Nft.listed(Tracer.of(k3s()).rules("k3s-node"));
        Map<String, String> want = new LinkedHashMap<>();
        want.put("filter-prerouting", "type filter hook prerouting priority dstnat - 10; policy accept;");
        want.put("filter-input", "type filter hook input priority -110; policy accept;");
        want.put("filter-forward", "type filter hook forward priority -110; policy accept;");
        want.put("filter-output", "type filter hook output priority dstnat - 10; policy accept;");
        want.put("filter-output-post-dnat", "type filter hook output priority dstnat + 10; policy accept;");
        want.put("nat-prerouting", "type nat hook prerouting priority dstnat; policy accept;");
        want.put("nat-output", "type nat hook output priority dstnat; policy accept;");
        want.put("nat-postrouting", "type nat hook postrouting priority srcnat; policy accept;");
        want.forEach((chain, header) -> assertEquals(List.of(header), ours.headers().get(chain), chain));
    }

    // ------------------------------------------------------------------ IPVS mode

    /** Upstream's IPVS tests run one node, 100.101.102.103; nodePortAddresses are all of its addresses. */
    static Spec ipvsNode(List<Spec.SvcSpec> services) {
        return new Spec("upstream-ipvs", null,
                List.of(Spec.NodeSpec.of(NODE, "100.101.102.103", "100.101.102.0/24", "10.0.1.0/24")),
                List.of(Cidr.parse("10.20.30.0/24")), Spec.Proxy.of(ProxyMode.IPVS, "10.0.0.0/8"), services,
                List.of(), List.of(), false);
    }

    /** Each rule of a chain as upstream's ExpectedIptablesChain sees it: "jump target/match set" ("" for none). */
    static List<String> jumps(List<String> rules) {
        List<String> out = new ArrayList<>();
        for (String r : rules) {
            List<String> w = Ipt.words(r);
            int set = w.indexOf("--match-set");
            out.add(w.get(w.indexOf("-j") + 1) + "/" + (set < 0 ? "" : w.get(set + 1)));
        }
        return out;
    }

    /**
     * pkg/proxy/ipvs/proxier_test.go TestNodePort, "1 UDP service with node port, has endpoints": virtual servers,
     * the NodePort ipset and the chains' (jump, match-set) pairs. Upstream's fake keeps one KUBE-NODE-PORT for the
     * nat and filter chains of that name, so its list is nat's rules then filter's. The SCTP case is "node port
     * service with protocol sctp on a node with multiple nodeIPs" cut to the model's one node address.
     */
    @Test
    void ipvsMatchesTestNodePort() {
        Spec udp = ipvsNode(List.of(svc("ns1/svc1:p80", "udp", "10.20.30.41", 80, 3001, List.of("10.180.0.1:80"),
                List.of())));
        String r = rules(udp);
        assertTrue(r.contains("""
                -A -u 10.20.30.41:80 -s rr
                -a -u 10.20.30.41:80 -r 10.180.0.1:80 -m -w 1
                -A -u 100.101.102.103:3001 -s rr
                -a -u 100.101.102.103:3001 -r 10.180.0.1:80 -m -w 1
                """), r);
        assertTrue(r.contains("create KUBE-NODE-PORT-UDP bitmap:port range 0-65535\nadd KUBE-NODE-PORT-UDP 3001\n"),
                r);
        Map<String, Map<String, List<String>>> t = Ipt.tables(r.substring(r.indexOf('\n') + 1));
        List<String> nodePort = new ArrayList<>(jumps(t.get("nat").get("KUBE-NODE-PORT")));
        nodePort.addAll(jumps(t.get("filter").get("KUBE-NODE-PORT")));
        assertEquals(List.of("KUBE-MARK-MASQ/KUBE-NODE-PORT-UDP", "ACCEPT/KUBE-HEALTH-CHECK-NODE-PORT"), nodePort);
        assertEquals(List.of("RETURN/", "KUBE-MARK-MASQ/KUBE-CLUSTER-IP", "KUBE-NODE-PORT/", "ACCEPT/KUBE-CLUSTER-IP"),
                jumps(t.get("nat").get("KUBE-SERVICES")));

        String sctp = rules(ipvsNode(List.of(svc("ns1/svc1:p80", "sctp", "10.20.30.41", 80, 3001,
                List.of("10.180.0.1:80"), List.of()))));
        assertTrue(sctp.contains("add KUBE-NODE-PORT-SCTP-HASH 100.101.102.103,sctp:3001\n"), sctp);
        assertTrue(sctp.contains("-A KUBE-NODE-PORT -p sctp -m comment --comment \"Kubernetes nodeport SCTP port "
                + "for masquerade purpose with type \\'hash ip:port\\'\" -m set --match-set KUBE-NODE-PORT-SCTP-HASH "
                + "dst,dst -j KUBE-MARK-MASQ\n"), sctp);
    }

    /**
     * writeIptablesRules (pkg/proxy/ipvs/proxier.go): the rules IPVS mode writes whatever the Services, and the
     * ExternalIP rules, in its order and words (iptables-save form).
     */
    @Test
    void ipvsFixedRulesAsWriteIptablesRules() {
        Spec s = ipvsNode(List.of(svc("ns4/svc4:p80", "tcp", "10.20.30.44", 80, 0, List.of("10.0.1.5:80"),
                List.of("192.168.99.33"))));
        Map<String, Map<String, List<String>>> t = Ipt.tables(rules(s));
        String eC = "-m comment --comment \"Kubernetes service external ip + port for masquerade and filter purpose\" "
                + "-m set --match-set KUBE-EXTERNAL-IP dst,dst";
        assertEquals(List.of(
                "-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN",
                "-A KUBE-SERVICES ! -s 10.0.0.0/8 -m comment --comment \"Kubernetes service cluster ip + port for "
                        + "masquerade purpose\" -m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ",
                "-A KUBE-SERVICES " + eC + " -j KUBE-MARK-MASQ",
                "-A KUBE-SERVICES " + eC + " -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT",
                "-A KUBE-SERVICES " + eC + " -m addrtype --dst-type LOCAL -j ACCEPT",
                "-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT",
                "-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT"),
                t.get("nat").get("KUBE-SERVICES"));
        assertEquals(List.of("-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ"), t.get("nat").get("KUBE-LOAD-BALANCER"));
        assertEquals(List.of("-A KUBE-POSTROUTING -m comment --comment \"Kubernetes endpoints dst ip:port, source ip "
                        + "for solving hairpin purpose\" -m set --match-set KUBE-LOOP-BACK dst,dst,src -j MASQUERADE",
                "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
                "-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0",
                "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE "
                        + "--random-fully"), t.get("nat").get("KUBE-POSTROUTING"));
        assertEquals(List.of("-A KUBE-SOURCE-RANGES-FIREWALL -j DROP"),
                t.get("filter").get("KUBE-SOURCE-RANGES-FIREWALL"));
        assertEquals(List.of("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding rules\" -m mark --mark "
                        + "0x4000/0x4000 -j ACCEPT",
                "-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate "
                        + "RELATED,ESTABLISHED -j ACCEPT"), t.get("filter").get("KUBE-FORWARD"));
        // iptablesJumpChain, prepended in list order
        assertEquals(List.of("-A FORWARD -m comment --comment \"kube-proxy firewall rules\" -j KUBE-PROXY-FIREWALL",
                "-A FORWARD -m comment --comment \"kubernetes forwarding rules\" -j KUBE-FORWARD"),
                t.get("filter").get("FORWARD"));
        assertEquals(List.of("-A INPUT -m comment --comment \"kubernetes ipvs access filter\" -j KUBE-IPVS-FILTER",
                "-A INPUT -m comment --comment \"kube-proxy firewall rules\" -j KUBE-PROXY-FIREWALL",
                "-A INPUT -m comment --comment \"kubernetes health check rules\" -j KUBE-NODE-PORT"),
                t.get("filter").get("INPUT"));
        // KUBE-LOOP-BACK holds only this node's endpoints (ep.IsLocal())
        String other = rules(ipvsNode(List.of(svc("ns4/svc4:p80", "tcp", "10.20.30.44", 80, 0,
                List.of("10.0.2.5:80"), List.of()))));
        assertFalse(other.contains("add KUBE-LOOP-BACK"), other);
        assertFalse(other.contains("--match-set KUBE-LOOP-BACK"), other);
    }

    // ------------------------------------------------------------------ traces

    /**
     * TestNoEndpointsReject (iptables and nftables proxier_test.go): a Service without endpoints rejects connections
     * to its ClusterIP, externalIP and NodePort from a pod, and to its NodePort from outside (LoadBalancer IPs are not
     * modelled).
     */
    @Test
    void noEndpointsRejectEverywhere() {
        Spec base = KubeProxyModesTest.mode(Fixtures.fixed().proxy());
        Spec.SvcSpec none = new Spec.SvcSpec("ns1/svc1", IpAddress.parse("10.252.77.90"),
                List.of(new Spec.PortSpec(80, Protocol.TCP, 30001, "p80")), List.of(),
                List.of(IpAddress.parse("203.0.113.11")));
        for (ProxyMode m : List.of(ProxyMode.IPTABLES, ProxyMode.NFTABLES)) {
            Tracer t = Tracer.of(base.withServices(List.of(none)).withProxy(base.proxy().withMode(m)));
            for (String from : List.of("pod:default/busybox", "host:192.168.7.7")) {
                // a reject answered for a node's own address is HIJACKED in the model's terms
                for (String[] to : new String[][] {{"10.252.77.90", "80/TCP", "REJECTED"},
                        {"203.0.113.11", "80/TCP", "REJECTED"}, {"node:node-72", "30001/TCP", "HIJACKED"}}) {
                    if (from.startsWith("host:") && !to[0].startsWith("node:")) {
                        continue; // the LAN routes neither the service range nor this externalIP to a node
                    }
                    Trace tr = t.trace(from, to[0], to[1]);
                    assertEquals(Verdict.valueOf(to[2]), tr.verdict(), m + " " + from + " -> " + to[0] + ": "
                            + tr.toJson());
                    assertEquals(Reason.KUBE_PROXY_REJECT, tr.reason().orElseThrow(), tr.toJson());
                }
            }
        }
    }

    // ------------------------------------------------------------------ iptables text

    /** Reading iptables-save text, and turning kube-proxy's iptables-restore lines into what iptables-save prints. */
    static final class Ipt {
        private Ipt() {
        }

        /** table -> chain -> "-A" lines, for every ":CHAIN" declared (in order). */
        static Map<String, Map<String, List<String>>> tables(String text) {
            Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
            Map<String, List<String>> table = null;
            for (String line : text.split("\n")) {
                if (line.startsWith("*")) {
                    table = out.computeIfAbsent(line.substring(1), t -> new LinkedHashMap<>());
                } else if (line.equals("COMMIT")) {
                    table = null;
                } else if (table != null && line.startsWith(":")) {
                    table.computeIfAbsent(line.substring(1, line.indexOf(' ')), c -> new ArrayList<>());
                } else if (table != null && line.startsWith("-A ")) {
                    String chain = line.split(" ")[1];
                    table.computeIfAbsent(chain, c -> new ArrayList<>()).add(line);
                }
            }
            return out;
        }

        /** Words of a rule; a double-quoted word keeps its quotes. */
        static List<String> words(String line) {
            List<String> out = new ArrayList<>();
            StringBuilder w = new StringBuilder();
            boolean quoted = false;
            for (char ch : line.toCharArray()) {
                if (ch == '"') {
                    quoted = !quoted;
                    w.append(ch);
                } else if (ch == ' ' && !quoted) {
                    if (w.length() > 0) {
                        out.add(w.toString());
                        w.setLength(0);
                    }
                } else {
                    w.append(ch);
                }
            }
            if (w.length() > 0) {
                out.add(w.toString());
            }
            return out;
        }

        /** The match module each option of the vectors belongs to ("proto" = the -m tcp/udp/sctp match). */
        static final Map<String, String> OWNER = Map.of("--comment", "comment", "--dport", "proto",
                "--ctstate", "conntrack", "--mark", "mark", "--dst-type", "addrtype", "--src-type", "addrtype",
                "--mode", "statistic", "--probability", "statistic", "--nfacct-name", "nfacct");

        /**
         * One iptables-restore line as iptables-save prints the rule back: {@code -s}, {@code -d}, {@code -p} first,
         * addresses with their prefix length, then each {@code -m} match with its options in the order loaded, then
         * the target. Values as the extensions save them: comments quoted unless only [A-Za-z0-9_-]
         * (xtables_save_string), probabilities as the kernel's 31-bit fraction with 11 decimals (libxt_statistic),
         * {@code --or-mark}/{@code --xor-mark} as {@code --set-xmark} (libxt_MARK), REJECT with its default
         * {@code --reject-with icmp-port-unreachable}. Two model choices: the nfacct counter match is dropped (we do
         * not render nfacct accounting, which never changes a verdict and exists only when the kernel has
         * nfnetlink_acct), and MASQUERADE gets {@code --random-fully}, which kube-proxy appends when iptables supports
         * it (upstream's fake does not; the model assumes it does).
         */
        static String saved(String restore) {
            List<String> t = words(restore);
            String src = null;
            String dst = null;
            String proto = null;
            List<List<String>> mods = new ArrayList<>();
            List<String> target = new ArrayList<>();
            boolean neg = false;
            for (int i = 2; i < t.size(); i++) {
                String x = t.get(i);
                String bang = neg ? "! " : "";
                neg = false;
                switch (x) {
                    case "!" -> neg = true;
                    case "-s" -> src = bang + "-s " + prefixed(t.get(++i));
                    case "-d" -> dst = bang + "-d " + prefixed(t.get(++i));
                    case "-p" -> proto = "-p " + t.get(++i);
                    case "-m" -> mods.add(new ArrayList<>(List.of("-m", t.get(++i))));
                    case "-j" -> {
                        target.addAll(t.subList(i, t.size()));
                        i = t.size();
                    }
                    default -> {
                        String owner = OWNER.get(x);
                        if (owner == null) {
                            throw new IllegalArgumentException("unknown option " + x + " in " + restore);
                        }
                        List<String> mod = null;
                        for (List<String> m : mods) {
                            String name = m.get(1);
                            if (name.equals(owner) || owner.equals("proto") && List.of("tcp", "udp", "sctp")
                                    .contains(name)) {
                                mod = m;
                            }
                        }
                        if (mod == null) {
                            throw new IllegalArgumentException("no match module for " + x + " in " + restore);
                        }
                        String v = t.get(++i);
                        if (x.equals("--comment")) {
                            v = quoted(v.replace("\"", ""));
                        } else if (x.equals("--probability")) {
                            v = String.format(java.util.Locale.ROOT, "%.11f",
                                    Math.round(0x80000000L * Double.parseDouble(v)) / 2147483648.0);
                        }
                        mod.add(bang + x + " " + v);
                    }
                }
            }
            StringBuilder sb = new StringBuilder("-A ").append(t.get(1));
            for (String h : new String[] {src, dst, proto}) {
                if (h != null) {
                    sb.append(' ').append(h);
                }
            }
            for (List<String> m : mods) {
                if (!m.get(1).equals("nfacct")) {
                    sb.append(' ').append(String.join(" ", m));
                }
            }
            sb.append(' ').append(switch (String.join(" ", target)) {
                case "-j REJECT" -> "-j REJECT --reject-with icmp-port-unreachable";
                case "-j MASQUERADE" -> "-j MASQUERADE --random-fully";
                default -> {
                    String j = String.join(" ", target);
                    if (j.startsWith("-j MARK --or-mark ")) {
                        String m = j.substring("-j MARK --or-mark ".length());
                        yield "-j MARK --set-xmark " + m + "/" + m;
                    }
                    if (j.startsWith("-j MARK --xor-mark ")) {
                        yield "-j MARK --set-xmark " + j.substring("-j MARK --xor-mark ".length()) + "/0x0";
                    }
                    yield j;
                }
            });
            return sb.toString();
        }

        static String prefixed(String address) {
            return address.contains("/") ? address : address + "/32";
        }

        static String quoted(String v) {
            return !v.isEmpty() && v.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '_'
                    || c == '-') ? v : "\"" + v + "\"";
        }
    }

    // ------------------------------------------------------------------ nft text

    /**
     * One {@code table ip kube-proxy} of {@code nft list} text: chain -> rules, chain -> its {@code comment} and
     * {@code type} lines, set or map -> elements.
     */
    record Nft(String text, Map<String, List<String>> rules, Map<String, List<String>> headers,
               Map<String, List<String>> elements) {

        static Nft listed(String all) {
            int from = all.indexOf("table ip kube-proxy {");
            String text = all.substring(from, all.indexOf("\n}\n", from) + 3);
            Map<String, List<String>> rules = new LinkedHashMap<>();
            Map<String, List<String>> headers = new LinkedHashMap<>();
            Map<String, List<String>> elements = new LinkedHashMap<>();
            String chain = null;
            String set = null;
            StringBuilder elems = null;
            for (String raw : text.split("\n")) {
                String line = raw.strip();
                if (line.startsWith("chain ") && line.endsWith("{")) {
                    chain = line.substring(6, line.length() - 2);
                    rules.put(chain, new ArrayList<>());
                    headers.put(chain, new ArrayList<>());
                } else if ((line.startsWith("map ") || line.startsWith("set ")) && line.endsWith("{")) {
                    set = line.substring(4, line.length() - 2);
                    elements.put(set, new ArrayList<>());
                } else if (set != null && (line.startsWith("elements = {") || elems != null)) {
                    elems = elems == null ? new StringBuilder(line.substring("elements = {".length())) : elems;
                    if (elems != null && !line.startsWith("elements = {")) {
                        elems.append(' ').append(line);
                    }
                    if (line.endsWith("}")) {
                        String body = elems.toString().strip();
                        for (String e : body.substring(0, body.length() - 1).split(",")) {
                            elements.get(set).add(e.strip());
                        }
                        elems = null;
                    }
                } else if (line.equals("}")) {
                    chain = null;
                    set = null;
                } else if (chain != null && (line.startsWith("type ") || line.startsWith("comment "))) {
                    headers.get(chain).add(line);
                } else if (chain != null && !line.isEmpty()) {
                    rules.get(chain).add(line);
                }
            }
            return new Nft(text, rules, headers, elements);
        }
    }
}
