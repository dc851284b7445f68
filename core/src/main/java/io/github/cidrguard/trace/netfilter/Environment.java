package io.github.cidrguard.trace.netfilter;

import io.github.cidrguard.net.IpAddress;

/**
 * What a rule may ask about the node and the packet's path besides the packet itself: the input interface, the
 * conntrack state, the node's local addresses ({@code addrtype LOCAL}, {@code fib daddr type local}), its ipsets and
 * the address MASQUERADE picks. The tracer supplies it for a modelled node; a caller evaluating a parsed ruleset
 * supplies its own.
 */
public interface Environment {

    /**
     * The interface the packet came in through ({@code -i}, {@code iifname}).
     *
     * @return the name, or null for a locally generated packet
     */
    String inInterface();

    /**
     * Whether the packet opens a new connection (conntrack NEW); false for a reply of a known one.
     *
     * @return whether the connection is new
     */
    boolean newConnection();

    /**
     * Whether the node holds the address (the kernel's local routing table).
     *
     * @param a the address
     * @return whether it is local
     */
    boolean isLocal(IpAddress a);

    /**
     * Whether the packet is in one of the node's ipsets, tested with {@code -m set} flags.
     *
     * @param set the ipset name
     * @param flags the direction flags, e.g. {@code dst,dst}
     * @param p the packet
     * @return whether it is a member; false for an unknown set
     */
    boolean ipsetContains(String set, String flags, Packet p);

    /**
     * Whether the packet passes a reverse-path check ({@code -m rpfilter}): the route back to its source leaves through
     * the interface it came in on, or with {@code loose} any route back exists. A locally generated packet passes.
     *
     * @param p the packet
     * @param loose whether any route back will do
     * @return whether it passes; by default true (an environment that knows no routes drops nothing)
     */
    default boolean reversePathOk(Packet p, boolean loose) {
        return true;
    }

    /**
     * The address MASQUERADE gives the packet: the outgoing interface's.
     *
     * @return the address, or null before routing chose an interface
     */
    IpAddress masqueradeAddress();
}
