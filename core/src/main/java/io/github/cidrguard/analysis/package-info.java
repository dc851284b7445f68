/**
 * Overlap analysis of a cluster's address plan: {@link io.github.cidrguard.analysis.Analysis#of} turns a
 * {@link io.github.cidrguard.kube.Scenario} into a {@link io.github.cidrguard.analysis.Report} of
 * {@link io.github.cidrguard.analysis.Finding}s from the catalogue of docs/findings.md
 * ({@link io.github.cidrguard.analysis.FindingCode}), printed as the report JSON of docs/architecture.md; and
 * {@link io.github.cidrguard.analysis.Suggest} proposes replacement flannel Networks and service CIDRs that collide
 * with nothing, with the free space and utilization of the current Network.
 *
 * <p>The rules mirror flannel v0.28.9 (derived SubnetLen/Min/Max, lease compatibility, the masquerade rules behind
 * the seed story) and Kubernetes (how each overlap breaks traffic, what kube-apiserver and kubeadm enforce, the
 * reserved ranges). Findings are sorted so that a report does not depend on the order of its
 * inputs.
 *
 * <p>The primitives underneath work on plain address data and are usable on their own:
 * <ul>
 *   <li>{@link io.github.cidrguard.analysis.OverlapFinder} — every overlapping pair among named ranges
 *       ({@link io.github.cidrguard.analysis.NamedRange} in, {@link io.github.cidrguard.analysis.Overlap} out),
 *       duplicate, containment or partial, in O(n log n + k);</li>
 *   <li>{@link io.github.cidrguard.analysis.ReservedRanges} — the catalogue of special-purpose, platform-reserved
 *       and well-known default ranges, with their sources;</li>
 *   <li>{@link io.github.cidrguard.analysis.FreeSpace} — free blocks of a size inside a parent space, utilization,
 *       free blocks per size;</li>
 *   <li>{@link io.github.cidrguard.analysis.RangeSuggester} — replacement ranges that collide with nothing, best
 *       first, each with its reasons.</li>
 * </ul>
 */
@NullMarked
package io.github.cidrguard.analysis;

import org.jspecify.annotations.NullMarked;
