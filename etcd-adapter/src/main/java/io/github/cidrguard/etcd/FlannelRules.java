package io.github.cidrguard.etcd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * flannel's semantics as the adapter needs them. Interim version: reads the JSON itself (Network, SubnetLen) until the
 * core flannel model is available.
 */
enum FlannelRules implements ConfigRules {
    INSTANCE;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** flannel's ParseSubnetKey regex (unanchored at the start, as flannel's). */
    private static final Pattern KEY = Pattern.compile("(\\d+\\.\\d+.\\d+.\\d+)-(\\d+)(?:&([a-f\\d:]+)-(\\d+))?$");

    @Override
    public void requireValid(String key, String configJson) {
        String err = problem(configJson);
        if (err != null) {
            throw new StoredConfigInvalidException(key, configJson, "config for " + key + " " + Texts.shorten(configJson)
                    + " is invalid: " + err + ". Fix the JSON before writing it.", null);
        }
    }

    private static String problem(String configJson) {
        try {
            JsonNode n = JSON.readTree(configJson);
            if (n == null || !n.isObject()) {
                return "not a JSON object";
            }
            JsonNode net = n.get("Network");
            if (net != null && net.isTextual()) {
                Cidr.parseMasked(net.textValue());
            }
            return null;
        } catch (JsonProcessingException e) {
            return e.getOriginalMessage();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    @Override
    public List<PlanFinding> check(String configJson, List<StoredLease> leases) {
        String err = problem(configJson);
        if (err != null) {
            return List.of(new PlanFinding("FLANNEL_CONFIG_INVALID", PlanFinding.Severity.ERROR,
                    List.of("flannel config"), "", "flanneld would reject the config: " + err,
                    "fix the config"));
        }
        Optional<Cidr> network = network(configJson);
        List<PlanFinding> out = new ArrayList<>();
        if (network.isPresent()) {
            for (StoredLease l : leases) {
                Optional<IpAddress> ip = publicIp(l.value());
                if (ip.isPresent() && network.get().contains(ip.get())) {
                    out.add(new PlanFinding("POD_NETWORK_CONTAINS_NODE_IP", PlanFinding.Severity.ERROR,
                            List.of("flannel.Network " + network.get(), "node " + ip.get()),
                            Cidr.of(ip.get()).toString(),
                            "node " + ip.get() + " lies inside the pod network " + network.get()
                                    + ": flannel's masquerade rule skips traffic to it, so pod-to-other-node replies"
                                    + " are dropped by reverse-path filtering.",
                            "choose a Network that contains no node address"));
                }
            }
        }
        return out;
    }

    @Override
    public Function<StoredLease, LeaseAudit> auditor(String configJson) {
        Optional<Cidr> network = network(configJson);
        int len = subnetLen(configJson, network);
        return lease -> audit(network, len, lease);
    }

    private static LeaseAudit audit(Optional<Cidr> network, int len, StoredLease lease) {
        Matcher m = KEY.matcher(lease.key());
        if (!m.find() || publicIp(lease.value()).isEmpty()) {
            return new LeaseAudit(lease, LeaseAudit.Fate.IGNORED, "flanneld ignores " + lease.key()
                    + ": not a subnet key with a PublicIP value");
        }
        Cidr subnet = Cidr.ofMasked(IpAddress.parse(m.group(1)), Integer.parseInt(m.group(2)));
        if (network.isEmpty() || !network.get().contains(subnet) || subnet.prefixLength() != len) {
            return new LeaseAudit(lease, LeaseAudit.Fate.DELETE_AND_RELEASE, "lease " + subnet
                    + " is not a /" + len + " inside Network " + network.map(Cidr::toString).orElse("(none)"));
        }
        return new LeaseAudit(lease, LeaseAudit.Fate.KEEP, "lease " + subnet + " fits the config");
    }

    @Override
    public String withNetwork(String configJson, Cidr network) {
        try {
            JsonNode n = JSON.readTree(configJson);
            if (n == null || !n.isObject()) {
                throw new StoredConfigInvalidException("config", configJson, "stored config " + Texts.shorten(configJson)
                        + " is not a JSON object; write a whole new config instead of changing its Network", null);
            }
            ((ObjectNode) n).put("Network", network.toString());
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new StoredConfigInvalidException("config", configJson, "stored config " + Texts.shorten(configJson)
                    + " is not JSON (" + e.getOriginalMessage() + "); write a whole new config instead", e);
        }
    }

    private static Optional<Cidr> network(String configJson) {
        try {
            JsonNode net = JSON.readTree(configJson).get("Network");
            return net != null && net.isTextual() ? Optional.of(Cidr.parseMasked(net.textValue())) : Optional.empty();
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static int subnetLen(String configJson, Optional<Cidr> network) {
        try {
            JsonNode len = JSON.readTree(configJson).get("SubnetLen");
            if (len != null && len.isInt() && len.intValue() != 0) {
                return len.intValue();
            }
        } catch (JsonProcessingException e) {
            // fall through to the default
        }
        return network.map(n -> n.prefixLength() < 24 ? 24 : n.prefixLength() + 1).orElse(24);
    }

    static Optional<IpAddress> publicIp(String leaseValue) {
        try {
            JsonNode ip = JSON.readTree(leaseValue).get("PublicIP");
            return ip != null && ip.isTextual() && IpAddress.isValid(ip.textValue())
                    ? Optional.of(IpAddress.parse(ip.textValue()))
                    : Optional.empty();
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
