package io.github.cidrguard.etcd;

import java.util.Objects;

/**
 * flannel's network config as etcd holds it: the key, the value verbatim, and the revisions that guard a rewrite.
 *
 * @param key the etcd key, {@code <prefix>/config}
 * @param value the stored JSON, verbatim (UTF-8)
 * @param modRevision the revision of the last write to the key; a rewrite is guarded by it
 * @param revision the store revision at which it was read
 */
public record StoredConfig(String key, String value, long modRevision, long revision) {

    /** @throws NullPointerException when key or value is null */
    public StoredConfig {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return key + "@" + modRevision + " = " + Texts.shorten(value);
    }
}
