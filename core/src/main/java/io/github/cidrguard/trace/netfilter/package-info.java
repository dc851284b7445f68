/**
 * The netfilter model of the tracer, as exported API: rules as data ({@link io.github.cidrguard.trace.netfilter.Rule}
 * with sealed {@link io.github.cidrguard.trace.netfilter.Match} conditions and a sealed
 * {@link io.github.cidrguard.trace.netfilter.Target}), a node's tables and base chains
 * ({@link io.github.cidrguard.trace.netfilter.Ruleset}), their listing as {@code iptables-save}, {@code ipset save} and
 * {@code nft list ruleset} print it ({@link io.github.cidrguard.trace.netfilter.Renderer}), and the evaluation of a
 * {@link io.github.cidrguard.trace.netfilter.Packet} through them
 * ({@link io.github.cidrguard.trace.netfilter.Evaluator}, asking node facts of an
 * {@link io.github.cidrguard.trace.netfilter.Environment}).
 *
 * <p>Representation and evaluation are apart: nothing here evaluates by a rule's text, so a ruleset parsed from a
 * node's {@code iptables-save} or {@code nft list ruleset} output (the importers of {@code io.github.cidrguard.ingest})
 * is traced exactly as the one the tracer renders from a scenario. The kube-proxy and flanneld rule builders that fill
 * a ruleset live in {@code io.github.cidrguard.trace} and are not API; docs/architecture.md describes the tracer.
 *
 * <p>Addresses are {@link io.github.cidrguard.net.IpAddress} and {@link io.github.cidrguard.net.Cidr}, of either
 * family; the protocol is {@link io.github.cidrguard.trace.Protocol}.
 */
package io.github.cidrguard.trace.netfilter;
