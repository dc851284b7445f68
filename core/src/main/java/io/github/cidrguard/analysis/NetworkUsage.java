package io.github.cidrguard.analysis;

import io.github.cidrguard.net.AddressRange;
import io.github.cidrguard.net.AddressSet;
import io.github.cidrguard.net.Cidr;

import java.math.BigInteger;
import java.util.Objects;

/**
 * How full the current flannel Network is.
 *
 * @param network the Network flannel uses (masked)
 * @param subnetLength flannel's SubnetLen
 * @param subnetRange SubnetMin to the end of SubnetMax's subnet: every address a lease can cover
 * @param subnets how many subnets SubnetMin..SubnetMax holds
 * @param usedSubnets how many of them a lease or a node's podCidr takes
 * @param free the addresses of the subnet range that nothing uses, declares or reserves
 */
public record NetworkUsage(Cidr network, int subnetLength, AddressRange subnetRange, BigInteger subnets,
                           long usedSubnets, AddressSet free) {
    /** Checks that every part is present. */
    public NetworkUsage {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(subnetRange, "subnetRange");
        Objects.requireNonNull(subnets, "subnets");
        Objects.requireNonNull(free, "free");
    }

    /** The used share of the subnets, 0 to 1 (1 when the range holds none). */
    public double utilization() {
        return subnets.signum() == 0 ? 1.0 : usedSubnets / subnets.doubleValue();
    }
}
