package io.github.cidrguard.scenario;

import io.github.cidrguard.kube.NodeRules;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.ScenarioException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeRulesFormatTest {
    private static final String HEAD = "cidrguard: 1\nname: r\nnodes:\n  - name: node-71\n    ip: 10.0.0.71\n";

    @Test
    void aNodesSavedRulesAreReadAndWrittenBack() {
        Scenario s = Scenario.parse(HEAD + "    rules: {iptablesSave: node-71.iptables, nftRuleset: rules/node-71.nft}\n",
                "r.yaml");
        NodeRules r = s.nodes().get(0).rules().orElseThrow();
        assertEquals(Optional.of("node-71.iptables"), r.iptablesSave());
        assertEquals(Optional.empty(), r.ip6tablesSave());
        assertEquals(Optional.of("rules/node-71.nft"), r.nftRuleset());
        assertEquals(s, Scenario.parse(s.toYaml(), "again"), s.toYaml());
        assertTrue(Scenario.parse(HEAD, "r.yaml").nodes().get(0).rules().isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "rules: {iptablesSav: a}|6|iptablesSav",
            "rules: {}|6|rules names no file",
            "rules: a.iptables|6|rules"})
    void badRulesNameTheKeyAndLine(String yaml, int line, String message) {
        ScenarioException e = assertThrows(ScenarioException.class, () -> Scenario.parse(HEAD + "    " + yaml + "\n",
                "r.yaml"));
        assertTrue(e.getMessage().contains("line " + line) && e.getMessage().contains(message), e.getMessage());
    }
}
