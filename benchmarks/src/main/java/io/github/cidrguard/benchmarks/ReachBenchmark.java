package io.github.cidrguard.benchmarks;

import io.github.cidrguard.kube.DeclaredNetwork;
import io.github.cidrguard.kube.DetectLocalMode;
import io.github.cidrguard.kube.Endpoint;
import io.github.cidrguard.kube.Flannel;
import io.github.cidrguard.kube.KubeProxy;
import io.github.cidrguard.kube.Kubernetes;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.ProxyMode;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.Service;
import io.github.cidrguard.kube.ServicePort;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.trace.Reachability;
import io.github.cidrguard.trace.Tracer;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * docs/architecture.md ("Targets"): exhaustive reachability of a 5 000-node scenario in at most 10 s. The scenario is generated: every node
 * on one flat LAN 10.0.0.0/18, flannel vxlan Network 10.128.0.0/9 with /24 leases, kube-proxy iptables with 50
 * services in 10.96.0.0/12, Docker on every node (docker0 172.17.0.0/16) and two declared networks, one of them
 * colliding with docker0 (office-vpn 172.17.0.0/16) so that every source has failures to list.
 *
 * <p>One invocation builds the tracer from the scenario, computes {@code reach()} and materialises every source's
 * failure list (10 002 sources). Run: {@code java -jar benchmarks/target/benchmarks.jar ReachBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class ReachBenchmark {
    /** Number of nodes. */
    @Param("5000")
    public int nodes;

    private Scenario scenario;

    /** Builds the scenario once per fork, outside the measurement. */
    @Setup
    public void setUp() {
        scenario = scenario(nodes);
    }

    /** The generated scenario with {@code n} nodes (n ≤ 16 000). */
    public static Scenario scenario(int n) {
        Cidr lan = Cidr.parse("10.0.0.0/18");
        Cidr network = Cidr.parse("10.128.0.0/9");
        List<Node> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Cidr lease = Cidr.of(network.first().plus(256L * (i + 1)), 24);
            list.add(Node.of("node-" + i, lan.first().plus(10 + i)).withHostNetwork(lan).withPodCidr(lease)
                    .withDocker(true));
        }
        List<Service> services = new ArrayList<>();
        for (int s = 0; s < 50; s++) {
            IpAddress ep = Cidr.of(network.first().plus(256L * (1 + (s * 97) % n)), 24).first().plus(2 + s % 200);
            services.add(new Service("default/svc-" + s, List.of(IpAddress.parse("10.96.0." + (20 + s))),
                    List.of(ServicePort.parse("80/TCP")), List.of(ServicePort.parse((30000 + s) + "/TCP")),
                    List.of(new Endpoint(ep, 8080)), List.of()));
        }
        KubeProxy kp = new KubeProxy(ProxyMode.IPTABLES, List.of(network), DetectLocalMode.CLUSTER_CIDR, false,
                List.of());
        return Scenario.builder("generated-" + n)
                .flannel(Flannel.of("{\"Network\": \"" + network + "\", \"Backend\": {\"Type\": \"vxlan\"}}"))
                .nodes(list)
                .kubernetes(new Kubernetes(List.of(Cidr.parse("10.96.0.0/12")),
                        List.of(IpAddress.parse("10.96.0.10")), Optional.of(kp), services))
                .networks(List.of(DeclaredNetwork.of("office-vpn", "172.17.0.0/16"),
                        DeclaredNetwork.of("datacenter", "192.168.0.0/16")))
                .build();
    }

    /** Tracer construction, reachability and every failure list; returns the number of failures. */
    @Benchmark
    public long reach() {
        Reachability r = Tracer.of(scenario).reach();
        long failures = 0;
        for (Reachability.Source s : r.sources()) {
            failures += s.failures().size();
        }
        return failures;
    }

    /** Prints the figures of one run without JMH: {@code java -cp benchmarks.jar …ReachBenchmark [nodes]}. */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        Scenario s = scenario(n);
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            Reachability r = Tracer.of(s).reach();
            long failures = 0;
            for (Reachability.Source src : r.sources()) {
                failures += src.failures().size();
            }
            System.out.printf("%d nodes: %d sources, %d failures, %.0f ms%n", n, r.sources().size(), failures,
                    (System.nanoTime() - t0) / 1e6);
        }
    }
}
