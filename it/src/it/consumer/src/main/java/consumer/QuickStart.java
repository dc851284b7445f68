package consumer;

import io.github.cidrguard.analysis.Analysis;
import io.github.cidrguard.analysis.Report;
import io.github.cidrguard.analysis.Suggest;
import io.github.cidrguard.etcd.EtcdSettings;
import io.github.cidrguard.etcd.EtcdUnreachableException;
import io.github.cidrguard.etcd.FlannelEtcd;
import io.github.cidrguard.kube.Flannel;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.net.Cidr;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * The README quick start (the block between the markers must stay equal to the one in examples' QuickStart.java;
 * verify.groovy compares them), then one call through the etcd adapter, so jetcd, gRPC, Netty and SLF4J are loaded
 * and linked on whichever path this runs.
 */
public final class QuickStart {
    public static void main(String[] args) throws IOException {
        String mode = args[0];
        // README quick start begins
        Scenario cluster = Scenario.builder("seed-2017")
                .flannel(Flannel.of("{\"Network\": \"10.252.61.0/16\", \"Backend\": {\"Type\": \"vxlan\"}}"))
                .node(Node.of("node-71", "10.252.158.71").withHostNetwork(Cidr.parse("10.252.158.0/24")))
                .node(Node.of("node-72", "10.252.158.72").withHostNetwork(Cidr.parse("10.252.158.0/24")))
                .build();
        Report report = Analysis.of(cluster);
        report.findings().forEach(f -> System.out.println(f.severity() + " " + f.code() + " " + f.range().orElse("")));
        Cidr network = Suggest.of(cluster).networks().get(0).cidr();          // 10.244.0.0/16
        System.out.println("use " + network);
        // README quick start ends
        if (report.findings().isEmpty() || !network.toString().equals("10.244.0.0/16")) {
            throw new AssertionError(mode + ": the quick start found nothing or suggested " + network);
        }

        int port;
        try (ServerSocket s = new ServerSocket(0)) {   // a loopback port nobody listens on once closed
            port = s.getLocalPort();
        }
        EtcdSettings settings = EtcdSettings.builder().endpoints("http://127.0.0.1:" + port)
                .callTimeout(Duration.ofSeconds(2)).build();
        try (FlannelEtcd etcd = FlannelEtcd.open(settings)) {
            throw new AssertionError(mode + ": an etcd answered on port " + port);
        } catch (EtcdUnreachableException expected) {
            System.out.println("etcd adapter linked: " + expected.getClass().getSimpleName());
        }
        System.out.println("quick start ran on the " + mode + " (" + (QuickStart.class.getModule().isNamed()
                ? "module " + QuickStart.class.getModule().getName() : "unnamed module") + ")");
    }
}
