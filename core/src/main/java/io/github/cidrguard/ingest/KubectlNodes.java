package io.github.cidrguard.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kubectl get nodes -o json}: each node's name, InternalIPs ({@code status.addresses}), pod CIDRs
 * ({@code spec.podCIDRs}, or the older single {@code spec.podCIDR}) and the annotations flanneld in kube mode writes
 * (flannel's pkg/subnet/kube/annotations.go and kube.go, {@code AcquireLease}): {@code <prefix>/public-ip} (which
 * {@code public-ip-overwrite} overrides), their IPv6 forms, {@code backend-type}, {@code backend-data} and
 * {@code kube-subnet-manager: "true"}, the prefix being {@code flannel.alpha.coreos.com}.
 */
final class KubectlNodes {
    static final String COMMAND = "kubectl get nodes -o json";

    /** flanneld's default {@code --kube-annotation-prefix}. */
    static final String PREFIX = "flannel.alpha.coreos.com/";

    /**
     * One node as kubectl shows it.
     *
     * @param publicIps flannel's PublicIP per family from the annotations, when one differs from the InternalIP
     * @param backendType the {@code backend-type} annotation, empty when absent
     * @param kubeSubnetManager the {@code kube-subnet-manager: "true"} annotation: flanneld ran in kube mode here
     * @param notes what the annotations said that the scenario cannot hold, one sentence each
     */
    record Entry(String name, List<IpAddress> ips, List<Cidr> podCidrs, List<IpAddress> publicIps,
                 Optional<String> backendType, boolean kubeSubnetManager, List<String> notes) {
    }

    private KubectlNodes() {
    }

    static List<Entry> parse(String text, String source) {
        return parse(KubectlJson.items(text, "Node", source, COMMAND), source);
    }

    /** {@link #parse(String, String)} from a reader: the text is never held whole. */
    static List<Entry> parse(java.io.Reader reader, String source) {
        return parse(KubectlJson.items(reader, "Node", source, COMMAND), source);
    }

    private static List<Entry> parse(Iterable<JsonNode> items, String source) {
        List<Entry> out = new ArrayList<>();
        int i = -1;
        for (JsonNode n : items) { // streaming: one item's tree at a time
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
            out.add(annotations(n.path("metadata").path("annotations"), name, ips, pods, source));
        }
        return out;
    }

    /**
     * flanneld's annotations: the overwrite annotation wins over {@code public-ip} (AcquireLease copies it there),
     * and a PublicIP equal to the InternalIP is the model's default, so only a differing one is kept.
     */
    private static Entry annotations(JsonNode a, String name, List<IpAddress> ips, List<Cidr> pods, String source) {
        List<IpAddress> publicIps = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (String family : List.of("", "v6")) {
            String overwrite = a.path(PREFIX + "public-ip" + family + "-overwrite").asText("");
            String set = a.path(PREFIX + "public-ip" + family).asText("");
            String text = !overwrite.isEmpty() ? overwrite : set;
            if (text.isEmpty()) {
                continue;
            }
            String key = PREFIX + "public-ip" + family + (!overwrite.isEmpty() ? "-overwrite" : "");
            IpAddress ip = KubectlJson.ip(text, "node " + name + " annotation " + key, source, COMMAND);
            if (!overwrite.isEmpty() && !set.isEmpty() && !set.equals(overwrite)) {
                notes.add("node " + name + ": " + PREFIX + "public-ip" + family + "-overwrite " + overwrite
                        + " is not yet the public-ip" + family + " " + set + "; flanneld applies it when it restarts");
            }
            if (ips.stream().noneMatch(ip::equals) && publicIps.stream().noneMatch(x -> x.family() == ip.family())) {
                publicIps.add(ip);
            }
        }
        String backend = a.path(PREFIX + "backend-type").asText("");
        for (String data : List.of("backend-data", "backend-v6-data")) {
            String v = a.path(PREFIX + data).asText("");
            if (!v.isEmpty() && !v.equals("null") && !v.startsWith("{")) {
                notes.add("node " + name + ": annotation " + PREFIX + data + " '" + v + "' is not the JSON object"
                        + " flanneld writes; it was ignored");
            }
        }
        boolean kube = a.path(PREFIX + "kube-subnet-manager").asText("").equals("true");
        return new Entry(name, ips, pods, publicIps, backend.isEmpty() ? Optional.empty() : Optional.of(backend), kube,
                notes);
    }
}
