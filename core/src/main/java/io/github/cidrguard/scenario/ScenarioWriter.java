package io.github.cidrguard.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.github.cidrguard.kube.DeclaredNetwork;
import io.github.cidrguard.kube.Lease;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Pod;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.Service;

import java.util.List;

/** Writes the model as a scenario file, keys in the order of docs/scenario-format.md, defaults left out. */
final class ScenarioWriter {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .build());
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ScenarioWriter() {
    }

    static String toYaml(Scenario s) {
        ObjectNode root = F.objectNode();
        root.put("cidrguard", Scenario.FORMAT);
        root.put("name", s.name());
        root.put("platform", s.platform().label());
        s.flannel().ifPresent(f -> {
            ObjectNode o = root.putObject("flannel");
            o.put("config", f.config());
            o.put("ipMasq", f.ipMasq());
            if (!f.leases().isEmpty()) {
                ArrayNode leases = o.putArray("leases");
                for (Lease l : f.leases()) {
                    leases.addObject().put("key", l.key()).put("publicIp", l.publicIp().toString());
                }
            }
        });
        ArrayNode nodes = root.putArray("nodes");
        for (Node n : s.nodes()) {
            ObjectNode o = nodes.addObject();
            o.put("name", n.name());
            o.put("ip", join(n.ips()));
            putList(o, "hostNetwork", n.hostNetworks());
            putList(o, "podCidr", n.podCidrs());
            o.put("rpFilter", n.rpFilter().label());
            n.docker().ifPresentOrElse(d -> o.put("docker", d.toString()), () -> o.put("docker", false));
        }
        s.kubernetes().ifPresent(k -> {
            ObjectNode o = root.putObject("kubernetes");
            putList(o, "serviceCidr", k.serviceCidrs());
            putList(o, "clusterDns", k.clusterDns());
            k.kubeProxy().ifPresent(p -> {
                ObjectNode kp = o.putObject("kubeProxy");
                kp.put("mode", p.mode().label());
                putList(kp, "clusterCidr", p.clusterCidrs());
                kp.put("detectLocalMode", p.detectLocalMode().label());
                kp.put("masqueradeAll", p.masqueradeAll());
                if (!p.nodePortAddresses().isEmpty()) {
                    array(kp.putArray("nodePortAddresses"), p.nodePortAddresses());
                }
            });
            if (!k.services().isEmpty()) {
                ArrayNode services = o.putArray("services");
                for (Service svc : k.services()) {
                    ObjectNode so = services.addObject();
                    so.put("name", svc.name());
                    so.put("clusterIp", svc.clusterIps().isEmpty() ? "None" : join(svc.clusterIps()));
                    array(so.putArray("ports"), svc.ports());
                    array(so.putArray("nodePorts"), svc.nodePorts());
                    array(so.putArray("endpoints"), svc.endpoints());
                    array(so.putArray("externalIps"), svc.externalIps());
                }
            }
        });
        if (!s.pods().isEmpty()) {
            ArrayNode pods = root.putArray("pods");
            for (Pod p : s.pods()) {
                ObjectNode o = pods.addObject().put("name", p.name()).put("ip", p.ip().toString());
                p.node().ifPresent(n -> o.put("node", n));
            }
        }
        if (!s.networks().isEmpty()) {
            ArrayNode nets = root.putArray("networks");
            for (DeclaredNetwork n : s.networks()) {
                nets.addObject().put("name", n.name()).put("cidr", n.cidr().toString());
            }
        }
        root.putObject("underlay").put("antiSpoofing", s.underlay().antiSpoofing());
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write scenario " + s.name() + " as YAML", e);
        }
    }

    private static void putList(ObjectNode o, String key, List<?> values) {
        if (!values.isEmpty()) {
            o.put(key, join(values));
        }
    }

    private static void array(ArrayNode a, List<?> values) {
        for (Object v : values) {
            a.add(v.toString());
        }
    }

    private static String join(List<?> values) {
        return values.stream().map(Object::toString).collect(java.util.stream.Collectors.joining(","));
    }
}
