package io.github.cidrguard.flannel;

import io.github.cidrguard.net.IpAddress;

import java.math.BigInteger;

/**
 * Go's {@code net}/{@code net/netip} address parsing and printing, as flanneld v0.28.9 (built with Go 1.25) sees
 * addresses. This is deliberately not our strict {@link io.github.cidrguard.net.Cidr} parser: flannel accepts a
 * prefix length with leading zeros ({@code 10.3.0.0/016}), an IPv4-mapped IPv6 CIDR in an IPv4 field, and prints
 * small IPv6 values as dotted quads. Mirroring Go exactly is the point, so every quirk lives here and nowhere else.
 *
 * <p>Go 1.22+ implements {@code net.ParseIP} and {@code net.ParseCIDR} on {@code netip.ParseAddr}: IPv4 needs four
 * decimal octets without leading zeros; IPv6 takes 1–4 hex digits a group, one {@code ::}, and an embedded IPv4 tail;
 * any zone makes the address invalid for both functions.
 */
final class GoNet {
    private static final BigInteger TWO_24 = BigInteger.ONE.shiftLeft(24);
    private static final BigInteger TWO_32 = BigInteger.ONE.shiftLeft(32);

    private GoNet() {
    }

    /** An address as {@code netip.ParseAddr} returns it: 16 bytes, plus whether the text was plain IPv4. */
    record Addr(byte[] bytes16, boolean writtenAsIpv4) {
        /** Go's {@code To4()}: the IPv4 address when the 16 bytes are IPv4-mapped, else null. */
        IpAddress to4() {
            for (int i = 0; i < 10; i++) {
                if (bytes16[i] != 0) {
                    return null;
                }
            }
            if (bytes16[10] != (byte) 0xFF || bytes16[11] != (byte) 0xFF) {
                return null;
            }
            return IpAddress.fromBytes(new byte[] {bytes16[12], bytes16[13], bytes16[14], bytes16[15]});
        }

        /** The 128-bit value (flannel's {@code IP6} big integer). */
        IpAddress as16() {
            return IpAddress.fromBytes(bytes16);
        }
    }

    /**
     * The result of {@code net.ParseCIDR}: the address as written and the masked network, with the prefix length
     * counted in the width Go chose (32 when the text was plain IPv4, else 128).
     */
    record CidrResult(Addr address, Addr network, int prefixLength) {
    }

    /** Go's {@code net.ParseIP}: the address, or null when Go would return nil. */
    static Addr parseIp(String s) {
        return parseAddr(s);
    }

    /**
     * Go's {@code net.ParseCIDR}.
     *
     * @return the parsed CIDR, or null where Go returns {@code invalid CIDR address: <s>}
     */
    static CidrResult parseCidr(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return null;
        }
        Addr addr = parseAddr(s.substring(0, slash));
        if (addr == null) {
            return null;
        }
        String mask = s.substring(slash + 1);
        int n = 0;
        int i = 0;
        for (; i < mask.length() && mask.charAt(i) >= '0' && mask.charAt(i) <= '9'; i++) {
            n = n * 10 + (mask.charAt(i) - '0');
            if (n >= 0xFFFFFF) {
                return null;
            }
        }
        int bits = addr.writtenAsIpv4() ? 32 : 128;
        if (i == 0 || i != mask.length() || n > bits) {
            return null;
        }
        int ones = addr.writtenAsIpv4() ? n + 96 : n;
        byte[] net = addr.bytes16().clone();
        for (int b = 0; b < 16; b++) {
            int keep = Math.max(0, Math.min(8, ones - b * 8));
            net[b] &= (byte) (0xFF << (8 - keep));
        }
        return new CidrResult(addr, new Addr(net, addr.writtenAsIpv4()), n);
    }

    private static Addr parseAddr(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                byte[] v4 = parseIpv4(s);
                return v4 == null ? null : new Addr(mapped(v4), true);
            }
            if (c == ':') {
                byte[] v6 = parseIpv6(s);
                return v6 == null ? null : new Addr(v6, false);
            }
            if (c == '%') {
                return null;
            }
        }
        return null;
    }

    private static byte[] mapped(byte[] v4) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xFF;
        b[11] = (byte) 0xFF;
        System.arraycopy(v4, 0, b, 12, 4);
        return b;
    }

    private static byte[] parseIpv4(String s) {
        byte[] out = new byte[4];
        int val = 0;
        int digits = 0;
        int pos = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits == 1 && val == 0) {
                    return null; // leading zero
                }
                val = val * 10 + (c - '0');
                digits++;
                if (val > 255) {
                    return null;
                }
            } else if (c == '.') {
                if (i == 0 || i == s.length() - 1 || s.charAt(i - 1) == '.' || pos == 3) {
                    return null;
                }
                out[pos++] = (byte) val;
                val = 0;
                digits = 0;
            } else {
                return null;
            }
        }
        if (pos < 3) {
            return null;
        }
        out[3] = (byte) val;
        return out;
    }

    private static byte[] parseIpv6(String in) {
        if (in.indexOf('%') >= 0) {
            return null; // a zone: netip accepts it, but ParseIP and ParseCIDR then reject the address
        }
        byte[] ip = new byte[16];
        int ellipsis = -1;
        String s = in;
        if (s.length() >= 2 && s.charAt(0) == ':' && s.charAt(1) == ':') {
            ellipsis = 0;
            s = s.substring(2);
            if (s.isEmpty()) {
                return ip;
            }
        }
        int i = 0;
        while (i < 16) {
            int off = 0;
            int acc = 0;
            for (; off < s.length(); off++) {
                int d = hexDigit(s.charAt(off));
                if (d < 0) {
                    break;
                }
                acc = (acc << 4) + d;
                if (off > 3) {
                    return null; // more than four digits in a group
                }
            }
            if (off == 0) {
                return null;
            }
            if (off < s.length() && s.charAt(off) == '.') {
                if ((ellipsis < 0 && i != 12) || i + 4 > 16) {
                    return null;
                }
                byte[] v4 = parseIpv4(s);
                if (v4 == null) {
                    return null;
                }
                System.arraycopy(v4, 0, ip, i, 4);
                s = "";
                i += 4;
                break;
            }
            ip[i] = (byte) (acc >> 8);
            ip[i + 1] = (byte) acc;
            i += 2;
            s = s.substring(off);
            if (s.isEmpty()) {
                break;
            }
            if (s.charAt(0) != ':' || s.length() == 1) {
                return null;
            }
            s = s.substring(1);
            if (s.charAt(0) == ':') {
                if (ellipsis >= 0) {
                    return null;
                }
                ellipsis = i;
                s = s.substring(1);
                if (s.isEmpty()) {
                    break;
                }
            }
        }
        if (!s.isEmpty()) {
            return null;
        }
        if (i < 16) {
            if (ellipsis < 0) {
                return null;
            }
            int n = 16 - i;
            for (int j = i - 1; j >= ellipsis; j--) {
                ip[j + n] = ip[j];
            }
            for (int j = ellipsis; j < ellipsis + n; j++) {
                ip[j] = 0;
            }
        } else if (ellipsis >= 0) {
            return null; // "::" must stand for at least one group
        }
        return ip;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /** Go's {@code net.IP.String()} for a 4- or 16-byte address: IPv4-mapped addresses print as a dotted quad. */
    static String ipString(byte[] ip) {
        if (ip.length == 4) {
            return IpAddress.fromBytes(ip).toString();
        }
        Addr a = new Addr(ip, false);
        IpAddress v4 = a.to4();
        if (v4 != null) {
            return v4.toString();
        }
        return ipv6Hex(ip);
    }

    /**
     * The RFC 5952 hex form of a 16-byte address, never dotted ({@code ::ffff:a00:1}): text Go's {@code ParseIP} and
     * {@code ParseCIDR} read back as the same 16 bytes and as IPv6-written (prefix counted in 128 bits).
     */
    static String ipv6Hex(byte[] ip) {
        int[] g = new int[8];
        for (int k = 0; k < 8; k++) {
            g[k] = ((ip[2 * k] & 0xFF) << 8) | (ip[2 * k + 1] & 0xFF);
        }
        int zeroStart = -1;
        int zeroLen = 1; // RFC 5952: only a run of two or more zero groups is compressed; the first longest wins
        for (int k = 0; k < 8; k++) {
            int j = k;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - k > zeroLen) {
                zeroStart = k;
                zeroLen = j - k;
            }
        }
        StringBuilder sb = new StringBuilder(39);
        for (int k = 0; k < 8; k++) {
            if (k == zeroStart) {
                sb.append("::");
                k = zeroStart + zeroLen;
                if (k >= 8) {
                    break;
                }
            } else if (k > 0) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[k]));
        }
        return sb.toString();
    }

    /** Go's {@code net.IP.String()} of an IPv4 or IPv6 address. */
    static String ipString(IpAddress a) {
        return ipString(a.toBytes());
    }

    /**
     * flannel's {@code ip.IP6.String()}: the 128-bit value's minimal big-endian bytes become a {@code net.IP}; when
     * that is exactly 4 bytes (2^24 ≤ value < 2^32) it prints as a dotted quad, otherwise as the 16-byte address
     * (where IPv4-mapped values print dotted too). So {@code ::a00:1} prints {@code 10.0.0.1}.
     */
    static String ip6String(IpAddress value128) {
        BigInteger v = value128.toBigInteger();
        if (v.compareTo(TWO_24) >= 0 && v.compareTo(TWO_32) < 0) {
            return IpAddress.ofIpv4(v.longValue()).toString();
        }
        return ipString(IpAddress.of(io.github.cidrguard.net.IpFamily.IPV6, v).toBytes());
    }
}
