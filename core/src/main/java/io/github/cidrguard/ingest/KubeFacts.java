package io.github.cidrguard.ingest;

import io.github.cidrguard.kube.KubeProxy;
import io.github.cidrguard.kube.LoadBalancerPool;
import io.github.cidrguard.kube.SubnetManager;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the cluster-level configuration sources say (k3s/RKE2 config.yaml, kubeadm's ClusterConfiguration, ServiceCIDR
 * objects, load-balancer pools, a bare net-conf.json, the subnet manager): an immutable value that
 * {@link ScenarioImport} merges, each source adding to it.
 *
 * @param subnetManager the mode a source states (k3s, net-conf.json) or the user chose, empty when none says
 * @param subnetManagerFrom which source said so
 * @param netConf a flannel config from a file or implied by a k3s backend, with where it came from
 * @param clusterCidrs kube-controller-manager's --cluster-cidr
 * @param nodeMask4 --node-cidr-mask-size(-ipv4), when a source states it
 * @param nodeMask6 --node-cidr-mask-size-ipv6, when a source states it
 * @param serviceCidrs the service CIDRs, one per family
 * @param clusterDns the cluster DNS addresses
 * @param kubeProxy kube-proxy settings from a kubeadm KubeProxyConfiguration or k3s kube-proxy-arg
 * @param pools load-balancer pools
 * @param nodeIps node name to InternalIPs a config file states (k3s node-name + node-ip)
 * @param notes what was defaulted or left out, one sentence each
 */
record KubeFacts(Optional<SubnetManager> subnetManager, String subnetManagerFrom, Optional<String> netConf,
                 String netConfFrom, List<Cidr> clusterCidrs, Optional<Integer> nodeMask4, Optional<Integer> nodeMask6,
                 List<Cidr> serviceCidrs, List<IpAddress> clusterDns, Optional<KubeProxy> kubeProxy,
                 List<LoadBalancerPool> pools, java.util.Map<String, List<IpAddress>> nodeIps, List<String> notes) {
    KubeFacts {
        clusterCidrs = List.copyOf(clusterCidrs);
        serviceCidrs = List.copyOf(serviceCidrs);
        clusterDns = List.copyOf(clusterDns);
        pools = List.copyOf(pools);
        nodeIps = java.util.Map.copyOf(nodeIps);
        notes = List.copyOf(notes);
    }

    static KubeFacts none() {
        return new KubeFacts(Optional.empty(), "", Optional.empty(), "", List.of(), Optional.empty(), Optional.empty(),
                List.of(), List.of(), Optional.empty(), List.of(), java.util.Map.of(), List.of());
    }

    /** These facts with another's laid over them: the later source wins where both say something. */
    KubeFacts plus(KubeFacts o) {
        List<LoadBalancerPool> p = new ArrayList<>(pools);
        p.addAll(o.pools);
        java.util.Map<String, List<IpAddress>> ips = new java.util.LinkedHashMap<>(nodeIps);
        ips.putAll(o.nodeIps);
        List<String> n = new ArrayList<>(notes);
        n.addAll(o.notes);
        return new KubeFacts(o.subnetManager.isPresent() ? o.subnetManager : subnetManager,
                o.subnetManager.isPresent() ? o.subnetManagerFrom : subnetManagerFrom,
                o.netConf.isPresent() ? o.netConf : netConf, o.netConf.isPresent() ? o.netConfFrom : netConfFrom,
                o.clusterCidrs.isEmpty() ? clusterCidrs : o.clusterCidrs, o.nodeMask4.or(() -> nodeMask4),
                o.nodeMask6.or(() -> nodeMask6), o.serviceCidrs.isEmpty() ? serviceCidrs : o.serviceCidrs,
                o.clusterDns.isEmpty() ? clusterDns : o.clusterDns, o.kubeProxy.or(() -> kubeProxy), p, ips, n);
    }
}
