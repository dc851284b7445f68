package io.github.cidrguard.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cidrguard.kube.Service;
import io.github.cidrguard.kube.ServicePort;
import io.github.cidrguard.kube.ServiceType;
import io.github.cidrguard.kube.TrafficPolicy;
import io.github.cidrguard.net.IpAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code kubectl get svc -A -o json}: each service's ClusterIPs ({@code spec.clusterIPs}, or {@code spec.clusterIP};
 * {@code None} for a headless service), ports with their names and target ports, node ports,
 * {@code spec.externalIPs}, {@code spec.type}, the traffic policies and the load-balancer addresses
 * ({@code status.loadBalancer.ingress[].ip}). ExternalName services (DNS aliases) are left out.
 */
final class KubectlServices {
    static final String COMMAND = "kubectl get svc -A -o json";

    private KubectlServices() {
    }

    static List<Service> parse(String text, String source) {
        List<Service> out = new ArrayList<>();
        for (JsonNode s : KubectlJson.items(text, "Service", source, COMMAND)) { // streaming: one item at a time
            String name = KubectlJson.name(s, true);
            JsonNode spec = s.path("spec");
            if (spec.path("type").asText("").equals("ExternalName")) {
                continue; // a DNS alias: no address of its own
            }
            List<String> texts = new ArrayList<>();
            spec.path("clusterIPs").forEach(c -> texts.add(c.asText()));
            if (texts.isEmpty() && spec.hasNonNull("clusterIP")) {
                texts.add(spec.path("clusterIP").asText());
            }
            List<IpAddress> ips = new ArrayList<>();
            for (String t : texts) {
                if (!t.isEmpty() && !t.equals("None")) {
                    ips.add(KubectlJson.ip(t, "service " + name + " spec.clusterIPs", source, COMMAND));
                }
            }
            List<ServicePort> ports = new ArrayList<>();
            List<ServicePort> nodePorts = new ArrayList<>();
            for (JsonNode p : spec.path("ports")) {
                String proto = p.path("protocol").asText("TCP").toUpperCase(Locale.ROOT);
                ServicePort sp = port(p.path("port").asInt(), proto, name, source);
                String target = p.path("targetPort").asText("");
                // kube-apiserver defaults targetPort to the port: that is the short form's meaning
                if (target.equals(String.valueOf(sp.port()))) {
                    target = "";
                }
                ports.add(sp.withName(p.path("name").asText("")).withTargetPort(target)
                        .withNodePort(Math.max(0, p.path("nodePort").asInt())));
                if (p.path("nodePort").asInt() > 0) {
                    nodePorts.add(port(p.path("nodePort").asInt(), proto, name, source));
                }
            }
            List<IpAddress> external = new ArrayList<>();
            for (JsonNode e : spec.path("externalIPs")) {
                external.add(KubectlJson.ip(e.asText(), "service " + name + " spec.externalIPs", source, COMMAND));
            }
            List<IpAddress> lb = new ArrayList<>();
            for (JsonNode in : s.path("status").path("loadBalancer").path("ingress")) {
                if (in.hasNonNull("ip")) {
                    lb.add(KubectlJson.ip(in.path("ip").asText(), "service " + name
                            + " status.loadBalancer.ingress[].ip", source, COMMAND));
                }
            }
            ServiceType type = switch (spec.path("type").asText("ClusterIP")) {
                case "NodePort" -> ServiceType.NODE_PORT;
                case "LoadBalancer" -> ServiceType.LOAD_BALANCER;
                default -> ServiceType.CLUSTER_IP;
            };
            TrafficPolicy etp = policy(spec.path("externalTrafficPolicy").asText(""));
            TrafficPolicy itp = policy(spec.path("internalTrafficPolicy").asText(""));
            out.add(new Service(name, ips, ports, nodePorts, List.of(), external, type, lb, etp, itp));
        }
        return out;
    }

    /** {@code Local}; anything else (Cluster, the older spelling Global, absent) is Cluster. */
    private static TrafficPolicy policy(String text) {
        return text.equals("Local") ? TrafficPolicy.LOCAL : TrafficPolicy.CLUSTER;
    }

    private static ServicePort port(int port, String proto, String name, String source) {
        try {
            return new ServicePort(port, proto);
        } catch (IllegalArgumentException e) {
            throw new ImportException(source, 0, "service " + name + ": " + e.getMessage() + "; give the output of "
                    + COMMAND, e);
        }
    }
}
