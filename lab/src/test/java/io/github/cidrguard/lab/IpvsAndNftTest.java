package io.github.cidrguard.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cidrguard.kube.Scenario;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** IPVS detection and skipping, and the nft text the lab loads, without namespaces. */
class IpvsAndNftTest {
    /** An oracle whose rules carry kube-proxy's IPVS-mode chains beside flannel's, and whose traces name both. */
    static final Oracle IPVS_RULES = new Oracle() {
        @Override
        public String rules(String node) {
            return String.join("\n", "*nat", ":POSTROUTING ACCEPT [0:0]", ":KUBE-POSTROUTING - [0:0]",
                    ":FLANNEL-POSTRTG - [0:0]",
                    "-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING",
                    "-A POSTROUTING -m comment --comment \"flanneld masq\" -j FLANNEL-POSTRTG",
                    "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
                    "-A FLANNEL-POSTRTG -s 10.244.0.0/16 -d 10.244.0.0/16 -j RETURN", "COMMIT", "");
        }

        @Override
        public Prediction predict(String from, String to, String port) {
            return new Prediction("DELIVERED", "", "", List.of(
                    new Prediction.RuleHit("node-71", "-A POSTROUTING -m comment --comment \"kubernetes postrouting"
                            + " rules\" -j KUBE-POSTROUTING"),
                    new Prediction.RuleHit("node-71", "-A FLANNEL-POSTRTG -s 10.244.0.0/16 -d 10.244.0.0/16 -j"
                            + " RETURN")), "");
        }
    };

    static ScenarioLab ipvsLab(boolean ipvsAvailable) {
        return ScenarioLab.of(ScenarioLabTest.scenario("story-fixed-ipvs.yaml"), IPVS_RULES, LabOptions.defaults(),
                ipvsAvailable);
    }

    @Test
    void withoutIpvsTheFlowsToTheClusterIpAreSkippedWithTheReason() {
        ScenarioLab lab = ipvsLab(false);
        Set<String> svcFlows = lab.flows.stream().map(LabFlow::label).filter(l -> l.contains("-> svc:"))
                .collect(Collectors.toSet());
        assertEquals(4, svcFlows.size(), lab.flows.toString());
        assertEquals(svcFlows, lab.skipped.keySet());
        assertTrue(lab.skipped.values().stream().allMatch(r -> r.startsWith("IPVS not available in this kernel")));
        assertTrue(lab.notes.stream().anyMatch(n -> n.startsWith("IPVS not available in this kernel")), lab.notes::toString);
        assertEquals(12 - 4, lab.flows.size() - lab.skipped.size(), "the flows between pods and nodes are probed");
    }

    @Test
    void aKernelWithIpvsStillSkipsThemButSaysTheLabDoesNotBuildIt() {
        ScenarioLab lab = ipvsLab(true);
        assertEquals(4, lab.skipped.size());
        assertTrue(lab.skipped.values().stream().allMatch(r -> r.startsWith("kube-proxy's IPVS data plane is not built")));
    }

    @Test
    void kubeProxysRulesAreNeitherLoadedNorAskedOfTheCounters() {
        ScenarioLab lab = ipvsLab(false);
        String loaded = lab.spec.node("node-71").orElseThrow().iptables();
        assertFalse(loaded.contains("KUBE-"), loaded);
        assertTrue(loaded.contains("-A POSTROUTING -m comment --comment \"flanneld masq\" -j FLANNEL-POSTRTG"), loaded);
        assertTrue(loaded.contains(":FLANNEL-POSTRTG - [0:0]"), loaded);
        for (LabFlow f : lab.flows) {
            assertEquals(List.of("-A FLANNEL-POSTRTG -s 10.244.0.0/16 -d 10.244.0.0/16 -j RETURN"),
                    f.prediction().rules().stream().map(Prediction.RuleHit::rule).toList());
        }
    }

    @Test
    void iptablesModeScenariosSkipNothing() {
        ScenarioLab lab = ScenarioLab.of(ScenarioLabTest.scenario("story-fixed.yaml"), IPVS_RULES,
                LabOptions.defaults(), false);
        assertTrue(lab.skipped.isEmpty());
        assertTrue(lab.spec.node("node-71").orElseThrow().iptables().contains("KUBE-POSTROUTING"));
    }

    @Test
    void aRunWhoseFlowsWereAllSkippedIsNoSuccess() {
        LabFlow f = new LabFlow("a -> b", "pod:a", "10.0.0.1", null, Set.of(), new Prediction("DELIVERED", "", "",
                List.of(), ""));
        LabReport all = new LabReport("s", "vxlan", List.of(FlowResult.skipped(f, "IPVS not available in this kernel")),
                List.of());
        assertFalse(all.allAgree(), "nothing probed proves nothing");
        assertEquals(0, all.probed());
        assertTrue(all.toText().contains("SKIP  a -> b") && all.toText().contains("nothing probed"), all.toText());
        assertTrue(all.toJson().contains("\"skipped\" : 1"), all.toJson());
        KernelOutcome ok = new KernelOutcome("DELIVERED", "", List.of(), List.of(), List.of(), "");
        LabReport some = new LabReport("s", "vxlan", List.of(FlowResult.skipped(f, "why"), FlowResult.compare(f, ok)),
                List.of());
        assertTrue(some.allAgree(), "the probed flow agrees, the skipped one is reported");
        LabReport diff = new LabReport("s", "vxlan", List.of(FlowResult.compare(f, new KernelOutcome("DROPPED", "",
                List.of(), List.of(), List.of(), ""))), List.of());
        assertFalse(diff.allAgree());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "type nat hook prerouting priority dstnat; policy accept;|type nat hook prerouting priority -100; policy accept;",
            "type filter hook output priority dstnat - 10; policy accept;|type filter hook output priority -110; policy accept;",
            "type filter hook output priority dstnat + 10; policy accept;|type filter hook output priority -90; policy accept;",
            "type nat hook postrouting priority srcnat; policy accept;|type nat hook postrouting priority 100; policy accept;",
            "type filter hook forward priority filter; policy accept;|type filter hook forward priority 0; policy accept;",
            "type filter hook input priority -110; policy accept;|type filter hook input priority -110; policy accept;",
            "ip daddr 10.0.0.1 drop|ip daddr 10.0.0.1 drop",
    })
    void namedPrioritiesBecomeTheNumbersTheyStandFor(String in, String out) {
        assertEquals("\t\t" + out, TracerOracle.numericPriority("\t\t" + in));
    }

    @Test
    void onlyTheTablesOfARenderAreLoadedEachReplacingItself() {
        String render = String.join("\n", "# iptables-save / nft list ruleset", "*nat", "COMMIT",
                "table ip flannel-ipv4 {", "\tchain postrtg {",
                "\t\ttype nat hook postrouting priority srcnat; policy accept;", "\t}", "}", "# ip route show table all",
                "default via 10.0.0.1 dev eth0");
        assertEquals(String.join("\n", "table ip flannel-ipv4", "delete table ip flannel-ipv4", "table ip flannel-ipv4 {",
                "\tchain postrtg {", "\t\ttype nat hook postrouting priority 100; policy accept;", "\t}", "}", ""),
                TracerOracle.nftRuleset(render));
        assertEquals("", TracerOracle.nftRuleset("*nat\nCOMMIT\n"));
    }

    @Test
    void theMatrixScenariosParse() {
        for (String f : List.of("story-nftables.yaml", "story-fixed-nftables.yaml", "story-enable-nftables.yaml",
                "story-fixed-ipvs.yaml", "known-disagreement-nft-hairpin.yaml")) {
            Scenario s = ScenarioLabTest.scenario(f);
            assertFalse(ScenarioLab.of(s, ScenarioLabTest.STUB, LabOptions.defaults()).flows.isEmpty(), f);
        }
    }
}
