package io.github.cidrguard.net;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressSeqRange;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An inclusive range of addresses of one family, {@code first–last}, that need not be a CIDR: flannel's
 * {@code SubnetMin..SubnetMax}, a kube-proxy port's addresses, or a free gap between allocations.
 * Printed as {@code first-last}.
 */
public final class AddressRange implements Comparable<AddressRange> {
    private final IpAddress first;
    private final IpAddress last;

    private AddressRange(IpAddress first, IpAddress last) {
        this.first = first;
        this.last = last;
    }

    /**
     * The range from {@code first} to {@code last}, both included.
     *
     * @throws IllegalArgumentException if the families differ or {@code first} is after {@code last}
     */
    public static AddressRange of(IpAddress first, IpAddress last) {
        if (first.family() != last.family()) {
            throw new IllegalArgumentException("a range cannot mix families: " + first + "-" + last);
        }
        if (first.compareTo(last) > 0) {
            throw new IllegalArgumentException("range " + first + "-" + last + " is reversed; write " + last + "-"
                    + first);
        }
        return new AddressRange(first, last);
    }

    /** The range of one address. */
    public static AddressRange of(IpAddress address) {
        return new AddressRange(address, address);
    }

    /**
     * Parses {@code first-last} (e.g. {@code 10.0.0.5-10.0.0.20}), a CIDR, or a single address, each part in the
     * strict syntax of {@link IpAddress#parse}.
     *
     * @throws AddressFormatException naming the input and the fix
     */
    public static AddressRange parse(String text) {
        if (text != null && text.indexOf('/') >= 0) {
            return Cidr.parse(text).toRange();
        }
        int dash = text == null ? -1 : text.indexOf('-');
        if (dash < 0) {
            return of(IpAddress.parse(text));
        }
        try {
            return of(IpAddress.parse(text.substring(0, dash)), IpAddress.parse(text.substring(dash + 1)));
        } catch (IllegalArgumentException e) { // also an AddressFormatException that names only one end
            throw new AddressFormatException(text, "'" + text + "' is not an address range: " + e.getMessage());
        }
    }

    /** The first address. */
    public IpAddress first() {
        return first;
    }

    /** The last address (included). */
    public IpAddress last() {
        return last;
    }

    /** The family of both ends. */
    public IpFamily family() {
        return first.family();
    }

    /** The number of addresses. */
    public BigInteger size() {
        return last.toBigInteger().subtract(first.toBigInteger()).add(BigInteger.ONE);
    }

    /** Whether the address lies in the range. */
    public boolean contains(IpAddress a) {
        return a.family() == family() && first.compareTo(a) <= 0 && a.compareTo(last) <= 0;
    }

    /** Whether {@code other} lies wholly inside this range. */
    public boolean contains(AddressRange other) {
        return contains(other.first) && contains(other.last);
    }

    /** Whether the block lies wholly inside this range. */
    public boolean contains(Cidr cidr) {
        return contains(cidr.first()) && contains(cidr.last());
    }

    /** Whether the two ranges share an address. */
    public boolean overlaps(AddressRange other) {
        return other.family() == family() && first.compareTo(other.last) <= 0 && other.first.compareTo(last) <= 0;
    }

    /** Whether the range and the block share an address. */
    public boolean overlaps(Cidr cidr) {
        return overlaps(cidr.toRange());
    }

    /** The common part, or empty when the ranges are disjoint. */
    public Optional<AddressRange> intersection(AddressRange other) {
        if (!overlaps(other)) {
            return Optional.empty();
        }
        IpAddress f = first.compareTo(other.first) >= 0 ? first : other.first;
        IpAddress l = last.compareTo(other.last) <= 0 ? last : other.last;
        return Optional.of(new AddressRange(f, l));
    }

    /** The range as a CIDR if it is exactly one block. */
    public Optional<Cidr> asCidr() {
        List<Cidr> cidrs = toCidrs();
        return cidrs.size() == 1 ? Optional.of(cidrs.get(0)) : Optional.empty();
    }

    /** The fewest CIDR blocks that cover exactly this range, in address order. */
    public List<Cidr> toCidrs() {
        IPAddressSeqRange range = first.toIPAddress().spanWithRange(last.toIPAddress());
        IPAddress[] blocks = range.spanWithPrefixBlocks();
        List<Cidr> out = new ArrayList<>(blocks.length);
        for (IPAddress b : blocks) {
            int len = b.getPrefixLength() == null ? first.family().bits() : b.getPrefixLength();
            out.add(Cidr.of(IpAddress.of(b), len));
        }
        return out;
    }

    /** By first address, then by last. */
    @Override
    public int compareTo(AddressRange o) {
        int c = first.compareTo(o.first);
        return c != 0 ? c : last.compareTo(o.last);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressRange r && r.first.equals(first) && r.last.equals(last);
    }

    @Override
    public int hashCode() {
        return Objects.hash(first, last);
    }

    /** {@code first-last}, e.g. {@code 10.252.1.0-10.252.255.0}. */
    @Override
    public String toString() {
        return first + "-" + last;
    }
}
