/**
 * Runnable samples of the library API, compiled with the build and run by its tests: {@link
 * io.github.cidrguard.examples.QuickStart} (the README's quick start), {@link
 * io.github.cidrguard.examples.FixFlannelConfig}, {@link io.github.cidrguard.examples.AnalyseInCode}, {@link
 * io.github.cidrguard.examples.TracePacket} and {@link io.github.cidrguard.examples.RewriteNetworkInEtcd} (run by
 * {@code EtcdCommandIT} against a real etcd).
 */
package io.github.cidrguard.examples;
