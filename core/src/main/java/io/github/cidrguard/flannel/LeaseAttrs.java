package io.github.cidrguard.flannel;

import io.github.cidrguard.flannel.GoJson.GoJsonException;
import io.github.cidrguard.flannel.GoJson.Member;
import io.github.cidrguard.flannel.GoJson.Raw;
import io.github.cidrguard.net.IpAddress;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The value of a flannel subnet lease in etcd, mirroring {@code lease.LeaseAttrs} (pkg/lease/lease.go, v0.28.9):
 * {@code PublicIP}, {@code PublicIPv6}, {@code BackendType}, {@code BackendData}, {@code BackendV6Data}.
 *
 * <p>{@link #parse} decodes with the same Go {@code encoding/json} rules as the config (case-insensitive keys, last
 * duplicate wins, unknown keys ignored, address fields parsed from the raw token). {@link #toJson()} writes what
 * flannel's {@code json.Marshal} writes, byte for byte: compact, fields in that order, {@code PublicIPv6} always
 * present ({@code null} when unset), the other three left out when empty, strings escaped the Go way ({@code <},
 * {@code >}, {@code &}, U+2028 and U+2029 as {@code \}{@code u003c}…), and the backend data compacted with the same
 * escaping, e.g.
 * {@code {"PublicIP":"10.252.158.71","PublicIPv6":null,"BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"c6:d2:32:6f:8f:44"}}}.
 *
 * <p>Equality: two values are equal when flannel would write them identically ({@link #toJson()}).
 */
public final class LeaseAttrs {
    private static final List<String> FIELDS = List.of("PublicIP", "PublicIPv6", "BackendType", "BackendData",
            "BackendV6Data");

    private final long publicIp; // ip.IP4 (uint32)
    private final IpAddress publicIpv6; // *ip.IP6: null = nil
    private final String backendType;
    private final byte[] backendData; // json.RawMessage: null = empty
    private final byte[] backendV6Data;

    private LeaseAttrs(long publicIp, IpAddress publicIpv6, String backendType, byte[] backendData,
            byte[] backendV6Data) {
        this.publicIp = publicIp;
        this.publicIpv6 = publicIpv6;
        this.backendType = backendType;
        this.backendData = backendData;
        this.backendV6Data = backendV6Data;
    }

    /**
     * Decodes a lease value as flannel's etcd registry does ({@code json.Unmarshal} into {@code LeaseAttrs}).
     *
     * @throws LeaseAttrsException when flannel cannot decode the value; flannel then skips the lease and logs
     *     {@code Ignoring bad subnet node: <error>}. Notably a {@code PublicIP} that is not IPv4 gives
     *     {@code invalid IPv4 address format} (flannel ≤ v0.28.8 panicked instead), and {@code null} or garbage
     *     there gives {@code invalid IP address format}
     */
    public static LeaseAttrs parse(String json) {
        Objects.requireNonNull(json, "json");
        try {
            byte[] data = GoJson.utf8(json);
            GoJson.checkValid(data);
            long ip = 0;
            IpAddress ip6 = null;
            String type = "";
            byte[] bd = null;
            byte[] bd6 = null;
            GoJson.Struct st = new GoJson.Struct("LeaseAttrs", "lease.LeaseAttrs");
            List<Member> ms = st.open(GoJson.topLevel(data));
            if (ms != null) {
                for (Member m : ms) {
                    String f = GoJson.field(m.key(), FIELDS);
                    if (f == null) {
                        continue;
                    }
                    Raw v = m.value();
                    switch (f) {
                        case "PublicIP": {
                            GoNet.Addr a = GoNet.parseIp(v.trimQuotes());
                            if (a == null) {
                                throw new GoJsonException("invalid IP address format");
                            }
                            IpAddress v4 = a.to4();
                            if (v4 == null) {
                                throw new GoJsonException("invalid IPv4 address format");
                            }
                            ip = v4.low();
                            break;
                        }
                        case "PublicIPv6": {
                            if (v.kind() == GoJson.Kind.NULL) {
                                ip6 = null;
                                break;
                            }
                            GoNet.Addr a = GoNet.parseIp(v.trimQuotes());
                            if (a == null) {
                                throw new GoJsonException("invalid IP address format");
                            }
                            ip6 = IpAddress.fromBytes(a.bytes16());
                            break;
                        }
                        case "BackendType": {
                            String s = st.string(v, f);
                            if (s != null) {
                                type = s;
                            }
                            break;
                        }
                        case "BackendData":
                            bd = v.bytes();
                            break;
                        default:
                            bd6 = v.bytes();
                    }
                }
            }
            st.finish();
            return new LeaseAttrs(ip, ip6, type, bd, bd6);
        } catch (GoJsonException e) {
            throw new LeaseAttrsException(e.getMessage(), json);
        }
    }

    /**
     * A lease value with the given public IPv4 address and nothing else (as the udp, alloc and tencent-vpc backends
     * write it).
     *
     * @throws IllegalArgumentException if the address is IPv6
     */
    public static LeaseAttrs of(IpAddress publicIp) {
        if (!publicIp.isIpv4()) {
            throw new IllegalArgumentException("PublicIP " + publicIp + " must be IPv4; put an IPv6 address in"
                    + " PublicIPv6 (withPublicIPv6)");
        }
        return new LeaseAttrs(publicIp.low(), null, "", null, null);
    }

    /** {@code PublicIP}: the node's public IPv4 address ({@code 0.0.0.0} when unset, as in IPv6-only leases). */
    public IpAddress publicIP() {
        return IpAddress.ofIpv4(publicIp);
    }

    /**
     * {@code PublicIPv6} as a 128-bit value, empty when nil. flannel prints small and IPv4-mapped values dotted;
     * {@link #toJson()} does the same.
     */
    public Optional<IpAddress> publicIPv6() {
        return Optional.ofNullable(publicIpv6);
    }

    /** {@code BackendType}, e.g. {@code vxlan}; {@code ""} for udp, alloc and tencent-vpc leases. */
    public String backendType() {
        return backendType;
    }

    /** {@code BackendData}, the raw JSON as stored (e.g. {@code {"VNI":1,"VtepMAC":"…"}}); empty when absent. */
    public Optional<String> backendData() {
        return raw(backendData);
    }

    /** {@code BackendV6Data}, the raw JSON as stored; empty when absent. */
    public Optional<String> backendV6Data() {
        return raw(backendV6Data);
    }

    private static Optional<String> raw(byte[] b) {
        return b == null || b.length == 0 ? Optional.empty() : Optional.of(new String(b, StandardCharsets.UTF_8));
    }

    /**
     * This value with another {@code PublicIPv6} (null: none).
     *
     * @throws IllegalArgumentException if the address is IPv4
     */
    public LeaseAttrs withPublicIPv6(IpAddress publicIpv6) {
        if (publicIpv6 != null && publicIpv6.isIpv4()) {
            throw new IllegalArgumentException("PublicIPv6 " + publicIpv6 + " is IPv4; put it in PublicIP");
        }
        return new LeaseAttrs(publicIp, publicIpv6, backendType, backendData, backendV6Data);
    }

    /** This value with another {@code BackendType} ({@code ""} leaves it out of the JSON). */
    public LeaseAttrs withBackendType(String backendType) {
        return new LeaseAttrs(publicIp, publicIpv6, Objects.requireNonNull(backendType, "backendType"), backendData,
                backendV6Data);
    }

    /**
     * This value with other backend data (raw JSON values; null leaves the field out).
     *
     * @throws IllegalArgumentException if a value is not exactly one JSON value (Go's message is quoted)
     */
    public LeaseAttrs withBackendData(String backendData, String backendV6Data) {
        return new LeaseAttrs(publicIp, publicIpv6, backendType, validRaw("BackendData", backendData),
                validRaw("BackendV6Data", backendV6Data));
    }

    private static byte[] validRaw(String field, String json) {
        if (json == null) {
            return null;
        }
        byte[] b = GoJson.utf8(json);
        try {
            GoJson.checkValid(b);
        } catch (GoJsonException e) {
            throw new IllegalArgumentException(field + " '" + json + "' is not one JSON value: " + e.getMessage()
                    + "; give a JSON object such as {\"VNI\":1,\"VtepMAC\":\"c6:d2:32:6f:8f:44\"}");
        }
        return b;
    }

    /** flannel's {@code json.Marshal} of the value, byte for byte (see the class comment). */
    public String toJson() {
        StringBuilder sb = new StringBuilder(128);
        sb.append("{\"PublicIP\":\"").append(IpAddress.ofIpv4(publicIp)).append('"');
        sb.append(",\"PublicIPv6\":");
        if (publicIpv6 == null) {
            sb.append("null");
        } else {
            sb.append('"').append(GoNet.ip6String(publicIpv6)).append('"');
        }
        if (!backendType.isEmpty()) {
            sb.append(",\"BackendType\":");
            goString(sb, backendType);
        }
        if (backendData != null && backendData.length > 0) {
            sb.append(",\"BackendData\":").append(goCompact(backendData));
        }
        if (backendV6Data != null && backendV6Data.length > 0) {
            sb.append(",\"BackendV6Data\":").append(goCompact(backendV6Data));
        }
        return sb.append('}').toString();
    }

    /** Go's {@code encodeState.string} with HTML escaping (Go 1.22+: {@code \b} and {@code \f} short forms). */
    static void goString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\b':
                    sb.append("\\b");
                    break;
                case '\f':
                    sb.append("\\f");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isSurrogate(c)
                            && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                                    && Character.isLowSurrogate(s.charAt(i + 1)))
                            && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
                        sb.append("\\ufffd"); // not valid UTF-8 in Go either
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    /**
     * Go's {@code compact} with HTML escaping, as {@code json.Marshal} applies it to a {@code RawMessage}:
     * whitespace outside strings dropped, {@code <}, {@code >}, {@code &} and U+2028/U+2029 escaped.
     */
    static String goCompact(byte[] raw) {
        // A valid JSON text has <, >, & and U+2028/U+2029 only inside strings, never right after a backslash, so
        // escaping them after compaction gives what Go's compact gives.
        String compact = FlannelConfig.compact(new String(raw, StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder(compact.length());
        for (int i = 0; i < compact.length(); i++) {
            char c = compact.charAt(i);
            if (c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LeaseAttrs a && a.toJson().equals(toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    /** The JSON flannel writes ({@link #toJson()}). */
    @Override
    public String toString() {
        return toJson();
    }
}
