package io.github.cidrguard.trace;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One flow to trace, in the endpoint syntax of {@link Tracer#trace(String, String, String)}: who sends
 * ({@code pod:<ns/name>}, {@code pod:<ip>}, {@code node:<name>}, {@code host:<ip>} or an IP), to whom (the same forms,
 * or {@code svc:<ns/name>:<port>/<proto>}), the protocol and the destination port. A finding that claims traffic breaks
 * carries one (docs/architecture.md, "Report JSON"); tracing it shows the break.
 *
 * @param from the sender
 * @param to the destination
 * @param protocol ICMP, or the transport of the port
 * @param port the destination port (for a {@code svc:} destination, the one it names); empty for ICMP
 */
public record Flow(String from, String to, Protocol protocol, OptionalInt port) {
    /**
     * Checks the parts.
     *
     * @throws IllegalArgumentException when an endpoint is blank, or a port is given for ICMP or missing for a
     *     transport, or out of 1-65535
     */
    public Flow {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(port, "port");
        if (from.isBlank() || to.isBlank()) {
            throw new IllegalArgumentException("a flow needs a sender and a destination, got '" + from + "' -> '" + to
                    + "'");
        }
        if (protocol.hasPorts() != port.isPresent()) {
            throw new IllegalArgumentException(protocol.hasPorts() ? protocol + " needs a port, e.g. 443/TCP"
                    : "ICMP has no ports; omit the port");
        }
        if (port.isPresent() && (port.getAsInt() < 1 || port.getAsInt() > 65535)) {
            throw new IllegalArgumentException("port " + port.getAsInt() + " is out of range 1-65535");
        }
    }

    /**
     * A flow from the command's syntax: the port as {@code 443/TCP}, {@code 53/UDP} or {@code 80} (TCP), null or
     * blank for ICMP; a {@code svc:<ns/name>:<port>/<proto>} destination brings its own port.
     *
     * @throws IllegalArgumentException naming the input when the port or the service endpoint is malformed
     */
    public static Flow of(String from, String to, String portOrNull) {
        Objects.requireNonNull(to, "to");
        String p = portOrNull == null || portOrNull.isBlank() ? null : portOrNull.trim();
        if (p == null && to.startsWith("svc:")) {
            int colon = to.lastIndexOf(':');
            p = colon < 4 ? "" : to.substring(colon + 1);
            if (p.isBlank()) {
                throw new IllegalArgumentException("'" + to + "' lacks a port; write svc:<ns/name>:<port>/<proto>, e.g."
                        + " svc:default/web:80/TCP");
            }
        }
        if (p == null) {
            return new Flow(from, to, Protocol.ICMP, OptionalInt.empty());
        }
        int slash = p.indexOf('/');
        int n;
        try {
            n = Integer.parseInt(slash < 0 ? p : p.substring(0, slash));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + p + "' is not a port; write it like 443/TCP");
        }
        Protocol proto = slash < 0 ? Protocol.TCP : Protocol.parse(p.substring(slash + 1));
        return new Flow(from, to, proto, OptionalInt.of(n));
    }

    /**
     * A flow between typed endpoints; a {@link Endpoint.Service} destination brings its port and protocol.
     *
     * @param from the sender
     * @param to the destination
     * @param protocol the protocol, ignored for a Service destination
     * @param port the destination port (empty for ICMP), ignored for a Service destination
     * @return the flow
     * @throws IllegalArgumentException as the canonical constructor
     */
    public static Flow of(Endpoint from, Endpoint to, Protocol protocol, OptionalInt port) {
        if (to instanceof Endpoint.Service s) {
            return new Flow(from.text(), to.text(), s.protocol(), OptionalInt.of(s.port()));
        }
        return new Flow(from.text(), to.text(), protocol, port);
    }

    /**
     * The sender, typed.
     *
     * @return the endpoint
     * @throws IllegalArgumentException quoting the text when it is no endpoint
     */
    public Endpoint source() {
        return Endpoint.parse(from);
    }

    /**
     * The destination, typed.
     *
     * @return the endpoint
     * @throws IllegalArgumentException quoting the text when it is no endpoint
     */
    public Endpoint destination() {
        return Endpoint.parse(to);
    }

    /** The port as the command takes it ({@code 53/UDP}) unless the destination names it ({@code svc:}) or ICMP. */
    public Optional<String> portText() {
        return port.isEmpty() || to.startsWith("svc:") ? Optional.empty()
                : Optional.of(port.getAsInt() + "/" + protocol.name());
    }

    /** {@code from -> to [port]}, as the command's arguments read. */
    @Override
    public String toString() {
        return from + " -> " + to + portText().map(s -> " " + s).orElse("");
    }
}
