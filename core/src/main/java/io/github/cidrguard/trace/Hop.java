package io.github.cidrguard.trace;

/**
 * One step of a packet: where (node, or {@code underlay}), which stage (e.g. {@code nat/POSTROUTING}, {@code routing},
 * {@code rp_filter}), the rule as {@code iptables-save}, {@code nft list ruleset} or {@code ip route} prints it, what it
 * did, and the packet after it.
 *
 * @param node the node name, or {@code underlay}, or the name of an outside machine
 * @param stage the netfilter table/hook (or nft table/chain), {@code routing}, {@code rp_filter}, {@code conntrack},
 *     {@code ipvs}, {@code vxlan}, {@code underlay} or {@code deliver}
 * @param rule the rule or route text
 * @param action what happened: ACCEPT, DROP, REJECT, RETURN, JUMP …, DNAT, MASQUERADE, ROUTE, ENCAP, DELIVER, …
 * @param packet the packet after this hop, e.g. {@code 10.252.100.5 > 10.252.158.72}
 */
public record Hop(String node, String stage, String rule, String action, String packet) {
}
