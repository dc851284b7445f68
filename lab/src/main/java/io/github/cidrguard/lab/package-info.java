/**
 * The kernel lab: materializes a cluster's address plan into Linux network namespaces (a LAN bridge, one namespace per
 * node with its uplink, cni0, the flannel data plane and the exact netfilter rules the tracer renders, one namespace
 * per pod), probes flows with ping and TCP connects, and compares what the kernel did with what the tracer predicted.
 * IPv6 and dual-stack scenarios are built too, with the tracer's IPv6 rules; their IPv6 flows are compared with the
 * tracer and, as a second check, with the kernel verdicts of the scenario's {@code .expect.yml} file
 * ({@link io.github.cidrguard.lab.LabExpectations}). An oracle that does not model IPv6 leaves them to that file
 * alone, and they are then never reported as agreeing with the tracer.
 *
 * <p>It shells out to {@code ip}, {@code bridge}, {@code iptables-restore}, {@code ping} and {@code socat}, so it lives
 * in the examples module, not in core. Everything happens inside namespaces whose names start with
 * {@code cg<pid>x<run>-}: the host's own interfaces, routes, rules and sysctls are never touched, and probes only
 * address the lab's own namespaces. Entry point: {@link io.github.cidrguard.lab.Lab}.
 */
package io.github.cidrguard.lab;
