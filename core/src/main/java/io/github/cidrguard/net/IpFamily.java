package io.github.cidrguard.net;

/** The two IP address families. IPv4 sorts before IPv6 wherever addresses are ordered. */
public enum IpFamily {
    /** 32-bit addresses, printed as a dotted quad. */
    IPV4(32),
    /** 128-bit addresses, printed per RFC 5952. */
    IPV6(128);

    private final int bits;

    IpFamily(int bits) {
        this.bits = bits;
    }

    /** The address width in bits: 32 or 128. */
    public int bits() {
        return bits;
    }

    /** {@code "IPv4"} or {@code "IPv6"}, as people write it. */
    public String label() {
        return this == IPV4 ? "IPv4" : "IPv6";
    }
}
