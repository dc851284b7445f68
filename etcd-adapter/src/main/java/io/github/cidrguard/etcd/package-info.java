/**
 * flannel's state in etcd, read and rewritten safely: {@link io.github.cidrguard.etcd.FlannelEtcd} (opened with
 * {@link io.github.cidrguard.etcd.EtcdSettings}) reads the config ({@link io.github.cidrguard.etcd.StoredConfig}) and
 * the leases ({@link io.github.cidrguard.etcd.StoredLease}, judged by {@link io.github.cidrguard.etcd.LeaseAudit}),
 * plans rewrites ({@link io.github.cidrguard.etcd.RewritePlan}), applies them as one compare-and-swap transaction
 * after a {@link io.github.cidrguard.etcd.Backup}, restores, and watches.
 *
 * <p>Every call ends within its deadline; failures are {@link io.github.cidrguard.etcd.EtcdException} subclasses
 * naming the endpoint or key and the fix. jetcd, gRPC and Netty stay inside the package: no public signature uses
 * them.
 */
@NullMarked
package io.github.cidrguard.etcd;

import org.jspecify.annotations.NullMarked;
