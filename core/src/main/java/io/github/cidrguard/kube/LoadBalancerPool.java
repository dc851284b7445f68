package io.github.cidrguard.kube;

import io.github.cidrguard.net.AddressRange;

import java.util.List;

/**
 * A pool a load-balancer implementation hands Service addresses out of: a MetalLB {@code IPAddressPool}, a Cilium
 * {@code CiliumLoadBalancerIPPool}, kube-vip's {@code range-*}/{@code cidr-*} settings, k3s ServiceLB (the node
 * addresses themselves). Addresses are CIDRs or {@code first-last} ranges, as MetalLB writes them.
 *
 * @param name the pool's name, e.g. {@code metallb-system/default}
 * @param addresses the address blocks, at least one
 */
public record LoadBalancerPool(String name, List<AddressRange> addresses) {
    /**
     * Checks the name and that there is an address block; copies the list.
     *
     * @throws IllegalArgumentException naming the pool
     */
    public LoadBalancerPool {
        Values.name(name, "a loadBalancerPool");
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("loadBalancerPool " + name + " has no addresses; list its CIDRs or"
                    + " ranges, e.g. addresses: [192.168.50.240-192.168.50.250]");
        }
    }

    /**
     * A pool from text, e.g. {@code LoadBalancerPool.of("default", "192.168.50.240/28")}.
     *
     * @throws IllegalArgumentException as {@link AddressRange#parse}
     */
    public static LoadBalancerPool of(String name, String... addresses) {
        return new LoadBalancerPool(name, java.util.Arrays.stream(addresses).map(AddressRange::parse).toList());
    }
}
