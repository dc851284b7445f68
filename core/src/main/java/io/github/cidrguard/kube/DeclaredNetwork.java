package io.github.cidrguard.kube;

import io.github.cidrguard.net.Cidr;

import java.util.Objects;

/**
 * Address space outside the cluster that must stay reachable from it: an office VPN, a peered VPC, a database LAN.
 *
 * @param name what it is, e.g. {@code office-vpn}
 * @param cidr its range
 */
public record DeclaredNetwork(String name, Cidr cidr) {
    /** Checks that both parts are present. */
    public DeclaredNetwork {
        Values.name(name, "a network");
        Objects.requireNonNull(cidr, "cidr");
    }

    /** A declared network from text, e.g. {@code DeclaredNetwork.of("office-vpn", "172.17.0.0/16")}. */
    public static DeclaredNetwork of(String name, String cidr) {
        return new DeclaredNetwork(name, Cidr.parse(cidr));
    }
}
