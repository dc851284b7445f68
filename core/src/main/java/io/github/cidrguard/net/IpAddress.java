package io.github.cidrguard.net;

import inet.ipaddr.IPAddress;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * One IPv4 or IPv6 address: an immutable value, ordered IPv4 first, then numerically.
 *
 * <p>{@link #parse} is strict (see {@link Cidr#parse}): no leading zeros in IPv4 octets, no inet_aton short forms,
 * no zones, no whitespace. {@link #toString()} prints a dotted quad for IPv4 and the RFC 5952 form for IPv6 (lower
 * case, the longest run of two or more zero groups compressed), which is what flannel and kube-proxy print.
 *
 * <p>Internally an address is two longs (the high and low 64 bits; IPv4 uses only the low 32 bits), so comparisons
 * and arithmetic never allocate.
 */
public final class IpAddress implements Comparable<IpAddress> {
    static final long IPV4_MASK = 0xFFFF_FFFFL;

    private final IpFamily family;
    private final long hi;
    private final long lo;

    private IpAddress(IpFamily family, long hi, long lo) {
        this.family = family;
        this.hi = hi;
        this.lo = lo;
    }

    /**
     * Parses one address in strict syntax, e.g. {@code 10.252.158.71} or {@code fd00::1}.
     *
     * @throws AddressFormatException if the text is not exactly one address (a prefix length, range, zone, leading
     *     zero or short form is rejected); the message names the input and the fix
     */
    public static IpAddress parse(String text) {
        long plain = text == null ? -1 : Parsing.plainIpv4(text, 0, text.length());
        if (plain >= 0) {
            return ofIpv4(plain);
        }
        IPAddress parsed = Parsing.parseStrict(text, "an IP address", "10.0.0.1 or fd00::1");
        if (parsed.isPrefixed()) {
            throw new AddressFormatException(text, "'" + text + "' is a CIDR, not an address; write the address alone,"
                    + " e.g. " + parsed.getLower().withoutPrefixLength().toCanonicalString());
        }
        return of(parsed);
    }

    /** Whether {@link #parse} accepts the text. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (AddressFormatException e) {
            return false;
        }
    }

    /** The IPv4 address with the given 32-bit value (the low 32 bits of {@code value} are used). */
    public static IpAddress ofIpv4(long value) {
        return new IpAddress(IpFamily.IPV4, 0, value & IPV4_MASK);
    }

    /** The IPv6 address whose high and low 64 bits are given. */
    public static IpAddress ofIpv6(long high, long low) {
        return new IpAddress(IpFamily.IPV6, high, low);
    }

    /**
     * The address of the given family with the given numeric value.
     *
     * @throws IllegalArgumentException if the value is negative or does not fit the family
     */
    public static IpAddress of(IpFamily family, BigInteger value) {
        if (value.signum() < 0 || value.bitLength() > family.bits()) {
            throw new IllegalArgumentException(value + " is not a " + family.label() + " address value (0 to 2^"
                    + family.bits() + "-1)");
        }
        return family == IpFamily.IPV4 ? ofIpv4(value.longValue())
                : ofIpv6(value.shiftRight(64).longValue(), value.longValue());
    }

    /**
     * The address held in 4 (IPv4) or 16 (IPv6) network-order bytes.
     *
     * @throws IllegalArgumentException for any other length
     */
    public static IpAddress fromBytes(byte[] bytes) {
        if (bytes.length == 4) {
            return ofIpv4(readLong(bytes, 0, 4));
        }
        if (bytes.length == 16) {
            return ofIpv6(readLong(bytes, 0, 8), readLong(bytes, 8, 8));
        }
        throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length);
    }

    /** The address of a java.net address of either family. */
    public static IpAddress of(InetAddress address) {
        return fromBytes(address.getAddress());
    }

    static IpAddress of(IPAddress address) {
        return fromBytes(address.getLower().getBytes());
    }

    private static long readLong(byte[] b, int from, int n) {
        long v = 0;
        for (int i = from; i < from + n; i++) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    /** IPv4 or IPv6. */
    public IpFamily family() {
        return family;
    }

    /** Whether this is an IPv4 address. */
    public boolean isIpv4() {
        return family == IpFamily.IPV4;
    }

    /** The high 64 bits of the 128-bit value (always 0 for IPv4). */
    public long high() {
        return hi;
    }

    /** The low 64 bits; for IPv4 the 32-bit value, 0 to 2^32-1. */
    public long low() {
        return lo;
    }

    /** The unsigned numeric value. */
    public BigInteger toBigInteger() {
        BigInteger low = new BigInteger(Long.toUnsignedString(lo));
        return isIpv4() ? low : new BigInteger(Long.toUnsignedString(hi)).shiftLeft(64).or(low);
    }

    /** The address in network byte order: 4 bytes for IPv4, 16 for IPv6. */
    public byte[] toBytes() {
        int n = isIpv4() ? 4 : 16;
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            int bitFromRight = (n - 1 - i) * 8;
            long word = bitFromRight >= 64 ? hi : lo;
            b[i] = (byte) (word >>> (bitFromRight % 64));
        }
        return b;
    }

    /**
     * The address as a {@link java.net.InetAddress} (no name look-up happens): an {@code Inet4Address} for IPv4 and
     * an {@code Inet6Address} for IPv6, also for IPv4-mapped addresses such as {@code ::ffff:10.0.0.1}, which
     * {@code InetAddress.getByAddress} would turn into the IPv4 address.
     */
    public InetAddress toInetAddress() {
        try {
            return isIpv4() ? InetAddress.getByAddress(toBytes()) : Inet6Address.getByAddress(null, toBytes(), -1);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // only thrown for a bad length
        }
    }

    /** The address as an IPAddress library object, for callers who need its richer API. */
    public IPAddress toIPAddress() {
        return isIpv4() ? new IPv4Address(toBytes()) : new IPv6Address(toBytes());
    }

    /**
     * The address {@code n} further on (negative: back).
     *
     * @throws ArithmeticException if the result leaves the family's address space
     */
    public IpAddress plus(long n) {
        if (isIpv4()) {
            long v = lo + n;
            if (v < 0 || v > IPV4_MASK || (n > 0 && v < lo) || (n < 0 && v > lo)) {
                throw new ArithmeticException(this + " + " + n + " leaves the IPv4 address space");
            }
            return ofIpv4(v);
        }
        long newLo = lo + n;
        long carry;
        if (n >= 0) {
            carry = Long.compareUnsigned(newLo, lo) < 0 ? 1 : 0;
        } else {
            carry = Long.compareUnsigned(newLo, lo) > 0 ? -1 : 0;
        }
        long newHi = hi + carry;
        if ((carry == 1 && newHi == 0) || (carry == -1 && hi == 0)) {
            throw new ArithmeticException(this + " + " + n + " leaves the IPv6 address space");
        }
        return ofIpv6(newHi, newLo);
    }

    /** Whether this is the highest address of its family. */
    public boolean isMax() {
        return isIpv4() ? lo == IPV4_MASK : hi == -1L && lo == -1L;
    }

    /** Whether this is the lowest address of its family (0.0.0.0 or ::). */
    public boolean isZero() {
        return hi == 0 && lo == 0;
    }

    /** IPv4 before IPv6; within a family, numeric (unsigned) order. */
    @Override
    public int compareTo(IpAddress o) {
        int c = family.compareTo(o.family);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress a && a.family == family && a.hi == hi && a.lo == lo;
    }

    @Override
    public int hashCode() {
        return Objects.hash(family, hi, lo);
    }

    /** Dotted quad for IPv4; RFC 5952 for IPv6 (e.g. {@code fc00:0:0:1::}). */
    @Override
    public String toString() {
        if (isIpv4()) {
            return (lo >>> 24) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
        }
        return new IPv6Address(toBytes()).toCanonicalString();
    }
}
