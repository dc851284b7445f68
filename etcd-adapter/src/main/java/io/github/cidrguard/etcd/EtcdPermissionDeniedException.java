package io.github.cidrguard.etcd;

/**
 * The authenticated etcd user has no permission for the key or range the call needed (its role does not cover it).
 */
public final class EtcdPermissionDeniedException extends EtcdException {

    private static final long serialVersionUID = 1L;

    EtcdPermissionDeniedException(String message, Throwable cause) {
        super(message, cause);
    }
}
