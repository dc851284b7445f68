package io.github.cidrguard.trace;

/** The mutable state of one packet through one hook of one node. */
final class Ctx {
    final NodePlane node;
    Packet packet;
    final String iif;
    final boolean ctNew;
    boolean masquerade;
    boolean dnat;
    io.github.cidrguard.net.IpAddress oifAddress;

    Ctx(NodePlane node, Packet packet, String iif, boolean ctNew) {
        this.node = node;
        this.packet = packet;
        this.iif = iif;
        this.ctNew = ctNew;
    }
}
