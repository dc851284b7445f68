package io.github.cidrguard.etcd;

import org.jspecify.annotations.Nullable;

/**
 * The value stored at {@code <prefix>/config} is missing or is not a config flanneld would accept. The message
 * quotes the key, the stored value (shortened) and flannel's own complaint.
 */
public final class StoredConfigInvalidException extends EtcdException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final @Nullable String value;

    StoredConfigInvalidException(String key, @Nullable String value, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.key = key;
        this.value = value;
    }

    /** @return the etcd key of the config */
    public String key() {
        return key;
    }

    /** @return the stored value, or {@code null} when the key does not exist */
    public @Nullable String value() {
        return value;
    }
}
