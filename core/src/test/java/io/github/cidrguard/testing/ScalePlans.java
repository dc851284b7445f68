package io.github.cidrguard.testing;

import io.github.cidrguard.kube.DeclaredNetwork;
import io.github.cidrguard.kube.Endpoint;
import io.github.cidrguard.kube.Flannel;
import io.github.cidrguard.kube.KubeProxy;
import io.github.cidrguard.kube.Kubernetes;
import io.github.cidrguard.kube.Lease;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Pod;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.Service;
import io.github.cidrguard.kube.ServicePort;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans of any size up to 65 536 nodes (and beyond, to 131 070), valid at every size: the pod Network is
 * 10.0.0.0/8 with flannel's {@code SubnetLen} 25, so it holds 131 070 leases between flanneld's default SubnetMin and
 * SubnetMax; nodes sit 250 to a /24 LAN in 172.20.0.0/14 (1 024 LANs); services live in 172.24.0.0/16; Docker's
 * default bridge 172.17.0.0/16 runs on every tenth node and collides with nothing.
 *
 * <p>{@link #healthy} has no finding at all; {@link #withFindings} adds, in proportion to the size, leases left by
 * removed nodes (a quarter of n, {@code LEASE_ORPHANED}) and pairs of nodes holding the same lease (a sixteenth of n,
 * {@code LEASE_OVERLAP}), so the findings path is measured at a size where a quadratic step would show.
 *
 * <p>A test fixture of core's test jar, shared by the command's 65 536-node smoke test and the benchmarks (whose
 * {@code Plans} writes these plans to files for the cold command measurements of benchmarks/README.md).
 */
public final class ScalePlans {
    /** The largest plan {@link #healthy} makes: the leases of 10.0.0.0/8 in /25s, less flanneld's first and last. */
    public static final int MAX_NODES = (1 << 17) - 2;

    private static final long LAN_BASE = IpAddress.parse("172.20.0.0").low();
    private static final long POD_BASE = IpAddress.parse("10.0.0.0").low();
    private static final long SVC_BASE = IpAddress.parse("172.24.0.0").low();
    private static final String CONFIG = "{\"Network\": \"10.0.0.0/8\", \"SubnetLen\": 25, \"Backend\": {\"Type\":"
            + " \"vxlan\"}}";

    private ScalePlans() {
    }

    /**
     * Node i's address: 250 nodes to a /24 of 172.20.0.0/14, from .2 up (.1 is the LAN's router, as on real LANs; a
     * node there would be the other nodes' gateway).
     */
    public static IpAddress nodeIp(int i) {
        return IpAddress.ofIpv4(LAN_BASE + ((long) (i / 250) << 8) + 2 + i % 250);
    }

    /** Node i's lease and podCidr: the (i+1)-th /25 of 10.0.0.0/8 (flanneld's SubnetMin is the first after 0). */
    public static Cidr podCidr(int i) {
        return Cidr.of(IpAddress.ofIpv4(POD_BASE + ((long) (i + 1) << 7)), 25);
    }

    /** The node name of node i. */
    public static String nodeName(int i) {
        return String.format("node-%05d", i);
    }

    /** A healthy plan of n nodes: no finding. */
    public static Scenario healthy(int n) {
        return plan(n, false, false);
    }

    /**
     * The healthy plan with every node on one flat LAN, 172.20.0.0/14, instead of a /24 each per 250 nodes: the shape
     * of the 5 000-node reach benchmark, whose nodes fall into a handful of equivalence classes.
     */
    public static Scenario healthyFlat(int n) {
        return plan(n, false, true);
    }

    /**
     * The same plan with findings in proportion to n: n/4 {@code LEASE_ORPHANED} and n/16 {@code LEASE_OVERLAP}
     * (16 384 + 4 096 at 65 536 nodes).
     */
    public static Scenario withFindings(int n) {
        return plan(n, true, false);
    }

    private static Scenario plan(int n, boolean findings, boolean flat) {
        if (n < 1 || n > MAX_NODES) {
            throw new IllegalArgumentException("n = " + n + ": give 1 to " + MAX_NODES + " nodes");
        }
        Scenario.Builder b = Scenario.builder("generated-" + n + (findings ? "-findings" : "") + (flat ? "-flat" : ""));
        List<Lease> leases = new ArrayList<>(n + n / 4);
        for (int i = 0; i < n; i++) {
            IpAddress ip = nodeIp(i);
            // with findings, every 16th node takes the lease of the node before it (both keep their own podCidr)
            Cidr pod = podCidr(i);
            Node node = Node.of(nodeName(i), ip).withHostNetwork(Cidr.ofMasked(ip, flat ? 14 : 24)).withPodCidr(pod);
            b.node(i % 10 == 0 ? node.withDocker(true) : node);
            Cidr leased = findings && i % 16 == 15 ? podCidr(i - 1) : pod;
            leases.add(Lease.of(leased.network() + "-25", ip));
            b.pod(Pod.of("default/app-" + i, pod.network().plus(2), nodeName(i)));
        }
        if (findings) {
            // leases of removed nodes: free /25s above the nodes' leases, public IPs no node has
            for (int k = 0; k < n / 4; k++) {
                leases.add(Lease.of(podCidr(n + k).network() + "-25", IpAddress.ofIpv4(LAN_BASE + (1L << 17) + k)));
            }
        }
        b.flannel(new Flannel(CONFIG, true, leases));
        List<Service> services = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            services.add(Service.of("default/svc-" + i, IpAddress.ofIpv4(SVC_BASE + 100 + i))
                    .withPorts(List.of(new ServicePort(80, "TCP")))
                    .withEndpoints(List.of(new Endpoint(podCidr(i % n).network().plus(2), 8080),
                            new Endpoint(podCidr((i * 7 + 3) % n).network().plus(2), 8080))));
        }
        b.kubernetes(Kubernetes.empty()
                .withServiceCidr(Cidr.parse("172.24.0.0/16"))
                .withClusterDns(IpAddress.parse("172.24.0.10"))
                .withKubeProxy(KubeProxy.defaults().withClusterCidrs(List.of(Cidr.parse("10.0.0.0/8"))))
                .withServices(services));
        b.network(DeclaredNetwork.of("office", "192.168.100.0/24"));
        b.network(DeclaredNetwork.of("vpn", "192.168.200.0/22"));
        b.network(DeclaredNetwork.of("dc-east", "172.28.0.0/16"));
        b.network(DeclaredNetwork.of("dc-west", "172.29.0.0/16"));
        return b.build();
    }

    /**
     * {@code kubectl get nodes -o json} for the first n nodes of {@link #healthy}: realistic Node objects of about
     * 4.5 KB (labels, flannel's and kubeadm's annotations, managed fields, five conditions, addresses, capacity,
     * node info and a dozen images), in kubectl's field order ({@code apiVersion, items, kind, metadata}).
     */
    public static void writeKubectlNodes(int n, Writer out) throws IOException {
        out.write("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n");
        for (int i = 0; i < n; i++) {
            out.write(i == 0 ? "" : ",\n");
            out.write(kubectlNode(i));
        }
        out.write("\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n");
    }

    /** One realistic Node object of {@link #writeKubectlNodes}. */
    public static String kubectlNode(int i) {
        String name = nodeName(i);
        String ip = nodeIp(i).toString();
        String pod = podCidr(i).toString();
        String mac = String.format("9a:3e:%02x:%02x:%02x:11", i >> 16 & 255, i >> 8 & 255, i & 255);
        StringBuilder b = new StringBuilder(5000);
        b.append("        {\n            \"apiVersion\": \"v1\",\n            \"kind\": \"Node\",\n")
                .append("            \"metadata\": {\n                \"annotations\": {\n")
                .append("                    \"flannel.alpha.coreos.com/backend-data\": \"{\\\"VNI\\\":1,\\\"VtepMAC\\\":\\\"")
                .append(mac).append("\\\"}\",\n")
                .append("                    \"flannel.alpha.coreos.com/backend-type\": \"vxlan\",\n")
                .append("                    \"flannel.alpha.coreos.com/kube-subnet-manager\": \"true\",\n")
                .append("                    \"flannel.alpha.coreos.com/public-ip\": \"").append(ip).append("\",\n")
                .append("                    \"kubeadm.alpha.kubernetes.io/cri-socket\": \"unix:///var/run/containerd/containerd.sock\",\n")
                .append("                    \"node.alpha.kubernetes.io/ttl\": \"0\",\n")
                .append("                    \"volumes.kubernetes.io/controller-managed-attach-detach\": \"true\"\n")
                .append("                },\n")
                .append("                \"creationTimestamp\": \"2026-11-02T09:14:").append(String.format("%02d", i % 60)).append("Z\",\n")
                .append("                \"labels\": {\n")
                .append("                    \"beta.kubernetes.io/arch\": \"amd64\",\n")
                .append("                    \"beta.kubernetes.io/instance-type\": \"m6i.2xlarge\",\n")
                .append("                    \"beta.kubernetes.io/os\": \"linux\",\n")
                .append("                    \"failure-domain.beta.kubernetes.io/region\": \"eu-west-1\",\n")
                .append("                    \"failure-domain.beta.kubernetes.io/zone\": \"eu-west-1").append((char) ('a' + i % 3)).append("\",\n")
                .append("                    \"kubernetes.io/arch\": \"amd64\",\n")
                .append("                    \"kubernetes.io/hostname\": \"").append(name).append("\",\n")
                .append("                    \"kubernetes.io/os\": \"linux\",\n")
                .append("                    \"node.kubernetes.io/instance-type\": \"m6i.2xlarge\",\n")
                .append("                    \"node-role.kubernetes.io/worker\": \"\",\n")
                .append("                    \"topology.kubernetes.io/region\": \"eu-west-1\",\n")
                .append("                    \"topology.kubernetes.io/zone\": \"eu-west-1").append((char) ('a' + i % 3)).append("\"\n")
                .append("                },\n")
                .append("                \"name\": \"").append(name).append("\",\n")
                .append("                \"resourceVersion\": \"").append(1_000_000 + i).append("\",\n")
                .append("                \"uid\": \"").append(String.format("6f1c%04x-2b7e-4c1d-9a3e-52%010d", i & 0xffff, i)).append("\"\n")
                .append("            },\n")
                .append("            \"spec\": {\n                \"podCIDR\": \"").append(pod).append("\",\n")
                .append("                \"podCIDRs\": [\n                    \"").append(pod).append("\"\n                ],\n")
                .append("                \"providerID\": \"aws:///eu-west-1a/i-0").append(String.format("%016x", 0x5eed0000L + i)).append("\"\n")
                .append("            },\n")
                .append("            \"status\": {\n                \"addresses\": [\n")
                .append("                    {\n                        \"address\": \"").append(ip).append("\",\n                        \"type\": \"InternalIP\"\n                    },\n")
                .append("                    {\n                        \"address\": \"").append(name).append("\",\n                        \"type\": \"Hostname\"\n                    }\n")
                .append("                ],\n")
                .append("                \"allocatable\": {\n                    \"cpu\": \"7910m\",\n                    \"ephemeral-storage\": \"95551679124\",\n")
                .append("                    \"hugepages-1Gi\": \"0\",\n                    \"hugepages-2Mi\": \"0\",\n                    \"memory\": \"31792944Ki\",\n                    \"pods\": \"110\"\n                },\n")
                .append("                \"capacity\": {\n                    \"cpu\": \"8\",\n                    \"ephemeral-storage\": \"103797740Ki\",\n")
                .append("                    \"hugepages-1Gi\": \"0\",\n                    \"hugepages-2Mi\": \"0\",\n                    \"memory\": \"32509744Ki\",\n                    \"pods\": \"110\"\n                },\n")
                .append("                \"conditions\": [\n");
        String[][] conditions = {
                {"MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"},
                {"DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"},
                {"PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"},
                {"Ready", "True", "KubeletReady", "kubelet is posting ready status. AppArmor enabled"},
                {"NetworkUnavailable", "False", "FlannelIsUp", "Flannel is running on this node"}};
        for (int c = 0; c < conditions.length; c++) {
            b.append("                    {\n                        \"lastHeartbeatTime\": \"2026-12-03T07:5").append(c)
                    .append(":12Z\",\n                        \"lastTransitionTime\": \"2026-11-02T09:15:0").append(c)
                    .append("Z\",\n                        \"message\": \"").append(conditions[c][3])
                    .append("\",\n                        \"reason\": \"").append(conditions[c][2])
                    .append("\",\n                        \"status\": \"").append(conditions[c][1])
                    .append("\",\n                        \"type\": \"").append(conditions[c][0])
                    .append("\"\n                    }").append(c < conditions.length - 1 ? ",\n" : "\n");
        }
        b.append("                ],\n                \"daemonEndpoints\": {\n                    \"kubeletEndpoint\": {\n                        \"Port\": 10250\n                    }\n                },\n")
                .append("                \"images\": [\n");
        String[] images = {"registry.k8s.io/kube-proxy", "docker.io/flannel/flannel", "docker.io/flannel/flannel-cni-plugin",
                "registry.k8s.io/pause", "quay.io/prometheus/node-exporter", "docker.io/library/nginx",
                "registry.k8s.io/coredns/coredns", "docker.io/grafana/promtail", "quay.io/cilium/hubble",
                "registry.k8s.io/metrics-server/metrics-server"};
        for (int m = 0; m < images.length; m++) {
            String digest = String.format("%016x%016x%016x%016x", 0x1f2e3d4cL * (m + 1), 0x5b6a7988L + m, 0x0badcafeL * (m + 3), 0xdeadbeefL + m);
            b.append("                    {\n                        \"names\": [\n                            \"").append(images[m])
                    .append("@sha256:").append(digest).append("\",\n                            \"").append(images[m])
                    .append(":v1.").append(20 + m).append(".").append(m).append("\"\n                        ],\n")
                    .append("                        \"sizeBytes\": ").append(10_000_000 + 1_234_567L * m).append("\n                    }")
                    .append(m < images.length - 1 ? ",\n" : "\n");
        }
        b.append("                ],\n                \"nodeInfo\": {\n")
                .append("                    \"architecture\": \"amd64\",\n                    \"bootID\": \"").append(String.format("b00%05x-1c2d-4e5f-8a9b-0c1d2e3f4a5b", i & 0xfffff)).append("\",\n")
                .append("                    \"containerRuntimeVersion\": \"containerd://1.7.22\",\n                    \"kernelVersion\": \"6.1.0-27-cloud-amd64\",\n")
                .append("                    \"kubeProxyVersion\": \"v1.31.2\",\n                    \"kubeletVersion\": \"v1.31.2\",\n")
                .append("                    \"machineID\": \"").append(String.format("%032x", 0xabcdef00L + i)).append("\",\n")
                .append("                    \"operatingSystem\": \"linux\",\n                    \"osImage\": \"Debian GNU/Linux 12 (bookworm)\",\n")
                .append("                    \"systemUUID\": \"").append(String.format("ec2%05x-aaaa-bbbb-cccc-%012x", i & 0xfffff, (long) i)).append("\"\n")
                .append("                }\n            }\n        }");
        return b.toString();
    }
}
