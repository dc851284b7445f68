package io.github.cidrguard.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cidrguard.kube.Service;
import io.github.cidrguard.kube.ServicePort;
import io.github.cidrguard.net.IpAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code kubectl get svc -A -o json}: each service's ClusterIPs ({@code spec.clusterIPs}, or {@code spec.clusterIP};
 * {@code None} for a headless service), ports, node ports and {@code spec.externalIPs}. ExternalName services (DNS aliases) are left out.
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
                ports.add(port(p.path("port").asInt(), proto, name, source));
                if (p.path("nodePort").asInt() > 0) {
                    nodePorts.add(port(p.path("nodePort").asInt(), proto, name, source));
                }
            }
            List<IpAddress> external = new ArrayList<>();
            for (JsonNode e : spec.path("externalIPs")) {
                external.add(KubectlJson.ip(e.asText(), "service " + name + " spec.externalIPs", source, COMMAND));
            }
            out.add(new Service(name, ips, ports, nodePorts, List.of(), external));
        }
        return out;
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
