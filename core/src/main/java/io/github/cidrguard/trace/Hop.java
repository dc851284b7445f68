package io.github.cidrguard.trace;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * One step of a packet: where (node, or {@code underlay}), which stage (e.g. {@code nat/POSTROUTING}, {@code routing},
 * {@code rp_filter}), the rule as {@code iptables-save}, {@code nft list ruleset} or {@code ip route} prints it, what it
 * did, and the packet after it. The strings are the trace JSON's; {@link #stageKind()} and {@link #actionKind()} give
 * the same facts typed.
 *
 * @param node the node name, or {@code underlay}, or the name of an outside machine
 * @param stage the netfilter table/hook (or nft table/chain), {@code routing}, {@code pod routing}, {@code bridge},
 *     {@code rp_filter}, {@code conntrack}, {@code ipvs}, {@code neighbour}, a tunnel device ({@code flannel.1}),
 *     {@code underlay} or {@code deliver}
 * @param rule the rule or route text
 * @param action what happened: ACCEPT, DROP, REJECT, RETURN, JUMP …, DNAT, MASQUERADE, ROUTE, ENCAP, DELIVER, …
 * @param packet the packet after this hop, e.g. {@code 10.252.100.5 > 10.252.158.72}
 */
public record Hop(String node, String stage, String rule, String action, String packet) {

    /** The kind of a hop's stage. */
    public enum Stage {
        /** A netfilter chain: {@code table/HOOK} for iptables, {@code ip table/chain} for nft. */
        NETFILTER,
        /** The node's routing decision ({@code ip route get}). */
        ROUTING,
        /** A pod's own routing table (its eth0). */
        POD_ROUTING,
        /** The cni0 bridge forwarding a frame without routing it. */
        BRIDGE,
        /** Reverse-path filtering ({@code net.ipv4.conf.*.rp_filter}). */
        RP_FILTER,
        /** conntrack reversing a NAT on a reply. */
        CONNTRACK,
        /** An IPVS virtual server choosing a real server. */
        IPVS,
        /** Neighbour (ARP) resolution on a bridge. */
        NEIGHBOUR,
        /** A tunnel device: flannel.1 (vxlan), flannel0 (udp), flannel-wg (wireguard). */
        TUNNEL,
        /** The network between nodes. */
        UNDERLAY,
        /** Delivery to (or refusal by) the destination's socket or machine. */
        DELIVER;

        /**
         * The kind of a hop's stage text.
         *
         * @param stage the text, as {@link Hop#stage()} holds it
         * @return the kind; a stage of no other kind names a tunnel device
         */
        public static Stage of(String stage) {
            switch (stage) {
                case "routing":
                    return ROUTING;
                case "pod routing":
                    return POD_ROUTING;
                case "bridge":
                    return BRIDGE;
                case "rp_filter":
                    return RP_FILTER;
                case "conntrack":
                    return CONNTRACK;
                case "ipvs":
                    return IPVS;
                case "neighbour":
                    return NEIGHBOUR;
                case "underlay":
                    return UNDERLAY;
                case "deliver":
                    return DELIVER;
                default:
                    return stage.contains("/") ? NETFILTER : TUNNEL;
            }
        }
    }

    /** What a hop did. */
    public enum Action {
        /** A netfilter ACCEPT, or rp_filter letting the packet pass. */
        ACCEPT,
        /** Dropped silently. */
        DROP,
        /** Dropped with an ICMP error. */
        REJECT,
        /** A netfilter RETURN. */
        RETURN,
        /** A jump to a chain ({@code JUMP <chain>}). */
        JUMP,
        /** A goto to a chain ({@code GOTO <chain>}). */
        GOTO,
        /** Destination NAT (iptables, nft or IPVS). */
        DNAT,
        /** Source NAT to the outgoing interface's address. */
        MASQUERADE,
        /** A mark set. */
        MARK,
        /** A mark cleared. */
        UNMARK,
        /** Routed out of an interface. */
        ROUTE,
        /** Routed to a local address. */
        LOCAL,
        /** No route. */
        NO_ROUTE,
        /** Bridged on cni0. */
        BRIDGE,
        /** conntrack undoing source NAT on a reply. */
        UNSNAT,
        /** conntrack undoing destination NAT on a reply. */
        UNDNAT,
        /** Neighbour resolution failed. */
        UNREACHABLE,
        /** Encapsulated into a tunnel. */
        ENCAP,
        /** Decapsulated from a tunnel. */
        DECAP,
        /** Carried by the underlay. */
        FORWARD,
        /** Delivered. */
        DELIVER;

        /**
         * The action of a hop's action text.
         *
         * @param action the text, as {@link Hop#action()} holds it, e.g. {@code JUMP KUBE-SERVICES}
         * @return the action
         * @throws IllegalArgumentException naming the text when it is no known action
         */
        public static Action of(String action) {
            int space = action.indexOf(' ');
            String head = space < 0 ? action : action.substring(0, space);
            try {
                return valueOf(head.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown hop action '" + action + "'; known: "
                        + Arrays.toString(values()), e);
            }
        }
    }

    /**
     * The kind of this hop's stage.
     *
     * @return the kind
     */
    public Stage stageKind() {
        return Stage.of(stage);
    }

    /**
     * What this hop did, typed.
     *
     * @return the action
     * @throws IllegalArgumentException when the action text is no known action
     */
    public Action actionKind() {
        return Action.of(action);
    }

    /**
     * The chain a JUMP or GOTO hop went to.
     *
     * @return the chain, or empty for other actions
     */
    public Optional<String> jumpTarget() {
        Action a = actionKind();
        return a == Action.JUMP || a == Action.GOTO
                ? Optional.of(action.substring(action.indexOf(' ') + 1)) : Optional.empty();
    }
}
