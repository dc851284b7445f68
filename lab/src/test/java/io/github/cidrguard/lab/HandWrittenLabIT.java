package io.github.cidrguard.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cidrguard.lab.LabSpec.Backend;
import io.github.cidrguard.kube.RpFilter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The story of docs/architecture.md ("The story") built from a hand-written description, with hand-written predictions: the
 * lab's machinery checked against the kernel without the scenario model or the tracer.
 */
class HandWrittenLabIT {
    static final String BAD = "10.252.0.0/16";
    static final String POD_TO_NODE = "pod default/busybox -> node node-71";

    static LabSpec story(String network, String lease71, String lease72, String busybox, String jenkins,
            RpFilter rp) {
        return new LabSpec("story " + network + " rp_filter " + rp, Backend.VXLAN, 1, List.of(
                new LabSpec.Node("node-71", "10.252.158.71", 24, lease71, rp, FlannelRules.render(network, lease71)),
                new LabSpec.Node("node-72", "10.252.158.72", 24, lease72, rp, FlannelRules.render(network, lease72))),
                List.of(new LabSpec.Pod("default/jenkins", jenkins, "node-71"),
                        new LabSpec.Pod("default/busybox", busybox, "node-72")),
                Set.of(8080));
    }

    static List<LabFlow> flows(String busybox, String jenkins, Prediction podToNode) {
        Prediction ok = new Prediction("DELIVERED", "", "", List.of(), "");
        return List.of(
                new LabFlow("pod default/busybox -> pod default/jenkins", "pod:default/busybox", jenkins, null,
                        Set.of("pod:default/jenkins"), ok),
                new LabFlow("node node-72 -> node node-71", "node:node-72", "10.252.158.71", null,
                        Set.of("node:node-71"), ok),
                new LabFlow(POD_TO_NODE, "pod:default/busybox", "10.252.158.71", null, Set.of("node:node-71"),
                        podToNode),
                new LabFlow(POD_TO_NODE + " tcp", "pod:default/busybox", "10.252.158.71", 8080,
                        Set.of("node:node-71"), podToNode),
                new LabFlow("pod default/busybox -> node node-72", "pod:default/busybox", "10.252.158.72", 8080,
                        Set.of("node:node-72"), ok));
    }

    @Test
    void strictRpFilterDropsPodToOtherNodeOnTheOtherNode() {
        Prediction drop = new Prediction("DROPPED", "RP_FILTER", "node-71",
                List.of(new Prediction.RuleHit("node-72", FlannelRules.rule2(BAD, "10.252.61.0/24"))), "");
        LabReport r = Lab.run(story(BAD, "10.252.100.0/24", "10.252.61.0/24", "10.252.61.7", "10.252.100.5",
                RpFilter.STRICT), flows("10.252.61.7", "10.252.100.5", drop));
        System.out.println(r.toText());
        assertTrue(r.allAgree(), r::toText);
        assertEquals(List.of("node-71"), r.result(POD_TO_NODE).kernel().rpFilterDrops());
        assertTrue(r.result(POD_TO_NODE).unconfirmedRules().isEmpty(), r::toText);
    }

    @Test
    void looseRpFilterDelivers() {
        Prediction ok = new Prediction("DELIVERED", "", "", List.of(), "");
        LabReport r = Lab.run(story(BAD, "10.252.100.0/24", "10.252.61.0/24", "10.252.61.7", "10.252.100.5",
                RpFilter.LOOSE), flows("10.252.61.7", "10.252.100.5", ok));
        System.out.println(r.toText());
        assertTrue(r.allAgree(), r::toText);
    }

    @Test
    void fixedNetworkDeliversUnderStrictRpFilter() {
        Prediction ok = new Prediction("DELIVERED", "", "", List.of(), "");
        LabReport r = Lab.run(story("10.244.0.0/16", "10.244.1.0/24", "10.244.2.0/24", "10.244.2.7", "10.244.1.5",
                RpFilter.STRICT), flows("10.244.2.7", "10.244.1.5", ok));
        System.out.println(r.toText());
        assertTrue(r.allAgree(), r::toText);
    }
}
