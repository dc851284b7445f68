/**
 * Overlap analysis of a cluster's address plan: {@link io.github.cidrguard.analysis.Analysis#of} turns a
 * {@link io.github.cidrguard.kube.Scenario} into a {@link io.github.cidrguard.analysis.Report} of
 * {@link io.github.cidrguard.analysis.Finding}s from the catalogue of DESIGN §3.3
 * ({@link io.github.cidrguard.analysis.FindingCode}), printed as the JSON of §3.4; and
 * {@link io.github.cidrguard.analysis.Suggest} proposes replacement flannel Networks and service CIDRs that collide
 * with nothing, with the free space and utilization of the current Network.
 *
 * <p>The rules come from reference/flannel.md (derived SubnetLen/Min/Max, lease compatibility, the masquerade rules
 * behind the seed story) and reference/kube-proxy.md (how each overlap breaks traffic, what kube-apiserver and
 * kubeadm enforce, the reserved ranges). Findings are sorted so that a report does not depend on the order of its
 * inputs.
 */
package io.github.cidrguard.analysis;
