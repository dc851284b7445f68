package io.github.cidrguard.ingest;

import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kubectl Lists read streaming, item by item: the same answers as a whole tree, errors with their lines. */
class KubectlStreamingTest {
    static String node(int i) {
        return "{\"apiVersion\": \"v1\", \"kind\": \"Node\",\n \"metadata\": {\"name\": \"node-" + i + "\", \"labels\":"
                + " {\"kubernetes.io/hostname\": \"node-" + i + "\"}},\n \"spec\": {\"podCIDR\": \"10.244." + i
                + ".0/24\", \"podCIDRs\": [\"10.244." + i + ".0/24\"]},\n \"status\": {\"addresses\": [{\"type\":"
                + " \"InternalIP\", \"address\": \"10.0.0." + (10 + i) + "\"}, {\"type\": \"Hostname\", \"address\":"
                + " \"node-" + i + "\"}]}}";
    }

    /** kubectl's order: apiVersion, items, kind, metadata — the List's kind comes after its items. */
    static String list(int n) {
        StringBuilder b = new StringBuilder("{\n\"apiVersion\": \"v1\",\n\"items\": [\n");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",\n").append(node(i));
        }
        return b.append("\n],\n\"kind\": \"List\",\n\"metadata\": {\"resourceVersion\": \"\"}\n}\n").toString();
    }

    @Test
    void aListReadsItemByItemInOrder() {
        Scenario s = ScenarioImport.named("t").withKubectlNodes(list(200), "nodes.json").toScenario();
        assertEquals(200, s.nodes().size());
        for (int i = 0; i < 200; i++) {
            assertEquals("node-" + i, s.nodes().get(i).name());
            assertEquals(List.of(IpAddress.parse("10.0.0." + (10 + i))), s.nodes().get(i).ips());
            assertEquals(List.of(Cidr.parse("10.244." + i + ".0/24")), s.nodes().get(i).podCidrs());
        }
    }

    @Test
    void oneNodeObjectIsItsOwnItem() {
        Scenario s = ScenarioImport.named("t").withKubectlNodes(node(3), "node.json").toScenario();
        assertEquals(1, s.nodes().size());
        assertEquals("node-3", s.nodes().get(0).name());
    }

    @Test
    void theSameListInYamlGivesTheSameNodes() {
        StringBuilder y = new StringBuilder("apiVersion: v1\nitems:\n");
        for (int i = 0; i < 3; i++) {
            y.append("- kind: Node\n  metadata: {name: node-").append(i).append("}\n  spec: {podCIDR: 10.244.")
                    .append(i).append(".0/24}\n  status:\n    addresses:\n    - {type: InternalIP, address: 10.0.0.")
                    .append(10 + i).append("}\n");
        }
        y.append("kind: List\n");
        assertEquals(ScenarioImport.named("t").withKubectlNodes(list(3), "a.json").toScenario().nodes(),
                ScenarioImport.named("t").withKubectlNodes(y.toString(), "a.yaml").toScenario().nodes());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // what                    | text                                                                         | message
            "item of another kind      | '{\"items\": [\n{\"kind\": \"Node\", \"metadata\": {\"name\": \"a\"}, \"status\": {\"addresses\": [{\"type\": \"InternalIP\", \"address\": \"10.0.0.1\"}]}},\n\n{\"kind\": \"Pod\"}], \"kind\": \"List\"}' | nodes.json line 4: items[1] has kind 'Pod', not Node; give the output of kubectl get nodes -o json",
            "syntax error in an item   | '{\"items\": [\n{\"kind\": \"Node\",\n \"metadata\": {\"name\": \"a\",}}]}' | nodes.json line 3: is not valid JSON or YAML (Unexpected character ('}' (code 125)): was expecting double-quote to start field name); give the output of kubectl get nodes -o json",
            "not a List nor a Node     | '{\"kind\": \"Service\", \"metadata\": {}}'                                  | nodes.json: has kind 'Service', not Node or a List of them; give the output of kubectl get nodes -o json",
            "an array                  | '[1, 2]'                                                                     | nodes.json: is not a Kubernetes object; give the output of kubectl get nodes -o json",
            "trailing content          | '{\"items\": []}\n{}'                                                        | nodes.json line 2: has content after the object; give the output of kubectl get nodes -o json",
            "leading blank lines count | '\n\n\n{\"items\": [\n{,}]}'                                                  | nodes.json line 5: is not valid JSON or YAML (Unexpected character (',' (code 44)): was expecting double-quote to start field name); give the output of kubectl get nodes -o json",
    })
    void errorsNameTheFileAndTheLine(String what, String text, String message) {
        ImportException e = assertThrows(ImportException.class,
                () -> ScenarioImport.named("t").withKubectlNodes(text, "nodes.json"));
        assertEquals(message, e.getMessage());
    }

    @Test
    void anEmptyListOrNullItemsHasNoNodes() {
        ScenarioImport none = ScenarioImport.named("t").withKubectlNodes("{\"items\": [], \"kind\": \"List\"}", "a")
                .withKubectlNodes("{\"items\": null, \"kind\": \"List\"}", "b");
        assertTrue(none.withKubectlNodes(node(1), "c").toScenario().nodes().size() == 1);
    }

    @Test
    void nestingPastTheLimitNamesTheLimit() {
        String deep = "{\"items\": [{\"kind\": \"Node\", \"x\": " + "[".repeat(200) + "]".repeat(200) + "}]}";
        ImportException e = assertThrows(ImportException.class,
                () -> ScenarioImport.named("t").withKubectlNodes(deep, "nodes.json"));
        assertTrue(e.getMessage().startsWith("nodes.json: nests objects and lists 101 levels deep, more than the"
                + " limit of 100 (cidrguard.input.maxNesting)"), e.getMessage());
    }

    @Test
    void yamlAliasesAreNotExpanded() {
        StringBuilder b = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 12; i++) {
            b.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                b.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            b.append("]\n");
        }
        b.append("kind: Node\nmetadata: {name: n, labels: *a11}\nstatus: {addresses: [{type: InternalIP, address:"
                + " 10.0.0.1}]}\n");
        // 10^12 strings if aliases were expanded; Jackson reports each alias as its anchor's name instead
        Scenario s = ScenarioImport.named("t").withKubectlNodes(b.toString(), "laughs.yaml").toScenario();
        assertEquals(1, s.nodes().size());
    }
}
