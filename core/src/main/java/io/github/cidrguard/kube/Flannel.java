package io.github.cidrguard.kube;

import io.github.cidrguard.flannel.FlannelConfig;
import io.github.cidrguard.flannel.FlannelConfigException;

import java.util.List;
import java.util.Objects;

/**
 * flannel as the scenario describes it: the value of {@code <prefix>/config} exactly as written (flanneld reads the
 * text, and what it makes of host bits or unknown keys is part of what the analysis checks), flanneld's
 * {@code --ip-masq}, and the leases under {@code <prefix>/subnets/}.
 *
 * @param config the network config JSON, verbatim
 * @param ipMasq flanneld's {@code --ip-masq} (default true)
 * @param leases the leases, in the order given
 */
public record Flannel(String config, boolean ipMasq, List<Lease> leases) {
    /** Checks that the config text is present and copies the lease list. */
    public Flannel {
        Objects.requireNonNull(config, "flannel config");
        leases = List.copyOf(leases);
    }

    /** flannel with this config, {@code --ip-masq} on and no leases. */
    public static Flannel of(String config) {
        return new Flannel(config, true, List.of());
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
        return new Flannel(newConfig, ipMasq, leases);
    }

    /** A copy with {@code --ip-masq} set. */
    public Flannel withIpMasq(boolean newIpMasq) {
        return new Flannel(config, newIpMasq, leases);
    }

    /** A copy with these leases. */
    public Flannel withLeases(List<Lease> newLeases) {
        return new Flannel(config, ipMasq, newLeases);
    }
}
