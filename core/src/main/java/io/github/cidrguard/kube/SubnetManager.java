package io.github.cidrguard.kube;

import java.util.Locale;

/**
 * Where flanneld keeps its leases: flanneld's {@code --kube-subnet-mgr} flag chooses between the two (flannel's
 * main.go, {@code newSubnetManager}).
 */
public enum SubnetManager {
    /**
     * The default of flanneld: config and leases in etcd ({@code <prefix>/config}, {@code <prefix>/subnets/}); flanneld
     * runs {@code ParseConfig} and {@code CheckNetworkConfig} and allocates each node a subnet of {@code SubnetLen}
     * between {@code SubnetMin} and {@code SubnetMax}.
     */
    ETCD,
    /**
     * {@code --kube-subnet-mgr} (kube-flannel.yml, k3s, RKE2): the config is {@code net-conf.json}, read with
     * {@code ParseConfig} only (no SubnetLen/SubnetMin/SubnetMax defaults or checks); a node's lease is its
     * {@code spec.podCIDR(s)}, allocated by kube-controller-manager from {@code --cluster-cidr} with
     * {@code --node-cidr-mask-size}, and flanneld refuses to start when that podCIDR is missing or outside the
     * Network (flannel's pkg/subnet/kube/kube.go, {@code AcquireLease}).
     */
    KUBE;

    /** The name as written in a scenario file: {@code etcd}, {@code kube}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
