package io.github.cidrguard.etcd;

import java.util.Objects;

/**
 * What flanneld (v0.28, etcd mode) would do with one stored lease under a given config when the lease's node restarts
 * flanneld (flannel v0.28.9 pkg/subnet/etcd/local_manager.go, tryAcquireLease).
 *
 * @param lease the lease as stored
 * @param fate keep, delete and re-lease, or ignore
 * @param reason why, in one sentence naming the lease and the config field
 */
public record LeaseAudit(StoredLease lease, Fate fate, String reason) {

    /** flanneld's verdict on a lease. */
    public enum Fate {
        /** Compatible: reused with a fresh 24 h TTL. */
        KEEP,
        /** Incompatible (outside SubnetMin..SubnetMax, wrong length, wrong family): deleted, a new subnet chosen. */
        DELETE_AND_RELEASE,
        /** Not a lease flanneld can parse (bad key or value): skipped ("Ignoring bad subnet node"). */
        IGNORED
    }

    /** @throws NullPointerException when a field is null */
    public LeaseAudit {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(fate, "fate");
        Objects.requireNonNull(reason, "reason");
    }
}
