package io.github.cidrguard.kube;

import io.github.cidrguard.flannel.SubnetKey;
import io.github.cidrguard.net.IpAddress;

import java.util.Objects;

/**
 * One flannel lease as stored in etcd: the key under {@code <prefix>/subnets/} (e.g. {@code 10.252.61.0-24}, or
 * {@code 10.12.13.0-24&fd00:12:13::-56} for dual stack) and the lease's {@code PublicIP}.
 *
 * @param key the subnet key, verbatim
 * @param publicIp the node address the lease belongs to
 */
public record Lease(String key, IpAddress publicIp) {
    /**
     * Checks that both parts are present and that flannel can read the key.
     *
     * @throws IllegalArgumentException naming the key and the rule it breaks
     */
    public Lease {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a lease needs a key such as 10.244.1.0-24");
        }
        try {
            SubnetKey.parse(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "; flannel skips such a key as a bad subnet node,"
                    + " write it like 10.244.1.0-24", e);
        }
        Objects.requireNonNull(publicIp, "publicIp");
    }

    /** The key as flannel's ParseSubnetKey reads it. */
    public SubnetKey subnetKey() {
        return SubnetKey.parse(key);
    }

    /** A lease from text, e.g. {@code Lease.of("10.252.61.0-24", "10.252.158.72")}. */
    public static Lease of(String key, String publicIp) {
        return new Lease(key, IpAddress.parse(publicIp));
    }
}
