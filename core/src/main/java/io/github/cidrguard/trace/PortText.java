package io.github.cidrguard.trace;

/**
 * The port syntax of traces, {@code 443/TCP}, {@code 53/UDP} or a bare {@code 80} (TCP), read in one place for the
 * {@code svc:} form of {@link Endpoint} and the port argument of {@link Tracer#trace(String, String, String)}. Range
 * and protocol checks stay with the callers, whose messages name their own input.
 */
final class PortText {
    /** A parsed port and its protocol, unchecked. */
    record Port(int number, Protocol protocol) {
    }

    private PortText() {
    }

    /**
     * @param text the port text
     * @param where appended to the message to name the whole input, e.g. {@code " in 'svc:default/web:x'"}, or empty
     * @throws IllegalArgumentException quoting the text when the number does not parse, or the protocol is unknown
     */
    static Port parse(String text, String where) {
        String p = text.trim();
        int slash = p.indexOf('/');
        int port;
        try {
            port = Integer.parseInt(slash < 0 ? p : p.substring(0, slash));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + p + "'" + where + " is not a port; write it like 443/TCP");
        }
        return new Port(port, slash < 0 ? Protocol.TCP : Protocol.parse(p.substring(slash + 1)));
    }
}
