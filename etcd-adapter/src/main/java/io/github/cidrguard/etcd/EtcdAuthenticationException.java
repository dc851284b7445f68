package io.github.cidrguard.etcd;

/**
 * etcd refused the user name or password, or requires credentials that were not given.
 */
public final class EtcdAuthenticationException extends EtcdException {

    private static final long serialVersionUID = 1L;

    EtcdAuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
