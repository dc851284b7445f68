/**
 * Test fixtures other modules' tests and the benchmarks use (core's test jar): generated plans of any size up to
 * 131 070 nodes, and kubectl's output for their nodes.
 */
package io.github.cidrguard.testing;
