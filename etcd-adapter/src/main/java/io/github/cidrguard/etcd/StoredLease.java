package io.github.cidrguard.etcd;

import java.util.Objects;

/**
 * One key under {@code <prefix>/subnets/} as etcd holds it: flannel's subnet lease (key {@code 10.244.1.0-24}, value
 * {@code {"PublicIP":…}}), or whatever else was put there.
 *
 * @param key the full etcd key
 * @param value the stored value, verbatim (UTF-8)
 * @param modRevision the revision of the last write to the key
 * @param leaseId the etcd lease the key is attached to, 0 for none
 * @param ttlSeconds remaining time to live in seconds; -1 when the key has no etcd lease (never expires) or the TTL was
 *     not read
 */
public record StoredLease(String key, String value, long modRevision, long leaseId, long ttlSeconds) {

    /** @throws NullPointerException when key or value is null */
    public StoredLease {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    /** @return the key without the directory, e.g. {@code 10.244.1.0-24} */
    public String name() {
        int slash = key.lastIndexOf('/');
        return key.substring(slash + 1);
    }

    @Override
    public String toString() {
        return key + " = " + Texts.shorten(value) + (ttlSeconds >= 0 ? " (ttl " + ttlSeconds + " s)" : "");
    }
}
