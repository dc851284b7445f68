package io.github.cidrguard.etcd;

import org.jspecify.annotations.Nullable;

/**
 * The root of every failure the etcd adapter reports. Each subclass names one cause a person can act on
 * (unreachable, TLS refused, authentication failed, permission denied, conflict, invalid stored config); this class
 * itself is thrown for the rest (an answer etcd gave that none of them covers, an unreadable backup file). Messages
 * name the endpoint or key involved and the fix. They never contain credentials.
 */
public class EtcdException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, on which endpoint or key, and what to do about it
     * @param cause the underlying failure, or {@code null}
     */
    public EtcdException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /**
     * @param message what failed, on which endpoint or key, and what to do about it
     */
    public EtcdException(String message) {
        super(message);
    }
}
