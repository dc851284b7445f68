package io.github.cidrguard.etcd;

import io.github.cidrguard.flannel.FlannelConfig;
import io.github.cidrguard.flannel.FlannelConfigException;
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

    /**
     * @return the value as flanneld sees it
     * @throws StoredConfigInvalidException when flanneld would reject it; the message quotes the key, the value and
     *     flannel's own error text
     */
    public FlannelConfig flannelConfig() {
        try {
            return FlannelConfig.parse(value);
        } catch (FlannelConfigException e) {
            throw new StoredConfigInvalidException(key, value, "stored config " + Texts.shorten(value) + " at " + key
                    + " is one flanneld rejects: " + e.getMessage() + ". Plan and apply a corrected config.", e);
        }
    }

    @Override
    public String toString() {
        return key + "@" + modRevision + " = " + Texts.shorten(value);
    }
}
