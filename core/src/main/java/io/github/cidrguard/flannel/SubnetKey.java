package io.github.cidrguard.flannel;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a flannel subnet lease in etcd: {@code 10.5.1.0-24}, or {@code 10.5.1.0-24&fd00:5:1::-64} for a
 * dual-stack lease. Mirrors flannel's {@code subnet.ParseSubnetKey} (parsing, {@link #parse}) and
 * {@code subnet.MakeSubnetKey} (printing, {@link #toString}) in {@code pkg/subnet/subnet.go}, v0.28.9.
 *
 * <p><b>Raw values, no masking.</b> flannel stores the address and prefix length exactly as written:
 * {@code 10.252.61.7-16} is a valid key whose address has host bits. So this type keeps the raw values
 * ({@link #address()}, {@link #prefixLength()}, {@link #ipv6Address()}) and offers the masked blocks as
 * {@link #subnet()} and {@link #ipv6Subnet()}; equality and {@link #toString} use the raw values. Keys flannel
 * itself writes are always masked ({@link #isMasked()}).
 *
 * <p><b>The IPv6 part.</b> It is optional. An IPv6 part equal to {@code ::/0} is what flannel calls an empty
 * {@code IP6Net}: {@code MakeSubnetKey} leaves it out and the etcd registry treats the lease as IPv4-only, so this
 * type treats it as absent. An IPv6-only lease still needs the mandatory IPv4 part and is written
 * {@code 0.0.0.0-0&fd00::-64}.
 */
public final class SubnetKey implements Comparable<SubnetKey> {
    /*
     * flannel's pattern is (\d+\.\d+.\d+.\d+)-(\d+)(?:&([a-f\d:]+)-(\d+))?$ under Go RE2. Translated exactly: \d is
     * ASCII only, Go's '.' is any character except '\n', and Go's '$' (without the m flag) is the end of the text,
     * which is Java's \z (Java's $ would also match before a final line break). find() gives the same leftmost-first
     * match (and submatches) as Go's FindStringSubmatch.
     */
    private static final Pattern KEY = Pattern.compile(
        "([0-9]+\\.[0-9]+[^\\n][0-9]+[^\\n][0-9]+)-([0-9]+)(?:&([a-f0-9:]+)-([0-9]+))?\\z");

    private static final Comparator<SubnetKey> ORDER = Comparator
        .comparing(SubnetKey::address)
        .thenComparingInt(SubnetKey::prefixLength)
        .thenComparing(k -> k.ipv6Address, Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparingInt(k -> k.ipv6PrefixLength);

    private final IpAddress address;
    private final int prefixLength;
    private final IpAddress ipv6Address; // null when there is no IPv6 part
    private final int ipv6PrefixLength; // -1 when there is no IPv6 part

    private SubnetKey(IpAddress address, int prefixLength, IpAddress ipv6Address, int ipv6PrefixLength) {
        this.address = address;
        this.prefixLength = prefixLength;
        boolean emptyIpv6 = ipv6Address == null || (ipv6Address.isZero() && ipv6PrefixLength == 0);
        this.ipv6Address = emptyIpv6 ? null : ipv6Address;
        this.ipv6PrefixLength = emptyIpv6 ? -1 : ipv6PrefixLength;
    }

    /**
     * Parses a subnet key the way flannel's {@code ParseSubnetKey} does, including its quirks:
     * <ul>
     * <li>the pattern is searched for, anchored only at the end, so a whole etcd key such as
     *     {@code /coreos.com/network/subnets/10.5.1.0-24} parses, and so does anything else that merely ends in a
     *     key; only the leftmost candidate is tried ({@code 1110.1.2.3-24} fails even though {@code 110.1.2.3-24}
     *     would parse);</li>
     * <li>the IPv4 address must satisfy Go's {@code net.ParseIP} (no leading zeros in octets);</li>
     * <li>the IPv4 prefix length is read in 5 bits, so it is 0–31 and {@code -32} is rejected; leading zeros are
     *     accepted ({@code -024} is 24);</li>
     * <li>the IPv6 part is lower-case hex and colons only (no embedded dotted IPv4), read by {@code net.ParseIP};
     *     its prefix length is read in 7 bits, 0–127;</li>
     * <li>nothing is masked: {@code 10.252.61.7-16} keeps its address.</li>
     * </ul>
     *
     * @param key a subnet key or a full etcd key path ending in one
     * @return the key
     * @throws IllegalArgumentException if flannel would not parse the key (it would skip it as a "bad subnet node");
     *     the message quotes the input and names the rule it breaks
     */
    public static SubnetKey parse(String key) {
        Object r = tryParse(key);
        if (r instanceof String message) {
            throw new IllegalArgumentException(message);
        }
        return (SubnetKey) r;
    }

    /** Whether {@link #parse} (and so flannel's {@code ParseSubnetKey}) accepts the key. */
    public static boolean isValid(String key) {
        return key != null && tryParse(key) instanceof SubnetKey;
    }

    /**
     * The key of an IPv4-only lease ({@code MakeSubnetKey(sn, IP6Net{})}).
     *
     * @throws IllegalArgumentException if the block is not IPv4, or is a /32 (flannel could not read that key back:
     *     it parses the prefix length in 5 bits)
     */
    public static SubnetKey of(Cidr ipv4) {
        checkIpv4(ipv4);
        return new SubnetKey(ipv4.network(), ipv4.prefixLength(), null, -1);
    }

    /**
     * The key of a dual-stack lease ({@code MakeSubnetKey(sn, sn6)}). For an IPv6-only lease pass
     * {@code Cidr.all(IpFamily.IPV4)} ({@code 0.0.0.0/0}) as the IPv4 block. An IPv6 block of {@code ::/0} counts as
     * "no IPv6", as in flannel.
     *
     * @throws IllegalArgumentException if the blocks are not IPv4 and IPv6 respectively, or the IPv4 block is a /32 or
     *     the IPv6 block a /128 (flannel could not read such a key back)
     */
    public static SubnetKey of(Cidr ipv4, Cidr ipv6) {
        checkIpv4(ipv4);
        checkIpv6(ipv6);
        return new SubnetKey(ipv4.network(), ipv4.prefixLength(), ipv6.network(), ipv6.prefixLength());
    }

    /**
     * A copy with the given IPv6 block ({@code ::/0} removes the IPv6 part).
     *
     * @throws IllegalArgumentException if the block is not IPv6 or is a /128
     */
    public SubnetKey withIpv6Subnet(Cidr ipv6) {
        checkIpv6(ipv6);
        return new SubnetKey(address, prefixLength, ipv6.network(), ipv6.prefixLength());
    }

    /** A copy without the IPv6 part. */
    public SubnetKey withoutIpv6() {
        return new SubnetKey(address, prefixLength, null, -1);
    }

    /** The IPv4 address exactly as written in the key (it may have host bits: {@code 10.252.61.7-16}). */
    public IpAddress address() {
        return address;
    }

    /** The IPv4 prefix length, 0–31. */
    public int prefixLength() {
        return prefixLength;
    }

    /**
     * The IPv4 block: {@link #address()} with host bits cleared and {@link #prefixLength()} ({@code 0.0.0.0/0} in
     * the key of an IPv6-only lease).
     */
    public Cidr subnet() {
        return Cidr.ofMasked(address, prefixLength);
    }

    /** The IPv6 address exactly as written, if the key has an IPv6 part (it may have host bits). */
    public Optional<IpAddress> ipv6Address() {
        return Optional.ofNullable(ipv6Address);
    }

    /** The IPv6 block (host bits cleared), if the key has an IPv6 part. */
    public Optional<Cidr> ipv6Subnet() {
        return ipv6Address == null ? Optional.empty() : Optional.of(Cidr.ofMasked(ipv6Address, ipv6PrefixLength));
    }

    /** Whether neither address has host bits, as in every key flannel writes. */
    public boolean isMasked() {
        return subnet().network().equals(address)
            && (ipv6Address == null || Cidr.ofMasked(ipv6Address, ipv6PrefixLength).network().equals(ipv6Address));
    }

    /**
     * The lease's full etcd key, {@code path.Join(prefix, "subnets", MakeSubnetKey(…))}: see
     * {@link FlannelPaths#leaseKey}.
     *
     * @throws NullPointerException if {@code prefix} is null
     */
    public String etcdKey(String prefix) {
        return FlannelPaths.leaseKey(prefix, this);
    }

    /** Orders by IPv4 address, IPv4 prefix length, then IPv4-only keys first, IPv6 address, IPv6 prefix length. */
    @Override
    public int compareTo(SubnetKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubnetKey k && address.equals(k.address) && prefixLength == k.prefixLength
            && Objects.equals(ipv6Address, k.ipv6Address) && ipv6PrefixLength == k.ipv6PrefixLength;
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, prefixLength, ipv6Address, ipv6PrefixLength);
    }

    /**
     * flannel's {@code MakeSubnetKey}: {@code 10.12.13.0-24} or {@code 10.12.13.0-24&fd00:12:13::-56}, from the raw
     * values. The IPv6 address is printed by flannel's {@code IP6.String}, so a value between 2^24 and 2^32 or an
     * IPv4-mapped one prints as a dotted quad ({@code ::a00:0-120} → {@code …&10.0.0.0-120}); flannel cannot parse
     * such a key back, and neither can {@link #parse}.
     */
    @Override
    public String toString() {
        String v4 = address + "-" + prefixLength;
        return ipv6Address == null ? v4 : v4 + "&" + GoNet.ip6String(ipv6Address) + "-" + ipv6PrefixLength;
    }

    /** The key, or a String error message. */
    private static Object tryParse(String key) {
        if (key == null) {
            return "null is not a flannel subnet key: expected e.g. 10.5.1.0-24 or 10.5.1.0-24&fd00:5:1::-64";
        }
        Matcher m = KEY.matcher(key);
        if (!m.find()) {
            return "'" + key + "' is not a flannel subnet key: it must end in <IPv4 address>-<prefix length>, "
                + "optionally followed by &<lower-case IPv6 address>-<prefix length>, e.g. 10.5.1.0-24 or "
                + "10.5.1.0-24&fd00:5:1::-64";
        }
        GoNet.Addr v4 = GoNet.parseIp(m.group(1));
        IpAddress ipv4 = v4 == null ? null : v4.to4();
        if (ipv4 == null) {
            return "'" + key + "' is not a flannel subnet key: '" + m.group(1) + "' is not an IPv4 address "
                + "(write four decimal octets 0–255 without leading zeros, e.g. 10.5.1.0)";
        }
        int len = parseUint(m.group(2), 31);
        if (len < 0) {
            return "'" + key + "' is not a flannel subnet key: the IPv4 prefix length must be 0–31 "
                + "(flannel parses it in 5 bits), not " + m.group(2);
        }
        if (m.group(3) == null) {
            return new SubnetKey(ipv4, len, null, -1);
        }
        GoNet.Addr v6 = GoNet.parseIp(m.group(3));
        if (v6 == null) {
            return "'" + key + "' is not a flannel subnet key: '" + m.group(3) + "' is not an IPv6 address "
                + "(write lower-case hex groups with at most one ::, e.g. fd00:5:1::)";
        }
        int len6 = parseUint(m.group(4), 127);
        if (len6 < 0) {
            return "'" + key + "' is not a flannel subnet key: the IPv6 prefix length must be 0–127 "
                + "(flannel parses it in 7 bits), not " + m.group(4);
        }
        return new SubnetKey(ipv4, len, IpAddress.fromBytes(v6.bytes16()), len6);
    }

    /** Go's {@code strconv.ParseUint(digits, 10, bits)} for ASCII digits: the value, or -1 when above {@code max}. */
    private static int parseUint(String digits, int max) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        String s = digits.substring(i);
        if (s.length() > 3) {
            return -1;
        }
        int v = Integer.parseInt(s);
        return v > max ? -1 : v;
    }

    private static void checkIpv4(Cidr ipv4) {
        Objects.requireNonNull(ipv4, "ipv4");
        if (ipv4.family() != IpFamily.IPV4) {
            throw new IllegalArgumentException("'" + ipv4 + "' cannot be the IPv4 part of a flannel subnet key: "
                + "it is IPv6; pass it as the second argument, with 0.0.0.0/0 first for an IPv6-only lease");
        }
        if (ipv4.prefixLength() > 31) {
            throw new IllegalArgumentException("'" + ipv4 + "' cannot be the IPv4 part of a flannel subnet key: "
                + "the prefix length must be 0–31 (flannel parses it in 5 bits and could not read the key back)");
        }
    }

    private static void checkIpv6(Cidr ipv6) {
        Objects.requireNonNull(ipv6, "ipv6");
        if (ipv6.family() != IpFamily.IPV6) {
            throw new IllegalArgumentException("'" + ipv6 + "' cannot be the IPv6 part of a flannel subnet key: "
                + "it is IPv4; pass an IPv6 block such as fd00:5:1::/64");
        }
        if (ipv6.prefixLength() > 127) {
            throw new IllegalArgumentException("'" + ipv6 + "' cannot be the IPv6 part of a flannel subnet key: "
                + "the prefix length must be 0–127 (flannel parses it in 7 bits and could not read the key back)");
        }
    }
}
