package io.github.cidrguard.etcd;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of an applied plan.
 *
 * @param revision the etcd revision of the transaction that wrote the config (the config's new mod revision)
 * @param subnetsDeleted how many backed-up leases the reset deleted; -1 when the write was confirmed only after a
 *     lost answer (leader change) and the count is unknown
 * @param backup the backup file written before; null for a bare compare-and-set
 * @param leasesKept backed-up leases a reset did not delete because they changed after the backup (renewed or
 *     rewritten by flanneld): the backup does not hold their current value, so deleting them could lose it
 */
public record ApplyResult(long revision, long subnetsDeleted, Path backup, List<String> leasesKept) {

    /** @throws NullPointerException when leasesKept is null */
    public ApplyResult {
        leasesKept = List.copyOf(Objects.requireNonNull(leasesKept, "leasesKept"));
    }
}
