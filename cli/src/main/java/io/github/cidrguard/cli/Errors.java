package io.github.cidrguard.cli;

/** Which failures are the outside world's (exit 3), and their one-line messages. */
final class Errors {
    private Errors() {
    }

    /** An etcd failure (unreachable, TLS, auth, permission, conflict): exit 3. */
    static boolean isWorld(Throwable e) {
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
