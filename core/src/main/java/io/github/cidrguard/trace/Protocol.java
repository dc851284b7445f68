package io.github.cidrguard.trace;

import java.util.Locale;

/** The protocol of a {@link Flow}: ICMP (echo, no ports) or a transport with ports. */
public enum Protocol {
    /** ICMP echo: no ports. */
    ICMP,
    /** TCP. */
    TCP,
    /** UDP. */
    UDP,
    /** SCTP. */
    SCTP;

    /** The name as iptables, nft and ipvsadm spell it: {@code tcp}, {@code udp}, {@code sctp}, {@code icmp}. */
    public String lowerCase() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the protocol has ports. */
    public boolean hasPorts() {
        return this != ICMP;
    }

    /**
     * The protocol of a name, any case.
     *
     * @throws IllegalArgumentException naming the input and the known protocols
     */
    public static Protocol parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown protocol '" + s + "'; use TCP, UDP or SCTP (e.g. 443/TCP)");
        }
    }
}
