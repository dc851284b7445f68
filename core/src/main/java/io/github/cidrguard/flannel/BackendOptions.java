package io.github.cidrguard.flannel;

import io.github.cidrguard.flannel.GoJson.GoJsonException;
import io.github.cidrguard.flannel.GoJson.Member;
import io.github.cidrguard.flannel.GoJson.Raw;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What flanneld's backend manager and each backend's {@code RegisterNetwork} do with the config at startup (Linux,
 * amd64, v0.28.9): look the lower-cased type up, decode {@code Backend} into the backend's option struct, and run the
 * backend's own option checks. The struct and field names below are flannel's, because Go's error texts name them.
 */
final class BackendOptions {
    static final Set<String> REMOVED = Set.of("aws-vpc", "gce", "ali-vpc");

    private BackendOptions() {
    }

    /** flannel's {@code strings.ToLower}: per code point, Unicode simple lower-case mapping. */
    static String goToLower(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> sb.appendCodePoint(Character.toLowerCase(cp)));
        return sb.toString();
    }

    /** The backend and its options; {@code raw} is the Backend value (null when the key is absent). */
    static Backend decode(String backendType, byte[] raw) {
        String type = goToLower(backendType);
        try {
            switch (type) {
                case "vxlan":
                    return vxlan(raw);
                case "host-gw":
                    return new Backend.HostGw();
                case "udp":
                    return udp(raw);
                case "wireguard":
                    return wireguard(raw);
                case "ipip":
                    return ipip(raw);
                case "ipsec":
                    return ipsec(raw);
                case "alloc":
                    return new Backend.Alloc();
                case "tencent-vpc":
                    return tencent(raw);
                case "extension":
                    return extension(raw);
                default:
                    return REMOVED.contains(type) ? new Backend.Removed(type) : new Backend.Unknown(type);
            }
        } catch (GoJsonException e) {
            return new Backend.Invalid(type, e.getMessage());
        }
    }

    /**
     * The line flanneld logs when it exits at startup because of the backend, or empty. Covers what the config
     * alone decides; the environment (interfaces, NAT, key files, the kernel) can still fail later.
     */
    static Optional<String> startupError(FlannelConfig c) {
        if (!c.enableIPv4() && !c.enableIPv6()) {
            return Optional.of("none defined stack"); // ipmatch.GetIPFamily, logged as is before the backend
        }
        Backend b = c.backend();
        if (b instanceof Backend.Unknown || b instanceof Backend.Removed) {
            return Optional.of("Error fetching backend: unknown backend type: " + b.type());
        }
        String err = null;
        if (b instanceof Backend.Invalid inv) {
            err = inv.error();
        } else if (b instanceof Backend.Ipsec ipsec) {
            if (ipsec.psk().getBytes(StandardCharsets.UTF_8).length < 96) {
                err = "config error, password is too short";
            }
        } else if (b instanceof Backend.Wireguard wg) {
            if (!List.of("separate", "auto", "ipv4", "ipv6").contains(wg.mode())) {
                err = "no valid Mode configured";
            } else if (!wg.psk().isEmpty()) {
                err = wireguardPskError(wg.psk());
            }
        }
        return err == null ? Optional.empty() : Optional.of("Error registering network: " + err);
    }

    /** wgtypes.ParseKey on the PSK: standard padded base64 of exactly 32 bytes (Go skips CR and LF). */
    private static String wireguardPskError(String psk) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(psk.replace("\r", "").replace("\n", ""));
        } catch (IllegalArgumentException e) {
            return "could not parse psk: wgtypes: failed to parse base64-encoded key: " + e.getMessage();
        }
        if (key.length != 32) {
            return "could not parse psk: wgtypes: incorrect key size: " + key.length;
        }
        return null;
    }

    // ---------------------------------------------------------------- per backend

    /** Decodes {@code raw} into a struct with the given JSON field names; calls {@code sink} per matched member. */
    private static void each(byte[] raw, GoJson.Struct st, List<String> fields, FieldSink sink) {
        if (raw == null) {
            return; // len(config.Backend) == 0: nothing decoded, defaults stay
        }
        List<Member> ms = st.open(GoJson.topLevel(raw));
        if (ms != null) {
            for (Member m : ms) {
                String f = GoJson.field(m.key(), fields);
                if (f != null) {
                    sink.accept(f, m.value());
                }
            }
        }
        st.finish();
    }

    @FunctionalInterface
    private interface FieldSink {
        void accept(String field, Raw value);
    }

    private static GoJsonException wrap(String prefix, GoJsonException e) {
        return new GoJsonException(prefix + e.getMessage());
    }

    private static Backend vxlan(byte[] raw) {
        // VXLANConfig with json tags vni, port, mtu, gbp, learning, directRouting
        long[] n = {1, 0};
        Long[] mtu = {null};
        boolean[] b = new boolean[3];
        GoJson.Struct st = new GoJson.Struct("VXLANConfig", "vxlan.VXLANConfig");
        try {
            each(raw, st, List.of("vni", "port", "mtu", "gbp", "learning", "directRouting"), (f, v) -> {
                switch (f) {
                    case "vni":
                        set(n, 0, st.int64(v, f, "int", 64));
                        break;
                    case "port":
                        set(n, 1, st.int64(v, f, "int", 64));
                        break;
                    case "mtu": {
                        Long m = st.int64(v, f, "int", 64);
                        if (m != null) {
                            mtu[0] = m;
                        }
                        break;
                    }
                    case "gbp":
                        set(b, 0, st.bool(v, f));
                        break;
                    case "learning":
                        set(b, 1, st.bool(v, f));
                        break;
                    default:
                        set(b, 2, st.bool(v, f));
                }
            });
        } catch (GoJsonException e) {
            throw wrap("error decoding VXLAN backend config: ", e);
        }
        return new Backend.Vxlan(n[0], n[1], mtu[0] == null ? OptionalLong.empty() : OptionalLong.of(mtu[0]), b[0],
                b[1], b[2]);
    }

    private static Backend udp(byte[] raw) {
        long[] port = {8285};
        GoJson.Struct st = new GoJson.Struct("", "struct { Port int }");
        try {
            each(raw, st, List.of("Port"), (f, v) -> set(port, 0, st.int64(v, f, "int", 64)));
        } catch (GoJsonException e) {
            throw wrap("error decoding UDP backend config: ", e);
        }
        return new Backend.Udp(port[0]);
    }

    private static Backend wireguard(byte[] raw) {
        long[] n = {51820, 51821, 0};
        Long[] mtu = {null};
        String[] s = {"", "separate"};
        GoJson.Struct st = new GoJson.Struct("", "struct { ListenPort int; ListenPortV6 int; MTU int; PSK string;"
                + " PersistentKeepaliveInterval time.Duration; Mode wireguard.Mode }");
        try {
            each(raw, st, List.of("ListenPort", "ListenPortV6", "MTU", "PSK", "PersistentKeepaliveInterval", "Mode"),
                (f, v) -> {
                    switch (f) {
                        case "ListenPort":
                            set(n, 0, st.int64(v, f, "int", 64));
                            break;
                        case "ListenPortV6":
                            set(n, 1, st.int64(v, f, "int", 64));
                            break;
                        case "MTU": {
                            Long m = st.int64(v, f, "int", 64);
                            if (m != null) {
                                mtu[0] = m;
                            }
                            break;
                        }
                        case "PSK":
                            set(s, 0, st.string(v, f, "string"));
                            break;
                        case "PersistentKeepaliveInterval":
                            set(n, 2, st.int64(v, f, "time.Duration", 64));
                            break;
                        default:
                            set(s, 1, st.string(v, f, "wireguard.Mode"));
                    }
                });
        } catch (GoJsonException e) {
            throw wrap("error decoding backend config: ", e);
        }
        return new Backend.Wireguard(n[0], n[1], mtu[0] == null ? OptionalLong.empty() : OptionalLong.of(mtu[0]),
                s[0], n[2], s[1]);
    }

    private static Backend ipip(byte[] raw) {
        boolean[] b = {false};
        GoJson.Struct st = new GoJson.Struct("", "struct { DirectRouting bool }");
        try {
            each(raw, st, List.of("DirectRouting"), (f, v) -> set(b, 0, st.bool(v, f)));
        } catch (GoJsonException e) {
            throw wrap("error decoding IPIP backend config: ", e);
        }
        return new Backend.Ipip(b[0]);
    }

    private static Backend ipsec(byte[] raw) {
        boolean[] b = {false};
        String[] s = {"aes128gcm16-sha256-prfsha256-ecp256", ""};
        GoJson.Struct st = new GoJson.Struct("", "struct { UDPEncap bool; ESPProposal string; PSK string }");
        try {
            each(raw, st, List.of("UDPEncap", "ESPProposal", "PSK"), (f, v) -> {
                if (f.equals("UDPEncap")) {
                    set(b, 0, st.bool(v, f));
                } else {
                    set(s, f.equals("ESPProposal") ? 0 : 1, st.string(v, f, "string"));
                }
            });
        } catch (GoJsonException e) {
            throw wrap("error decoding IPSEC backend config: ", e);
        }
        return new Backend.Ipsec(s[1], b[0], s[0]);
    }

    private static Backend tencent(byte[] raw) {
        String[] s = {"", ""};
        GoJson.Struct st = new GoJson.Struct("", "struct { AccessKeyID string; AccessKeySecret string }");
        try {
            each(raw, st, List.of("AccessKeyID", "AccessKeySecret"),
                (f, v) -> set(s, f.equals("AccessKeyID") ? 0 : 1, st.string(v, f, "string")));
        } catch (GoJsonException e) {
            throw wrap("error decoding VPC backend config: ", e);
        }
        return new Backend.TencentVpc(s[0], s[1]);
    }

    private static Backend extension(byte[] raw) {
        List<String> names = List.of("PreStartupCommand", "PostStartupCommand", "SubnetAddCommand",
                "SubnetRemoveCommand");
        String[] s = {"", "", "", ""};
        GoJson.Struct st = new GoJson.Struct("", "struct { PreStartupCommand string; PostStartupCommand string;"
                + " SubnetAddCommand string; SubnetRemoveCommand string }");
        try {
            each(raw, st, names, (f, v) -> set(s, names.indexOf(f), st.string(v, f, "string")));
        } catch (GoJsonException e) {
            throw wrap("error decoding backend config: ", e);
        }
        return new Backend.Extension(s[0], s[1], s[2], s[3]);
    }

    private static void set(long[] a, int i, Long v) {
        if (v != null) {
            a[i] = v;
        }
    }

    private static void set(boolean[] a, int i, Boolean v) {
        if (v != null) {
            a[i] = v;
        }
    }

    private static void set(String[] a, int i, String v) {
        if (v != null) {
            a[i] = v;
        }
    }
}
