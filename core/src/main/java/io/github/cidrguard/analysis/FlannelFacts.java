package io.github.cidrguard.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;

import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * What the analysis needs from flannel's config: the Network as written and as flannel uses it, the derived
 * SubnetLen/SubnetMin/SubnetMax per family (reference/flannel.md §1.6), the enabled families and the backend type.
 *
 * <p>INTERIM: until {@code io.github.cidrguard.flannel.FlannelConfig} lands on main this reads the handful of fields
 * it needs with Jackson and applies CheckNetworkConfig's derivation; {@link #parse} becomes a thin adapter over
 * {@code FlannelConfig.parse} then, keeping this record as the analysis' view.
 */
record FlannelFacts(boolean enableIPv4, boolean enableIPv6, String backendType, Family v4, Family v6) {
    /** One family's Network and its allocatable subnets. */
    record Family(String networkText, Cidr network, int subnetLen, IpAddress subnetMin, IpAddress subnetMax) {
        /** The block size of one subnet. */
        BigInteger subnetSize() {
            return BigInteger.ONE.shiftLeft(network.family().bits() - subnetLen);
        }

        /** SubnetMin..(SubnetMax's last address): every address a lease can cover; empty if Min is above Max. */
        Optional<io.github.cidrguard.net.AddressRange> allocatable() {
            if (subnetMin.compareTo(subnetMax) > 0) {
                return Optional.empty();
            }
            return Optional.of(io.github.cidrguard.net.AddressRange.of(subnetMin,
                    Cidr.ofMasked(subnetMax, subnetLen).last()));
        }

        /** How many subnets SubnetMin..SubnetMax holds. */
        BigInteger subnetCount() {
            if (subnetMin.compareTo(subnetMax) > 0) {
                return BigInteger.ZERO;
            }
            return subnetMax.toBigInteger().subtract(subnetMin.toBigInteger()).divide(subnetSize()).add(BigInteger.ONE);
        }

        /** flannel's isSubnetConfigCompat for one family: Min ≤ lease ≤ Max and the lease has SubnetLen. */
        boolean compatible(Cidr lease) {
            return lease.prefixLength() == subnetLen && lease.network().compareTo(subnetMin) >= 0
                    && lease.network().compareTo(subnetMax) <= 0;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The family's facts, if that family is enabled. */
    Optional<Family> family(IpFamily f) {
        return Optional.ofNullable(f == IpFamily.IPV4 ? v4 : v6);
    }

    /**
     * The config as flanneld in etcd mode sees it.
     *
     * @throws IllegalArgumentException with flannel's message when flanneld would reject the config
     */
    static FlannelFacts parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("please define a correct Network parameter in the flannel config");
        }
        boolean v4 = bool(root, "EnableIPv4", true);
        boolean v6 = bool(root, "EnableIPv6", false);
        JsonNode backend = field(root, "Backend");
        String type;
        if (backend == null) {
            type = "udp";
        } else if (backend.isObject()) {
            JsonNode t = field(backend, "Type");
            type = t == null || t.isNull() ? "" : t.asText();
        } else if (backend.isNull()) {
            type = "";
        } else {
            throw new IllegalArgumentException("error decoding Backend property of config: json: cannot unmarshal "
                    + backend.getNodeType().toString().toLowerCase() + " into Go value of type struct { Type string }");
        }
        Family f4 = v4 ? family(root, IpFamily.IPV4) : null;
        Family f6 = v6 ? family(root, IpFamily.IPV6) : null;
        return new FlannelFacts(v4, v6, type, f4, f6);
    }

    private static Family family(JsonNode root, IpFamily f) {
        boolean four = f == IpFamily.IPV4;
        String p = four ? "" : "IPv6";
        JsonNode n = field(root, p + "Network");
        if (n == null || n.isNull() || n.asText().isEmpty()) {
            throw new IllegalArgumentException("please define a correct " + p + "Network parameter in the flannel config");
        }
        String text = n.asText();
        Cidr net;
        try {
            net = Cidr.parseMasked(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid CIDR address: " + text);
        }
        if (net.family() != f) {
            throw new IllegalArgumentException(four ? "invalid IPv4 CIDR format" : "invalid CIDR address: " + text);
        }
        int bits = f.bits();
        JsonNode lenNode = field(root, p + "SubnetLen");
        int len = lenNode == null ? 0 : lenNode.asInt();
        int prefix = net.prefixLength();
        if (len > 0) {
            if (len > bits - 2) {
                throw new IllegalArgumentException("SubnetLen must be less than /" + (bits - 1));
            }
            if (len < prefix + 2) {
                throw new IllegalArgumentException("network must be able to accommodate at least four subnets");
            }
        } else {
            if (prefix > bits - 4) {
                throw new IllegalArgumentException((four ? "network" : "IPv6Network") + " is too small. Minimum"
                        + " useful network prefix is /" + (bits - 4));
            }
            int dflt = four ? 24 : 64;
            len = prefix <= dflt - 2 ? dflt : prefix + 2;
        }
        BigInteger size = BigInteger.ONE.shiftLeft(bits - len);
        IpAddress min = address(root, p + "SubnetMin", f);
        IpAddress max = address(root, p + "SubnetMax", f);
        String what = four ? "Network" : "IPv6Network";
        if (min == null) {
            min = IpAddress.of(f, net.network().toBigInteger().add(size));
        } else if (!net.contains(min)) {
            throw new IllegalArgumentException(p + "SubnetMin is not in the range of the " + what);
        }
        if (max == null) {
            max = IpAddress.of(f, net.last().toBigInteger().add(BigInteger.ONE).subtract(size));
        } else if (!net.contains(max)) {
            throw new IllegalArgumentException(p + "SubnetMax is not in the range of the " + what);
        }
        if (!Cidr.ofMasked(min, len).network().equals(min)) {
            throw new IllegalArgumentException(p + "SubnetMin is not on a SubnetLen boundary: " + min);
        }
        if (!Cidr.ofMasked(max, len).network().equals(max)) {
            throw new IllegalArgumentException(p + "SubnetMax is not on a SubnetLen boundary: " + max);
        }
        return new Family(text, net, len, min, max);
    }

    private static IpAddress address(JsonNode root, String key, IpFamily f) {
        JsonNode n = field(root, key);
        if (n == null || n.isNull()) {
            return null;
        }
        IpAddress a;
        try {
            a = IpAddress.parse(n.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid IP address format");
        }
        if (a.family() != f) {
            throw new IllegalArgumentException("invalid IPv4 address format");
        }
        return a.isZero() ? null : a;
    }

    private static boolean bool(JsonNode root, String key, boolean dflt) {
        JsonNode n = field(root, key);
        return n == null || n.isNull() ? dflt : n.asBoolean();
    }

    /** Go's encoding/json matches keys case-insensitively, the exact spelling first. */
    private static JsonNode field(JsonNode obj, String key) {
        JsonNode exact = obj.get(key);
        if (exact != null) {
            return exact;
        }
        Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
        JsonNode found = null;
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(key)) {
                found = e.getValue();
            }
        }
        return found;
    }
}
