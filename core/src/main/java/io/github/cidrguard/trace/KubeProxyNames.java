package io.github.cidrguard.trace;



import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/** How kube-proxy names its chains, comments and virtual servers (pkg/proxy/iptables, nftables, ipvs). */
final class KubeProxyNames {
    private KubeProxyNames() {
    }

    /** base32(sha256(s)), the first {@code len} characters, as kube-proxy names its chains. */
    static String hash(String s, int len) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return base32(h).substring(0, len);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base32(byte[] data) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder sb = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(alphabet.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    /**
     * kube-proxy's {@code ServicePortName.String()} (pkg/proxy/types.go): {@code namespace/name}, then {@code :port}
     * only when the port is named. It names the iptables chains and fills the rule comments.
     */
    static String servicePortName(Spec.SvcSpec s, Spec.PortSpec p) {
        return p.name().isEmpty() ? s.name() : s.name() + ":" + p.name();
    }

    /** iptables-save's rendering of a statistic probability (stored as a 31-bit fraction, printed with %.11f). */
    static String probability(double p) {
        long v = Math.round(0x80000000L * p);
        return String.format(Locale.ROOT, "%.11f", v / 2147483648.0);
    }

    /**
     * kube-proxy's nftables {@code hashAndTruncate}: 8 hash characters, a dash, the name, cut with "..." to
     * chainNameBaseLengthMax, which is knftables' 256-character name limit less 16 reserved for the chain prefix.
     */
    static String hashTrunc(String name) {
        String s = hash(name, 8) + "-" + name;
        return s.length() > 240 ? s.substring(0, 237) + "..." : s;
    }

    /** "10.0.0.1,tcp:80" -> "-t 10.0.0.1:80" as ipvsadm -Sn prints a virtual service. */
    static String ipvsAddr(String key) {
        String ip = key.substring(0, key.indexOf(','));
        String proto = key.substring(key.indexOf(',') + 1, key.indexOf(':'));
        String port = key.substring(key.indexOf(':') + 1);
        String flag = switch (proto) {
            case "udp" -> "-u";
            case "sctp" -> "--sctp-service";
            default -> "-t";
        };
        return flag + " " + ip + ":" + port;
    }
}
