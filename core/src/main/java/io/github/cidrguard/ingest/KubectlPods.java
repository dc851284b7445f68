package io.github.cidrguard.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cidrguard.kube.Pod;
import io.github.cidrguard.net.IpAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code kubectl get pods -A -o json}: each pod's name, IP ({@code status.podIPs[0]} or {@code status.podIP}) and node
 * ({@code spec.nodeName}). Pods without an IP yet (Pending) and pods on the host network (their IP is the node's) are
 * left out.
 */
final class KubectlPods {
    static final String COMMAND = "kubectl get pods -A -o json";

    private KubectlPods() {
    }

    static List<Pod> parse(String text, String source) {
        List<Pod> out = new ArrayList<>();
        for (JsonNode p : KubectlJson.items(text, "Pod", source, COMMAND)) { // streaming: one item at a time
            if (p.path("spec").path("hostNetwork").asBoolean(false)) {
                continue;
            }
            String name = KubectlJson.name(p, true);
            JsonNode status = p.path("status");
            String ip = status.path("podIPs").path(0).path("ip").asText(status.path("podIP").asText(""));
            if (ip.isEmpty()) {
                continue;
            }
            String node = p.path("spec").path("nodeName").asText("");
            out.add(new Pod(name, KubectlJson.ip(ip, "pod " + name + " status.podIP", source, COMMAND),
                    node.isEmpty() ? Optional.empty() : Optional.of(node)));
        }
        return out;
    }
}
