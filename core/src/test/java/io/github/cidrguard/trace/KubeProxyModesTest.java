package io.github.cidrguard.trace;

import io.github.cidrguard.kube.ProxyMode;
import io.github.cidrguard.kube.DetectLocalMode;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kube-proxy.md §1: each mode's rules as rendered and as walked. */
class KubeProxyModesTest {
    static Spec mode(Spec.Proxy p) {
        return Fixtures.fixed().withProxy(p).withNetworks(List.of(new Spec.NetSpec("dc",
                Cidr.parse("192.168.0.0/16"))));
    }

    @Test
    void everyModeDeliversPodAndNodeToClusterIpAndNodePort() {
        for (ProxyMode m : List.of(ProxyMode.IPTABLES, ProxyMode.NFTABLES, ProxyMode.IPVS)) {
            Tracer t = Tracer.of(mode(Spec.Proxy.of(m, "10.244.0.0/16")));
            for (String from : List.of("pod:default/busybox", "node:node-72", "node:node-71")) {
                Trace tr = t.trace(from, "svc:default/jenkins:80/TCP", null);
                assertEquals(Verdict.DELIVERED, tr.verdict(), m + " " + from + ": " + tr.toJson());
            }
            Trace np = t.trace("pod:default/busybox", "node:node-72", "30080/TCP");
            assertEquals(Verdict.DELIVERED, np.verdict(), m + " nodeport: " + np.toJson());
            Trace ext = t.trace("host:192.168.7.7", "node:node-72", "30080/TCP");
            assertEquals(Verdict.DELIVERED, ext.verdict(), m + " nodeport from outside: " + ext.toJson());
        }
    }

    @Test
    void iptablesDetectLocalModesAndMasqueradeAll() {
        String cc = Tracer.of(mode(Spec.Proxy.of(ProxyMode.IPTABLES, "10.244.0.0/16"))).rules("node-71");
        assertTrue(cc.contains("-A KUBE-SVC-W3B4N6JF5GESGT6W ! -s 10.244.0.0/16 -d 10.252.77.85/32 -p tcp -m comment "
                + "--comment \"default/jenkins cluster IP\" -m tcp --dport 80 -j KUBE-MARK-MASQ\n"), cc);
        String nc = Tracer.of(mode(Spec.Proxy.of(ProxyMode.IPTABLES, "10.244.0.0/16")
                .withDetectLocal(DetectLocalMode.NODE_CIDR))).rules("node-71");
        assertTrue(nc.contains("! -s 10.244.100.0/24 -d 10.252.77.85/32"), nc);
        String br = Tracer.of(mode(Spec.Proxy.of(ProxyMode.IPTABLES, null)
                .withDetectLocal(DetectLocalMode.BRIDGE_INTERFACE))).rules("node-71");
        assertTrue(br.contains("-d 10.252.77.85/32 ! -i cni0 -p tcp"), br);
        String pf = Tracer.of(mode(Spec.Proxy.of(ProxyMode.IPTABLES, null)
                .withDetectLocal(DetectLocalMode.INTERFACE_NAME_PREFIX))).rules("node-71");
        assertTrue(pf.contains("! -i veth+"), pf);
        String none = Tracer.of(mode(Spec.Proxy.of(ProxyMode.IPTABLES, null))).rules("node-71");
        assertFalse(none.contains("cluster IP\" -m tcp --dport 80 -j KUBE-MARK-MASQ"), none);
        String all = Tracer.of(mode(Spec.Proxy.of(ProxyMode.IPTABLES, "10.244.0.0/16").withMasqueradeAll(true)))
                .rules("node-71");
        assertTrue(all.contains("-A KUBE-SVC-W3B4N6JF5GESGT6W -d 10.252.77.85/32 -p tcp -m comment --comment "
                + "\"default/jenkins cluster IP\" -m tcp --dport 80 -j KUBE-MARK-MASQ\n"), all);
        // masqueradeAll: a pod's ClusterIP traffic is SNATed by KUBE-POSTROUTING, not by flannel
        Trace t = Tracer.of(mode(Spec.Proxy.of(ProxyMode.IPTABLES, "10.244.0.0/16").withMasqueradeAll(true)))
                .trace("pod:default/busybox", "svc:default/jenkins:80/TCP", null);
        assertEquals(Verdict.DELIVERED, t.verdict(), t.toJson());
        assertTrue(t.request().stream().anyMatch(h -> h.action().equals("MASQUERADE")
                && h.rule().contains("kubernetes service traffic requiring SNAT")), t.toJson());
    }

    @Test
    void noEndpointsRejects() {
        Spec s = Fixtures.fixed();
        Spec.SvcSpec empty = new Spec.SvcSpec("default/empty", IpAddress.parse("10.252.77.90"),
                List.of(new Spec.PortSpec(80, Protocol.TCP, 0)), List.of(), List.of());
        for (ProxyMode m : List.of(ProxyMode.IPTABLES, ProxyMode.NFTABLES)) {
            Tracer t = Tracer.of(s.withServices(List.of(empty)).withProxy(s.proxy().withMode(m)));
            Trace tr = t.trace("pod:default/busybox", "svc:default/empty:80/TCP", null);
            assertEquals(Verdict.REJECTED, tr.verdict(), m + ": " + tr.toJson());
            assertEquals(Reason.KUBE_PROXY_REJECT, tr.reason().orElseThrow());
        }
        String r = Tracer.of(s.withServices(List.of(empty))).rules("node-71");
        assertTrue(r.contains("-A KUBE-SERVICES -d 10.252.77.90/32 -p tcp -m comment --comment \"default/empty has "
                + "no endpoints\" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable\n"), r);
    }

    @Test
    void probabilitiesPrintLikeIptablesSave() {
        assertEquals("0.50000000000", KubeProxyNames.probability(0.5));
        assertEquals("0.33333333349", KubeProxyNames.probability(1.0 / 3));
        assertEquals("0.25000000000", KubeProxyNames.probability(0.25));
        Spec s = Fixtures.fixed();
        Spec.SvcSpec two = new Spec.SvcSpec("default/two", IpAddress.parse("10.252.77.91"),
                List.of(new Spec.PortSpec(80, Protocol.TCP, 0)), List.of(new Spec.EpSpec(IpAddress.parse("10.244.61.7"),
                80), new Spec.EpSpec(IpAddress.parse("10.244.100.5"), 80)), List.of());
        String r = Tracer.of(s.withServices(List.of(two))).rules("node-71");
        // kube-proxy orders endpoints by their "ip:port" string: "10.244.100.5:80" sorts before "10.244.61.7:80"
        assertTrue(r.contains("-m comment --comment \"default/two -> 10.244.100.5:80\" -m statistic --mode random "
                + "--probability 0.50000000000 -j KUBE-SEP-"), r);
        assertTrue(r.contains("-m comment --comment \"default/two -> 10.244.61.7:80\" -j KUBE-SEP-"), r);
        String n = Tracer.of(s.withServices(List.of(two)).withProxy(s.proxy().withMode(ProxyMode.NFTABLES)))
                .rules("node-71");
        assertTrue(n.contains("numgen random mod 2 vmap { 0 : goto endpoint-"), n);
    }

    @Test
    void unknownNodeInRules() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Tracer.of(Fixtures.seed()).rules("node-7"));
        assertTrue(e.getMessage().startsWith("no node named node-7; known nodes: "), e.getMessage());
    }

    @Test
    void aClusterIpOutsideAnyNodeDoesNotPingInIptablesMode() {
        Trace t = Tracer.of(Fixtures.fixed()).trace("pod:default/busybox", "10.252.77.85", null);
        assertEquals(Verdict.NO_ROUTE, t.verdict(), t.toJson());
        Cidr c = Cidr.parse("10.252.77.0/24");
        assertTrue(c.contains(IpAddress.parse("10.252.77.85")));
    }
}
