package io.github.cidrguard.etcd;

/**
 * A write was sent to etcd but no answer came back (a member froze, the connection dropped, the deadline passed after
 * the request left): etcd may have applied it, may apply it later (a frozen member that resumes), or may never apply
 * it. The message says which write it was, what state each outcome leaves, and how to find out which one happened
 * (read the config and its mod revision, e.g. {@code cidrguard etcd show}). Never reported as "failed": a caller that
 * retried blindly could undo or repeat a change.
 */
public final class EtcdOutcomeUnknownException extends EtcdException {

    private static final long serialVersionUID = 1L;

    EtcdOutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
