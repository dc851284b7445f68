package io.github.cidrguard.trace;

import java.util.Locale;

/** The transport protocols a trace can carry. */
enum Proto {
    ICMP, TCP, UDP, SCTP;

    String lower() {
        return name().toLowerCase(Locale.ROOT);
    }

    boolean hasPorts() {
        return this != ICMP;
    }

    static Proto parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown protocol '" + s + "'; use TCP, UDP or SCTP (e.g. 443/TCP)");
        }
    }
}
