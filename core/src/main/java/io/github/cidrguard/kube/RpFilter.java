package io.github.cidrguard.kube;

import java.util.Locale;

/**
 * A node's effective {@code net.ipv4.conf.*.rp_filter}: the kernel uses the maximum of {@code conf.all} and the
 * interface's value, so this is that maximum.
 */
public enum RpFilter {
    /** 1: drop a packet whose source is not routed back through the interface it arrived on (the default here). */
    STRICT,
    /** 2: drop only a packet whose source is not routable at all. */
    LOOSE,
    /** 0: no reverse-path check. */
    OFF;

    /** The name as written in a scenario file: {@code strict}, {@code loose}, {@code off}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
