/**
 * flannel's state in etcd, read and rewritten safely: {@link io.github.cidrguard.etcd.FlannelEtcd} (opened with
 * {@link io.github.cidrguard.etcd.EtcdSettings}) reads the config ({@link io.github.cidrguard.etcd.StoredConfig}) and
 * the leases ({@link io.github.cidrguard.etcd.StoredLease}, judged by {@link io.github.cidrguard.etcd.LeaseAudit}),
 * plans rewrites ({@link io.github.cidrguard.etcd.RewritePlan}), applies them as guarded compare-and-swap transactions
 * after a {@link io.github.cidrguard.etcd.Backup}, restores, and watches.
 *
 * <p>Nothing lost, nothing trusted (the full argument: docs/etcd-safety.md). A subnet reset deletes exactly the keys
 * the backup holds, each guarded by its backed-up mod revision, the config swap in the first transaction and the rest
 * in as many transactions as etcd's operation limit (--max-txn-ops, 128) needs: a lease written meanwhile is never
 * named, a lease rewritten meanwhile fails its guard and is kept, so every deleted key is in the backup with the value
 * it had. A restore checks the whole file first (a refusal, {@link io.github.cidrguard.etcd.EtcdInputException},
 * writes nothing), backs up the state it replaces, then writes only the difference, each key guarded by the mod
 * revision just read, the config last; its progress is etcd's own state, so running it again after an interruption
 * ({@link io.github.cidrguard.etcd.RestorePartialException}) completes it exactly. A write sent without an answer is
 * an {@link io.github.cidrguard.etcd.EtcdOutcomeUnknownException}, never a failure.
 *
 * <p>Every call ends within its deadline; failures are {@link io.github.cidrguard.etcd.EtcdException} subclasses
 * naming the endpoint or key and the fix, and local bad input is an
 * {@link io.github.cidrguard.etcd.EtcdInputException}. jetcd, gRPC and Netty stay inside the package: no public
 * signature uses them.
 */
@NullMarked
package io.github.cidrguard.etcd;

import org.jspecify.annotations.NullMarked;
