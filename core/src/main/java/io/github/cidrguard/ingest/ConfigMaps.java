package io.github.cidrguard.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cidrguard.kube.DetectLocalMode;
import io.github.cidrguard.kube.KubeProxy;
import io.github.cidrguard.kube.ProxyMode;
import io.github.cidrguard.net.Cidr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The two ConfigMaps that hold address settings: kube-flannel's {@code net-conf.json} (flannel's network config, read
 * by flanneld with {@code --kube-subnet-mgr}) and kube-proxy's {@code config.conf} (a KubeProxyConfiguration, as kubeadm
 * writes it).
 */
final class ConfigMaps {
    static final String FLANNEL_COMMAND = "kubectl -n kube-flannel get cm kube-flannel-cfg -o json";
    static final String PROXY_COMMAND = "kubectl -n kube-system get cm kube-proxy -o json";

    private ConfigMaps() {
    }

    /** The verbatim {@code net-conf.json} of the kube-flannel ConfigMap. */
    static String flannelNetConf(String text, String source) {
        JsonNode cm = configMap(text, source, FLANNEL_COMMAND);
        JsonNode v = cm.path("data").path("net-conf.json");
        if (!v.isTextual()) {
            throw new ImportException(source, 0, "ConfigMap " + KubectlJson.name(cm, true) + " has no data.net-conf.json;"
                    + " give the output of " + FLANNEL_COMMAND);
        }
        return v.asText();
    }

    /** kube-proxy's settings from the {@code config.conf} of its ConfigMap. */
    static KubeProxy kubeProxy(String text, String source) {
        JsonNode cm = configMap(text, source, PROXY_COMMAND);
        JsonNode v = cm.path("data").path("config.conf");
        if (!v.isTextual()) {
            throw new ImportException(source, 0, "ConfigMap " + KubectlJson.name(cm, true) + " has no data.config.conf;"
                    + " give the output of " + PROXY_COMMAND);
        }
        String inner = source + " data.config.conf";
        return kubeProxyConfiguration(KubectlJson.tree(v.asText(), inner, PROXY_COMMAND), inner);
    }

    /** kube-proxy's settings from a KubeProxyConfiguration document (also a kubeadm config file's). */
    static KubeProxy kubeProxyConfiguration(JsonNode c, String inner) {
        String kind = c.path("kind").asText("");
        if (!kind.equals("KubeProxyConfiguration")) {
            throw new ImportException(inner, 0, "has kind '" + kind + "', not KubeProxyConfiguration; give the output"
                    + " of " + PROXY_COMMAND);
        }
        String modeText = c.path("mode").asText("").toUpperCase(Locale.ROOT);
        ProxyMode mode;
        try {
            mode = modeText.isEmpty() ? ProxyMode.IPTABLES : ProxyMode.valueOf(modeText);
        } catch (IllegalArgumentException e) {
            throw new ImportException(inner, 0, "mode '" + c.path("mode").asText() + "' is not iptables, ipvs or "
                    + "nftables (kernelspace is Windows-only)", e);
        }
        // v1alpha1 clusterCIDR (comma list); v1alpha2 detectLocal.clusterCIDRs
        List<String> cidrTexts = new ArrayList<>();
        for (String t : c.path("clusterCIDR").asText("").split(",")) {
            if (!t.isBlank()) {
                cidrTexts.add(t.strip());
            }
        }
        c.path("detectLocal").path("clusterCIDRs").forEach(x -> cidrTexts.add(x.asText()));
        List<Cidr> cidrs = new ArrayList<>();
        for (String t : cidrTexts) {
            Cidr cc = KubectlJson.cidr(t, "clusterCIDR", inner, PROXY_COMMAND);
            if (cidrs.stream().noneMatch(x -> x.family() == cc.family())) {
                cidrs.add(cc);
            }
        }
        String dlm = c.path("detectLocalMode").asText("");
        DetectLocalMode detect = DetectLocalMode.CLUSTER_CIDR;
        for (DetectLocalMode m : DetectLocalMode.values()) {
            if (m.label().equals(dlm)) {
                detect = m;
            }
        }
        if (!dlm.isEmpty() && !detect.label().equals(dlm)) {
            throw new ImportException(inner, 0, "detectLocalMode '" + dlm + "' is not ClusterCIDR, NodeCIDR, "
                    + "BridgeInterface or InterfaceNamePrefix");
        }
        boolean masqAll = c.path("iptables").path("masqueradeAll").asBoolean(false);
        List<String> npa = new ArrayList<>();
        c.path("nodePortAddresses").forEach(x -> npa.add(x.asText()));
        try {
            return new KubeProxy(mode, cidrs, detect, masqAll, npa);
        } catch (IllegalArgumentException e) {
            throw new ImportException(inner, 0, e.getMessage(), e);
        }
    }

    private static JsonNode configMap(String text, String source, String command) {
        JsonNode root = KubectlJson.tree(text, source, command);
        List<JsonNode> items = KubectlJson.items(root, "ConfigMap", source, command);
        if (items.size() != 1) {
            throw new ImportException(source, 0, "holds " + items.size() + " ConfigMaps, expected one; give the output"
                    + " of " + command);
        }
        return items.get(0);
    }
}
