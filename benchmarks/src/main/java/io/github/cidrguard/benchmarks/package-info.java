/**
 * JMH benchmarks for the targets of docs/architecture.md ("Targets"), each with its baseline measured in the same run so that results are
 * ratios, never absolute times asserted in tests: {@code OverlapBenchmark} (all overlapping pairs among 1 M random
 * IPv4 prefixes against {@code Arrays.sort} of 1 M longs and an IPAddress trie), {@code CheckBenchmark}
 * ({@code Analysis.of} on a generated 5 000-node plan), {@code ReachBenchmark} (exhaustive reachability of a 5 000-node
 * scenario) and {@code EtcdLeaseScan} (reading and auditing 65 536 leases against {@code etcdctl get --prefix}).
 * Commands and the latest figures are in {@code benchmarks/README.md}.
 */
package io.github.cidrguard.benchmarks;
