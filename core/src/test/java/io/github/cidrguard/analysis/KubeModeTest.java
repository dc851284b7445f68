package io.github.cidrguard.analysis;

import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.ScenarioFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static io.github.cidrguard.analysis.FindingCode.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * flannel's kube subnet manager mode (flannel's pkg/subnet/kube/kube.go: leases are node podCIDRs, net-conf.json
 * passes ParseConfig only, AcquireLease refuses a podCIDR outside the Network) against etcd mode on the same plans.
 */
class KubeModeTest {
    private static Report analyse(String yaml) {
        return Analysis.of(Scenario.parse(yaml, "t.yaml"));
    }

    private static String plan(String mode, String network, String nodes, String extra) {
        return "flannel:\n  subnetManager: " + mode + "\n  config: '{\"Network\": \"" + network + "\", \"Backend\":"
                + " {\"Type\": \"vxlan\"}}'\nnodes:\n" + nodes + extra;
    }

    @Test
    void kubeModeNamesThePodCidrInsideTheLanAndNotSubnetMinMax() throws Exception {
        String text = Files.readString(ScenarioFiles.file("kube/k3s-home-lan.yaml"));
        Report kube = analyse(text);
        List<Finding> leases = kube.findings(LEASE_CONTAINS_NODE_IP);
        assertFalse(leases.isEmpty(), kube.toJson());
        assertTrue(leases.stream().allMatch(f -> f.subjects().get(0).equals("node k3s-1 podCidr 10.42.0.0/24")),
                kube.toJson());
        assertTrue(kube.findings().stream().noneMatch(f -> (f.message() + f.remedy()).contains("SubnetMin")
                || (f.message() + f.remedy()).contains("<prefix>/subnets")), kube.toJson());
        assertTrue(kube.findings(POD_NETWORK_OVERLAPS_HOST_NETWORK).get(0).remedy().contains("--cluster-cidr"),
                kube.toJson());
        // the same plan in etcd mode gets etcd's rules and remedies: flanneld ignores spec.podCIDR there, and
        // SubnetMin (10.42.1.0) keeps etcd leases out of the LAN's /24, so no podCIDR is named
        Report etcd = analyse(text.replace("subnetManager: kube", "subnetManager: etcd"));
        assertFalse(etcd.codes().contains(LEASE_CONTAINS_NODE_IP), etcd.toJson());
        assertFalse(etcd.codes().contains(SUBNET_RANGE_COVERS_HOST_NETWORK), etcd.toJson());
        assertTrue(etcd.findings(POD_NETWORK_OVERLAPS_HOST_NETWORK).get(0).remedy().contains("<prefix>/subnets"));
    }

    @ParameterizedTest(name = "{0} and {1}")
    @CsvSource({
        "10.244.1.0/24, 10.244.1.0/24, 10.244.1.0/24",
        "10.244.0.0/23, 10.244.1.0/24, 10.244.1.0/24",
        "10.244.1.0/24, 10.244.1.128/25, 10.244.1.128/25",
    })
    void podCidrOverlapIsAnErrorInBothModes(String a, String b, String range) {
        String nodes = "  - {name: n1, ip: 10.0.0.11, podCidr: " + a + "}\n  - {name: n2, ip: 10.0.0.12, podCidr: "
                + b + "}\n";
        for (String mode : List.of("kube", "etcd")) {
            Report r = analyse(plan(mode, "10.244.0.0/16", nodes, ""));
            List<Finding> f = r.findings(POD_CIDR_OVERLAP);
            assertEquals(1, f.size(), r.toJson());
            assertEquals(Severity.ERROR, f.get(0).severity());
            assertEquals(Optional.of(range), f.get(0).range());
            assertEquals(2, f.get(0).subjects().size());
        }
    }

    @Test
    void distinctPodCidrsAreNoOverlap() {
        String nodes = "  - {name: n1, ip: 10.0.0.11, podCidr: 10.244.0.0/24}\n"
                + "  - {name: n2, ip: 10.0.0.12, podCidr: 10.244.1.0/24}\n"
                + "  - {name: n3, ip: 10.0.0.13, podCidr: 10.244.2.0/24}\n";
        Report r = analyse(plan("kube", "10.244.0.0/16", nodes, ""));
        assertEquals(0, r.errors(), r.toJson());
    }

    /** kube-controller-manager's allocator: 2^(mask - prefix) podCIDRs of the cluster CIDR (or the Network). */
    @ParameterizedTest(name = "{0} /{1}, {2} nodes")
    @CsvSource({
        "10.244.0.0/16, 24, 3, ''",
        "10.244.0.0/23, 24, 3, ERROR",
        "10.244.0.0/22, 24, 4, WARNING",
        "10.244.0.0/22, 24, 3, ''",
        "10.244.0.0/16, 15, 1, ERROR",
        "10.244.0.0/16, 26, 1000, WARNING",
    })
    void kubeCapacityFollowsTheControllerManagersMask(String cluster, int mask, int nodes, String severity) {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < nodes; i++) {
            list.append("  - {name: n").append(i).append(", ip: 192.168.").append(i / 250).append('.')
                    .append(i % 250 + 1).append("}\n");
        }
        Report r = analyse(plan("kube", cluster, list.toString(), "kubernetes:\n  controllerManager: {clusterCidr: "
                + cluster + ", nodeCidrMaskSize: " + mask + "}\n"));
        List<Finding> f = r.findings(SUBNET_CAPACITY);
        if (severity.isEmpty()) {
            assertTrue(f.isEmpty(), r.toJson());
        } else {
            assertEquals(1, f.size(), r.toJson());
            assertEquals(Severity.valueOf(severity), f.get(0).severity());
            assertTrue(f.get(0).message().contains("kube-controller-manager"), f.get(0).message());
        }
    }

    @Test
    void etcdCapacityStillCountsSubnetMinToMax() {
        // a /22 Network holds three /24s between SubnetMin and SubnetMax in etcd mode (flannel skips the first);
        // kube-controller-manager allocates all four
        String nodes = "  - {name: n1, ip: 10.0.0.11}\n  - {name: n2, ip: 10.0.0.12}\n  - {name: n3, ip: 10.0.0.13}\n"
                + "  - {name: n4, ip: 10.0.0.14}\n";
        Report etcd = analyse(plan("etcd", "10.244.0.0/22", nodes, ""));
        assertEquals(List.of(Severity.ERROR), etcd.findings(SUBNET_CAPACITY).stream().map(Finding::severity).toList(),
                etcd.toJson());
        Report kube = analyse(plan("kube", "10.244.0.0/22", nodes, ""));
        assertEquals(List.of(Severity.WARNING), kube.findings(SUBNET_CAPACITY).stream().map(Finding::severity).toList(),
                kube.toJson());
    }

    @Test
    void checkNetworkConfigFailureIsOnlyAWarningInKubeMode() {
        String nodes = "  - {name: n1, ip: 10.0.0.11}\n";
        // a /29 Network: CheckNetworkConfig says too small, ParseConfig is happy
        Report kube = analyse(plan("kube", "10.244.0.0/29", nodes, ""));
        assertEquals(List.of(Severity.WARNING), kube.findings(FLANNEL_CONFIG_INVALID).stream()
                .map(Finding::severity).toList(), kube.toJson());
        Report etcd = analyse(plan("etcd", "10.244.0.0/29", nodes, ""));
        assertEquals(Severity.ERROR, etcd.findings(FLANNEL_CONFIG_INVALID).get(0).severity());
        // a ParseConfig failure stops flanneld in both modes
        Report bad = analyse(plan("kube", "10.244.0.0/33", nodes, ""));
        assertEquals(Severity.ERROR, bad.findings(FLANNEL_CONFIG_INVALID).get(0).severity(), bad.toJson());
    }

    @ParameterizedTest(name = "cluster {0} vs Network 10.244.0.0/16")
    @CsvSource({"10.244.0.0/16, ''", "10.244.0.0/17, WARNING", "10.42.0.0/16, ERROR", "10.0.0.0/8, ERROR"})
    void clusterCidrMismatch(String cluster, String severity) {
        Report r = analyse(plan("kube", "10.244.0.0/16", "  - {name: n1, ip: 192.168.0.11}\n",
                "kubernetes:\n  controllerManager: {clusterCidr: " + cluster + "}\n"));
        List<Severity> got = r.findings(CLUSTER_CIDR_MISMATCH).stream().map(Finding::severity).toList();
        assertEquals(severity.isEmpty() ? List.of() : List.of(Severity.valueOf(severity)), got, r.toJson());
    }

    @Test
    void podCidrOutsideNetworkQuotesFlannelsRefusalInKubeMode() {
        Report r = analyse(plan("kube", "10.244.0.0/16", "  - {name: n1, ip: 192.168.0.11, podCidr: 10.42.0.0/24}\n",
                ""));
        Finding f = r.findings(POD_CIDR_OUTSIDE_NETWORK).get(0);
        assertTrue(f.message().contains("doesn't contain 10.42.0.0/24 PodCIDR"), f.message());
        assertTrue(f.remedy().contains("immutable"), f.remedy());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "pool in the LAN, no node address          | iptables | [192.168.50.200-192.168.50.250] | ''                | 0",
        "pool holding a node address               | iptables | [192.168.50.70-192.168.50.79]   | ''                | 1",
        "pool overlapping the service CIDR         | iptables | [10.96.0.0/24]                  | ''                | 1",
        "pool overlapping the pod network          | iptables | [10.244.255.0/24]               | ''                | 1",
        "pool on loopback                          | iptables | [127.0.0.0/30]                  | ''                | 1",
        "LB IP = node IP, iptables (k3s ServiceLB) | iptables | [192.168.50.200/29]             | 192.168.50.71     | 0",
        "LB IP = node IP, IPVS                     | ipvs     | [192.168.50.200/29]             | 192.168.50.71     | 1",
        "LB IP outside every pool, in the pod net  | iptables | [192.168.50.200/29]             | 10.244.9.9        | 1",
    })
    void loadBalancerAddresses(String name, String mode, String pool, String lbIp, int expected) {
        String nodes = "  - {name: n71, ip: 192.168.50.71, hostNetwork: 192.168.50.0/24}\n";
        String svc = lbIp.isEmpty() ? "" : "  services:\n    - {name: default/lb, clusterIp: 10.96.0.50, ports: [80/TCP],"
                + " loadBalancerIps: [" + lbIp + "]}\n";
        Report r = analyse(plan("kube", "10.244.0.0/16", nodes, "kubernetes:\n  serviceCidr: 10.96.0.0/12\n"
                + "  kubeProxy: {mode: " + mode + ", clusterCidr: 10.244.0.0/16}\n" + svc
                + "loadBalancerPools:\n  - {name: metallb-system/p, addresses: " + pool + "}\n"));
        assertEquals(expected, r.findings(LOAD_BALANCER_POOL_OVERLAP).size(), r.toJson());
        r.findings(LOAD_BALANCER_POOL_OVERLAP).forEach(f -> assertEquals(Severity.ERROR, f.severity()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"10.96.0.20, 0", "10.43.0.20, 1", "fd00::20, 0"})
    void clusterIpOutsideServiceCidr(String ip, int expected) {
        Report r = analyse("nodes: [{name: n1, ip: 192.168.0.11}]\nkubernetes:\n  serviceCidr: 10.96.0.0/12\n"
                + "  services: [{name: default/a, clusterIp: " + ip + "}]\n");
        assertEquals(expected, r.findings(CLUSTER_IP_OUTSIDE_SERVICE_CIDR).size(), r.toJson());
        if (ip.contains(":")) {
            assertEquals(1, r.findings(FAMILY_MISMATCH).size(), r.toJson());
        }
    }

    @Test
    void suggestCountsPodCidrsOfTheNodeMaskAndAvoidsLoadBalancerPools() {
        String nodes = "  - {name: n1, ip: 192.168.0.11, podCidr: 10.42.0.0/25}\n"
                + "  - {name: n2, ip: 192.168.0.12, podCidr: 10.42.0.128/25}\n";
        String extra = "kubernetes:\n  controllerManager: {clusterCidr: 10.42.0.0/16, nodeCidrMaskSize: 25}\n"
                + "loadBalancerPools:\n  - {name: p, addresses: [10.244.0.0/16]}\n";
        Suggest kube = Suggest.of(Scenario.parse(plan("kube", "10.42.0.0/16", nodes, extra), "t.yaml"));
        NetworkUsage u = kube.usage().get(0);
        assertEquals(25, u.subnetLength());
        assertEquals(java.math.BigInteger.valueOf(512), u.subnets(), "2^(25-16), none skipped");
        assertEquals(2, u.usedSubnets());
        assertTrue(kube.networks().get(0).reasons().stream().anyMatch(r -> r.contains("podCIDRs of /25")),
                kube.networks().get(0).reasons().toString());
        assertTrue(kube.networks().stream().noneMatch(n -> n.cidr().overlaps(
                io.github.cidrguard.net.Cidr.parse("10.244.0.0/16"))), "the LB pool is in use");
        // etcd mode on the same plan: flannel's SubnetLen and SubnetMin..SubnetMax
        Suggest etcd = Suggest.of(Scenario.parse(plan("etcd", "10.42.0.0/16", nodes, extra), "t.yaml"));
        assertEquals(24, etcd.usage().get(0).subnetLength());
        assertEquals(java.math.BigInteger.valueOf(255), etcd.usage().get(0).subnets());
    }

    @Test
    void everyNewCodeIsReachableAndCatalogued() throws Exception {
        String catalogue = Files.readString(ScenarioFiles.dir().resolve("../../docs/findings.md"));
        for (FindingCode c : List.of(POD_CIDR_OVERLAP, CLUSTER_IP_OUTSIDE_SERVICE_CIDR, LOAD_BALANCER_POOL_OVERLAP,
                CLUSTER_CIDR_MISMATCH)) {
            assertTrue(catalogue.contains("`" + c + "`"), c + " is not in docs/findings.md");
        }
        assertEquals(FindingCode.values().length, java.util.Arrays.stream(FindingCode.values())
                .filter(c -> catalogue.contains("`" + c + "`")).collect(Collectors.toSet()).size());
    }
}
