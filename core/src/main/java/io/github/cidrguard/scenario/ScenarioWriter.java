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
import io.github.cidrguard.kube.LoadBalancerPool;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Pod;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.Service;
import io.github.cidrguard.kube.ServicePort;
import io.github.cidrguard.kube.SubnetManager;
import io.github.cidrguard.kube.TrafficPolicy;
import io.github.cidrguard.net.AddressRange;

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
            // written whenever the reader would otherwise infer it, so a file means what the model meant
            if (f.subnetManager() == SubnetManager.KUBE
                    || s.kubernetes().flatMap(k -> k.controllerManager()).isPresent()) {
                o.put("subnetManager", f.subnetManager().label());
            }
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
            putList(o, "publicIp", n.publicIps());
            n.backend().ifPresent(b -> o.put("backend", b));
            n.rules().ifPresent(r -> {
                ObjectNode ro = o.putObject("rules");
                r.iptablesSave().ifPresent(f -> ro.put("iptablesSave", f));
                r.ip6tablesSave().ifPresent(f -> ro.put("ip6tablesSave", f));
                r.nftRuleset().ifPresent(f -> ro.put("nftRuleset", f));
            });
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
            k.controllerManager().ifPresent(cm -> {
                ObjectNode c = o.putObject("controllerManager");
                putList(c, "clusterCidr", cm.clusterCidrs());
                c.put("nodeCidrMaskSize", cm.nodeCidrMaskSize());
                c.put("nodeCidrMaskSizeIPv6", cm.nodeCidrMaskSizeIPv6());
            });
            if (!k.services().isEmpty()) {
                ArrayNode services = o.putArray("services");
                for (Service svc : k.services()) {
                    ObjectNode so = services.addObject();
                    so.put("name", svc.name());
                    so.put("clusterIp", svc.clusterIps().isEmpty() ? "None" : join(svc.clusterIps()));
                    if (svc.type() != Service.typeOf(svc.nodePorts(), svc.loadBalancerIps())) {
                        so.put("type", svc.type().label());
                    }
                    boolean longForm = svc.ports().stream().anyMatch(p -> !p.isShort());
                    ArrayNode ports = so.putArray("ports");
                    for (ServicePort p : svc.ports()) {
                        if (longForm) {
                            ObjectNode po = ports.addObject();
                            if (!p.name().isEmpty()) {
                                po.put("name", p.name());
                            }
                            po.put("port", p.port()).put("protocol", p.protocol());
                            if (!p.targetPort().isEmpty()) {
                                po.put("targetPort", p.targetPort());
                            }
                            if (p.nodePort() > 0) {
                                po.put("nodePort", p.nodePort());
                            }
                        } else {
                            ports.add(p.toString());
                        }
                    }
                    // long-form ports carry their node ports; the list is written only when they do not
                    if (svc.ports().stream().noneMatch(p -> p.nodePort() > 0)) {
                        array(so.putArray("nodePorts"), svc.nodePorts());
                    }
                    array(so.putArray("endpoints"), svc.endpoints());
                    array(so.putArray("externalIps"), svc.externalIps());
                    if (!svc.loadBalancerIps().isEmpty()) {
                        array(so.putArray("loadBalancerIps"), svc.loadBalancerIps());
                    }
                    if (svc.externalTrafficPolicy() != TrafficPolicy.CLUSTER) {
                        so.put("externalTrafficPolicy", svc.externalTrafficPolicy().label());
                    }
                    if (svc.internalTrafficPolicy() != TrafficPolicy.CLUSTER) {
                        so.put("internalTrafficPolicy", svc.internalTrafficPolicy().label());
                    }
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
        if (!s.loadBalancerPools().isEmpty()) {
            ArrayNode pools = root.putArray("loadBalancerPools");
            for (LoadBalancerPool p : s.loadBalancerPools()) {
                ArrayNode a = pools.addObject().put("name", p.name()).putArray("addresses");
                for (AddressRange r : p.addresses()) {
                    a.add(r.asCidr().map(Object::toString).orElse(r.toString()));
                }
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
