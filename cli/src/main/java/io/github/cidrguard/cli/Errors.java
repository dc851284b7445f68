package io.github.cidrguard.cli;

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
        if (e.getClass().getName().equals("io.github.cidrguard.etcd.StoredConfigInvalidException")
                && ((io.github.cidrguard.etcd.StoredConfigInvalidException) e).value() != null) {
            return false;
        }
        for (Class<?> c = e.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals("io.github.cidrguard.etcd.EtcdException")) {
                return true;
            }
        }
        return e instanceof WorldException;
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
