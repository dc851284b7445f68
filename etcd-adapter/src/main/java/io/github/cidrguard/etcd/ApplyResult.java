package io.github.cidrguard.etcd;

import java.nio.file.Path;

/**
 * The outcome of an applied plan or restore.
 *
 * @param revision the etcd revision of the transaction that wrote the config (the config's new mod revision)
 * @param subnetsDeleted how many keys under {@code subnets/} the transaction deleted; -1 when the write was
 *     confirmed only after a lost answer (leader change) and the count is unknown
 * @param backup the backup file written before (apply) or read from (restore)
 */
public record ApplyResult(long revision, long subnetsDeleted, Path backup) {
}
