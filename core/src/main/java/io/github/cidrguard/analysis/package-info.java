/**
 * Overlap analysis and address planning.
 *
 * <p>The primitives here work on plain address data and are usable on their own:
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
package io.github.cidrguard.analysis;
