package io.github.cidrguard.kube;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpFamily;

import java.util.List;
import java.util.Optional;

/**
 * kube-controller-manager's node IPAM: {@code --cluster-cidr} and {@code --node-cidr-mask-size} /
 * {@code --node-cidr-mask-size-ipv4} / {@code --node-cidr-mask-size-ipv6}. Each node's {@code spec.podCIDR(s)} is a
 * block of that size taken from the cluster CIDR; in flannel's kube mode this is the node's lease.
 *
 * @param clusterCidrs {@code --cluster-cidr}, one per family, the primary first (empty when unknown)
 * @param nodeCidrMaskSize the IPv4 node block length (kube-controller-manager's default 24)
 * @param nodeCidrMaskSizeIPv6 the IPv6 node block length (default 64)
 */
public record ControllerManager(List<Cidr> clusterCidrs, int nodeCidrMaskSize, int nodeCidrMaskSizeIPv6) {
    /** kube-controller-manager's default IPv4 node mask, {@code /24}. */
    public static final int DEFAULT_MASK_IPV4 = 24;
    /** kube-controller-manager's default IPv6 node mask, {@code /64}. */
    public static final int DEFAULT_MASK_IPV6 = 64;

    /**
     * Checks one cluster CIDR per family and the mask lengths.
     *
     * @throws IllegalArgumentException naming the value and the valid range
     */
    public ControllerManager {
        clusterCidrs = Values.cidrsPerFamily(clusterCidrs, "controllerManager.clusterCidr");
        if (nodeCidrMaskSize < 1 || nodeCidrMaskSize > 32) {
            throw new IllegalArgumentException("nodeCidrMaskSize " + nodeCidrMaskSize + " is not an IPv4 prefix"
                    + " length; use 1 to 32 (default 24)");
        }
        if (nodeCidrMaskSizeIPv6 < 1 || nodeCidrMaskSizeIPv6 > 128) {
            throw new IllegalArgumentException("nodeCidrMaskSizeIPv6 " + nodeCidrMaskSizeIPv6 + " is not an IPv6"
                    + " prefix length; use 1 to 128 (default 64)");
        }
    }

    /** The defaults with this cluster CIDR. */
    public static ControllerManager of(Cidr clusterCidr) {
        return new ControllerManager(List.of(clusterCidr), DEFAULT_MASK_IPV4, DEFAULT_MASK_IPV6);
    }

    /** No cluster CIDR known, default masks. */
    public static ControllerManager defaults() {
        return new ControllerManager(List.of(), DEFAULT_MASK_IPV4, DEFAULT_MASK_IPV6);
    }

    /** The cluster CIDR of a family, if set. */
    public Optional<Cidr> clusterCidr(IpFamily family) {
        return Optional.ofNullable(Values.first(clusterCidrs, family, Cidr::family));
    }

    /** The node block length of a family. */
    public int nodeMask(IpFamily family) {
        return family == IpFamily.IPV4 ? nodeCidrMaskSize : nodeCidrMaskSizeIPv6;
    }

    /** A copy with these cluster CIDRs. */
    public ControllerManager withClusterCidrs(List<Cidr> newClusterCidrs) {
        return new ControllerManager(newClusterCidrs, nodeCidrMaskSize, nodeCidrMaskSizeIPv6);
    }

    /** A copy with these masks. */
    public ControllerManager withNodeCidrMaskSizes(int ipv4, int ipv6) {
        return new ControllerManager(clusterCidrs, ipv4, ipv6);
    }
}
