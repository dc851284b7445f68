package io.github.cidrguard.etcd;

import io.github.cidrguard.flannel.LeaseAttrs;
import io.github.cidrguard.flannel.LeaseAttrsException;
import io.github.cidrguard.flannel.SubnetKey;
import java.util.Objects;
import java.util.Optional;

/**
 * One key under {@code <prefix>/subnets/} as etcd holds it: flannel's subnet lease (key {@code 10.244.1.0-24}, value
 * {@code {"PublicIP":…}}), or whatever else was put there; or a key beside that directory that flanneld reads as a
 * lease all the same (see {@link RewritePlan#strayLeaseKeys()}).
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

    /** @return the subnet key as flanneld parses it, empty when flanneld would skip the key */
    public Optional<SubnetKey> subnetKey() {
        try {
            return Optional.of(SubnetKey.parse(key));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** @return the value as flanneld decodes it, empty when flanneld would skip the lease */
    public Optional<LeaseAttrs> attrs() {
        try {
            return Optional.of(LeaseAttrs.parse(value));
        } catch (LeaseAttrsException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return key + " = " + Texts.shorten(value) + (ttlSeconds >= 0 ? " (ttl " + ttlSeconds + " s)" : "");
    }
}
