package io.github.cidrguard.trace;

/** The outcome of a trace. */
public enum Verdict {
    /** The destination's owner got the packet and the client got the reply. */
    DELIVERED,
    /** A node, the underlay or the client dropped the request or the reply. */
    DROPPED,
    /** A rule rejected the packet (ICMP port unreachable or a TCP reset). */
    REJECTED,
    /** Something other than the address's owner answered (a Service DNAT, a local address of the sending node). */
    HIJACKED,
    /** No route for the destination (on a node or in the underlay). */
    NO_ROUTE
}
