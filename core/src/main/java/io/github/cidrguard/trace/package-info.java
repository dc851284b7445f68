/**
 * The packet-path model: per-node routing tables, kube-proxy and flannel netfilter rules, rp_filter, conntrack, the
 * underlay, traces and exhaustive reachability (DESIGN §3.5).
 *
 * <p>Public API: {@link io.github.cidrguard.trace.Tracer} ({@code of}, {@code trace}, {@code reach}, {@code rules}),
 * {@link io.github.cidrguard.trace.Trace}, {@link io.github.cidrguard.trace.Hop},
 * {@link io.github.cidrguard.trace.Verdict}, {@link io.github.cidrguard.trace.Reason},
 * {@link io.github.cidrguard.trace.Reachability}. Everything else is package-private.
 *
 * <h2>Modelling choices (what the references leave open)</h2>
 * (completed below as the model grows)
 */
package io.github.cidrguard.trace;
