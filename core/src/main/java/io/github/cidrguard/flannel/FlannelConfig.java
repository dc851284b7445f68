package io.github.cidrguard.flannel;

import io.github.cidrguard.flannel.GoJson.GoJsonException;
import io.github.cidrguard.flannel.GoJson.Member;
import io.github.cidrguard.flannel.GoJson.Raw;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * flannel's network config ({@code <etcd-prefix>/config}) exactly as flanneld v0.28.9 in etcd mode sees it after
 * {@code ParseConfig} and {@code CheckNetworkConfig}: Go's JSON decoding with all its leniencies and strictnesses,
 * flannel's address parsing (host bits silently masked), the defaults ({@code EnableIPv4} true, Backend type
 * {@code udp} when absent, SubnetLen/SubnetMin/SubnetMax derived) and flannel's checks with flannel's messages.
 *
 * <p>Accessors carry flannel's field names. An address accessor is empty exactly when flannel's field holds its zero
 * value ({@code 0.0.0.0}, nil or {@code ::}), which after the check only happens for a disabled family: the check
 * skips a disabled family entirely, so its fields keep what was written, unchecked and undefaulted.
 * {@link #flannelValues()} gives every field as flannel prints it.
 *
 * <p>The config also remembers how it was written: {@link #networkAsWritten()} and {@link #networkHostBitsSet()}
 * (flannel silently turns {@code 10.252.61.0/16} into {@code 10.252.0.0/16}), the raw {@code Backend} value, and
 * every key flannel ignores ({@link #unknownKeys()}), which {@link #toJson()} writes back.
 *
 * <p><b>Equality</b> is on the effective config: the three Enable flags, the networks, lengths and ranges after the
 * check, the backend type and the Backend value (compared without insignificant whitespace). How a network was
 * written (host bits) and keys flannel ignores do not count: two configs are equal when flanneld behaves the same
 * with either.
 */
public final class FlannelConfig {
    /** Config's JSON field names in Go struct order ({@code BackendType} is {@code json:"-"}, so not a field). */
    static final List<String> FIELDS = List.of("EnableIPv4", "EnableIPv6", "EnableNFTables", "Network",
            "IPv6Network", "SubnetMin", "SubnetMax", "IPv6SubnetMin", "IPv6SubnetMax", "SubnetLen", "IPv6SubnetLen",
            "Backend");
    private static final long U32 = 0xFFFF_FFFFL;
    private static final BigInteger U128 = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    /** The fields of Go's {@code subnet.Config}, plus how Network/IPv6Network were written. Mutable while built. */
    static final class Cfg implements Cloneable {
        boolean enableIPv4 = true;
        boolean enableIPv6;
        boolean enableNFTables;
        long netIp; // IP4Net.IP, uint32
        int netPrefix; // IP4Net.PrefixLen: 0..32, or up to 128 for an IPv4-mapped IPv6 CIDR
        BigInteger net6Ip = BigInteger.ZERO; // IP6Net.IP (nil reads as 0)
        int net6Prefix;
        long subnetMin; // uint32; 0 = unset
        long subnetMax;
        BigInteger ipv6SubnetMin; // null = nil
        BigInteger ipv6SubnetMax;
        long subnetLen; // Go uint (64-bit), unsigned
        long ipv6SubnetLen;
        byte[] backend; // json.RawMessage; null = key absent
        String backendType;
        String networkText; // trimmed raw token, null when never written
        boolean networkHostBits;
        String ipv6NetworkText;
        boolean ipv6NetworkHostBits;
        /** toJson order: "K:<field>" for known fields, "U:<key>" for ignored keys (value: raw key, raw value). */
        LinkedHashMap<String, byte[][]> order = new LinkedHashMap<>();

        @Override
        public Cfg clone() {
            try {
                Cfg c = (Cfg) super.clone();
                c.order = new LinkedHashMap<>(order);
                return c;
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        boolean networkEmpty() {
            return netIp == 0 && netPrefix == 0;
        }

        boolean ipv6NetworkEmpty() {
            return net6Ip.signum() == 0 && net6Prefix == 0;
        }
    }

    private final Cfg written;
    private final Cfg eff;

    private FlannelConfig(Cfg written, Cfg eff) {
        this.written = written;
        this.eff = eff;
    }

    /**
     * Parses a config the way flanneld v0.28.9 does in etcd mode ({@code ParseConfig}, then
     * {@code CheckNetworkConfig}), filling in flannel's defaults.
     *
     * <p>Mirrors Go's {@code encoding/json}: keys match case-insensitively (Unicode simple folding), the last
     * duplicate wins, unknown keys and {@code BackendType} are ignored, bools must be {@code true}/{@code false}, the
     * lengths non-negative JSON integers, {@code null} leaves a bool or length at its default, clears
     * {@code IPv6SubnetMin}/{@code Max} and is an error for the other address fields; address fields are parsed
     * from the raw token with no escape decoding. Empty input, a byte-order mark, comments, trailing commas and
     * trailing text are syntax errors, and the whole input's syntax is checked before any value is decoded.
     *
     * @param json the value of {@code <etcd-prefix>/config}
     * @return the effective config
     * @throws FlannelConfigException when flanneld would reject the config; {@link
     *     FlannelConfigException#flannelMessage()} is flannel's (or Go's) error text verbatim, e.g.
     *     {@code invalid CIDR address: 10.0.0.0/33} or {@code network is too small. Minimum useful network prefix
     *     is /28}
     * @throws NullPointerException if {@code json} is null
     */
    public static FlannelConfig parse(String json) {
        Objects.requireNonNull(json, "json");
        Cfg w;
        try {
            w = decode(GoJson.utf8(json));
        } catch (GoJsonException e) {
            throw new FlannelConfigException(FlannelConfigException.Stage.PARSE, e.getMessage(), json);
        }
        return checked(w, json);
    }

    private static FlannelConfig checked(Cfg w, String input) {
        Cfg e = w.clone();
        String err = check(e);
        if (err != null) {
            throw new FlannelConfigException(FlannelConfigException.Stage.CHECK, err, input);
        }
        return new FlannelConfig(w, e);
    }

    // ---------------------------------------------------------------- ParseConfig

    static Cfg decode(byte[] data) {
        GoJson.checkValid(data);
        Cfg c = new Cfg();
        GoJson.Struct st = new GoJson.Struct("Config", "subnet.Config");
        List<Member> members = st.open(GoJson.topLevel(data));
        if (members != null) {
            for (Member m : members) {
                String f = GoJson.field(m.key(), FIELDS);
                if (f == null) {
                    c.order.put("U:" + m.key(), new byte[][] {m.rawKey().bytes(), m.value().bytes()});
                    continue;
                }
                decodeField(c, st, f, m.value());
                c.order.putIfAbsent("K:" + f, null);
            }
        }
        st.finish();
        c.backendType = backendType(c.backend);
        return c;
    }

    private static void decodeField(Cfg c, GoJson.Struct st, String f, Raw v) {
        switch (f) {
            case "EnableIPv4": {
                Boolean b = st.bool(v, f);
                if (b != null) {
                    c.enableIPv4 = b;
                }
                break;
            }
            case "EnableIPv6": {
                Boolean b = st.bool(v, f);
                if (b != null) {
                    c.enableIPv6 = b;
                }
                break;
            }
            case "EnableNFTables": {
                Boolean b = st.bool(v, f);
                if (b != null) {
                    c.enableNFTables = b;
                }
                break;
            }
            case "SubnetLen": {
                Long n = st.uint64(v, f, "uint");
                if (n != null) {
                    c.subnetLen = n;
                }
                break;
            }
            case "IPv6SubnetLen": {
                Long n = st.uint64(v, f, "uint");
                if (n != null) {
                    c.ipv6SubnetLen = n;
                }
                break;
            }
            case "Network": {
                // ip.IP4Net.UnmarshalJSON: bytes.Trim(token, "\""), net.ParseCIDR, keep the masked network
                String s = v.trimQuotes();
                GoNet.CidrResult r = GoNet.parseCidr(s);
                if (r == null) {
                    throw new GoJsonException("invalid CIDR address: " + s);
                }
                IpAddress v4 = r.network().to4();
                if (v4 == null) {
                    throw new GoJsonException("invalid IPv4 CIDR format");
                }
                c.netIp = v4.low();
                c.netPrefix = r.prefixLength();
                c.networkText = s;
                c.networkHostBits = !Arrays.equals(r.address().bytes16(), r.network().bytes16());
                break;
            }
            case "IPv6Network": {
                // ip.IP6Net.UnmarshalJSON: the same without a family check; IPv4 text becomes ::ffff:a.b.c.d
                String s = v.trimQuotes();
                GoNet.CidrResult r = GoNet.parseCidr(s);
                if (r == null) {
                    throw new GoJsonException("invalid CIDR address: " + s);
                }
                c.net6Ip = new BigInteger(1, r.network().bytes16());
                c.net6Prefix = r.prefixLength();
                c.ipv6NetworkText = s;
                c.ipv6NetworkHostBits = !Arrays.equals(r.address().bytes16(), r.network().bytes16());
                break;
            }
            case "SubnetMin":
                c.subnetMin = parseIp4(v.trimQuotes());
                break;
            case "SubnetMax":
                c.subnetMax = parseIp4(v.trimQuotes());
                break;
            case "IPv6SubnetMin":
                // *ip.IP6: null sets the pointer to nil; anything else goes to IP6.UnmarshalJSON
                c.ipv6SubnetMin = v.kind() == GoJson.Kind.NULL ? null : parseIp6(v.trimQuotes());
                break;
            case "IPv6SubnetMax":
                c.ipv6SubnetMax = v.kind() == GoJson.Kind.NULL ? null : parseIp6(v.trimQuotes());
                break;
            case "Backend":
                c.backend = v.bytes(); // json.RawMessage keeps the exact bytes, null included
                break;
            default:
                throw new AssertionError(f);
        }
    }

    /** flannel's {@code ip.ParseIP4}. */
    private static long parseIp4(String s) {
        GoNet.Addr a = GoNet.parseIp(s);
        if (a == null) {
            throw new GoJsonException("invalid IP address format");
        }
        IpAddress v4 = a.to4();
        if (v4 == null) {
            throw new GoJsonException("invalid IPv4 address format");
        }
        return v4.low();
    }

    /** flannel's {@code ip.ParseIP6}: any address, as its 16-byte value. */
    private static BigInteger parseIp6(String s) {
        GoNet.Addr a = GoNet.parseIp(s);
        if (a == null) {
            throw new GoJsonException("invalid IP address format");
        }
        return new BigInteger(1, a.bytes16());
    }

    /** flannel's {@code parseBackendType}: {@code udp} when absent, else {@code Backend.Type} as written. */
    static String backendType(byte[] backend) {
        if (backend == null) {
            return "udp";
        }
        try {
            GoJson.Struct st = new GoJson.Struct("", "struct { Type string }");
            String type = "";
            List<Member> ms = st.open(GoJson.topLevel(backend));
            if (ms != null) {
                for (Member m : ms) {
                    if (GoJson.field(m.key(), List.of("Type")) != null) {
                        String t = st.string(m.value(), "Type");
                        if (t != null) {
                            type = t;
                        }
                    }
                }
            }
            st.finish();
            return type;
        } catch (GoJsonException e) {
            throw new GoJsonException("error decoding Backend property of config: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- CheckNetworkConfig

    /** flannel's {@code CheckNetworkConfig}: fills in defaults; returns flannel's error text or null. */
    static String check(Cfg c) {
        if (c.enableIPv4) {
            String e = checkIpv4(c);
            if (e != null) {
                return e;
            }
        }
        if (c.enableIPv6) {
            return checkIpv6(c);
        }
        return null;
    }

    private static String checkIpv4(Cfg c) {
        if (c.networkEmpty()) {
            return "please define a correct Network parameter in the flannel config";
        }
        if (c.subnetLen != 0) {
            if (Long.compareUnsigned(c.subnetLen, 30) > 0) {
                return "SubnetLen must be less than /31";
            }
            if (c.subnetLen < c.netPrefix + 2) {
                return "network must be able to accommodate at least four subnets";
            }
        } else if (c.netPrefix > 28) {
            return "network is too small. Minimum useful network prefix is /28";
        } else {
            c.subnetLen = c.netPrefix <= 22 ? 24 : c.netPrefix + 2;
        }
        // From here the prefix is at most 28 and SubnetLen 2..30 (both paths guarantee it).
        long size = 1L << (32 - c.subnetLen);
        long netMask = (U32 << (32 - c.netPrefix)) & U32;
        if (c.subnetMin == 0) {
            c.subnetMin = (c.netIp + size) & U32;
        } else if ((c.subnetMin & netMask) != (c.netIp & netMask)) {
            return "SubnetMin is not in the range of the Network";
        }
        if (c.subnetMax == 0) {
            // Network.Next().IP - size in uint32 arithmetic, which wraps for the last block of the space
            c.subnetMax = (c.netIp + (1L << (32 - c.netPrefix)) - size) & U32;
        } else if ((c.subnetMax & netMask) != (c.netIp & netMask)) {
            return "SubnetMax is not in the range of the Network";
        }
        long mask = (U32 << (32 - c.subnetLen)) & U32;
        if ((c.subnetMin & mask) != c.subnetMin) {
            return "SubnetMin is not on a SubnetLen boundary: " + ip4String(c.subnetMin);
        }
        if ((c.subnetMax & mask) != c.subnetMax) {
            return "SubnetMax is not on a SubnetLen boundary: " + ip4String(c.subnetMax);
        }
        return null;
    }

    private static String checkIpv6(Cfg c) {
        if (c.ipv6NetworkEmpty()) {
            return "please define a correct IPv6Network parameter in the flannel config";
        }
        if (c.ipv6SubnetLen != 0) {
            if (Long.compareUnsigned(c.ipv6SubnetLen, 126) > 0) {
                return "SubnetLen must be less than /127"; // sic: flannel reuses the IPv4 wording
            }
            if (c.ipv6SubnetLen < c.net6Prefix + 2) {
                return "network must be able to accommodate at least four subnets";
            }
        } else if (c.net6Prefix > 124) {
            return "IPv6Network is too small. Minimum useful network prefix is /124";
        } else {
            c.ipv6SubnetLen = c.net6Prefix <= 62 ? 64 : c.net6Prefix + 2;
        }
        BigInteger size = BigInteger.ONE.shiftLeft(128 - (int) c.ipv6SubnetLen);
        if (isEmpty(c.ipv6SubnetMin)) {
            c.ipv6SubnetMin = c.net6Ip.add(size);
        } else if (!contains6(c, c.ipv6SubnetMin)) {
            return "IPv6SubnetMin is not in the range of the IPv6Network";
        }
        if (isEmpty(c.ipv6SubnetMax)) {
            c.ipv6SubnetMax = c.net6Ip.add(BigInteger.ONE.shiftLeft(128 - c.net6Prefix)).subtract(size);
        } else if (!contains6(c, c.ipv6SubnetMax)) {
            return "IPv6SubnetMax is not in the range of the IPv6Network";
        }
        BigInteger mask = mask128((int) c.ipv6SubnetLen);
        if (!c.ipv6SubnetMin.and(mask).equals(c.ipv6SubnetMin)) {
            return "IPv6SubnetMin is not on a SubnetLen boundary: " + ip6String(c.ipv6SubnetMin);
        }
        if (!c.ipv6SubnetMax.and(mask).equals(c.ipv6SubnetMax)) {
            return "IPv6SubnetMax is not on a SubnetLen boundary: " + ip6String(c.ipv6SubnetMax);
        }
        return null;
    }

    private static boolean isEmpty(BigInteger ip6) {
        return ip6 == null || ip6.signum() == 0;
    }

    /** {@code IP6Net.Contains}: flannel compares the printed forms of the two masked values. */
    private static boolean contains6(Cfg c, BigInteger ip) {
        BigInteger m = mask128(c.net6Prefix);
        return ip6String(c.net6Ip.and(m)).equals(ip6String(ip.and(m)));
    }

    static BigInteger mask128(int prefix) {
        return U128.shiftRight(128 - prefix).shiftLeft(128 - prefix);
    }

    static String ip4String(long v) {
        return IpAddress.ofIpv4(v).toString();
    }

    /**
     * flannel's {@code ip.IP6.String()} (small and IPv4-mapped values print dotted). A value past 128 bits (the
     * derived IPv6SubnetMax of an IPv4-mapped IPv6Network such as {@code 10.0.0.0/0}) makes {@code FillBytes} panic
     * inside {@code String()}; Go's {@code fmt} catches that and prints the text below in flannel's error message.
     */
    static String ip6String(BigInteger v) {
        if (v.bitLength() > 128) {
            return "%!v(PANIC=String method: math/big: buffer too small to fit value)";
        }
        return GoNet.ip6String(ip6(v));
    }

    private static IpAddress ip6(BigInteger v) {
        return IpAddress.of(IpFamily.IPV6, v.and(U128));
    }

    // ---------------------------------------------------------------- accessors

    /** {@code EnableIPv4} (default true). */
    public boolean enableIPv4() {
        return eff.enableIPv4;
    }

    /** {@code EnableIPv6} (default false). */
    public boolean enableIPv6() {
        return eff.enableIPv6;
    }

    /** {@code EnableNFTables} (default false): flannel's masquerade and forward rules use nftables, not iptables. */
    public boolean enableNFTables() {
        return eff.enableNFTables;
    }

    /**
     * {@code Network}, host bits cleared as flannel clears them; empty when not set ({@code 0.0.0.0/0} counts as not
     * set, as in flannel). Present for a disabled IPv4 family too when written, because flannel's iptables manager
     * still uses it. Also empty in the one odd case of an IPv4-mapped IPv6 CIDR longer than /32 in a disabled
     * family ({@code ::ffff:10.3.0.0/112}), which no IPv4 {@link Cidr} can express; {@link #flannelValues()}
     * shows it.
     */
    public Optional<Cidr> network() {
        if (eff.networkEmpty() || eff.netPrefix > 32) {
            return Optional.empty();
        }
        return Optional.of(Cidr.of(IpAddress.ofIpv4(eff.netIp), eff.netPrefix));
    }

    /**
     * {@code SubnetLen}: derived by the check when IPv4 is on and it was 0; as written when IPv4 is off (a value
     * too large for an int, possible only then, reads as {@link Integer#MAX_VALUE}).
     */
    public int subnetLen() {
        return clampUnsigned(eff.subnetLen);
    }

    /** {@code SubnetMin}, the lowest subnet flannel leases; empty only when IPv4 is off and it was not set. */
    public Optional<IpAddress> subnetMin() {
        return eff.subnetMin == 0 ? Optional.empty() : Optional.of(IpAddress.ofIpv4(eff.subnetMin));
    }

    /** {@code SubnetMax}, the highest subnet flannel leases (inclusive); empty only when IPv4 is off and unset. */
    public Optional<IpAddress> subnetMax() {
        return eff.subnetMax == 0 ? Optional.empty() : Optional.of(IpAddress.ofIpv4(eff.subnetMax));
    }

    /**
     * {@code IPv6Network}, host bits cleared; empty when not set ({@code ::/0} counts as not set). flannel does not
     * check the family here: IPv4 text such as {@code 10.0.0.0/8} becomes the value {@code ::ffff:10.0.0.0} with
     * prefix length 8, which no IPv6 prefix block expresses; then this is the block flannel's containment test
     * uses (the value masked to the length, {@code ::/8}) and {@link #flannelValues()} shows flannel's form.
     */
    public Optional<Cidr> ipv6Network() {
        if (eff.ipv6NetworkEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Cidr.ofMasked(ip6(eff.net6Ip), eff.net6Prefix));
    }

    /** {@code IPv6SubnetLen}: derived when IPv6 is on and it was 0; as written otherwise (clamped like SubnetLen). */
    public int ipv6SubnetLen() {
        return clampUnsigned(eff.ipv6SubnetLen);
    }

    /**
     * {@code IPv6SubnetMin} as a 128-bit IPv6 value; empty only when IPv6 is off and it was nil or {@code ::}. Its
     * {@link IpAddress#toString()} is RFC 5952; flannel prints values below 2^32 and IPv4-mapped values dotted (see
     * {@link #flannelValues()}).
     */
    public Optional<IpAddress> ipv6SubnetMin() {
        return isEmpty(eff.ipv6SubnetMin) ? Optional.empty() : Optional.of(ip6(eff.ipv6SubnetMin));
    }

    /** {@code IPv6SubnetMax}, like {@link #ipv6SubnetMin()}. */
    public Optional<IpAddress> ipv6SubnetMax() {
        return isEmpty(eff.ipv6SubnetMax) ? Optional.empty() : Optional.of(ip6(eff.ipv6SubnetMax));
    }

    /**
     * {@code BackendType}: {@code Backend.Type} exactly as written (case kept; flannel lower-cases it when it looks
     * the backend up), {@code udp} when the Backend key is absent, {@code ""} for {@code {}}, {@code null} or an
     * object without Type.
     */
    public String backendType() {
        return eff.backendType;
    }

    /**
     * The backend flanneld would start and its options, decoded as the backend decodes them at startup (after the
     * config passed): {@link Backend.Unknown} or {@link Backend.Removed} for a type flannel v0.28 does not register
     * (including {@code ""}), {@link Backend.Invalid} when the options do not decode. Never throws.
     */
    public Backend backend() {
        return BackendOptions.decode(eff.backendType, eff.backend);
    }

    /**
     * The error flanneld v0.28.9 (Linux, amd64) would log and exit with at startup because of this config although
     * the config itself passed, e.g. {@code Error fetching backend: unknown backend type: aws-vpc},
     * {@code Error registering network: config error, password is too short},
     * {@code Error registering network: error decoding VXLAN backend config: json: cannot unmarshal string into Go
     * struct field VXLANConfig.vni of type int}, or {@code none defined stack} when both families are disabled.
     * Empty when the config alone gives flanneld no reason to exit (the host can still fail it).
     */
    public Optional<String> startupError() {
        return BackendOptions.startupError(this);
    }

    /** The raw {@code Backend} JSON value exactly as written (flannel's {@code json.RawMessage}); empty if absent. */
    public Optional<String> backendJson() {
        return eff.backend == null ? Optional.empty() : Optional.of(new String(eff.backend, StandardCharsets.UTF_8));
    }

    /** The Network text as written, before flannel masked it (e.g. {@code 10.252.61.0/16}); empty if never set. */
    public Optional<String> networkAsWritten() {
        return Optional.ofNullable(eff.networkText);
    }

    /**
     * Whether Network was written with host bits set, so that flannel silently uses the masked network instead
     * (the {@code NETWORK_HOST_BITS_SET} finding): {@code 10.252.61.0/16} means {@code 10.252.0.0/16}.
     */
    public boolean networkHostBitsSet() {
        return eff.networkHostBits;
    }

    /** The IPv6Network text as written, before masking; empty if never set. */
    public Optional<String> ipv6NetworkAsWritten() {
        return Optional.ofNullable(eff.ipv6NetworkText);
    }

    /** Whether IPv6Network was written with host bits set ({@code fc00::1/48} means {@code fc00::/48}). */
    public boolean ipv6NetworkHostBitsSet() {
        return eff.ipv6NetworkHostBits;
    }

    /**
     * The top-level keys flannel ignores, in order of first appearance (e.g. a misspelt {@code Netwrok}, or
     * {@code BackendType}, which Go never decodes). {@link #toJson()} keeps them.
     */
    public List<String> unknownKeys() {
        List<String> out = new ArrayList<>();
        for (String k : eff.order.keySet()) {
            if (k.startsWith("U:")) {
                out.add(k.substring(2));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Every field as flannel holds and prints it after the check, keyed by flannel's field name in Go struct
     * order: Booleans for the Enable flags, Longs for the lengths (a BigInteger above 2^63-1), Strings for addresses
     * and networks (flannel's {@code String()} forms: dotted quad, RFC 5952, small IPv6 values dotted), the
     * BackendType and the raw Backend. Addresses that are unset (zero or nil) and an absent Backend are left out, as are unset networks.
     */
    public Map<String, Object> flannelValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("EnableIPv4", eff.enableIPv4);
        m.put("EnableIPv6", eff.enableIPv6);
        m.put("EnableNFTables", eff.enableNFTables);
        if (!eff.networkEmpty()) {
            m.put("Network", ip4String(eff.netIp) + "/" + eff.netPrefix);
        }
        if (!eff.ipv6NetworkEmpty()) {
            m.put("IPv6Network", ip6String(eff.net6Ip) + "/" + eff.net6Prefix);
        }
        if (eff.subnetMin != 0) {
            m.put("SubnetMin", ip4String(eff.subnetMin));
        }
        if (eff.subnetMax != 0) {
            m.put("SubnetMax", ip4String(eff.subnetMax));
        }
        if (!isEmpty(eff.ipv6SubnetMin)) {
            m.put("IPv6SubnetMin", ip6String(eff.ipv6SubnetMin));
        }
        if (!isEmpty(eff.ipv6SubnetMax)) {
            m.put("IPv6SubnetMax", ip6String(eff.ipv6SubnetMax));
        }
        m.put("SubnetLen", unsigned(eff.subnetLen));
        m.put("IPv6SubnetLen", unsigned(eff.ipv6SubnetLen));
        m.put("BackendType", eff.backendType);
        backendJson().ifPresent(b -> m.put("Backend", b));
        return Collections.unmodifiableMap(m);
    }

    /** A Go uint as a Long, or a BigInteger above Long.MAX_VALUE (only a disabled family's length can be). */
    private static Number unsigned(long v) {
        return v >= 0 ? (Number) v : new BigInteger(Long.toUnsignedString(v));
    }

    private static int clampUnsigned(long v) {
        return v < 0 || v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
    }

    // ---------------------------------------------------------------- writing

    /**
     * JSON that flanneld parses back to an equal config: the fields as written (not the derived defaults, so a
     * later Network change re-derives them), in the order they first appeared, under flannel's canonical names,
     * plus every ignored key with its value byte for byte. Addresses are written as plain ASCII with no escapes
     * (flannel reads address tokens raw); the Backend value is written exactly as it was given.
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, byte[][]> e : written.order.entrySet()) {
            String k = e.getKey();
            String value;
            String key;
            if (k.startsWith("U:")) {
                key = new String(e.getValue()[0], StandardCharsets.UTF_8);
                value = new String(e.getValue()[1], StandardCharsets.UTF_8);
            } else {
                String f = k.substring(2);
                key = "\"" + f + "\"";
                value = writtenValue(f);
                if (value == null) {
                    continue;
                }
            }
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(key).append(':').append(value);
        }
        return sb.append('}').toString();
    }

    private String writtenValue(String f) {
        Cfg c = written;
        switch (f) {
            case "EnableIPv4":
                return Boolean.toString(c.enableIPv4);
            case "EnableIPv6":
                return Boolean.toString(c.enableIPv6);
            case "EnableNFTables":
                return Boolean.toString(c.enableNFTables);
            case "SubnetLen":
                return Long.toUnsignedString(c.subnetLen);
            case "IPv6SubnetLen":
                return Long.toUnsignedString(c.ipv6SubnetLen);
            case "Network":
                // an IPv4-mapped IPv6 CIDR keeps its 128-bit prefix length only when written in IPv6 form
                return quote(c.netPrefix > 32 ? "::ffff:" + ip4String(c.netIp) + "/" + c.netPrefix
                        : ip4String(c.netIp) + "/" + c.netPrefix);
            case "IPv6Network":
                return quote(ip6Text(c.net6Ip, c.net6Prefix <= 32) + "/" + c.net6Prefix);
            case "SubnetMin":
                return quote(ip4String(c.subnetMin));
            case "SubnetMax":
                return quote(ip4String(c.subnetMax));
            case "IPv6SubnetMin":
                return c.ipv6SubnetMin == null ? null : quote(ip6Text(c.ipv6SubnetMin, false));
            case "IPv6SubnetMax":
                return c.ipv6SubnetMax == null ? null : quote(ip6Text(c.ipv6SubnetMax, false));
            case "Backend":
                return c.backend == null ? null : new String(c.backend, StandardCharsets.UTF_8);
            default:
                throw new AssertionError(f);
        }
    }

    /**
     * Text that Go parses back to the same 16 bytes. An IPv4-mapped value with a prefix of at most 32 can only have
     * come from IPv4 text (Go then counts the prefix in 32 bits), so it is written dotted; everything else in hex.
     */
    private static String ip6Text(BigInteger v, boolean dottedIfMapped) {
        IpAddress a = ip6(v);
        byte[] b = a.toBytes();
        if (dottedIfMapped && v.shiftRight(32).equals(BigInteger.valueOf(0xFFFF))) {
            return IpAddress.fromBytes(Arrays.copyOfRange(b, 12, 16)).toString();
        }
        return GoNet.ipv6Hex(b);
    }

    private static String quote(String ascii) {
        return "\"" + ascii + "\"";
    }

    // ---------------------------------------------------------------- withers

    /**
     * This config with another {@code Network} (written without host bits); derived SubnetLen/Min/Max are derived
     * again, explicit ones are kept and checked against the new network.
     *
     * @throws FlannelConfigException with flannel's text if flanneld would reject the result (e.g. an explicit
     *     SubnetMin outside the new network: {@code SubnetMin is not in the range of the Network}), or
     *     {@code invalid IPv4 CIDR format} for an IPv6 CIDR
     */
    public FlannelConfig withNetwork(Cidr network) {
        Objects.requireNonNull(network, "network");
        if (!network.family().equals(IpFamily.IPV4)) {
            throw new FlannelConfigException(FlannelConfigException.Stage.PARSE, "invalid IPv4 CIDR format",
                    "Network " + network);
        }
        Cfg w = written.clone();
        w.netIp = network.network().low();
        w.netPrefix = network.prefixLength();
        w.networkText = network.toString();
        w.networkHostBits = false;
        w.order.putIfAbsent("K:Network", null);
        return checked(w, "Network " + network);
    }

    /**
     * This config with another {@code IPv6Network} (IPv6 only; use {@link #withEnableIPv6} to switch the family).
     *
     * @throws FlannelConfigException with flannel's text if flanneld would reject the result
     * @throws IllegalArgumentException if the CIDR is IPv4
     */
    public FlannelConfig withIPv6Network(Cidr network) {
        Objects.requireNonNull(network, "network");
        if (!network.family().equals(IpFamily.IPV6)) {
            throw new IllegalArgumentException("IPv6Network " + network + " is IPv4; give an IPv6 CIDR such as"
                    + " fd00:10:244::/56");
        }
        Cfg w = written.clone();
        w.net6Ip = network.network().toBigInteger();
        w.net6Prefix = network.prefixLength();
        w.ipv6NetworkText = network.toString();
        w.ipv6NetworkHostBits = false;
        w.order.putIfAbsent("K:IPv6Network", null);
        return checked(w, "IPv6Network " + network);
    }

    /**
     * This config with an explicit {@code SubnetLen} (0: derive it from the Network again).
     *
     * @throws FlannelConfigException with flannel's text if flanneld would reject the result, e.g.
     *     {@code SubnetLen must be less than /31}
     * @throws IllegalArgumentException if the length is negative
     */
    public FlannelConfig withSubnetLen(int subnetLen) {
        if (subnetLen < 0) {
            throw new IllegalArgumentException("SubnetLen " + subnetLen + " is negative; flannel's SubnetLen is"
                    + " unsigned (0 = derive)");
        }
        Cfg w = written.clone();
        w.subnetLen = subnetLen;
        w.order.putIfAbsent("K:SubnetLen", null);
        return checked(w, "SubnetLen " + subnetLen);
    }

    /**
     * This config with an explicit {@code SubnetMin}/{@code SubnetMax} (IPv4). flannel does not check that
     * min ≤ max; neither does this.
     *
     * @throws FlannelConfigException with flannel's text if flanneld would reject the result, e.g.
     *     {@code SubnetMin is not on a SubnetLen boundary: 10.3.0.7}
     * @throws IllegalArgumentException if an address is IPv6
     */
    public FlannelConfig withSubnetRange(IpAddress subnetMin, IpAddress subnetMax) {
        if (!subnetMin.isIpv4() || !subnetMax.isIpv4()) {
            throw new IllegalArgumentException("SubnetMin/SubnetMax " + subnetMin + ", " + subnetMax
                    + " must be IPv4 addresses");
        }
        Cfg w = written.clone();
        w.subnetMin = subnetMin.low();
        w.subnetMax = subnetMax.low();
        w.order.putIfAbsent("K:SubnetMin", null);
        w.order.putIfAbsent("K:SubnetMax", null);
        return checked(w, "SubnetMin " + subnetMin + ", SubnetMax " + subnetMax);
    }

    /**
     * This config with SubnetMin and SubnetMax left for flannel to derive (the first and last subnet of the
     * network are then skipped and kept respectively, as flannel does).
     *
     * @throws FlannelConfigException if flanneld would reject the result
     */
    public FlannelConfig withDerivedSubnetRange() {
        Cfg w = written.clone();
        w.subnetMin = 0;
        w.subnetMax = 0;
        w.order.remove("K:SubnetMin");
        w.order.remove("K:SubnetMax");
        return checked(w, "SubnetMin/SubnetMax derived");
    }

    /**
     * This config with {@code EnableIPv6} switched.
     *
     * @throws FlannelConfigException if flanneld would reject the result (e.g. no IPv6Network:
     *     {@code please define a correct IPv6Network parameter in the flannel config})
     */
    public FlannelConfig withEnableIPv6(boolean enable) {
        Cfg w = written.clone();
        w.enableIPv6 = enable;
        w.order.putIfAbsent("K:EnableIPv6", null);
        return checked(w, "EnableIPv6 " + enable);
    }

    // ---------------------------------------------------------------- leases

    /**
     * What flanneld does with an existing lease under this config when the lease's node restarts: flannel's
     * {@code isSubnetConfigCompat} ({@code SubnetMin <= lease IP <= SubnetMax} on the key's address as written, and
     * lease prefix == SubnetLen) and {@code isIPv6SubnetConfigCompat} (with IPv6 on, the same on the IPv6 part, which
     * must exist; with IPv6 off, the key must have no IPv6 part). Alignment is not rechecked, and nothing else (the
     * Network itself, overlaps) is looked at.
     *
     * @return {@link LeaseCompatibility#COMPATIBLE}, or the first reason flannel's test fails, in its order
     */
    public LeaseCompatibility compatibility(SubnetKey lease) {
        long ip = lease.address().low();
        if (ip < eff.subnetMin || ip > eff.subnetMax) {
            return LeaseCompatibility.OUTSIDE_SUBNET_RANGE;
        }
        if (lease.prefixLength() != eff.subnetLen) {
            return LeaseCompatibility.WRONG_SUBNET_LEN;
        }
        Optional<IpAddress> ip6 = lease.ipv6Address();
        if (!eff.enableIPv6) {
            return ip6.isPresent() ? LeaseCompatibility.IPV6_NOT_ENABLED : LeaseCompatibility.COMPATIBLE;
        }
        if (ip6.isEmpty()) {
            return LeaseCompatibility.IPV6_MISSING;
        }
        BigInteger v = ip6.get().toBigInteger();
        if (v.compareTo(orZero(eff.ipv6SubnetMin)) < 0 || v.compareTo(orZero(eff.ipv6SubnetMax)) > 0) {
            return LeaseCompatibility.IPV6_OUTSIDE_SUBNET_RANGE;
        }
        int len6 = lease.ipv6Subnet().orElseThrow().prefixLength();
        return len6 == eff.ipv6SubnetLen ? LeaseCompatibility.COMPATIBLE : LeaseCompatibility.IPV6_WRONG_SUBNET_LEN;
    }

    /** Whether flanneld would reuse the lease ({@link #compatibility} is {@link LeaseCompatibility#COMPATIBLE}). */
    public boolean isCompatible(SubnetKey lease) {
        return compatibility(lease).isCompatible();
    }

    // ---------------------------------------------------------------- equality

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FlannelConfig)) {
            return false;
        }
        Cfg a = eff;
        Cfg b = ((FlannelConfig) o).eff;
        return a.enableIPv4 == b.enableIPv4 && a.enableIPv6 == b.enableIPv6 && a.enableNFTables == b.enableNFTables
                && a.netIp == b.netIp && a.netPrefix == b.netPrefix && a.net6Ip.equals(b.net6Ip)
                && a.net6Prefix == b.net6Prefix && a.subnetMin == b.subnetMin && a.subnetMax == b.subnetMax
                && Objects.equals(orZero(a.ipv6SubnetMin), orZero(b.ipv6SubnetMin))
                && Objects.equals(orZero(a.ipv6SubnetMax), orZero(b.ipv6SubnetMax))
                && a.subnetLen == b.subnetLen && a.ipv6SubnetLen == b.ipv6SubnetLen
                && a.backendType.equals(b.backendType)
                && Objects.equals(compact(a.backend), compact(b.backend));
    }

    @Override
    public int hashCode() {
        return Objects.hash(eff.enableIPv4, eff.enableIPv6, eff.netIp, eff.netPrefix, eff.net6Ip, eff.subnetLen,
                eff.subnetMin, eff.subnetMax, eff.backendType);
    }

    private static BigInteger orZero(BigInteger v) {
        return v == null ? BigInteger.ZERO : v;
    }

    /** A valid JSON value without whitespace outside strings, each byte taken as one char (no decoding). */
    static String compact(byte[] json) {
        return json == null ? null : compact(new String(json, StandardCharsets.ISO_8859_1));
    }

    /** A valid JSON text without whitespace outside strings; the one compaction that {@link LeaseAttrs} shares. */
    static String compact(String json) {
        StringBuilder sb = new StringBuilder(json.length());
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                sb.append(c);
                if (c == '\\') {
                    sb.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                sb.append(c);
            } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The effective config as flannel prints its fields, e.g. {@code FlannelConfig{Network=10.3.0.0/16, …}}. */
    @Override
    public String toString() {
        return "FlannelConfig" + flannelValues();
    }
}
