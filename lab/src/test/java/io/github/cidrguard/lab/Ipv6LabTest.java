package io.github.cidrguard.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the lab makes of IPv6 and dual-stack scenarios, without building anything (no root needed). */
class Ipv6LabTest {
    static Scenario scenario(String file) {
        return Scenario.load(ScenarioLabTest.scenarioFile("lab/" + file));
    }

    static LabExpectations expectations(String file) {
        return LabExpectations.load(ScenarioLabTest.scenarioFile("lab/" + file));
    }

    @Test
    void dualStackNodesAndPodsGetBothFamilies() {
        ScenarioLab lab = ScenarioLab.of(scenario("story-dual-stack.yaml"), ScenarioLabTest.STUB, LabOptions.defaults());
        LabSpec.Node n72 = lab.spec.node("node-72").orElseThrow();
        assertEquals("10.252.158.72", n72.ip());
        assertEquals("10.252.61.0/24", n72.lease());
        assertEquals("fd00:10:252:158::72", n72.v6().ip());
        assertEquals(64, n72.v6().prefixLength());
        assertEquals("fd00:10:252:61::/64", n72.v6().lease());
        // flannel's rules for IPv6, written by the lab while the tracer renders none
        assertEquals(Ipv6FlannelRules.ip6tables(Cidr.parse("fd00:10:252::/48"), Cidr.parse("fd00:10:252:61::/64"),
                true), n72.v6().ip6tables());
        assertEquals("", n72.v6().nftables());
        LabSpec.Pod busybox = lab.spec.pod("default/busybox").orElseThrow();
        assertEquals("10.252.61.7", busybox.ip());
        assertEquals("fd00:10:252:61::7", busybox.ip6());
        assertEquals(2, lab.spec.pods().size(), "each dual-stack pod is one namespace with both addresses");
        assertEquals(LabSpec.Underlay6.IPV6, lab.spec.underlay6());
    }

    @Test
    void ipv6OnlyNodesHaveNoIpv4AndNoGateway() {
        ScenarioLab lab = ScenarioLab.of(scenario("story-ipv6.yaml"), ScenarioLabTest.STUB, LabOptions.defaults());
        for (LabSpec.Node n : lab.spec.nodes()) {
            assertNull(n.ip(), n.name());
            assertNull(n.lease(), n.name());
            assertNull(n.gateway(), n.name());
            assertTrue(n.v6().ip6tables().contains("-A FLANNEL-POSTRTG -s " + n.v6().lease()
                    + " -d fd00:10:252::/48 -m comment --comment \"flanneld masq\" -j RETURN"), n.v6().ip6tables());
        }
        assertTrue(lab.spec.gateways().isEmpty());
        assertTrue(lab.flows.stream().allMatch(LabFlow::ipv6));
    }

    /** The default IPv6 flows are exactly those the expectation file names, plus the skipped ClusterIP ones. */
    @Test
    void defaultIpv6FlowsAreTheExpectedOnesAndTheClusterIpOnesAreSkipped() {
        for (String file : List.of("story-ipv6", "story-dual-stack", "story-fixed-dual-stack", "host-gw-dual-stack",
                "story-dual-stack-enable-nftables")) {
            LabExpectations e = expectations(file + ".expect.yml");
            ScenarioLab lab = ScenarioLab.of(scenario(file + ".yaml"), ScenarioLabTest.STUB,
                    LabOptions.defaults().withExpectations(e));
            List<LabFlow> v6 = lab.flows.stream().filter(LabFlow::ipv6).toList();
            assertEquals(e.labels(), Set.copyOf(v6.stream().map(LabFlow::label)
                    .filter(l -> !lab.skipped.containsKey(l)).toList()), file);
            assertEquals(file.startsWith("host-gw") ? 0 : 4, v6.stream().filter(f -> lab.skipped.containsKey(f.label()))
                    .count(), file);
            assertTrue(lab.skipped.values().stream().allMatch(ScenarioLab.NO_KUBE_PROXY6::equals), file);
            for (LabFlow f : v6) {
                assertEquals(lab.skipped.containsKey(f.label()) ? Prediction.Source.NONE
                        : Prediction.Source.EXPECTATION, f.prediction().source(), f.label());
                assertTrue(f.to().contains(":"), f.label());
            }
            assertTrue(lab.notes.stream().noneMatch(n -> n.startsWith("expectation for")), file);
        }
    }

    @Test
    void anIpv6FlowWithoutExpectationIsReportedButCheckedAgainstNothing() {
        ScenarioLab lab = ScenarioLab.of(scenario("story-ipv6.yaml"), ScenarioLabTest.STUB, LabOptions.defaults()
                .withFlows(List.of(new LabOptions.FlowRequest("pod:default/busybox", "node:node-71", null,
                        IpFamily.IPV6))));
        LabFlow f = lab.flows.get(0);
        assertEquals(Prediction.Source.NONE, f.prediction().source());
        KernelOutcome delivered = new KernelOutcome("DELIVERED", "node:node-71", List.of(), List.of(), List.of(), "");
        FlowResult r = FlowResult.compare(f, delivered);
        assertFalse(r.checked());
        assertFalse(r.agree());
        LabReport report = new LabReport("x", "vxlan", List.of(r), List.of());
        assertFalse(report.allAgree(), "a run that checked nothing is no success");
        assertTrue(report.toText().contains("1 probed but checked against nothing"), report.toText());
        assertTrue(report.toJson().contains("\"checkedAgainst\" : \"nothing\""), report.toJson());
    }

    @Test
    void aKernelVerdictOtherThanTheExpectedOneFailsTheRun() {
        ScenarioLab lab = ScenarioLab.of(scenario("story-ipv6.yaml"), ScenarioLabTest.STUB, LabOptions.defaults()
                .withFlows(List.of(new LabOptions.FlowRequest("pod:default/busybox", "node:node-71", null,
                        IpFamily.IPV6)))
                .withExpectations(expectations("story-ipv6.expect.yml")));
        LabFlow f = lab.flows.get(0);
        FlowResult dropped = FlowResult.compare(f, new KernelOutcome("DROPPED", "", List.of(), List.of(), List.of(),
                ""));
        assertTrue(dropped.checked());
        assertFalse(dropped.agree());
        assertEquals("expected DELIVERED, kernel DROPPED", dropped.note());
        LabReport bad = new LabReport("x", "vxlan", List.of(dropped), List.of());
        assertFalse(bad.allAgree());
        FlowResult ok = FlowResult.compare(f, new KernelOutcome("DELIVERED", "node:node-71", List.of(), List.of(),
                List.of(), ""));
        LabReport good = new LabReport("x", "vxlan", List.of(ok), List.of());
        assertTrue(good.allAgree());
        assertTrue(good.toText().contains("0/0 flows agree with the tracer, 1/1 match their expected kernel verdicts"
                + " (tracer: IPv6 not modelled)"), good.toText());
        // the JSON never claims agreement with the tracer for it
        assertTrue(good.toJson().contains("\"agree\" : false"), good.toJson());
        assertTrue(good.toJson().contains("\"verdict\" : \"NOT_MODELLED\""), good.toJson());
        assertTrue(good.toJson().contains("\"matches\" : true"), good.toJson());
    }

    @Test
    void flowFamilyAndLabel() {
        Object[][] cases = {
            {"pod:a", "node:n", null, null, IpFamily.IPV4, "pod:a -> node:n"},
            {"pod:a", "node:n", null, IpFamily.IPV6, IpFamily.IPV6, "pod:a -> node:n IPv6"},
            {"pod:a", "fd00::1", "80/TCP", null, IpFamily.IPV6, "pod:a -> fd00::1 80/TCP IPv6"},
            {"pod:a", "pod:fd00::5", null, null, IpFamily.IPV6, "pod:a -> pod:fd00::5 IPv6"},
            {"pod:a", "pod:default/b", null, null, IpFamily.IPV4, "pod:a -> pod:default/b"},
            {"pod:a", "svc:default/b:80/TCP", null, null, IpFamily.IPV4, "pod:a -> svc:default/b:80/TCP"},
            {"pod:a", "10.0.0.1", null, null, IpFamily.IPV4, "pod:a -> 10.0.0.1"},
        };
        for (Object[] c : cases) {
            LabOptions.FlowRequest r = new LabOptions.FlowRequest((String) c[0], (String) c[1], (String) c[2],
                    (IpFamily) c[3]);
            assertEquals(c[4], r.family(), r.toString());
            assertEquals(c[5], r.label());
        }
    }

    @Test
    void expectationFilesAreStrict(@TempDir Path dir) throws Exception {
        Path noVersion = Files.writeString(dir.resolve("a.expect.yml"), "flows: {\"x\": DELIVERED}\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabExpectations.load(noVersion)).getMessage()
                .contains("write 'cidrguard-lab-expect: 1'"));
        Path badVerdict = Files.writeString(dir.resolve("b.expect.yml"), "cidrguard-lab-expect: 1\nflows: {x: OK}\n");
        String m = assertThrows(IllegalArgumentException.class, () -> LabExpectations.load(badVerdict)).getMessage();
        assertTrue(m.contains("flow 'x' expects 'OK'") && m.contains("DELIVERED"), m);
        Path scenario = Files.writeString(dir.resolve("b.yaml"), "");
        assertEquals(badVerdict, LabExpectations.besides(scenario).orElseThrow());
        assertTrue(LabExpectations.besides(dir.resolve("c.yaml")).isEmpty());
        assertEquals(Map.of("x", "DELIVERED"), Map.of("x", LabExpectations.of(Map.of("x", "DELIVERED"), "t")
                .verdict("x").orElseThrow()));
    }

    @Test
    void flannelsIpv6RulesAsFlannelWritesThem() {
        Cidr n = Cidr.parse("fd00:10:244::/48");
        Cidr l = Cidr.parse("fd00:10:244:1::/64");
        String ipt = Ipv6FlannelRules.ip6tables(n, l, true);
        assertTrue(ipt.contains("-A FLANNEL-POSTRTG -s fd00:10:244::/48 ! -d ff00::/8 -m comment --comment"
                + " \"flanneld masq\" -j MASQUERADE --random-fully\n"), ipt);
        assertTrue(ipt.contains("-A FLANNEL-POSTRTG ! -s fd00:10:244::/48 -d fd00:10:244:1::/64 -m comment --comment"
                + " \"flanneld masq\" -j RETURN\n"), ipt);
        assertFalse(Ipv6FlannelRules.ip6tables(n, l, false).contains("*nat"));
        String nft = Ipv6FlannelRules.nftables(n, l, true);
        assertTrue(nft.startsWith("table ip6 flannel-ipv6\ndelete table ip6 flannel-ipv6\ntable ip6 flannel-ipv6 {"));
        assertTrue(nft.contains("ip6 saddr != fd00:10:244:1::/64 ip6 daddr fd00:10:244::/48 return"), nft);
        assertTrue(nft.contains("type nat hook postrouting priority 100;"), nft);
    }

    @Test
    void snmp6CountersBecomeGroupDotName() {
        Map<String, Long> m = Prober.parseSnmp6("Ip6InReceives                   \t7\nIcmp6OutEchoReplies \t2\n"
                + "Udp6InDatagrams 3\nUdpLite6InErrors 0\nIp6InOctets x\n");
        assertEquals(Map.of("Ip6.InReceives", 7L, "Icmp6.OutEchoReplies", 2L, "Udp6.InDatagrams", 3L,
                "UdpLite6.InErrors", 0L), m);
    }

    /** The tracer renders flannel's IPv6 rules as the lab's own copy of them writes them (iptables and nft). */
    @Test
    void theTracersFlannelIpv6RulesAreTheLabsOwn() {
        Cidr l = Cidr.parse("fd00:10:252:61::/64");
        Cidr n = Cidr.parse("fd00:10:252::/48");
        Scenario s = scenario("story-dual-stack.yaml");
        String tracer = new TracerOracle(s).ip6tables("node-72");
        List<String> own = Ipv6FlannelRules.ip6tables(n, l, true).lines().filter(x -> x.startsWith("-A")).toList();
        assertEquals(10, own.size()); // flannel's jump, mark RETURN, 5 masquerade rules, 3 forward rules
        for (String rule : own) {
            assertTrue(tracer.lines().anyMatch(rule::equals), rule + "\n" + tracer);
        }
        String nft = new TracerOracle(scenario("story-dual-stack-enable-nftables.yaml")).nftables6("node-72");
        List<String> ownNft = Ipv6FlannelRules.nftables(n, l, true).lines().map(String::strip)
                .filter(x -> x.contains("saddr") || x.contains("daddr") || x.startsWith("meta mark")).toList();
        assertEquals(8, ownNft.size()); // mark return, 5 masquerade rules, 2 forward rules
        for (String rule : ownNft) {
            assertTrue(nft.lines().map(String::strip).anyMatch(rule::equals), rule + "\n" + nft);
        }
        assertTrue(nft.startsWith("table ip6 flannel-ipv6\ndelete table ip6 flannel-ipv6\n"), nft);
    }

    /**
     * With the tracer's oracle every IPv6 flow is the tracer's, the expectation file's verdict attached as a second
     * check; flows to an IPv6 Service are probed in kube-proxy's iptables mode and skipped in nftables mode.
     */
    @Test
    void theTracerPredictsIpv6FlowsAndTheExpectationIsASecondCheck() {
        for (String file : List.of("story-ipv6", "story-dual-stack", "story-fixed-dual-stack", "host-gw-dual-stack",
                "story-dual-stack-enable-nftables")) {
            LabExpectations e = expectations(file + ".expect.yml");
            Scenario sc = scenario(file + ".yaml");
            ScenarioLab lab = ScenarioLab.of(sc, new TracerOracle(sc), LabOptions.defaults().withExpectations(e));
            List<LabFlow> v6 = lab.flows.stream().filter(LabFlow::ipv6).toList();
            assertEquals(file.endsWith("nftables") ? 4 : 0, lab.skipped.size(), file);
            assertEquals(file.startsWith("host-gw") || file.endsWith("nftables") ? 14 : 18,
                    v6.stream().filter(f -> !lab.skipped.containsKey(f.label())).count(), file);
            for (LabFlow f : v6) {
                if (lab.skipped.containsKey(f.label())) {
                    assertEquals(ScenarioLab.NO_KUBE_PROXY6, lab.skipped.get(f.label()), file);
                    continue;
                }
                assertEquals(Prediction.Source.TRACER, f.prediction().source(), f.label());
                assertEquals(e.verdict(f.label()).orElse(""), f.prediction().expected(), f.label());
                assertEquals("DELIVERED", f.prediction().verdict(), file + " " + f.label());
            }
            assertTrue(lab.spec.nodes().stream().allMatch(n -> n.v6() == null || !n.v6().ip6tables().isEmpty()
                    || !n.v6().nftables().isEmpty()), file);
        }
    }

    @Test
    void aKernelVerdictOtherThanTheExpectationFailsATracerFlowToo() {
        LabFlow f = new LabFlow("a -> b IPv6", "pod:a", "fd00::1", null, Set.of(),
                new Prediction("DELIVERED", "", "", List.of(), "").withExpected("DROPPED"));
        FlowResult r = FlowResult.compare(f, new KernelOutcome("DELIVERED", "pod:b", List.of(), List.of(), List.of(),
                ""));
        assertTrue(r.checked());
        assertFalse(r.agree());
        assertEquals("the expectation file says DROPPED, kernel DELIVERED", r.note());
        LabReport report = new LabReport("x", "vxlan", List.of(r), List.of());
        assertFalse(report.allAgree());
        assertTrue(report.toJson().contains("\"matches\" : false"), report.toJson());
        FlowResult both = FlowResult.compare(new LabFlow("a -> b IPv6", "pod:a", "fd00::1", null, Set.of(),
                new Prediction("DROPPED", "", "", List.of(), "").withExpected("DROPPED")),
                new KernelOutcome("DROPPED", "", List.of(), List.of(), List.of(), ""));
        assertTrue(both.agree(), both.note());
    }
}
