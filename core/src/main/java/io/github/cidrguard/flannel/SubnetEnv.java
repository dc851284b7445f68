package io.github.cidrguard.flannel;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code /run/flannel/subnet.env} file ({@code --subnet-file}) that flanneld writes once at startup and that the
 * flannel CNI plugin, {@code mk-docker-opts.sh} and flanneld's next start read. Mirrors flannel's
 * {@code subnet.WriteSubnetFile} ({@link #render}) and the reader in flanneld's {@code main.go}
 * ({@code ReadCIDRFromSubnetFile}/{@code ReadIP6CIDRFromSubnetFile} on {@code godotenv.Read}) ({@link #parse}).
 *
 * <p>The file has these lines in this order; a disabled family's two lines are left out:
 * <pre>
 * FLANNEL_NETWORK=10.252.0.0/16
 * FLANNEL_SUBNET=10.252.61.1/24
 * FLANNEL_IPV6_NETWORK=fd00:10:244::/56
 * FLANNEL_IPV6_SUBNET=fd00:10:244:7::1/64
 * FLANNEL_MTU=1450
 * FLANNEL_IPMASQ=true
 * </pre>
 * {@code FLANNEL_SUBNET} is not the lease but the lease's address plus one (the bridge's gateway address) with the
 * lease's prefix length. {@link #subnet()} gives the lease block back the way flanneld does (host bits cleared),
 * {@link #gateway()} the address as written.
 */
public final class SubnetEnv {
    static final String NETWORK = "FLANNEL_NETWORK";
    static final String SUBNET = "FLANNEL_SUBNET";
    static final String IPV6_NETWORK = "FLANNEL_IPV6_NETWORK";
    static final String IPV6_SUBNET = "FLANNEL_IPV6_SUBNET";
    static final String MTU = "FLANNEL_MTU";
    static final String IPMASQ = "FLANNEL_IPMASQ";

    private final Cidr network; // null when IPv4 is disabled
    private final IpAddress gateway;
    private final int prefixLength;
    private final Cidr ipv6Network; // null when IPv6 is disabled
    private final IpAddress ipv6Gateway;
    private final int ipv6PrefixLength;
    private final int mtu;
    private final boolean ipMasq;

    private SubnetEnv(Cidr network, IpAddress gateway, int prefixLength, Cidr ipv6Network, IpAddress ipv6Gateway,
                      int ipv6PrefixLength, int mtu, boolean ipMasq) {
        if (network == null && ipv6Network == null) {
            throw new IllegalArgumentException("a subnet.env needs at least one family: give an IPv4 or IPv6 network");
        }
        if (mtu < 0) {
            throw new IllegalArgumentException("FLANNEL_MTU must not be negative, got " + mtu);
        }
        this.network = network;
        this.gateway = gateway;
        this.prefixLength = prefixLength;
        this.ipv6Network = ipv6Network;
        this.ipv6Gateway = ipv6Gateway;
        this.ipv6PrefixLength = ipv6PrefixLength;
        this.mtu = mtu;
        this.ipMasq = ipMasq;
    }

    /**
     * The file flanneld writes for an IPv4-only network ({@code WriteSubnetFile} with only {@code EnableIPv4}).
     *
     * @param network the config's {@code Network}
     * @param lease the node's lease; {@code FLANNEL_SUBNET} becomes its address plus one
     * @param mtu the backend's MTU (e.g. interface MTU − 50 for vxlan)
     * @param ipMasq the value of {@code --ip-masq}
     * @throws IllegalArgumentException if a block is not IPv4, the lease is a /32, or the MTU is negative
     */
    public static SubnetEnv ofIpv4(Cidr network, Cidr lease, int mtu, boolean ipMasq) {
        checkPair(network, lease, IpFamily.IPV4);
        return new SubnetEnv(network, lease.network().plus(1), lease.prefixLength(), null, null, -1, mtu, ipMasq);
    }

    /**
     * The file flanneld writes for an IPv6-only network ({@code WriteSubnetFile} with only {@code EnableIPv6}).
     *
     * @throws IllegalArgumentException if a block is not IPv6, the lease is a /128, or the MTU is negative
     */
    public static SubnetEnv ofIpv6(Cidr ipv6Network, Cidr ipv6Lease, int mtu, boolean ipMasq) {
        checkPair(ipv6Network, ipv6Lease, IpFamily.IPV6);
        return new SubnetEnv(null, null, -1, ipv6Network, ipv6Lease.network().plus(1), ipv6Lease.prefixLength(),
            mtu, ipMasq);
    }

    /**
     * The file flanneld writes for a dual-stack network ({@code WriteSubnetFile} with both families enabled).
     *
     * @throws IllegalArgumentException if the families do not match, a lease is a /32 or /128, or the MTU is
     *     negative
     */
    public static SubnetEnv ofDualStack(Cidr network, Cidr lease, Cidr ipv6Network, Cidr ipv6Lease, int mtu,
                                        boolean ipMasq) {
        checkPair(network, lease, IpFamily.IPV4);
        checkPair(ipv6Network, ipv6Lease, IpFamily.IPV6);
        return new SubnetEnv(network, lease.network().plus(1), lease.prefixLength(), ipv6Network,
            ipv6Lease.network().plus(1), ipv6Lease.prefixLength(), mtu, ipMasq);
    }

    /**
     * Reads a subnet.env file's text the way flanneld and the CNI plugin read it (see {@link #parse}).
     *
     * @throws UncheckedIOException if the file cannot be read
     * @throws IllegalArgumentException as {@link #parse} does
     */
    public static SubnetEnv read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read subnet.env " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses subnet.env text. Values are read like flanneld's reader does: with Go's {@code net.ParseCIDR} (so a
     * prefix length may have leading zeros, and {@code FLANNEL_SUBNET=10.252.61.1/24} gives the lease
     * {@code 10.252.61.0/24}) after {@code godotenv}-style line splitting.
     *
     * <p>Accepted line syntax: blank lines and {@code #} comments, an optional {@code export } prefix,
     * {@code KEY=VALUE} with spaces around either side, a value in single or double quotes, and {@code \r\n} line
     * ends. A value may be a comma-separated list (a leftover of MultiClusterCIDR that flanneld and the CNI plugin
     * tolerate); empty items are skipped, but it must hold exactly one CIDR, because flanneld ignores the whole value
     * otherwise. Keys other than the six flannel writes are ignored (flanneld and the CNI plugin ignore them too) and
     * are not kept: {@link #render} writes only flannel's lines.
     *
     * <p>Required, as the CNI plugin requires them: {@code FLANNEL_MTU} (a non-negative decimal),
     * {@code FLANNEL_IPMASQ} (Go's {@code strconv.ParseBool}: {@code true}, {@code false}, {@code 1}, {@code 0},
     * {@code t}, {@code F}, …), and for each family present both its network and its subnet line.
     *
     * @throws IllegalArgumentException naming the line number, the line and the fix, or the missing key
     */
    public static SubnetEnv parse(String text) {
        Objects.requireNonNull(text, "text");
        Map<String, Integer> lineOf = new HashMap<>();
        Map<String, String> values = new HashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int no = i + 1;
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            if (t.startsWith("export ")) {
                t = t.substring("export ".length()).strip();
            }
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw lineError(no, line, "it is not KEY=VALUE; write e.g. FLANNEL_MTU=1450, or start a comment "
                    + "with #");
            }
            String key = t.substring(0, eq).strip();
            String value = unquote(t.substring(eq + 1).strip());
            if (!isFlannelKey(key)) {
                continue;
            }
            Integer first = lineOf.putIfAbsent(key, no);
            if (first != null) {
                throw lineError(no, line, key + " was already set on line " + first + "; keep one of the two lines");
            }
            values.put(key, value);
        }

        Value v4 = cidrValue(NETWORK, values, lineOf, lines, IpFamily.IPV4);
        Value s4 = cidrValue(SUBNET, values, lineOf, lines, IpFamily.IPV4);
        Value v6 = cidrValue(IPV6_NETWORK, values, lineOf, lines, IpFamily.IPV6);
        Value s6 = cidrValue(IPV6_SUBNET, values, lineOf, lines, IpFamily.IPV6);
        requirePair(v4, s4, NETWORK, SUBNET);
        requirePair(v6, s6, IPV6_NETWORK, IPV6_SUBNET);
        if (v4 == null && v6 == null) {
            throw new IllegalArgumentException("subnet.env has neither FLANNEL_NETWORK/FLANNEL_SUBNET nor "
                + "FLANNEL_IPV6_NETWORK/FLANNEL_IPV6_SUBNET; flanneld writes at least one pair");
        }
        if (!values.containsKey(MTU)) {
            throw new IllegalArgumentException("subnet.env has no FLANNEL_MTU line; add e.g. FLANNEL_MTU=1450");
        }
        if (!values.containsKey(IPMASQ)) {
            throw new IllegalArgumentException("subnet.env has no FLANNEL_IPMASQ line; add FLANNEL_IPMASQ=true or "
                + "FLANNEL_IPMASQ=false");
        }
        int mtu = parseMtu(values.get(MTU), lineOf.get(MTU), lines);
        boolean ipMasq = parseBool(values.get(IPMASQ), lineOf.get(IPMASQ), lines);
        return new SubnetEnv(
            v4 == null ? null : v4.network, s4 == null ? null : s4.address, s4 == null ? -1 : s4.prefixLength,
            v6 == null ? null : v6.network, s6 == null ? null : s6.address, s6 == null ? -1 : s6.prefixLength,
            mtu, ipMasq);
    }

    /** Whether {@link #parse} accepts the text. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    /** {@code FLANNEL_NETWORK}: the config's IPv4 {@code Network}; empty when IPv4 is disabled. */
    public Optional<Cidr> network() {
        return Optional.ofNullable(network);
    }

    /**
     * The node's IPv4 lease, read back from {@code FLANNEL_SUBNET} as flanneld does (host bits cleared:
     * {@code 10.252.61.1/24} → {@code 10.252.61.0/24}); empty when IPv4 is disabled.
     */
    public Optional<Cidr> subnet() {
        return network == null ? Optional.empty() : Optional.of(Cidr.ofMasked(gateway, prefixLength));
    }

    /** The address in {@code FLANNEL_SUBNET} (the lease address plus one, the bridge's gateway address). */
    public Optional<IpAddress> gateway() {
        return Optional.ofNullable(gateway);
    }

    /** {@code FLANNEL_IPV6_NETWORK}: the config's {@code IPv6Network}; empty when IPv6 is disabled. */
    public Optional<Cidr> ipv6Network() {
        return Optional.ofNullable(ipv6Network);
    }

    /** The node's IPv6 lease, read back from {@code FLANNEL_IPV6_SUBNET} with host bits cleared. */
    public Optional<Cidr> ipv6Subnet() {
        return ipv6Network == null ? Optional.empty() : Optional.of(Cidr.ofMasked(ipv6Gateway, ipv6PrefixLength));
    }

    /** The address in {@code FLANNEL_IPV6_SUBNET} (the IPv6 lease address plus one). */
    public Optional<IpAddress> ipv6Gateway() {
        return Optional.ofNullable(ipv6Gateway);
    }

    /** {@code FLANNEL_MTU}: the MTU the backend chose for pod interfaces. */
    public int mtu() {
        return mtu;
    }

    /** {@code FLANNEL_IPMASQ}: whether flanneld masquerades ({@code --ip-masq}); the CNI plugin then does not. */
    public boolean ipMasq() {
        return ipMasq;
    }

    /**
     * A copy with another MTU.
     *
     * @throws IllegalArgumentException if the MTU is negative
     */
    public SubnetEnv withMtu(int mtu) {
        return new SubnetEnv(network, gateway, prefixLength, ipv6Network, ipv6Gateway, ipv6PrefixLength, mtu, ipMasq);
    }

    /** A copy with another {@code FLANNEL_IPMASQ}. */
    public SubnetEnv withIpMasq(boolean ipMasq) {
        return new SubnetEnv(network, gateway, prefixLength, ipv6Network, ipv6Gateway, ipv6PrefixLength, mtu, ipMasq);
    }

    /**
     * The file's exact bytes (as text) per flannel's {@code WriteSubnetFile}: the lines in flannel's order, each ending
     * in {@code \n}, no comments. Addresses print as Go prints them: IPv4 dotted, IPv6 by flannel's
     * {@code IP6.String} (RFC 5952; an IPv6 value between 2^24 and 2^32 or IPv4-mapped prints as a dotted quad).
     */
    public String render() {
        StringBuilder sb = new StringBuilder(160);
        if (network != null) {
            sb.append(NETWORK).append('=').append(network).append('\n');
            sb.append(SUBNET).append('=').append(gateway).append('/').append(prefixLength).append('\n');
        }
        if (ipv6Network != null) {
            sb.append(IPV6_NETWORK).append('=').append(GoNet.ip6String(ipv6Network.network())).append('/')
                .append(ipv6Network.prefixLength()).append('\n');
            sb.append(IPV6_SUBNET).append('=').append(GoNet.ip6String(ipv6Gateway)).append('/')
                .append(ipv6PrefixLength).append('\n');
        }
        sb.append(MTU).append('=').append(mtu).append('\n');
        sb.append(IPMASQ).append('=').append(ipMasq).append('\n');
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubnetEnv e && Objects.equals(network, e.network) && Objects.equals(gateway, e.gateway)
            && prefixLength == e.prefixLength && Objects.equals(ipv6Network, e.ipv6Network)
            && Objects.equals(ipv6Gateway, e.ipv6Gateway) && ipv6PrefixLength == e.ipv6PrefixLength
            && mtu == e.mtu && ipMasq == e.ipMasq;
    }

    @Override
    public int hashCode() {
        return Objects.hash(network, gateway, prefixLength, ipv6Network, ipv6Gateway, ipv6PrefixLength, mtu, ipMasq);
    }

    /** The same as {@link #render()}. */
    @Override
    public String toString() {
        return render();
    }

    // ---- parsing helpers ----

    private record Value(Cidr network, IpAddress address, int prefixLength) {
    }

    private static boolean isFlannelKey(String key) {
        return switch (key) {
            case NETWORK, SUBNET, IPV6_NETWORK, IPV6_SUBNET, MTU, IPMASQ -> true;
            default -> false;
        };
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        int comment = v.indexOf(" #");
        return comment < 0 ? v : v.substring(0, comment).strip();
    }

    private static Value cidrValue(String key, Map<String, String> values, Map<String, Integer> lineOf,
                                   String[] lines, IpFamily family) {
        String raw = values.get(key);
        if (raw == null) {
            return null;
        }
        int no = lineOf.get(key);
        String line = lines[no - 1];
        String example = family == IpFamily.IPV4 ? "10.252.61.1/24" : "fd00:10:244:7::1/64";
        String entry = null;
        for (String item : raw.split(",", -1)) {
            String s = item.strip();
            if (s.isEmpty()) {
                continue;
            }
            if (entry != null) {
                throw lineError(no, line, key + " lists more than one CIDR; flanneld ignores such a value, keep one "
                    + "(e.g. " + key + "=" + example + ")");
            }
            entry = s;
        }
        if (entry == null) {
            throw lineError(no, line, key + " is empty; write a CIDR such as " + example);
        }
        GoNet.CidrResult r = GoNet.parseCidr(entry);
        if (r == null) {
            throw lineError(no, line, "'" + entry + "' is not a CIDR; write e.g. " + key + "=" + example);
        }
        boolean v4 = r.address().writtenAsIpv4();
        if (v4 != (family == IpFamily.IPV4)) {
            throw lineError(no, line, key + " needs an " + (family == IpFamily.IPV4 ? "IPv4" : "IPv6")
                + " CIDR such as " + example + ", not '" + entry + "'");
        }
        IpAddress address = v4 ? r.address().to4() : r.address().as16();
        return new Value(Cidr.ofMasked(address, r.prefixLength()), address, r.prefixLength());
    }

    private static void requirePair(Value network, Value subnet, String networkKey, String subnetKey) {
        if (network != null && subnet == null) {
            throw new IllegalArgumentException("subnet.env has " + networkKey + " but no " + subnetKey
                + "; flanneld writes both (add the node's " + subnetKey + " line or remove " + networkKey + ")");
        }
        if (network == null && subnet != null) {
            throw new IllegalArgumentException("subnet.env has " + subnetKey + " but no " + networkKey
                + "; flanneld writes both (add the " + networkKey + " line or remove " + subnetKey + ")");
        }
    }

    private static int parseMtu(String v, int no, String[] lines) {
        if (!v.isEmpty() && v.length() <= 10 && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            long n = Long.parseLong(v);
            if (n <= Integer.MAX_VALUE) {
                return (int) n;
            }
        }
        throw lineError(no, lines[no - 1], "FLANNEL_MTU must be a non-negative decimal number such as 1450");
    }

    private static boolean parseBool(String v, int no, String[] lines) {
        switch (v) {
            case "1", "t", "T", "TRUE", "true", "True":
                return true;
            case "0", "f", "F", "FALSE", "false", "False":
                return false;
            default:
                throw lineError(no, lines[no - 1], "FLANNEL_IPMASQ must be true or false");
        }
    }

    private static IllegalArgumentException lineError(int no, String line, String why) {
        String shown = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        return new IllegalArgumentException("subnet.env line " + no + " '" + shown + "': " + why);
    }

    private static void checkPair(Cidr network, Cidr lease, IpFamily family) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(lease, "lease");
        String name = family == IpFamily.IPV4 ? "IPv4" : "IPv6";
        if (network.family() != family || lease.family() != family) {
            throw new IllegalArgumentException("'" + network + "' and '" + lease + "' must both be " + name
                + " blocks");
        }
        if (lease.hostBits() == 0) {
            throw new IllegalArgumentException("lease '" + lease + "' has no room for the gateway address (lease "
                + "address plus one); flannel leases are at most /" + (family == IpFamily.IPV4 ? 30 : 126)
                + " in practice");
        }
    }
}
