package io.github.cidrguard.kube;

import java.util.Locale;

/**
 * A port and protocol, written {@code 80/TCP} ({@code 80} alone means TCP).
 *
 * @param port 1–65535
 * @param protocol {@code TCP}, {@code UDP} or {@code SCTP}
 */
public record ServicePort(int port, String protocol) {
    /** Checks the port range and the protocol name. */
    public ServicePort {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range; use 1 to 65535");
        }
        if (!protocol.equals("TCP") && !protocol.equals("UDP") && !protocol.equals("SCTP")) {
            throw new IllegalArgumentException("protocol '" + protocol + "' is not TCP, UDP or SCTP");
        }
    }

    /**
     * Parses {@code 80/TCP}, {@code 53/udp} or {@code 80}.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static ServicePort parse(String text) {
        int slash = text.indexOf('/');
        String number = slash < 0 ? text : text.substring(0, slash);
        String proto = slash < 0 ? "TCP" : text.substring(slash + 1).toUpperCase(Locale.ROOT);
        try {
            return new ServicePort(Integer.parseInt(number), proto);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a port; write it like 80/TCP");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a port: " + e.getMessage()
                    + "; write it like 80/TCP");
        }
    }

    /** {@code 80/TCP}. */
    @Override
    public String toString() {
        return port + "/" + protocol;
    }
}
