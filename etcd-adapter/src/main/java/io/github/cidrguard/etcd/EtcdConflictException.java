package io.github.cidrguard.etcd;

import java.util.Optional;

/**
 * A compare-and-swap lost its race: the config changed (or appeared, or vanished) after it was read, so nothing was
 * written. Carries what etcd holds now, so the caller can re-plan against it.
 */
public final class EtcdConflictException extends EtcdException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final long expectedModRevision;
    private final transient StoredConfig current;

    EtcdConflictException(String key, long expectedModRevision, StoredConfig current) {
        super(message(key, expectedModRevision, current), null);
        this.key = key;
        this.expectedModRevision = expectedModRevision;
        this.current = current;
    }

    private static String message(String key, long expected, StoredConfig current) {
        String now = current == null
                ? "the key no longer exists"
                : "it is now at mod revision " + current.modRevision() + " with value " + Texts.shorten(current.value());
        return "etcd key " + key + " changed since it was read (expected mod revision " + expected + "; " + now
                + "); nothing was written. Read the config again, re-plan against the current value and apply that plan.";
    }

    /** @return the config key that was guarded */
    public String key() {
        return key;
    }

    /** @return the mod revision the write was guarded by (0 = the key had to be absent) */
    public long expectedModRevision() {
        return expectedModRevision;
    }

    /** @return the config as etcd holds it now, empty when the key does not exist */
    public Optional<StoredConfig> current() {
        return Optional.ofNullable(current);
    }
}
