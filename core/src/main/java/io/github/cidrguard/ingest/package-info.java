/**
 * Importers: {@link io.github.cidrguard.ingest.ScenarioImport} builds a scenario from what a cluster already shows —
 * the output of {@code kubectl get nodes/svc/pods -o json}, the kube-flannel and kube-proxy ConfigMaps, and per node
 * {@code /run/flannel/subnet.env}, {@code iptables-save}, {@code ip6tables-save}, {@code nft list ruleset} and
 * {@code ip route}. {@link io.github.cidrguard.ingest.InstalledRules} is the parsed form of a node's netfilter rules
 * (tables, chains, every rule with its exact text, file and line) for those who want the rules themselves rather than
 * the facts a scenario takes from them. There is one package-private parser per
 * source; input it cannot read raises {@link io.github.cidrguard.ingest.ImportException} naming the source, the line
 * when known, and the command whose output was expected. What an import had to infer or could not find is reported
 * as notes beside the scenario, never silently.
 */
@NullMarked
package io.github.cidrguard.ingest;

import org.jspecify.annotations.NullMarked;
