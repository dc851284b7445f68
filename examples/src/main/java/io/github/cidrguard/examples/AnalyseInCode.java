package io.github.cidrguard.examples;

import io.github.cidrguard.analysis.Analysis;
import io.github.cidrguard.analysis.Report;
import io.github.cidrguard.kube.DeclaredNetwork;
import io.github.cidrguard.kube.Flannel;
import io.github.cidrguard.kube.KubeProxy;
import io.github.cidrguard.kube.Kubernetes;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;

import java.util.List;

/** The story's hand fix (172.17.0.0/16) built in code and analysed: Docker's bridge and the VPN collide. */
public final class AnalyseInCode {
    private AnalyseInCode() {
    }

    /** Returns the report's JSON (docs/architecture.md ("Report JSON")). */
    public static String run() {
        Scenario handFix = Scenario.builder("hand-fix")
                .flannel(Flannel.of("{\"Network\": \"172.17.0.0/16\", \"Backend\": {\"Type\": \"vxlan\"}}"))
                .node(Node.of("node-71", "10.252.158.71").withHostNetwork(Cidr.parse("10.252.158.0/24"))
                        .withPodCidr(Cidr.parse("172.17.1.0/24")).withDocker(true))
                .kubernetes(Kubernetes.empty().withServiceCidr(Cidr.parse("10.252.77.0/24"))
                        .withClusterDns(IpAddress.parse("10.252.77.10"))
                        .withKubeProxy(KubeProxy.defaults().withClusterCidrs(List.of(Cidr.parse("172.17.0.0/16")))))
                .network(DeclaredNetwork.of("office-vpn", "172.17.0.0/16"))
                .build();
        Report report = Analysis.of(handFix);
        report.findings().forEach(f -> System.out.println(f.severity() + " " + f.code() + ": " + f.message()));
        return report.toJson();
    }

    public static void main(String[] args) {
        System.out.println(run());
    }
}
