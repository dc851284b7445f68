package io.github.cidrguard.kube;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpFamily;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The parts of kube-proxy's configuration that depend on address ranges.
 *
 * @param mode iptables, ipvs or nftables
 * @param clusterCidrs {@code clusterCIDR}: at most one per family; empty means no local-traffic detector in
 *     ClusterCIDR mode
 * @param detectLocalMode how pod traffic is recognised
 * @param masqueradeAll {@code --masquerade-all}
 * @param nodePortAddresses {@code nodePortAddresses} as written (CIDRs or {@code primary}); empty means all local
 *     addresses
 */
public record KubeProxy(ProxyMode mode, List<Cidr> clusterCidrs, DetectLocalMode detectLocalMode,
                        boolean masqueradeAll, List<String> nodePortAddresses) {
    /** Checks the invariants: one cluster CIDR per family, each nodePortAddresses entry a CIDR or {@code primary}. */
    public KubeProxy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(detectLocalMode, "detectLocalMode");
        clusterCidrs = Values.cidrsPerFamily(clusterCidrs, "kubeProxy clusterCidr");
        nodePortAddresses = List.copyOf(nodePortAddresses);
        for (String a : nodePortAddresses) {
            if (!a.equals("primary") && !Cidr.isValid(a)) {
                throw new IllegalArgumentException("nodePortAddresses entry '" + a + "' must be a CIDR such as "
                        + "10.0.0.0/8 or the word primary");
            }
        }
    }

    /** kube-proxy's defaults: iptables, no cluster CIDR, ClusterCIDR detection, no masquerade-all. */
    public static KubeProxy defaults() {
        return new KubeProxy(ProxyMode.IPTABLES, List.of(), DetectLocalMode.CLUSTER_CIDR, false, List.of());
    }

    /** The cluster CIDR of a family, if set. */
    public Optional<Cidr> clusterCidr(IpFamily family) {
        return Optional.ofNullable(Values.first(clusterCidrs, family, Cidr::family));
    }

    /** A copy in another mode. */
    public KubeProxy withMode(ProxyMode newMode) {
        return new KubeProxy(newMode, clusterCidrs, detectLocalMode, masqueradeAll, nodePortAddresses);
    }

    /** A copy with these cluster CIDRs. */
    public KubeProxy withClusterCidrs(List<Cidr> newClusterCidrs) {
        return new KubeProxy(mode, newClusterCidrs, detectLocalMode, masqueradeAll, nodePortAddresses);
    }

    /** A copy with another local-traffic detector. */
    public KubeProxy withDetectLocalMode(DetectLocalMode newMode) {
        return new KubeProxy(mode, clusterCidrs, newMode, masqueradeAll, nodePortAddresses);
    }

    /** A copy with {@code --masquerade-all} set. */
    public KubeProxy withMasqueradeAll(boolean newMasqueradeAll) {
        return new KubeProxy(mode, clusterCidrs, detectLocalMode, newMasqueradeAll, nodePortAddresses);
    }

    /** A copy with these nodePortAddresses. */
    public KubeProxy withNodePortAddresses(List<String> newAddresses) {
        return new KubeProxy(mode, clusterCidrs, detectLocalMode, masqueradeAll, newAddresses);
    }
}
