/**
 * cidrguard's etcd adapter: reads, audits and atomically rewrites flannel's network config and leases in etcd (v3
 * API) through jetcd (docs/architecture.md).
 *
 * <p>Its API speaks only in cidrguard's own types (core's findings, scenario and CIDRs, which it passes on with
 * {@code requires transitive}); jetcd, gRPC, Netty, Jackson and SLF4J stay inside. jetcd ships no module descriptor
 * and no Automatic-Module-Name: {@code jetcd.core} and {@code jetcd.common} are the names the JDK derives from the
 * jar file names ({@code jetcd-core-0.8.7.jar}), so keep those names when repackaging; gRPC's jars name themselves
 * ({@code io.grpc}), Netty 4.2 and the rest are real modules. How to run it on the module path is in the README.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.github.cidrguard.etcd {
    requires transitive io.github.cidrguard;
    requires static transitive org.jspecify;
    requires jetcd.core;
    requires jetcd.common;
    requires io.grpc;
    requires io.netty.handler;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports io.github.cidrguard.etcd;
}
