package io.github.cidrguard.trace.netfilter;

import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.trace.Protocol;

import java.util.Objects;

/**
 * One packet as netfilter sees it: addresses (either family), protocol, ports and the skb mark.
 *
 * @param src the source address
 * @param dst the destination address
 * @param proto the protocol
 * @param sport the source port (0 for ICMP)
 * @param dport the destination port (0 for ICMP)
 * @param mark the skb mark
 */
public record Packet(IpAddress src, IpAddress dst, Protocol proto, int sport, int dport, int mark) {

    /**
     * Checks the protocol.
     *
     * @throws NullPointerException when the protocol is null
     */
    public Packet {
        Objects.requireNonNull(proto, "proto");
    }

    /**
     * This packet from another source (source NAT).
     *
     * @param a the new source
     * @param port the new source port
     * @return the packet
     */
    public Packet withSrc(IpAddress a, int port) {
        return new Packet(a, dst, proto, port, dport, mark);
    }

    /**
     * This packet to another destination (DNAT).
     *
     * @param a the new destination
     * @param port the new destination port
     * @return the packet
     */
    public Packet withDst(IpAddress a, int port) {
        return new Packet(src, a, proto, sport, port, mark);
    }

    /**
     * This packet with another mark.
     *
     * @param m the mark
     * @return the packet
     */
    public Packet withMark(int m) {
        return new Packet(src, dst, proto, sport, dport, m);
    }

    /**
     * The reply: addresses and ports swapped, no mark.
     *
     * @return the reply packet
     */
    public Packet reversed() {
        return new Packet(dst, src, proto, dport, sport, 0);
    }

    /**
     * The packet as a trace hop shows it: {@code 10.244.1.5:40000 > 10.96.0.10:53 UDP}, or {@code a > b} for ICMP,
     * with {@code mark 0x4000} when marked; an IPv6 address with a port in brackets ({@code [fd00::5]:40000}).
     *
     * @return the text
     */
    public String render() {
        String s = proto.hasPorts()
                ? hostPort(src, sport) + " > " + hostPort(dst, dport) + " " + proto.name()
                : src + " > " + dst;
        return mark != 0 ? s + " mark 0x" + Integer.toHexString(mark) : s;
    }

    private static String hostPort(IpAddress a, int port) {
        return a.isIpv4() ? a + ":" + port : "[" + a + "]:" + port;
    }
}
