package io.github.cidrguard.analysis;

import io.github.cidrguard.flannel.FlannelConfig;
import io.github.cidrguard.flannel.FlannelConfigException;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;

import java.math.BigInteger;
import java.util.Optional;

/**
 * The analysis' view of flannel's config, taken from {@link FlannelConfig}: per enabled family the Network as written
 * and as flannel uses it, and the derived SubnetLen/SubnetMin/SubnetMax (flannel v0.28.9 pkg/subnet/config.go, CheckNetworkConfig); the backend type;
 * and the config itself, whose {@link FlannelConfig#isCompatible} is flanneld's lease-reuse rule.
 */
record FlannelFacts(FlannelConfig config, boolean enableIPv4, boolean enableIPv6, String backendType, Family v4,
                    Family v6) {
    /** One family's Network and its allocatable subnets. */
    record Family(String networkText, boolean hostBitsSet, Cidr network, int subnetLen, IpAddress subnetMin,
                  IpAddress subnetMax) {
        /** The block size of one subnet. */
        BigInteger subnetSize() {
            return BigInteger.ONE.shiftLeft(network.family().bits() - subnetLen);
        }

        /** SubnetMin..(SubnetMax's last address): every address a lease can cover; empty if Min is above Max. */
        Optional<io.github.cidrguard.net.AddressRange> allocatable() {
            if (subnetMin.compareTo(subnetMax) > 0) {
                return Optional.empty();
            }
            return Optional.of(io.github.cidrguard.net.AddressRange.of(subnetMin,
                    Cidr.ofMasked(subnetMax, subnetLen).last()));
        }

        /** How many subnets SubnetMin..SubnetMax holds. */
        BigInteger subnetCount() {
            if (subnetMin.compareTo(subnetMax) > 0) {
                return BigInteger.ZERO;
            }
            return subnetMax.toBigInteger().subtract(subnetMin.toBigInteger()).divide(subnetSize()).add(BigInteger.ONE);
        }
    }

    /** The family's facts, if that family is enabled. */
    Optional<Family> family(IpFamily f) {
        return Optional.ofNullable(f == IpFamily.IPV4 ? v4 : v6);
    }

    /**
     * The config as flanneld in etcd mode sees it.
     *
     * @throws IllegalArgumentException with flannel's message when flanneld would reject the config
     */
    static FlannelFacts parse(String text) {
        FlannelConfig c;
        try {
            c = FlannelConfig.parse(text);
        } catch (FlannelConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Family v4 = null;
        if (c.enableIPv4()) {
            Cidr net = c.network().orElseThrow();
            v4 = new Family(c.networkAsWritten().orElse(net.toString()), c.networkHostBitsSet(), net, c.subnetLen(),
                    c.subnetMin().orElseThrow(), c.subnetMax().orElseThrow());
        }
        Family v6 = null;
        if (c.enableIPv6()) {
            Cidr net = c.ipv6Network().orElseThrow();
            v6 = new Family(c.ipv6NetworkAsWritten().orElse(net.toString()), c.ipv6NetworkHostBitsSet(), net,
                    c.ipv6SubnetLen(), c.ipv6SubnetMin().orElseThrow(), c.ipv6SubnetMax().orElseThrow());
        }
        return new FlannelFacts(c, c.enableIPv4(), c.enableIPv6(), c.backendType(), v4, v6);
    }
}
