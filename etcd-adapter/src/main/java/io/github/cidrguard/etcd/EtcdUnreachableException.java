package io.github.cidrguard.etcd;

/**
 * No etcd endpoint answered within the deadline: the endpoints are down, unreachable, or the cluster has no leader (quorum lost).
 */
public final class EtcdUnreachableException extends EtcdException {

    private static final long serialVersionUID = 1L;

    EtcdUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
