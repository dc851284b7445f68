package io.github.cidrguard.analysis;

import io.github.cidrguard.net.AddressRange;

/**
 * Sort key for a finding's range text: IPv4 numerically (first, then last address), then IPv6 by address range,
 * then anything else (no range) as text. IPv4 text is read by hand because it is on the hot path of every report
 * and the strict parser costs microseconds per call.
 */
record RangeKey(int kind, long first, long last, AddressRange range, String text) implements Comparable<RangeKey> {
    private static final int IPV4 = 0;
    private static final int IPV6 = 1;
    private static final int OTHER = 2;

    static RangeKey of(String text) {
        long[] v4 = ipv4(text);
        if (v4 != null) {
            return new RangeKey(IPV4, v4[0], v4[1], null, text);
        }
        try {
            return new RangeKey(IPV6, 0, 0, AddressRange.parse(text), text);
        } catch (IllegalArgumentException e) {
            return new RangeKey(OTHER, 0, 0, null, text);
        }
    }

    /** {@code a.b.c.d/len} or {@code a.b.c.d-e.f.g.h} as [first, last], or null if the text is not that. */
    private static long[] ipv4(String text) {
        int slash = text.indexOf('/');
        int dash = text.indexOf('-');
        try {
            if (slash > 0) {
                long first = quad(text.substring(0, slash));
                int len = Integer.parseInt(text.substring(slash + 1));
                if (first < 0 || len < 0 || len > 32) {
                    return null;
                }
                return new long[] {first, first | ((1L << (32 - len)) - 1)};
            }
            if (dash > 0) {
                long first = quad(text.substring(0, dash));
                long last = quad(text.substring(dash + 1));
                return first < 0 || last < 0 ? null : new long[] {first, last};
            }
            long a = quad(text);
            return a < 0 ? null : new long[] {a, a};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long quad(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return -1;
        }
        long v = 0;
        for (String p : parts) {
            int octet = Integer.parseInt(p);
            if (octet < 0 || octet > 255) {
                return -1;
            }
            v = v << 8 | octet;
        }
        return v;
    }

    @Override
    public int compareTo(RangeKey o) {
        int c = Integer.compare(kind, o.kind);
        if (c != 0) {
            return c;
        }
        if (kind == IPV4) {
            c = Long.compare(first, o.first);
            c = c != 0 ? c : Long.compare(last, o.last);
        } else if (kind == IPV6) {
            c = range.compareTo(o.range);
        }
        return c != 0 ? c : text.compareTo(o.text);
    }
}
