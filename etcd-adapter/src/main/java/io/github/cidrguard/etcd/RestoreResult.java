package io.github.cidrguard.etcd;

import io.github.cidrguard.analysis.Finding;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of a completed {@link FlannelEtcd#restore restore}.
 *
 * @param revision etcd's revision after the last write (or the revision read, when nothing needed writing)
 * @param leasesWritten backed-up keys put back (absent, or holding another value)
 * @param leasesDeleted keys under the prefix's lease range that the backup does not hold, deleted
 * @param configWritten whether the config had to be written (or deleted, for a backup without one)
 * @param unchanged backed-up keys that already held the backed-up value (a resumed restore skips them)
 * @param backup the file restored from
 * @param stateBefore the backup of the state the restore replaced; empty when nothing needed writing
 * @param findings the restored config's findings against the restored leases (a forced restore of a config
 *     flanneld rejects has FLANNEL_CONFIG_INVALID among them)
 */
public record RestoreResult(long revision, int leasesWritten, int leasesDeleted, boolean configWritten,
        int unchanged, Path backup, Optional<Path> stateBefore, List<Finding> findings) {

    /** @throws NullPointerException when a reference component is null */
    public RestoreResult {
        java.util.Objects.requireNonNull(backup, "backup");
        java.util.Objects.requireNonNull(stateBefore, "stateBefore");
        findings = List.copyOf(findings);
    }

    /** @return whether etcd already held the backup and nothing was written */
    public boolean nothingToDo() {
        return leasesWritten == 0 && leasesDeleted == 0 && !configWritten;
    }
}
