package io.github.cidrguard.analysis;

/**
 * The finding catalogue of docs/findings.md. The names are stable API: never renamed once released. Reports sort by
 * severity, then by this declaration order.
 */
public enum FindingCode {
    /** flanneld would reject the config; the message carries flannel's text. */
    FLANNEL_CONFIG_INVALID,
    /** The backend type is not registered in flannel v0.28 (incl. removed aws-vpc, gce, ali-vpc; empty type). */
    FLANNEL_BACKEND_UNKNOWN,
    /** Network/IPv6Network written with host bits; flannel silently uses the masked network. */
    NETWORK_HOST_BITS_SET,
    /** A node IP lies inside the flannel Network (the seed story). */
    POD_NETWORK_CONTAINS_NODE_IP,
    /** The flannel Network overlaps a node's hostNetwork. */
    POD_NETWORK_OVERLAPS_HOST_NETWORK,
    /** SubnetMin..SubnetMax can hand a node the LAN's own prefix. */
    SUBNET_RANGE_COVERS_HOST_NETWORK,
    /** An existing lease contains a node IP or overlaps a hostNetwork. */
    LEASE_CONTAINS_NODE_IP,
    /** A lease flanneld will delete and re-lease on restart (outside SubnetMin..Max or of the wrong length). */
    LEASE_INCOMPATIBLE,
    /** Two leases overlap. */
    LEASE_OVERLAP,
    /** A lease whose PublicIP is no known node. */
    LEASE_ORPHANED,
    /** More nodes than subnets (ERROR), or over 80 % of the subnets used (WARNING). */
    SUBNET_CAPACITY,
    /** A node's podCidr is not inside the flannel Network. */
    POD_CIDR_OUTSIDE_NETWORK,
    /** A node IP lies in the service CIDR. */
    SERVICE_CIDR_CONTAINS_NODE_IP,
    /** The service CIDR overlaps a hostNetwork. */
    SERVICE_CIDR_OVERLAPS_HOST_NETWORK,
    /** The service CIDR and the pod network overlap (flannel's IPAM does not exclude it). */
    SERVICE_CIDR_OVERLAPS_POD_NETWORK,
    /** The service CIDR is wider than /12 (IPv4) or /108 (IPv6). */
    SERVICE_CIDR_TOO_LARGE,
    /** clusterDns is not in the service CIDR. */
    CLUSTER_DNS_OUTSIDE_SERVICE_CIDR,
    /** clusterDns is the first service IP, which the {@code kubernetes} service takes. */
    CLUSTER_DNS_IS_KUBERNETES_SERVICE_IP,
    /** No local-traffic detector: off-cluster traffic to ClusterIPs is not masqueraded. */
    KUBE_PROXY_CLUSTER_CIDR_MISSING,
    /** kube-proxy's clusterCidr differs from the flannel Network. */
    KUBE_PROXY_CLUSTER_CIDR_MISMATCH,
    /** A Docker bridge overlaps pod, service, host or declared networks. */
    DOCKER_BRIDGE_OVERLAP,
    /** A range overlaps a reserved range (ERROR: loopback, link-local, multicast, class E, 0/8, broadcast). */
    RESERVED_RANGE_OVERLAP,
    /** A pod, service or host range overlaps a declared external network. */
    DECLARED_NETWORK_OVERLAP,
    /** IPVS mode: a ClusterIP or externalIP equals a node IP or lies in a hostNetwork. */
    IPVS_VIP_SHADOWS_HOST,
    /** An input's family contradicts the config (IPv6 in IPv4 fields, dual-stack halves). */
    FAMILY_MISMATCH,
    /** Two nodes' pod subnets (podCidr; the leases in kube mode) are equal or overlap. */
    POD_CIDR_OVERLAP,
    /** A Service's ClusterIP lies outside the service CIDR of its family. */
    CLUSTER_IP_OUTSIDE_SERVICE_CIDR,
    /** A load-balancer pool or assigned LB address contains a node IP or overlaps pod, service, Docker, declared or reserved ranges. */
    LOAD_BALANCER_POOL_OVERLAP,
    /** kube-controller-manager's --cluster-cidr differs from the flannel Network (ERROR when not inside it). */
    CLUSTER_CIDR_MISMATCH
}
