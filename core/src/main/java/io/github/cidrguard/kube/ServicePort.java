package io.github.cidrguard.kube;

import java.util.Locale;

/**
 * A service port: written {@code 80/TCP} ({@code 80} alone means TCP) in the short form, or
 * {@code {name, port, protocol, targetPort, nodePort}} in the long form, as {@code spec.ports[]} holds it.
 * kube-proxy names its chains and rules after {@code namespace/name:portName} (pkg/proxy/types.go,
 * {@code ServicePortName}), so services with several ports of one protocol need the names.
 *
 * @param port 1–65535
 * @param protocol {@code TCP}, {@code UDP} or {@code SCTP}
 * @param name the port's name, empty when unnamed (a single-port service)
 * @param targetPort the endpoint port or the name of a container port, empty when it is the port itself
 * @param nodePort the node port (30000–32767 by default), 0 when none
 */
public record ServicePort(int port, String protocol, String name, String targetPort, int nodePort) {
    /**
     * Checks the port range, the protocol name and the node port.
     *
     * @throws IllegalArgumentException naming the value and the valid range
     */
    public ServicePort {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range; use 1 to 65535");
        }
        if (protocol == null || !protocol.equals("TCP") && !protocol.equals("UDP") && !protocol.equals("SCTP")) {
            throw new IllegalArgumentException("protocol '" + protocol + "' is not TCP, UDP or SCTP");
        }
        name = name == null ? "" : name;
        targetPort = targetPort == null ? "" : targetPort;
        if (nodePort < 0 || nodePort > 65535) {
            throw new IllegalArgumentException("nodePort " + nodePort + " is out of range; use 1 to 65535, or leave"
                    + " it out");
        }
    }

    /** An unnamed port with no target or node port of its own: the short form. */
    public ServicePort(int port, String protocol) {
        this(port, protocol, "", "", 0);
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

    /** True when the short form {@code 80/TCP} says all: no name, target port or node port. */
    public boolean isShort() {
        return name.isEmpty() && targetPort.isEmpty() && nodePort == 0;
    }

    /** A copy with this name. */
    public ServicePort withName(String newName) {
        return new ServicePort(port, protocol, newName, targetPort, nodePort);
    }

    /** A copy with this target port (a number or a container port name). */
    public ServicePort withTargetPort(String newTargetPort) {
        return new ServicePort(port, protocol, name, newTargetPort, nodePort);
    }

    /** A copy with this node port (0 = none). */
    public ServicePort withNodePort(int newNodePort) {
        return new ServicePort(port, protocol, name, targetPort, newNodePort);
    }

    /** {@code 80/TCP}, the short form (the name and the other ports are not part of it). */
    @Override
    public String toString() {
        return port + "/" + protocol;
    }
}
