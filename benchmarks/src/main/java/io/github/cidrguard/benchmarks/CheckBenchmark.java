package io.github.cidrguard.benchmarks;

import io.github.cidrguard.analysis.Analysis;
import io.github.cidrguard.analysis.Report;
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
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * docs/architecture.md ("Targets"): {@code check} of a 5 000-node scenario must take at most 5 ms warm. The scenario is built in code
 * through the builder (nothing is read from disk): 5 000 nodes on 20 LANs of /24 in 10.10.0.0/16, each with a /24
 * lease and podCidr in the flannel Network 10.128.0.0/10, a tenth of them running Docker, a pod per node, 500
 * services in 10.96.0.0/12 with two endpoints each, and four declared networks. The plan is healthy apart from one
 * lease left by a removed node, so the measurement is the cost of checking every rule, not of writing findings.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar CheckBenchmark}. On a machine shared with other builds
 * JMH's wall-clock figure mostly measures the wait for a core; {@link #main} measures the checking thread's own CPU
 * time per check after a warm-up, which is what the check costs when it gets a core:
 * {@code java -cp benchmarks/target/benchmarks.jar io.github.cidrguard.benchmarks.CheckBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CheckBenchmark {
    /** Number of nodes. */
    @Param("5000")
    public int nodes;

    private Scenario scenario;

    /** Builds the scenario once per fork, outside the measurement. */
    @Setup
    public void setUp() {
        scenario = scenario(nodes);
    }

    /** The whole check: analysis and the sorted report. */
    @Benchmark
    public Report check() {
        return Analysis.of(scenario);
    }

    /**
     * Warms up with 300 checks, then prints the thread CPU time and the wall time per check over 5 rounds of 100.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Scenario s = scenario(5000);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int findings = 0;
        for (int i = 0; i < 300; i++) {
            findings += Analysis.of(s).findings().size();
        }
        for (int round = 1; round <= 5; round++) {
            long cpu = mx.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                findings += Analysis.of(s).findings().size();
            }
            System.out.printf("round %d: %.2f ms CPU, %.2f ms wall per check of %d nodes%n", round,
                    (mx.getCurrentThreadCpuTime() - cpu) / 1e8, (System.nanoTime() - wall) / 1e8, s.nodes().size());
        }
        System.out.println("findings seen: " + findings);
    }

    /** The generated scenario (also used by the module's smoke test). */
    public static Scenario scenario(int nodeCount) {
        Scenario.Builder b = Scenario.builder("generated-" + nodeCount);
        long lanBase = IpAddress.parse("10.10.0.0").low();
        long podBase = IpAddress.parse("10.128.0.0").low();
        List<Lease> leases = new ArrayList<>();
        for (int i = 0; i < nodeCount; i++) {
            int lan = i / 250;
            IpAddress ip = IpAddress.ofIpv4(lanBase + (lan << 8) + 1 + i % 250);
            Cidr pod = Cidr.of(IpAddress.ofIpv4(podBase + ((long) (i + 1) << 8)), 24);
            Node n = Node.of(String.format("node-%05d", i), ip)
                    .withHostNetwork(Cidr.ofMasked(ip, 24))
                    .withPodCidr(pod);
            b.node(i % 10 == 0 ? n.withDocker(true) : n);
            leases.add(Lease.of(pod.network() + "-24", ip));
            b.pod(Pod.of("default/app-" + i, pod.network().plus(2), n.name()));
        }
        leases.add(Lease.of("10.191.255.0-24", "10.10.250.1"));
        b.flannel(new Flannel("{\"Network\": \"10.128.0.0/10\", \"Backend\": {\"Type\": \"vxlan\"}}", true, leases));
        List<Service> services = new ArrayList<>();
        long svcBase = IpAddress.parse("10.96.0.0").low();
        for (int i = 0; i < 500; i++) {
            Cidr podA = scenarioPod(podBase, i % nodeCount);
            Cidr podB = scenarioPod(podBase, (i * 7 + 3) % nodeCount);
            services.add(Service.of("default/svc-" + i, IpAddress.ofIpv4(svcBase + 100 + i))
                    .withPorts(List.of(new ServicePort(80, "TCP")))
                    .withEndpoints(List.of(new Endpoint(podA.network().plus(2), 8080),
                            new Endpoint(podB.network().plus(2), 8080))));
        }
        b.kubernetes(Kubernetes.empty()
                .withServiceCidr(Cidr.parse("10.96.0.0/12"))
                .withClusterDns(IpAddress.parse("10.96.0.10"))
                .withKubeProxy(KubeProxy.defaults().withClusterCidrs(List.of(Cidr.parse("10.128.0.0/10"))))
                .withServices(services));
        b.network(DeclaredNetwork.of("office", "192.168.100.0/24"));
        b.network(DeclaredNetwork.of("vpn", "172.20.0.0/16"));
        b.network(DeclaredNetwork.of("dc-east", "10.200.0.0/16"));
        b.network(DeclaredNetwork.of("dc-west", "10.201.0.0/16"));
        return b.build();
    }

    private static Cidr scenarioPod(long podBase, int i) {
        return Cidr.of(IpAddress.ofIpv4(podBase + ((long) (i + 1) << 8)), 24);
    }
}
