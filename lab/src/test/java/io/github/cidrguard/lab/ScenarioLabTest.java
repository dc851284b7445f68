package io.github.cidrguard.lab;

import io.github.cidrguard.kube.RpFilter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cidrguard.kube.Scenario;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScenarioLabTest {
    static final Oracle STUB = new Oracle() {
        @Override
        public String rules(String node) {
            return "";
        }

        @Override
        public Prediction predict(String from, String to, String port) {
            return new Prediction("DELIVERED", "", "", List.of(), "");
        }
    };

    static Scenario scenario(String file) {
        return Scenario.load(scenarioFile("lab/" + file));
    }

    @Test
    void storyBecomesTwoNodesTwoPodsOneGatewayAndDefaultFlows() {
        ScenarioLab lab = ScenarioLab.of(scenario("story.yaml"), STUB, LabOptions.defaults());
        assertEquals(LabSpec.Backend.VXLAN, lab.spec.backend());
        assertEquals(List.of("node-71", "node-72"), lab.spec.nodes().stream().map(LabSpec.Node::name).toList());
        assertEquals("10.252.61.0/24", lab.spec.node("node-72").orElseThrow().lease());
        assertEquals(1, lab.spec.gateways().size());
        assertEquals("10.252.158.254", lab.spec.gateways().get(0).ip());
        assertEquals("10.252.158.254", lab.spec.node("node-71").orElseThrow().gateway());
        assertEquals(Set.of(8080), lab.spec.listenPorts());
        LabFlow svc = lab.flows.stream().filter(f -> f.label().equals("pod:default/busybox -> svc:default/jenkins:80/TCP"))
                .findFirst().orElseThrow();
        assertEquals("10.252.77.85", svc.to());
        assertEquals(80, svc.port());
        assertEquals(Set.of("pod:default/jenkins"), svc.owners());
        assertTrue(lab.flows.stream().anyMatch(f -> f.label().equals("pod:default/busybox -> node:node-71")));
    }

    @Test
    void rpFilterOverrideAndExplicitFlows() {
        ScenarioLab lab = ScenarioLab.of(scenario("story.yaml"), STUB, LabOptions.defaults()
                .withRpFilter(RpFilter.LOOSE)
                .withFlows(List.of(new LabOptions.FlowRequest("pod:10.252.61.7", "10.252.158.71", "8080/TCP"))));
        assertTrue(lab.spec.nodes().stream().allMatch(n -> n.rpFilter() == RpFilter.LOOSE));
        assertEquals(1, lab.flows.size());
        assertEquals("pod:default/busybox", lab.flows.get(0).from());
        assertEquals(Set.of("node:node-71"), lab.flows.get(0).owners());
    }

    @Test
    void leaseOnlyNodeIsNamedAsTheTracerNamesIt() {
        ScenarioLab lab = ScenarioLab.of(Scenario.load(scenarioFile("seed.yaml")), STUB, LabOptions.defaults());
        assertEquals(List.of("node-71", "flannel@10.252.158.72"),
                lab.spec.nodes().stream().map(LabSpec.Node::name).toList());
        assertEquals("10.252.61.0/24", lab.spec.node("flannel@10.252.158.72").orElseThrow().lease());
        // busybox names node-72, which is only a lease: it lands on the lease's node
        assertEquals("flannel@10.252.158.72", lab.spec.pod("default/busybox").orElseThrow().node());
        // jenkins' endpoint becomes a pod named by its IP on node-71
        assertEquals("node-71", lab.spec.pod("10.252.100.5").orElseThrow().node());
    }

    /** A file under examples/scenarios (surefire and failsafe set cidrguard.root to the project root). */
    static Path scenarioFile(String name) {
        return Path.of(System.getProperty("cidrguard.root", ".."), "examples/scenarios", name);
    }
}
