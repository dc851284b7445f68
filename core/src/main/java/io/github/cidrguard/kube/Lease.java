package io.github.cidrguard.kube;

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
    /** Checks that both parts are present. */
    public Lease {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a lease needs a key such as 10.244.1.0-24");
        }
        Objects.requireNonNull(publicIp, "publicIp");
    }

    /** A lease from text, e.g. {@code Lease.of("10.252.61.0-24", "10.252.158.72")}. */
    public static Lease of(String key, String publicIp) {
        return new Lease(key, IpAddress.parse(publicIp));
    }
}
