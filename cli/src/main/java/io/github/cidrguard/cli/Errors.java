package io.github.cidrguard.cli;

import io.github.cidrguard.etcd.EtcdException;
import io.github.cidrguard.etcd.StoredConfigInvalidException;

/** Which failures are the outside world's (exit 3), and their one-line messages. */
final class Errors {
    private Errors() {
    }

    /**
     * An etcd failure (unreachable, TLS, auth, permission, conflict, unknown outcome, partial restore): exit 3. A
     * stored config flanneld rejects is bad input (exit 2), whether it came from a file or from etcd: retrying will
     * not help, correcting it will. A missing config stays the outside world's.
     */
    static boolean isWorld(Throwable e) {
        if (e instanceof StoredConfigInvalidException s && s.value() != null) {
            return false;
        }
        return e instanceof EtcdException || e instanceof WorldException;
    }

    static String message(Throwable e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** The outside world failed in a way the command found itself. */
    static final class WorldException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WorldException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
