package io.github.cidrguard.analysis;

import io.github.cidrguard.kube.Lease;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lease with its key's subnets.
 *
 * <p>INTERIM: until {@code io.github.cidrguard.flannel.SubnetKey} lands on main, this reads keys with flannel's
 * ParseSubnetKey pattern (reference/flannel.md §3.1); afterwards it delegates to {@code SubnetKey.parse}.
 */
record LeaseFacts(Lease lease, Cidr subnet, Optional<Cidr> ipv6Subnet) {
    private static final Pattern KEY = Pattern.compile("(\\d+\\.\\d+.\\d+.\\d+)-(\\d+)(?:&([a-f\\d:]+)-(\\d+))?$");

    /** The lease's subnets, or empty when flannel would ignore the key as a "bad subnet node". */
    static Optional<LeaseFacts> of(Lease lease) {
        Matcher m = KEY.matcher(lease.key());
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            int len = Integer.parseInt(m.group(2));
            if (len > 31) {
                return Optional.empty();
            }
            Cidr v4 = Cidr.ofMasked(IpAddress.parse(m.group(1)), len);
            Optional<Cidr> v6 = Optional.empty();
            if (m.group(3) != null) {
                int len6 = Integer.parseInt(m.group(4));
                if (len6 > 127) {
                    return Optional.empty();
                }
                v6 = Optional.of(Cidr.ofMasked(IpAddress.parse(m.group(3)), len6));
            }
            return Optional.of(new LeaseFacts(lease, v4, v6));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code lease 10.252.61.0-24 (PublicIP 10.252.158.72)}. */
    String subject() {
        return "lease " + lease.key() + " (PublicIP " + lease.publicIp() + ")";
    }
}
