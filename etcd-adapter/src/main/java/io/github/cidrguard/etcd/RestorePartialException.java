package io.github.cidrguard.etcd;

/**
 * A restore stopped part way (etcd went away, froze, or a key changed under it): some of the backup is back, some is
 * not. Nothing is lost: every key the restore changed is in the backup of the state before it. The restore is
 * idempotent and resumes from etcd's own state, so running the same restore again completes it exactly; the message
 * says how far it got and gives that command.
 */
public final class RestorePartialException extends EtcdException {

    private static final long serialVersionUID = 1L;

    RestorePartialException(String message, Throwable cause) {
        super(message, cause);
    }
}
