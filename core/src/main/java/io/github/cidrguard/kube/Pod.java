package io.github.cidrguard.kube;

import io.github.cidrguard.net.IpAddress;

import java.util.Objects;
import java.util.Optional;

/**
 * A pod: name, address and (if known) the node it runs on.
 *
 * @param name {@code namespace/name}
 * @param ip the pod IP
 * @param node the node name, if known
 */
public record Pod(String name, IpAddress ip, Optional<String> node) {
    /** Checks that name and address are present. */
    public Pod {
        Values.name(name, "a pod");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(node, "node");
    }

    /** A pod on a node. */
    public static Pod of(String name, IpAddress ip, String node) {
        return new Pod(name, ip, Optional.of(node));
    }
}
