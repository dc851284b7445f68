package io.github.cidrguard.kube;

import io.github.cidrguard.flannel.SubnetKey;
import io.github.cidrguard.net.IpAddress;

import java.util.Objects;

/**
 * One flannel lease as stored in etcd: the key under {@code <prefix>/subnets/} (e.g. {@code 10.252.61.0-24}, or
 * {@code 10.12.13.0-24&fd00:12:13::-56} for dual stack) and the lease's {@code PublicIP}. An immutable value; the
 * key is parsed once, with flannel's ParseSubnetKey rules, when the lease is made.
 */
public final class Lease {
    private final String key;
    private final IpAddress publicIp;
    private final SubnetKey subnetKey;

    private Lease(String key, IpAddress publicIp, SubnetKey subnetKey) {
        this.key = key;
        this.publicIp = publicIp;
        this.subnetKey = subnetKey;
    }

    /**
     * The same as {@link #of(String, IpAddress)}; kept because Lease started as a record and callers (the etcd
     * adapter) construct it directly.
     *
     * @throws IllegalArgumentException as {@link #of(String, IpAddress)}
     */
    public Lease(String key, IpAddress publicIp) {
        this(key, publicIp, of(key, publicIp).subnetKey);
    }

    /**
     * A lease with this key and PublicIP.
     *
     * @throws IllegalArgumentException if the key is missing or flannel could not read it (it would skip it as a bad
     *     subnet node); the message names the key and the rule it breaks
     */
    public static Lease of(String key, IpAddress publicIp) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a lease needs a key such as 10.244.1.0-24");
        }
        Objects.requireNonNull(publicIp, "publicIp");
        try {
            return new Lease(key, publicIp, SubnetKey.parse(key));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "; flannel skips such a key as a bad subnet node,"
                    + " write it like 10.244.1.0-24", e);
        }
    }

    /** A lease from text, e.g. {@code Lease.of("10.252.61.0-24", "10.252.158.72")}. */
    public static Lease of(String key, String publicIp) {
        return of(key, IpAddress.parse(publicIp));
    }

    /** The subnet key, verbatim. */
    public String key() {
        return key;
    }

    /** The node address the lease belongs to. */
    public IpAddress publicIp() {
        return publicIp;
    }

    /** The key as flannel's ParseSubnetKey reads it. */
    public SubnetKey subnetKey() {
        return subnetKey;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Lease l && l.key.equals(key) && l.publicIp.equals(publicIp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, publicIp);
    }

    /** {@code 10.252.61.0-24 -> 10.252.158.72}. */
    @Override
    public String toString() {
        return key + " -> " + publicIp;
    }
}
