package io.github.cidrguard.net;

import inet.ipaddr.IPAddress;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * A CIDR prefix block such as {@code 10.244.0.0/16} or {@code fd00:10:244::/56}: an immutable value identified by
 * its network address and prefix length.
 *
 * <p>Two blocks are either nested or disjoint, never partly overlapping, so {@link #overlaps} is the same as "one
 * contains the other". Equality is on (network, prefix length) only; IPAddress's own {@code equals} would call
 * {@code 10.252.61.0/16} equal to the bare address {@code 10.252.61.0}, which is why
 * this type keeps its own fields.
 *
 * <p>{@link #parse} is strict and refuses host bits, naming the network that was probably meant; {@link
 * #parseMasked} mirrors Go's {@code net.ParseCIDR}, which flannel uses: it clears the host bits silently.
 */
public final class Cidr implements Comparable<Cidr> {
    private final IpAddress network;
    private final int prefixLength;

    private Cidr(IpAddress network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses a CIDR in strict syntax: an address, a slash and a decimal prefix length, with no host bits set.
     * Rejected: leading zeros in IPv4 octets or the prefix length ({@code 010.0.0.0/8}, {@code 10.0.0.0/016}),
     * inet_aton short forms ({@code 10/8}), masks ({@code 10.0.0.0/255.0.0.0}), ranges and wildcards, zones, white
     * space, a missing prefix length, and host bits ({@code 10.252.61.0/16}).
     *
     * @throws AddressFormatException naming the input and the fix; for host bits the message is
     *     {@code "10.252.61.0/16 has host bits set; the network is 10.252.0.0/16"}
     */
    public static Cidr parse(String text) {
        return parse(text, true);
    }

    /**
     * Parses a CIDR with the strict syntax of {@link #parse} but clears host bits the way Go's
     * {@code net.ParseCIDR} (and so flannel) does: {@code 10.252.61.0/16} gives {@code 10.252.0.0/16}.
     *
     * @throws AddressFormatException if the text is not a CIDR at all
     */
    public static Cidr parseMasked(String text) {
        return parse(text, false);
    }

    private static Cidr parse(String text, boolean refuseHostBits) {
        int slash = text == null ? -1 : text.indexOf('/');
        long plain = slash < 0 ? -1 : Parsing.plainIpv4(text, 0, slash);
        int plainLength = plain < 0 ? -1 : Parsing.plainPrefixLength(text, slash + 1, text.length(), 32);
        IpAddress written;
        int length;
        if (plainLength >= 0) {
            written = IpAddress.ofIpv4(plain);
            length = plainLength;
        } else {
            IPAddress parsed = Parsing.parseStrict(text, "a CIDR", "10.244.0.0/16 or fd00::/48");
            Integer l = parsed.getNetworkPrefixLength();
            if (l == null) {
                throw new AddressFormatException(text, "'" + text + "' is not a CIDR: it has no prefix length; write "
                        + text + (parsed.isIPv4() ? "/32" : "/128") + " for a single address");
            }
            written = IpAddress.of(parsed);
            length = l;
        }
        Cidr masked = ofMasked(written, length);
        if (refuseHostBits && !written.equals(masked.network)) {
            throw new AddressFormatException(text, text + " has host bits set; the network is " + masked);
        }
        return masked;
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

    /**
     * The block with the given network address and prefix length.
     *
     * @throws IllegalArgumentException if the length is out of range for the family, or the address has host bits
     *     set (the message names the masked network)
     */
    public static Cidr of(IpAddress network, int prefixLength) {
        Cidr masked = ofMasked(network, prefixLength);
        if (!masked.network.equals(network)) {
            throw new IllegalArgumentException(network + "/" + prefixLength + " has host bits set; the network is "
                    + masked);
        }
        return masked;
    }

    /**
     * The block of the given length that contains {@code address} (host bits cleared).
     *
     * @throws IllegalArgumentException if the length is out of range for the family
     */
    public static Cidr ofMasked(IpAddress address, int prefixLength) {
        int bits = address.family().bits();
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is out of range for "
                    + address.family().label() + " (0 to " + bits + ")");
        }
        long hiMask = hiMask(address.family(), prefixLength);
        long loMask = loMask(address.family(), prefixLength);
        IpAddress net = address.isIpv4() ? IpAddress.ofIpv4(address.low() & loMask)
                : IpAddress.ofIpv6(address.high() & hiMask, address.low() & loMask);
        return new Cidr(net, prefixLength);
    }

    /** The single-address block ({@code /32} or {@code /128}) of an address. */
    public static Cidr of(IpAddress address) {
        return new Cidr(address, address.family().bits());
    }

    /** The whole address space of a family: {@code 0.0.0.0/0} or {@code ::/0}. */
    public static Cidr all(IpFamily family) {
        return new Cidr(family == IpFamily.IPV4 ? IpAddress.ofIpv4(0) : IpAddress.ofIpv6(0, 0), 0);
    }

    static long hiMask(IpFamily family, int len) {
        if (family == IpFamily.IPV4 || len == 0) {
            return 0;
        }
        return len >= 64 ? -1L : -1L << (64 - len);
    }

    static long loMask(IpFamily family, int len) {
        if (family == IpFamily.IPV4) {
            return len == 0 ? 0 : (IpAddress.IPV4_MASK << (32 - len)) & IpAddress.IPV4_MASK;
        }
        if (len <= 64) {
            return 0;
        }
        return len == 128 ? -1L : -1L << (128 - len);
    }

    /** The network (first) address. */
    public IpAddress network() {
        return network;
    }

    /** The prefix length, 0–32 for IPv4 and 0–128 for IPv6. */
    public int prefixLength() {
        return prefixLength;
    }

    /** The family of the network address. */
    public IpFamily family() {
        return network.family();
    }

    /** The first address, the same as {@link #network()}. */
    public IpAddress first() {
        return network;
    }

    /** The last address (the IPv4 broadcast address for blocks shorter than /31). */
    public IpAddress last() {
        IpFamily f = family();
        return f == IpFamily.IPV4
                ? IpAddress.ofIpv4(network.low() | (~loMask(f, prefixLength) & IpAddress.IPV4_MASK))
                : IpAddress.ofIpv6(network.high() | ~hiMask(f, prefixLength), network.low() | ~loMask(f, prefixLength));
    }

    /** The number of addresses, 2^(bits − prefix length). */
    public BigInteger size() {
        return BigInteger.ONE.shiftLeft(family().bits() - prefixLength);
    }

    /** The number of host bits: the family's width minus the prefix length. */
    public int hostBits() {
        return family().bits() - prefixLength;
    }

    /** Whether the address lies in this block (false for the other family). */
    public boolean contains(IpAddress address) {
        if (address.family() != family()) {
            return false;
        }
        IpFamily f = family();
        return (address.high() & hiMask(f, prefixLength)) == network.high()
                && (address.low() & loMask(f, prefixLength)) == network.low();
    }

    /** Whether {@code other} lies wholly in this block (a block contains itself). */
    public boolean contains(Cidr other) {
        return other.prefixLength >= prefixLength && contains(other.network);
    }

    /** Whether the two blocks share an address; for CIDRs that means one contains the other. */
    public boolean overlaps(Cidr other) {
        return contains(other) || other.contains(this);
    }

    /** The common part of two blocks: the smaller one when they overlap, empty otherwise. */
    public Optional<Cidr> intersection(Cidr other) {
        if (contains(other)) {
            return Optional.of(other);
        }
        return other.contains(this) ? Optional.of(this) : Optional.empty();
    }

    /**
     * The enclosing block of a shorter (or equal) prefix length.
     *
     * @throws IllegalArgumentException if {@code length} is longer than this block's
     */
    public Cidr supernet(int length) {
        if (length > prefixLength) {
            throw new IllegalArgumentException(this + " has no supernet of length /" + length
                    + "; a supernet is at most /" + prefixLength);
        }
        return ofMasked(network, length);
    }

    /** A copy with the given prefix length, masking the network as needed ({@code 10.1.2.0/24} with 16 → 10.1.0.0/16). */
    public Cidr withPrefixLength(int length) {
        return ofMasked(network, length);
    }

    /**
     * The number of blocks of the given (longer or equal) length inside this one.
     *
     * @throws IllegalArgumentException if the length is shorter than this block's or beyond the family's width
     */
    public BigInteger subnetCount(int length) {
        checkSubnetLength(length);
        return BigInteger.ONE.shiftLeft(length - prefixLength);
    }

    /**
     * All blocks of the given length inside this one, in address order, computed lazily (a /8 has 65 536 /24s;
     * an IPv6 /48 has 2^16 /64s; streams of more than 2^62 blocks are cut at 2^62).
     *
     * @throws IllegalArgumentException if the length is shorter than this block's or beyond the family's width
     */
    public Stream<Cidr> subnets(int length) {
        checkSubnetLength(length);
        int diff = length - prefixLength;
        long count = diff >= 62 ? 1L << 62 : 1L << diff;
        int step = family().bits() - length;
        return LongStream.range(0, count).mapToObj(i -> {
            if (family() == IpFamily.IPV4) {
                return new Cidr(IpAddress.ofIpv4(network.low() + (i << step)), length);
            }
            BigInteger offset = BigInteger.valueOf(i).shiftLeft(step);
            return new Cidr(IpAddress.of(IpFamily.IPV6, network.toBigInteger().add(offset)), length);
        });
    }

    private void checkSubnetLength(int length) {
        if (length < prefixLength || length > family().bits()) {
            throw new IllegalArgumentException("/" + length + " is not a subnet length of " + this + " (use /"
                    + prefixLength + " to /" + family().bits() + ")");
        }
    }

    /** The block of the same length that follows this one; empty at the end of the address space. */
    public Optional<Cidr> next() {
        IpAddress last = last();
        return last.isMax() ? Optional.empty() : Optional.of(new Cidr(last.plus(1), prefixLength));
    }

    /** The block of the same length before this one; empty at the start of the address space. */
    public Optional<Cidr> previous() {
        if (network.isZero()) {
            return Optional.empty();
        }
        return Optional.of(ofMasked(network.plus(-1), prefixLength));
    }

    /** This block as an address range. */
    public AddressRange toRange() {
        return AddressRange.of(network, last());
    }

    /** This block as an IPAddress library prefix block, for callers who need its richer API. */
    public IPAddress toIPAddress() {
        return network.toIPAddress().setPrefixLength(prefixLength, false).toPrefixBlock();
    }

    /** IPv4 first, then by network address, then shorter (enclosing) blocks first. */
    @Override
    public int compareTo(Cidr o) {
        int c = network.compareTo(o.network);
        return c != 0 ? c : Integer.compare(prefixLength, o.prefixLength);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && c.network.equals(network);
    }

    @Override
    public int hashCode() {
        return Objects.hash(network, prefixLength);
    }

    /** {@code network/length}, e.g. {@code 10.252.0.0/16} or {@code fc00:0:0:1::/64}. */
    @Override
    public String toString() {
        return network + "/" + prefixLength;
    }
}
