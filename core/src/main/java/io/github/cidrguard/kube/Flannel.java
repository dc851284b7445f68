package io.github.cidrguard.kube;

import io.github.cidrguard.flannel.FlannelConfig;
import io.github.cidrguard.flannel.FlannelConfigException;

import java.util.List;
import java.util.Objects;

/**
 * flannel as the scenario describes it: the value of {@code <prefix>/config} exactly as written (flanneld reads the
 * text, and what it makes of host bits or unknown keys is part of what the analysis checks), flanneld's
 * {@code --ip-masq}, the leases under {@code <prefix>/subnets/}, and the subnet manager flanneld runs with.
 *
 * <p>In {@link SubnetManager#KUBE kube mode} the config is {@code net-conf.json} and there are no etcd leases: each
 * node's {@code podCidr} is its lease (flannel's pkg/subnet/kube/kube.go).
 *
 * @param config the network config JSON, verbatim
 * @param ipMasq flanneld's {@code --ip-masq} (default true)
 * @param leases the etcd leases, in the order given (none in kube mode)
 * @param subnetManager etcd (flanneld's default) or kube ({@code --kube-subnet-mgr})
 */
public record Flannel(String config, boolean ipMasq, List<Lease> leases, SubnetManager subnetManager) {
    /**
     * Checks that the config text is present and copies the lease list.
     *
     * @throws IllegalArgumentException when kube mode is given etcd leases
     */
    public Flannel {
        Objects.requireNonNull(config, "flannel config");
        Objects.requireNonNull(subnetManager, "subnetManager");
        leases = List.copyOf(leases);
        if (subnetManager == SubnetManager.KUBE && !leases.isEmpty()) {
            throw new IllegalArgumentException("flannel.subnetManager is kube but flannel.leases lists etcd leases;"
                    + " in kube mode a node's lease is its podCidr: move each lease to its node's podCidr, or set"
                    + " subnetManager: etcd");
        }
    }

    /** An etcd-mode flannel section, as scenarios were before the subnet manager was modelled. */
    public Flannel(String config, boolean ipMasq, List<Lease> leases) {
        this(config, ipMasq, leases, SubnetManager.ETCD);
    }

    /** flannel with this config, {@code --ip-masq} on, no leases, etcd mode. */
    public static Flannel of(String config) {
        return new Flannel(config, true, List.of());
    }

    /** True in kube mode ({@code --kube-subnet-mgr}). */
    public boolean kubeMode() {
        return subnetManager == SubnetManager.KUBE;
    }

    /** A copy run with this subnet manager. */
    public Flannel withSubnetManager(SubnetManager newSubnetManager) {
        return new Flannel(config, ipMasq, leases, newSubnetManager);
    }

    /**
     * The config as flanneld in etcd mode sees it (host bits cleared, defaults derived).
     *
     * @throws FlannelConfigException with flannel's own message when flanneld would reject the config
     */
    public FlannelConfig parsedConfig() {
        return FlannelConfig.parse(config);
    }

    /** A copy with another config text. */
    public Flannel withConfig(String newConfig) {
        return new Flannel(newConfig, ipMasq, leases, subnetManager);
    }

    /** A copy with {@code --ip-masq} set. */
    public Flannel withIpMasq(boolean newIpMasq) {
        return new Flannel(config, newIpMasq, leases, subnetManager);
    }

    /** A copy with these leases. */
    public Flannel withLeases(List<Lease> newLeases) {
        return new Flannel(config, ipMasq, newLeases, subnetManager);
    }
}
