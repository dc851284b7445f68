package io.github.cidrguard.etcd;

/**
 * The TLS handshake with etcd failed: wrong CA, missing or rejected client certificate, or TLS spoken to a plain-text endpoint (or the reverse).
 */
public final class EtcdTlsException extends EtcdException {

    private static final long serialVersionUID = 1L;

    EtcdTlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
