package io.github.cidrguard.flannel;

/**
 * flannel's verdict on an existing lease under a config: its {@code isSubnetConfigCompat} and
 * {@code isIPv6SubnetConfigCompat} (pkg/subnet/etcd/local_manager.go, v0.28.9), with the first reason that fails in
 * flannel's order. When the lease of a restarting node is not {@link #COMPATIBLE}, flanneld logs "Found lease … but
 * not compatible with current config, deleting", deletes the key and allocates a new subnet (the
 * {@code LEASE_INCOMPATIBLE} finding). Alignment is not rechecked, and the IPv4 test runs even when IPv4 is disabled.
 */
public enum LeaseCompatibility {
    /** flanneld reuses the lease. */
    COMPATIBLE("the lease fits the config; flanneld reuses it"),
    /** The key's IPv4 address (as written, unmasked) is below SubnetMin or above SubnetMax. */
    OUTSIDE_SUBNET_RANGE("the lease's IPv4 address is outside SubnetMin..SubnetMax"),
    /** The key's IPv4 prefix length is not SubnetLen. */
    WRONG_SUBNET_LEN("the lease's IPv4 prefix length is not SubnetLen"),
    /** IPv6 is off but the key has an IPv6 part. */
    IPV6_NOT_ENABLED("the lease has an IPv6 part but EnableIPv6 is false"),
    /** IPv6 is on but the key has no IPv6 part. */
    IPV6_MISSING("EnableIPv6 is true but the lease has no IPv6 part"),
    /** The key's IPv6 address is below IPv6SubnetMin or above IPv6SubnetMax. */
    IPV6_OUTSIDE_SUBNET_RANGE("the lease's IPv6 address is outside IPv6SubnetMin..IPv6SubnetMax"),
    /** The key's IPv6 prefix length is not IPv6SubnetLen. */
    IPV6_WRONG_SUBNET_LEN("the lease's IPv6 prefix length is not IPv6SubnetLen");

    private final String description;

    LeaseCompatibility(String description) {
        this.description = description;
    }

    /** Whether flanneld keeps the lease. */
    public boolean isCompatible() {
        return this == COMPATIBLE;
    }

    /** One sentence saying why, for findings and logs. */
    public String description() {
        return description;
    }
}
