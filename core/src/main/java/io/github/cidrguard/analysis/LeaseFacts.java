package io.github.cidrguard.analysis;

import io.github.cidrguard.flannel.SubnetKey;
import io.github.cidrguard.kube.Lease;
import io.github.cidrguard.net.Cidr;

import java.util.Optional;

/** A lease with its parsed key (the scenario reader has already refused keys flannel would skip). */
record LeaseFacts(Lease lease, SubnetKey key) {
    static LeaseFacts of(Lease lease) {
        return new LeaseFacts(lease, lease.subnetKey());
    }

    /** The IPv4 block (host bits cleared). */
    Cidr subnet() {
        return key.subnet();
    }

    /** The IPv6 block, if the key has one. */
    Optional<Cidr> ipv6Subnet() {
        return key.ipv6Subnet();
    }

    /** {@code lease 10.252.61.0-24 (PublicIP 10.252.158.72)}. */
    String subject() {
        return "lease " + lease.key() + " (PublicIP " + lease.publicIp() + ")";
    }
}
