package io.github.cidrguard.analysis;

import io.github.cidrguard.kube.Scenario;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Dual stack: a consistent plan is clean, and each IPv6 fault is found in the IPv6 half. */
class DualStackTest {
    private static final String PLAN = """
            name: dual
            flannel:
              config: '{"Network": "10.244.0.0/16", "EnableIPv6": true, "IPv6Network": "NET6", "Backend": {"Type": "vxlan"}}'
              leases:
                - {key: 10.244.1.0-24&fd00:10:244:1::-64, publicIp: 10.10.0.11}
            nodes:
              - {name: n1, ip: '10.10.0.11,fd00:10:10::11', hostNetwork: '10.10.0.0/24,fd00:10:10::/64',
                 podCidr: '10.244.1.0/24,fd00:10:244:1::/64'}
            kubernetes:
              serviceCidr: 10.96.0.0/12,SVC6
              clusterDns: 10.96.0.10
              kubeProxy: {mode: iptables, clusterCidr: '10.244.0.0/16,fd00:10:244::/56'}
            """;

    private static Set<FindingCode> codes(String net6, String svc6) {
        return Analysis.of(Scenario.parse(PLAN.replace("NET6", net6).replace("SVC6", svc6), "dual.yaml")).codes();
    }

    @Test
    void consistentDualStackPlanIsClean() {
        assertEquals(Set.of(), codes("fd00:10:244::/56", "fd00:96::/108"));
    }

    @Test
    void ipv6FaultsAreFoundInTheIpv6Half() {
        assertEquals(Set.of(FindingCode.SERVICE_CIDR_OVERLAPS_POD_NETWORK),
                codes("fd00:10:244::/56", "fd00:10:244:ff::/108"));
        // fd00:10::/32 holds the node LAN fd00:10:10::/64 and, with the derived /64 subnets from fd00:10:0:1::,
        // can lease it; the lease and podCidr stay inside and compatible; kube-proxy still says the /56
        assertEquals(Set.of(FindingCode.POD_NETWORK_CONTAINS_NODE_IP, FindingCode.POD_NETWORK_OVERLAPS_HOST_NETWORK,
                        FindingCode.SUBNET_RANGE_COVERS_HOST_NETWORK, FindingCode.KUBE_PROXY_CLUSTER_CIDR_MISMATCH),
                codes("fd00:10::/32", "fd00:96::/108"));
        // the IPv6 lease outside a moved IPv6Network is re-leased, and the podCidr falls outside it
        assertEquals(Set.of(FindingCode.LEASE_INCOMPATIBLE, FindingCode.POD_CIDR_OUTSIDE_NETWORK,
                        FindingCode.KUBE_PROXY_CLUSTER_CIDR_MISMATCH),
                codes("fd00:20:244::/56", "fd00:96::/108"));
    }
}
