/**
 * The cluster model: what a scenario file (DESIGN §3.2) says about a cluster's address plan — nodes with their
 * addresses, LANs, flannel leases, reverse-path filters and Docker bridges; flannel's config and leases; the service
 * CIDR, cluster DNS, kube-proxy settings and services; pods; networks outside the cluster that must stay reachable;
 * the platform and the underlay.
 *
 * <p>{@link io.github.cidrguard.kube.Scenario} is the entry point: {@code Scenario.load(path)} reads a YAML or JSON
 * file, {@code Scenario.builder(name)} builds one in code, {@code toYaml()} writes one back. Every type is an immutable
 * value; bad input raises an unchecked {@link io.github.cidrguard.kube.ScenarioException} that names the file, the
 * line, the key and the fix. The model only holds what was written (flannel's config stays verbatim text); what it
 * means for traffic is decided by {@code io.github.cidrguard.analysis}.
 *
 * <p>{@link io.github.cidrguard.kube.ScenarioImport} builds a scenario from what a cluster already shows: the output of
 * {@code kubectl get nodes/svc/pods -o json}, the kube-flannel and kube-proxy ConfigMaps, and per node
 * {@code /run/flannel/subnet.env}, {@code iptables-save} and {@code ip route} (one package-private parser per source;
 * unreadable input raises {@link io.github.cidrguard.kube.ImportException} naming the source and the command whose
 * output was expected).
 */
package io.github.cidrguard.kube;
