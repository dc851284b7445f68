package io.github.cidrguard.trace;

import io.github.cidrguard.kube.RpFilter;
import io.github.cidrguard.kube.ProxyMode;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kube-proxy.md §2: how overlaps break traffic, one packet path each. */
class OverlapPathTest {

    static boolean anyHop(Trace t, String action) {
        return t.request().stream().anyMatch(h -> h.action().startsWith(action))
                || t.reply().stream().anyMatch(h -> h.action().startsWith(action));
    }

    @Test
    void leaseEqualToTheLanPrefixBreaksNodeToNode() {
        Spec s = Fixtures.seed();
        Spec bad = s.withFlannel(s.flannel().withLeases(List.of(
                new Spec.LeaseSpec(Cidr.parse("10.252.158.0/24"), IpAddress.parse("10.252.158.72")))));
        Tracer t = Tracer.of(bad);
        assertTrue(t.rules("node-71").contains("10.252.158.0/24 via 10.252.158.0 dev flannel.1 onlink\n"));
        assertFalse(t.rules("node-71").contains("10.252.158.0/24 dev eth0"), "RouteReplace removed the LAN route");
        Trace tr = t.trace("node:node-71", "node:node-72", null);
        assertNotEquals(Verdict.DELIVERED, tr.verdict(), tr.toJson());
        assertEquals(Verdict.DELIVERED, Tracer.of(s).trace("node:node-71", "node:node-72", null).verdict());
    }

    /** The seed with node-72 leased the LAN's own /24 and busybox moved into it (lab/lease-is-lan.yaml). */
    static Spec leaseIsLan() {
        Spec s = Fixtures.seed();
        return s.withFlannel(s.flannel().withLeases(List.of(
                new Spec.LeaseSpec(Cidr.parse("10.252.158.0/24"), IpAddress.parse("10.252.158.72")))))
                .withPods(List.of(s.pods().get(0),
                        new Spec.PodSpec("default/busybox", IpAddress.parse("10.252.158.7"), "node-72"),
                        new Spec.PodSpec("default/web", IpAddress.parse("10.252.158.9"), "node-72")));
    }

    @Test
    void aPodInALeaseEqualToTheLanArpsForTheOtherNodesOnItsBridge() {
        Tracer t = Tracer.of(leaseIsLan());
        Trace other = t.trace("pod:default/busybox", "node:node-71", null);
        assertEquals(Verdict.NO_ROUTE, other.verdict(), other.toJson());
        // nobody answers ARP: a failed neighbour resolution, not a missing route
        assertEquals(Reason.NEIGHBOR_UNREACHABLE, other.reason().orElseThrow());
        assertEquals(1, other.request().size(), other.toJson());
        Hop h = other.request().get(0);
        assertEquals("10.252.158.0/24 dev eth0 proto kernel scope link src 10.252.158.7", h.rule());
        assertEquals("node-72", h.node());
        assertTrue(other.explanation().contains("ARP on node-72's cni0 bridge"), other.explanation());
        // a LAN host nobody declared: the same
        assertEquals(Verdict.NO_ROUTE, t.trace("pod:default/busybox", "10.252.158.200", null).verdict());
        // the pod's own node answers ARP for every local address, so the packet reaches it (and its rp_filter)
        Trace own = t.trace("pod:default/busybox", "node:node-72", null);
        assertNotEquals(Reason.NO_ROUTE, own.reason().orElse(null), own.toJson());
        assertNotEquals(Reason.NEIGHBOR_UNREACHABLE, own.reason().orElse(null), own.toJson());
        assertFalse(own.request().isEmpty() || own.request().get(0).stage().equals("pod routing"), own.toJson());
        // a pod on the same bridge is on-link as intended
        Trace web = t.trace("pod:default/busybox", "pod:default/web", null);
        assertEquals(Verdict.DELIVERED, web.verdict(), web.toJson());
        // outside the lease the default route via cni0 applies as before
        Trace far = t.trace("pod:default/busybox", "pod:default/jenkins", null);
        assertNotEquals(Reason.NO_ROUTE, far.reason().orElse(null), far.toJson());
        assertNotEquals(Reason.NEIGHBOR_UNREACHABLE, far.reason().orElse(null), far.toJson());
    }

    @Test
    void aReplyToAnOnLinkSourceNobodyOnTheBridgeOwnsIsLost() {
        // LEASE_OVERLAP: node-72's lease 10.252.0.0/17 contains node-71's 10.252.100.0/24, so busybox's reply to
        // jenkins is on-link for busybox and never reaches node-72's routing
        Spec s = Fixtures.seed();
        Spec overlap = s.withFlannel(s.flannel().withLeases(List.of(
                new Spec.LeaseSpec(Cidr.parse("10.252.0.0/17"), IpAddress.parse("10.252.158.72")))));
        Trace t = Tracer.of(overlap).trace("pod:default/jenkins", "pod:default/busybox", null);
        assertEquals(Verdict.NO_ROUTE, t.verdict(), t.toJson());
        assertTrue(t.explanation().startsWith("Reply: pod default/busybox has the connected route 10.252.0.0/17"),
                t.toJson());
        assertEquals("pod routing", t.reply().get(t.reply().size() - 1).stage(), t.toJson());
    }

    /** The fixed plan, with a service CIDR over the LAN and a ClusterIP equal to node-72's address. */
    static Spec serviceOverLan(ProxyMode mode) {
        Spec s = Fixtures.fixed();
        Spec.SvcSpec ssh = new Spec.SvcSpec("default/ssh", IpAddress.parse("10.252.158.72"),
                List.of(new Spec.PortSpec(22, Protocol.TCP, 0)),
                List.of(new Spec.EpSpec(IpAddress.parse("10.244.61.7"), 2222)), List.of());
        return s.withServiceCidrs(List.of(Cidr.parse("10.252.158.0/24"))).withServices(List.of(ssh))
                .withProxy(s.proxy().withMode(mode));
    }

    @Test
    void iptablesHijacksOnlyTheServiceIpAndPort() {
        Tracer t = Tracer.of(serviceOverLan(ProxyMode.IPTABLES));
        Trace ssh = t.trace("pod:default/jenkins", "10.252.158.72", "22/TCP");
        assertEquals(Verdict.HIJACKED, ssh.verdict(), ssh.toJson());
        assertEquals(Reason.SERVICE_DNAT, ssh.reason().orElseThrow());
        // addressed as the Service, the same packet reaches who it was meant for
        Trace svc = t.trace("pod:default/jenkins", "svc:default/ssh:22/TCP", null);
        assertEquals(Verdict.DELIVERED, svc.verdict(), svc.toJson());
        assertTrue(svc.explanation().contains("via DNAT"), svc.explanation());
        assertEquals(Verdict.DELIVERED, t.trace("pod:default/jenkins", "10.252.158.72", "80/TCP").verdict());
        assertEquals(Verdict.DELIVERED, t.trace("pod:default/jenkins", "10.252.158.72", null).verdict());
        assertEquals(Verdict.DELIVERED, t.trace("pod:default/jenkins", "10.252.158.5", null).verdict());
    }

    @Test
    void nftablesDropsTheWholeOverlap() {
        Tracer t = Tracer.of(serviceOverLan(ProxyMode.NFTABLES));
        Trace lan = t.trace("pod:default/jenkins", "10.252.158.5", null);
        assertEquals(Verdict.DROPPED, lan.verdict(), lan.toJson());
        assertEquals(Reason.NFT_SERVICE_CIDR_DROP, lan.reason().orElseThrow());
        assertTrue(lan.request().stream().anyMatch(h -> h.rule().equals(
                "ip daddr 10.252.158.0/24 drop comment \"Drop traffic to unallocated ClusterIPs\"")
                && h.stage().equals("ip kube-proxy/filter-forward")), lan.toJson());
        Trace host = t.trace("node:node-71", "10.252.158.5", null);
        assertEquals(Reason.NFT_SERVICE_CIDR_DROP, host.reason().orElseThrow(), host.toJson());
        Trace vip = t.trace("node:node-71", "node:node-72", "80/TCP");
        assertEquals(Verdict.HIJACKED, vip.verdict(), vip.toJson());
        assertEquals(Reason.KUBE_PROXY_REJECT, vip.reason().orElseThrow());
        assertEquals(Verdict.HIJACKED, t.trace("pod:default/jenkins", "10.252.158.72", "22/TCP").verdict());
        assertTrue(t.rules("node-71").contains("table ip kube-proxy {"));
    }

    @Test
    void ipvsShadowsTheAddressLocally() {
        Tracer t = Tracer.of(serviceOverLan(ProxyMode.IPVS));
        Trace ping = t.trace("pod:default/jenkins", "10.252.158.72", null);
        assertEquals(Verdict.HIJACKED, ping.verdict(), ping.toJson());
        assertEquals(Reason.LOCAL_SHADOW, ping.reason().orElseThrow());
        assertTrue(ping.request().stream().anyMatch(h -> h.rule().equals(
                "local 10.252.158.72 dev kube-ipvs0 table local proto kernel scope host src 10.252.158.72")));
        Trace node = t.trace("node:node-71", "node:node-72", "10250/TCP");
        assertEquals(Verdict.HIJACKED, node.verdict(), node.toJson());
        assertTrue(node.request().stream().anyMatch(h -> h.rule().startsWith("-A KUBE-IPVS-FILTER -m conntrack "
                + "--ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT")), node.toJson());
        // IPVS DNATs to the endpoint on node-72, but node-72's own address is local on node-71: the VXLAN
        // packet to it cannot leave (every other node loses node-72)
        Trace ssh = t.trace("pod:default/jenkins", "10.252.158.72", "22/TCP");
        assertTrue(ssh.request().stream().anyMatch(h -> h.stage().equals("ipvs")));
        assertEquals(Verdict.NO_ROUTE, ssh.verdict(), ssh.toJson());
        assertEquals(Reason.LOCAL_SHADOW, ssh.reason().orElseThrow());
        assertEquals(Verdict.NO_ROUTE, t.trace("pod:default/jenkins", "pod:default/busybox", null).verdict());
        String r = t.rules("node-71");
        assertTrue(r.contains("add KUBE-CLUSTER-IP 10.252.158.72,tcp:22\n"), r);
        assertTrue(r.contains("-A -t 10.252.158.72:22 -s rr\n"), r);
    }

    /** k3s#4627: node IPs inside the cluster CIDR; node -> ClusterIP is not masqueraded and the reply dies. */
    @Test
    void nodeIpInsideClusterCidr() {
        Spec s = new Spec("k3s-4627", Spec.Flannel.vxlan("10.42.0.0/16").withIpMasq(false),
                List.of(Spec.NodeSpec.of("node-71", "10.42.200.71", "10.42.200.0/24", "10.42.100.0/24"),
                        Spec.NodeSpec.of("node-72", "10.42.200.72", "10.42.200.0/24", "10.42.61.0/24")
                                .withRp(RpFilter.LOOSE)),
                List.of(Cidr.parse("10.43.0.0/16")), Spec.Proxy.of(ProxyMode.IPTABLES, "10.42.0.0/16"),
                List.of(new Spec.SvcSpec("kube-system/metrics", IpAddress.parse("10.43.0.10"),
                        List.of(new Spec.PortSpec(443, Protocol.TCP, 0)),
                        List.of(new Spec.EpSpec(IpAddress.parse("10.42.61.5"), 10250)), List.of())),
                List.of(), List.of(), false);
        Trace t = Tracer.of(s).trace("node:node-71", "svc:kube-system/metrics:443/TCP", null);
        assertEquals(Verdict.DROPPED, t.verdict(), t.toJson());
        assertEquals(Reason.RP_FILTER, t.reason().orElseThrow());
        assertFalse(anyHop(t, "JUMP KUBE-MARK-MASQ"), "no masquerade mark: the node counts as a local pod");
        assertFalse(anyHop(t, "MASQUERADE"));
        assertFalse(t.reply().isEmpty(), "the request arrives; the reply is dropped");
        assertEquals("node-71", t.reply().get(t.reply().size() - 1).node());
        // the same cluster with the node IPs outside the cluster CIDR masquerades and works
        Spec ok = s.withProxy(Spec.Proxy.of(ProxyMode.IPTABLES, "10.42.0.0/17"));
        Trace good = Tracer.of(ok).trace("node:node-71", "svc:kube-system/metrics:443/TCP", null);
        assertEquals(Verdict.DELIVERED, good.verdict(), good.toJson());
        assertTrue(anyHop(good, "JUMP KUBE-MARK-MASQ"));
    }

    @Test
    void legacyAndNftFlannelRulesGiveTheSameStory() {
        Spec legacy = Fixtures.seed().withFlannel(Fixtures.seed().flannel().withRuleSet(Spec.RuleSet.LEGACY));
        Trace t = Tracer.of(legacy).trace("pod:default/jenkins", "10.252.158.72", null);
        assertEquals(Reason.RP_FILTER, t.reason().orElseThrow());
        assertTrue(t.request().stream().anyMatch(h -> h.rule().equals("-A POSTROUTING -s 10.252.0.0/16 "
                + "-d 10.252.0.0/16 -m comment --comment \"flanneld masq\" -j RETURN")), t.toJson());
        assertTrue(Tracer.of(legacy).rules("node-71").contains(
                "-A FORWARD -s 10.252.0.0/16 -m comment --comment \"flanneld forward\" -j ACCEPT\n"));
        Spec nft = Fixtures.seed().withFlannel(Fixtures.seed().flannel().withNft(true));
        Trace n = Tracer.of(nft).trace("pod:default/jenkins", "10.252.158.72", null);
        assertEquals(Reason.RP_FILTER, n.reason().orElseThrow());
        assertTrue(n.request().stream().anyMatch(h -> h.rule().equals(
                "ip saddr 10.252.100.0/24 ip daddr 10.252.0.0/16 return")
                && h.stage().equals("ip flannel-ipv4/postrtg")), n.toJson());
        String r = Tracer.of(nft).rules("node-71");
        assertTrue(r.contains("table ip flannel-ipv4 {\n\tchain postrtg {\n\t\ttype nat hook postrouting priority "
                + "srcnat; policy accept;\n\t\tmeta mark 0x00004000 return\n"), r);
        // nft: host -> remote pod is never masqueraded (saddr != L daddr N return)
        Trace host = Tracer.of(Fixtures.fixed().withFlannel(Fixtures.fixed().flannel().withNft(true)))
                .trace("node:node-71", "pod:default/busybox", null);
        assertFalse(anyHop(host, "MASQUERADE"), host.toJson());
    }

    @Test
    void backendsInstallTheirRoutes() {
        Spec s = Fixtures.fixed();
        String hostGw = Tracer.of(s.withFlannel(s.flannel().withBackend("host-gw"))).rules("node-71");
        assertTrue(hostGw.contains("10.244.61.0/24 via 10.252.158.72 dev eth0\n"), hostGw);
        String direct = Tracer.of(s.withFlannel(s.flannel().withDirectRouting(true))).rules("node-71");
        assertTrue(direct.contains("10.244.61.0/24 via 10.252.158.72 dev eth0\n"), direct);
        String udp = Tracer.of(s.withFlannel(s.flannel().withBackend("udp"))).rules("node-71");
        assertTrue(udp.contains("10.244.0.0/16 dev flannel0\n"), udp);
        String wg = Tracer.of(s.withFlannel(s.flannel().withBackend("wireguard"))).rules("node-71");
        assertTrue(wg.contains("10.244.0.0/16 dev flannel-wg scope link\n"), wg);
        String ipip = Tracer.of(s.withFlannel(s.flannel().withBackend("ipip"))).rules("node-71");
        assertTrue(ipip.contains("10.244.61.0/24 via 10.252.158.72 dev flannel.ipip onlink\n"), ipip);
        for (String b : List.of("host-gw", "udp", "wireguard", "ipip")) {
            Trace t = Tracer.of(s.withFlannel(s.flannel().withBackend(b)))
                    .trace("pod:default/jenkins", "pod:default/busybox", null);
            assertEquals(Verdict.DELIVERED, t.verdict(), b + ": " + t.toJson());
        }
        Trace direct2 = Tracer.of(s.withFlannel(s.flannel().withDirectRouting(true)))
                .trace("pod:default/jenkins", "pod:default/busybox", null);
        assertEquals(Verdict.DELIVERED, direct2.verdict());
        assertFalse(anyHop(direct2, "ENCAP"));
    }

    @Test
    void dockerBridgeShadowsADeclaredNetwork() {
        Spec s = Fixtures.fixed();
        Spec d = s.withNodes(s.nodes().stream().map(n -> n.withDocker(Cidr.parse("172.17.0.0/16"))).toList())
                .withNetworks(List.of(new Spec.NetSpec("office-vpn", Cidr.parse("172.17.0.0/16"))));
        Trace t = Tracer.of(d).trace("pod:default/jenkins", "host:172.17.5.5", null);
        assertEquals(Verdict.DROPPED, t.verdict(), t.toJson());
        assertEquals(Reason.LOCAL_SHADOW, t.reason().orElseThrow());
        Trace ok = Tracer.of(s.withNetworks(d.networks())).trace("pod:default/jenkins", "host:172.17.5.5", null);
        assertEquals(Verdict.DELIVERED, ok.verdict(), ok.toJson());
    }
}
