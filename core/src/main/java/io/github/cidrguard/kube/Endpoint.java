package io.github.cidrguard.kube;

import io.github.cidrguard.net.IpAddress;

import java.util.Objects;

/**
 * A service endpoint: a pod (or host) address and its target port, written {@code 10.252.100.5:8080} or
 * {@code [fd00::5]:8080}; the port may be left out.
 *
 * @param ip the endpoint address
 * @param port the target port, or 0 when not given
 */
public record Endpoint(IpAddress ip, int port) {
    /** Checks the port range. */
    public Endpoint {
        Objects.requireNonNull(ip, "ip");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("endpoint port " + port + " is out of range; use 1 to 65535");
        }
    }

    /**
     * Parses {@code 10.0.0.5:8080}, {@code [fd00::5]:8080}, or a bare address.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static Endpoint parse(String text) {
        try {
            if (text.startsWith("[")) {
                int close = text.indexOf("]:");
                if (close < 0) {
                    return new Endpoint(IpAddress.parse(text.substring(1, text.length() - 1)), 0);
                }
                return new Endpoint(IpAddress.parse(text.substring(1, close)),
                        Integer.parseInt(text.substring(close + 2)));
            }
            int colon = text.indexOf(':');
            if (colon < 0 || text.indexOf(':', colon + 1) >= 0) {
                return new Endpoint(IpAddress.parse(text), 0);
            }
            return new Endpoint(IpAddress.parse(text.substring(0, colon)), Integer.parseInt(text.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an endpoint (" + e.getMessage()
                    + "); write it like 10.244.1.5:8080 or [fd00::5]:8080");
        }
    }

    /** {@code ip:port}, {@code [ip]:port} for IPv6, or the address alone when no port was given. */
    @Override
    public String toString() {
        if (port == 0) {
            return ip.toString();
        }
        return (ip.isIpv4() ? ip.toString() : "[" + ip + "]") + ":" + port;
    }
}
