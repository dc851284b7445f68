/**
 * The cluster model: what a scenario (docs/scenario-format.md) says about a cluster's address plan — nodes with their
 * addresses, LANs, flannel leases, reverse-path filters and Docker bridges; flannel's config and leases; the service
 * CIDR, cluster DNS, kube-proxy settings and services; pods; networks outside the cluster that must stay reachable;
 * the platform and the underlay.
 *
 * <p>{@link io.github.cidrguard.kube.Scenario} is the entry point: {@code Scenario.builder(name)} builds one in code;
 * {@code Scenario.load(path)}, {@code parse(text, name)} and {@code toYaml()} are conveniences that delegate to the
 * file format in {@code io.github.cidrguard.scenario}, so this package itself does no file I/O. Every type is an
 * immutable value; a value the model cannot hold raises an unchecked {@link io.github.cidrguard.kube.ScenarioException}
 * (or {@code IllegalArgumentException} for a value built in code). The model only holds what was written (flannel's
 * config stays verbatim text); what it means for traffic is decided by {@code io.github.cidrguard.analysis} and
 * {@code io.github.cidrguard.trace}.
 */
@NullMarked
package io.github.cidrguard.kube;

import org.jspecify.annotations.NullMarked;
