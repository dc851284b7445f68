package io.github.cidrguard.etcd;

import io.github.cidrguard.CidrguardInputException;

/**
 * Local input the etcd adapter cannot use, found before etcd is written: a backup file that is unreadable, truncated,
 * not UTF-8 (the message gives the byte offset), not a cidrguard backup, for another prefix, or whose keys fall outside
 * the prefix's flannel keys; a backup file name that is already taken; a TLS file that is not PEM. Bad input, not the
 * outside world: a command exits 2 on it, and nothing was written to etcd. The message names the file and the fix.
 */
public final class EtcdInputException extends CidrguardInputException {

    private static final long serialVersionUID = 1L;

    EtcdInputException(String source, String message, Throwable cause) {
        super(source, 0, message, cause);
    }

    EtcdInputException(String source, String message) {
        super(source, 0, message, null);
    }
}
