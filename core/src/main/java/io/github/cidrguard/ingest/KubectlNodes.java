package io.github.cidrguard.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code kubectl get nodes -o json}: each node's name, InternalIPs ({@code status.addresses}) and pod CIDRs
 * ({@code spec.podCIDRs}, or the older single {@code spec.podCIDR}).
 */
final class KubectlNodes {
    static final String COMMAND = "kubectl get nodes -o json";

    /** One node as kubectl shows it. */
    record Entry(String name, List<IpAddress> ips, List<Cidr> podCidrs) {
    }

    private KubectlNodes() {
    }

    static List<Entry> parse(String text, String source) {
        List<Entry> out = new ArrayList<>();
        int i = -1;
        for (JsonNode n : KubectlJson.items(text, "Node", source, COMMAND)) { // streaming: one item's tree at a time
            i++;
            String name = KubectlJson.name(n, false);
            if (name.isEmpty()) {
                throw new ImportException(source, 0, "items[" + i + "] has no metadata.name; give the output of "
                        + COMMAND);
            }
            List<IpAddress> ips = new ArrayList<>();
            JsonNode addrs = n.path("status").path("addresses");
            for (int a = 0; a < addrs.size(); a++) {
                JsonNode addr = addrs.get(a);
                if (addr.path("type").asText().equals("InternalIP")) {
                    IpAddress ip = KubectlJson.ip(addr.path("address").asText(), "items[" + i + "].status.addresses["
                            + a + "].address", source, COMMAND);
                    // one per family, the first of each (kubelet lists the primary first)
                    if (ips.stream().noneMatch(x -> x.family() == ip.family())) {
                        ips.add(ip);
                    }
                }
            }
            if (ips.isEmpty()) {
                throw new ImportException(source, 0, "node " + name + " has no InternalIP in status.addresses; give "
                        + "the output of " + COMMAND + " from a cluster whose nodes have registered");
            }
            Set<String> texts = new LinkedHashSet<>();
            n.path("spec").path("podCIDRs").forEach(c -> texts.add(c.asText()));
            if (texts.isEmpty() && n.path("spec").hasNonNull("podCIDR")) {
                texts.add(n.path("spec").path("podCIDR").asText());
            }
            List<Cidr> pods = new ArrayList<>();
            for (String t : texts) {
                if (!t.isEmpty()) {
                    pods.add(KubectlJson.cidr(t, "node " + name + " spec.podCIDRs", source, COMMAND));
                }
            }
            out.add(new Entry(name, ips, pods));
        }
        return out;
    }
}
