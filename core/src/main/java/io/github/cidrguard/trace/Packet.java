package io.github.cidrguard.trace;

import io.github.cidrguard.net.IpAddress;

/** One IPv4 packet as the model sees it: addresses, protocol, ports, the skb mark. */
record Packet(IpAddress src, IpAddress dst, Proto proto, int sport, int dport, int mark) {

    Packet withSrc(IpAddress a, int port) {
        return new Packet(a, dst, proto, port, dport, mark);
    }

    Packet withDst(IpAddress a, int port) {
        return new Packet(src, a, proto, sport, port, mark);
    }

    Packet withMark(int m) {
        return new Packet(src, dst, proto, sport, dport, m);
    }

    Packet reversed() {
        return new Packet(dst, src, proto, dport, sport, 0);
    }

    String render() {
        String s = proto.hasPorts()
                ? src + ":" + sport + " > " + dst + ":" + dport + " " + proto.name()
                : src + " > " + dst;
        return mark != 0 ? s + " mark 0x" + Integer.toHexString(mark) : s;
    }
}
