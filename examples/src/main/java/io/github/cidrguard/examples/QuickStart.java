package io.github.cidrguard.examples;

import io.github.cidrguard.analysis.Analysis;
import io.github.cidrguard.analysis.Report;
import io.github.cidrguard.analysis.Suggest;
import io.github.cidrguard.kube.Flannel;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.net.Cidr;

/** The README's quick start: the seed cluster built in code, its findings, and a free Network. */
public final class QuickStart {
    private QuickStart() {
    }

    /** Runs the sample and returns what it prints. */
    public static String run() {
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
        return report + " -> " + network;
    }

    public static void main(String[] args) {
        System.out.println(run());
    }
}
