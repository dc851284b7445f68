package io.github.cidrguard.trace;

import io.github.cidrguard.net.AddressFormatException;
import io.github.cidrguard.net.IpAddress;

import java.util.Objects;

/**
 * One end of a traced flow, typed, in the endpoint syntax of docs/architecture.md ("Traces"): {@code pod:<ns/name>},
 * {@code pod:<ip>}, {@code node:<name>}, {@code host:<ip>} (a machine in a declared network),
 * {@code svc:<ns/name>:<port>/<proto>} (a Service port; a destination only) or a bare IP. {@link #text()} gives the
 * syntax back, so {@code Endpoint.parse(e.text())} equals {@code e}.
 */
public sealed interface Endpoint {

    /**
     * The endpoint in the command's syntax.
     *
     * @return the text, e.g. {@code pod:default/web}
     */
    String text();

    /**
     * A pod named {@code namespace/name}.
     *
     * @param name the pod's name
     */
    record PodName(String name) implements Endpoint {
        /** Checks the name. */
        public PodName {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String text() {
            return "pod:" + name;
        }
    }

    /**
     * A pod by its address (it may be a pod the scenario does not list).
     *
     * @param ip the pod's address
     */
    record PodIp(IpAddress ip) implements Endpoint {
        /** Checks the address. */
        public PodIp {
            Objects.requireNonNull(ip, "ip");
        }

        @Override
        public String text() {
            return "pod:" + ip;
        }
    }

    /**
     * A node by its name.
     *
     * @param name the node's name
     */
    record NodeName(String name) implements Endpoint {
        /** Checks the name. */
        public NodeName {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String text() {
            return "node:" + name;
        }
    }

    /**
     * A machine in a declared network (or any host) by its address.
     *
     * @param ip the address
     */
    record Host(IpAddress ip) implements Endpoint {
        /** Checks the address. */
        public Host {
            Objects.requireNonNull(ip, "ip");
        }

        @Override
        public String text() {
            return "host:" + ip;
        }
    }

    /**
     * A Service port: {@code svc:<ns/name>:<port>/<proto>}.
     *
     * @param name the Service's {@code namespace/name}
     * @param port the port
     * @param protocol the protocol (a transport)
     */
    record Service(String name, int port, Protocol protocol) implements Endpoint {
        /**
         * Checks the parts.
         *
         * @throws IllegalArgumentException when the port is out of 1-65535 or the protocol is ICMP
         */
        public Service {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(protocol, "protocol");
            if (!protocol.hasPorts()) {
                throw new IllegalArgumentException("svc:" + name + ": ICMP has no ports; write e.g. svc:" + name
                        + ":80/TCP");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " of svc:" + name + " is out of range 1-65535");
            }
        }

        @Override
        public String text() {
            return "svc:" + name + ":" + port + "/" + protocol.name();
        }
    }

    /**
     * A bare address: whoever holds it (pod, node, Service, host or nobody) is found by the tracer.
     *
     * @param ip the address
     */
    record Address(IpAddress ip) implements Endpoint {
        /** Checks the address. */
        public Address {
            Objects.requireNonNull(ip, "ip");
        }

        @Override
        public String text() {
            return ip.toString();
        }
    }

    /**
     * An endpoint from the command's syntax.
     *
     * @param text the endpoint, e.g. {@code pod:default/web}, {@code svc:kube-system/kube-dns:53/UDP} or
     *     {@code 10.0.0.5}
     * @return the endpoint
     * @throws IllegalArgumentException quoting the text and the syntax when it is malformed (an address that does not
     *     parse, a {@code svc:} without a port, a port out of range)
     */
    static Endpoint parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.trim();
        if (t.startsWith("svc:")) {
            String rest = t.substring(4);
            int colon = rest.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("'" + text + "' lacks a port; write svc:<ns/name>:<port>/<proto>, "
                        + "e.g. svc:default/jenkins:80/TCP");
            }
            String name = rest.substring(0, colon);
            if (rest.substring(colon + 1).isBlank()) {
                throw new IllegalArgumentException("'" + text + "' has an empty port; write "
                        + "svc:<ns/name>:<port>/<proto>, e.g. svc:" + name + ":80/TCP");
            }
            PortText.Port port = PortText.parse(rest.substring(colon + 1), " in '" + text + "'");
            return new Service(name, port.number(), port.protocol());
        }
        if (t.startsWith("pod:")) {
            String v = t.substring(4);
            return v.contains("/") ? new PodName(v) : new PodIp(ip(v, text));
        }
        if (t.startsWith("node:")) {
            return new NodeName(t.substring(5));
        }
        if (t.startsWith("host:")) {
            return new Host(ip(t.substring(5), text));
        }
        return new Address(ip(t, text));
    }

    private static IpAddress ip(String s, String text) {
        try {
            return IpAddress.parse(s);
        } catch (AddressFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not an endpoint: " + e.getMessage()
                    + "; write pod:<ip>, pod:<ns/name>, node:<name>, host:<ip>, svc:<ns/name>:<port>/<proto> or an IP");
        }
    }
}
