package io.github.cidrguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cidrguard.analysis.Analysis;
import io.github.cidrguard.kube.Scenario;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImportCommandTest {
    static String fx(String name) {
        return Run.file("core/src/test/resources/io/github/cidrguard/ingest/import/" + name);
    }

    @Test
    void importsTheSeedFixturesAndTheResultChecksLikeTheStory() {
        Run r = Run.of("import", "--name", "seed-2017", "--nodes", fx("nodes.json"), "--services", fx("services.json"),
                "--pods", fx("pods.json"), "--flannel-configmap", fx("kube-flannel-cfg.yaml"),
                "--kube-proxy-configmap", fx("kube-proxy.json"), "--subnet-env", "node-71=" + fx("node-71.subnet.env"),
                "--iptables-save", "node-71=" + fx("node-71.iptables"), "--ip-route", "node-71=" + fx("node-71.route"),
                "--service-cidr", "10.252.77.0/24");
        assertEquals(0, r.code(), r.err());
        // node-71 carries flanneld's kube-subnet-manager annotation: kube mode, said once on stderr
        assertTrue(r.err().startsWith("note: kube mode (flanneld --kube-subnet-mgr): node node-71 carries the")
                && r.err().strip().split("\nnote: ").length == 1, r.err());
        Scenario s = Scenario.parse(r.out(), "out");
        assertEquals(Analysis.of(Scenario.load(java.nio.file.Path.of(fx("seed-imported.yaml")))).errors(), Analysis.of(s).errors());
        Run check = Run.withStdin(r.out(), "check", "-");
        assertEquals(1, check.code());
        // kube mode: SUBNET_RANGE_COVERS_HOST_NETWORK (SubnetMin..SubnetMax) is etcd's, so one error fewer than etcd
        assertTrue(check.out().startsWith("seed-2017: 4 errors, 1 warning"), check.out());
        assertTrue(!check.out().contains("SUBNET_RANGE_COVERS_HOST_NETWORK"), check.out());
    }

    @Test
    void nodeLocalOnlyWithNotesOnStderrAndJson() throws Exception {
        Run r = Run.of("import", "--iptables-save", "node-71=" + fx("node-71.iptables"), "--ip-route",
                "node-71=" + fx("node-71.route"), "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode note = CheckCommandTest.JSON.readTree(r.err().lines().findFirst().orElseThrow());
        assertEquals(1, note.get("cidrguard").asInt(), r.err());
        assertTrue(note.get("note").asText().startsWith("flannel's config is not given: Network 10.252.0.0/16"),
                r.err());
        JsonNode j = CheckCommandTest.JSON.readTree(r.out());
        assertEquals("imported", j.get("name").asText());
        assertEquals("10.252.158.0/24", j.get("nodes").get(0).get("hostNetwork").asText());
    }

    @Test
    void notesAreTextWithoutJsonAndFailOnlyWhenStrict() {
        String[] args = {"import", "--iptables-save", "node-71=" + fx("node-71.iptables"), "--ip-route",
                "node-71=" + fx("node-71.route")};
        Run plain = Run.of(args);
        assertEquals(0, plain.code(), plain.err());
        assertTrue(plain.err().startsWith("note: flannel's config is not given: Network 10.252.0.0/16"), plain.err());
        String[] strict = java.util.Arrays.copyOf(args, args.length + 1);
        strict[args.length] = "--strict";
        Run r = Run.of(strict);
        assertEquals(1, r.code(), r.err());
        assertEquals(plain.out(), r.out(), "--strict changes the exit code, not the scenario");
    }

    @Test
    void ip6RouteAddsTheIpv6HalfOfANode() throws Exception {
        Run r = Run.of("import", "--iptables-save", "node-71=" + fx("node-71.iptables"), "--ip-route",
                "node-71=" + fx("node-71.route"), "--ip6-route", "node-71=" + fx("node-71-v6.route"), "--format",
                "json");
        assertEquals(0, r.code(), r.err());
        JsonNode n = CheckCommandTest.JSON.readTree(r.out()).get("nodes").get(0);
        assertEquals("10.252.158.71,fd00:10:252:158::71", n.get("ip").asText(), n.toString());
        assertEquals("10.252.158.0/24,fd00:10:252:158::/64", n.get("hostNetwork").asText(), n.toString());
        assertEquals("10.252.100.0/24,fd00:10:244:1::/64", n.get("podCidr").asText(), n.toString());
        // an ip -6 route alone names its node too
        assertEquals(0, Run.of("import", "--ip6-route", "node-71=" + fx("node-71-v6.route")).code());
    }

    @Test
    void ip6tablesSaveAndNftRulesetAddTheirFactsPerNode() throws Exception {
        Run r = Run.of("import", "--iptables-save", "node-71=" + fx("node-71.iptables"), "--ip6tables-save",
                "node-71=" + fx("node-71.ip6tables"), "--ip-route", "node-71=" + fx("node-71.route"), "--format",
                "json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = CheckCommandTest.JSON.readTree(r.out());
        assertEquals("10.252.100.0/24,fd00:10:244:64::/64", j.get("nodes").get(0).get("podCidr").asText(), r.out());
        assertTrue(j.get("flannel").get("config").asText().contains("\"IPv6Network\": \"fd00:10:244::/56\""),
                r.out());
        Run nft = Run.of("import", "--nft-ruleset", "node-71=" + fx("node-71.nft"), "--ip-route",
                "node-71=" + fx("node-71.route"), "--format", "json");
        assertEquals(0, nft.code(), nft.err());
        JsonNode kp = CheckCommandTest.JSON.readTree(nft.out()).get("kubernetes").get("kubeProxy");
        assertEquals("nftables", kp.get("mode").asText(), nft.out());
        Run bad = Run.of("import", "--nft-ruleset", "node-71=" + fx("node-71.iptables"));
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("node-71.iptables line 2: '*mangle' is not a line nft list ruleset writes"),
                bad.err());
    }

    @Test
    void badInputIsOneLineExitTwo() {
        Run r = Run.of("import", "--nodes", fx("services.json"));
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("cidrguard import: services.json line 4: items[0] has kind 'Service', not Node"),
                r.err());
        assertEquals(1, r.err().strip().lines().count());
        assertEquals(2, Run.of("import", "--services", fx("services.json")).code(), "no node anywhere");
        assertEquals(2, Run.of("import", "--ip-route", "nodeonly").code(), "NODE=FILE");
    }
}
