package io.github.cidrguard.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cidrguard.analysis.Analysis;
import io.github.cidrguard.analysis.Report;
import io.github.cidrguard.analysis.Suggest;
import io.github.cidrguard.analysis.Suggestion;
import io.github.cidrguard.flannel.FlannelConfig;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.net.Cidr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code cidrguard demo}: the seed story of docs/architecture.md ("The story") end to end, on the scenario embedded in the jar — the
 * diagnosis, the packet that dies and the rule that kills it, the suggested range, and the fixed plan passing.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The story end to end with no setup: flannel's Network \"10.252.61.0/16\" becomes "
                + "10.252.0.0/16 and swallows the nodes; cidrguard diagnoses it, traces the packet that dies, "
                + "proposes a free range and checks the fixed plan.",
                "Runs on the seed scenario inside the jar (examples/scenarios/seed.yaml)."},
        footer = {"", "Exit codes: 0 the fixed plan passes, 1 it does not.", "",
                "Examples:", "  cidrguard demo", "  cidrguard demo --format json | jq .fixed.summary"})
final class DemoCommand implements Callable<Integer> {

    private final Io io;

    @Mixin
    OutputOptions output;

    DemoCommand(Io io) {
        this.io = io;
    }

    /** Everything the demo shows, worked out before anything is printed. */
    record Story(Scenario seed, Report diagnosis, Suggest suggest, Cidr network, Scenario fixed, Report fixedReport,
                 Scenario handFix, Report handFixReport) {
    }

    static Story story() {
        Scenario seed = Scenarios.seed();
        Report diagnosis = Analysis.of(seed);
        Suggest suggest = Suggest.of(seed);
        Cidr network = suggest.networks().get(0).cidr();
        Scenario fixed = Replan.withNetwork(seed, network).toBuilder().name(seed.name() + "-fixed").build();
        Scenario hand = Replan.withNetwork(seed, Cidr.parse("172.17.0.0/16")).toBuilder()
                .name(seed.name() + "-hand-fix").build();
        return new Story(seed, diagnosis, suggest, network, fixed, Analysis.of(fixed), hand, Analysis.of(hand));
    }

    @Override
    public Integer call() throws JsonProcessingException {
        Story s = story();
        if (output.json()) {
            ObjectNode o = Json.object();
            o.put("scenario", s.seed().name());
            o.set("diagnosis", Json.MAPPER.readTree(s.diagnosis().toJson()));
            o.set("trace", TracePart.json(s.seed(), Json.MAPPER));
            o.set("suggest", Json.MAPPER.readTree(s.suggest().toJson()));
            o.put("network", s.network().toString());
            o.set("handFix", Json.MAPPER.readTree(s.handFixReport().toJson()));
            o.set("fixed", Json.MAPPER.readTree(s.fixedReport().toJson()));
            o.set("fixedTrace", TracePart.json(s.fixed(), Json.MAPPER));
            io.out.println(Json.MAPPER.writeValueAsString(o));
        } else {
            print(s);
        }
        return ReportView.exitCode(s.fixedReport(), output.strict);
    }

    private void print(Story s) {
        PrintWriter out = io.out;
        String written = FlannelConfig.parse(s.seed().flannel().orElseThrow().config()).networkAsWritten().orElse("?");
        String effective = FlannelConfig.parse(s.seed().flannel().orElseThrow().config()).network()
                .map(Object::toString).orElse("?");
        out.println(io.bold("The seed story") + " (scenario " + s.seed().name() + ", embedded): flannel's config says "
                + "Network \"" + written + "\";");
        out.println("flannel masks the host bits, so the pod network is " + io.bold(effective)
                + " - and the nodes live in " + s.seed().nodes().get(0).hostNetworks().get(0) + ".");
        out.println();
        out.println(io.bold("1. Diagnosis") + "  (cidrguard check seed.yaml)");
        ReportView.printShort(s.diagnosis(), io);
        out.println();
        out.println(io.bold("2. The packet that dies") + "  (cidrguard trace seed.yaml --from "
                + TracePart.from(s.seed()) + " --to " + TracePart.TO + ")");
        TracePart.print(s.seed(), io);
        out.println();
        Suggestion best = s.suggest().networks().get(0);
        out.println(io.bold("3. A free range") + "  (cidrguard suggest seed.yaml)");
        out.println("  Network " + io.green(best.cidr().toString()) + ": " + best.reasons().get(0));
        out.println("  The hand fix 172.17.0.0/16 would not do: "
                + ReportView.summary(s.handFixReport(), io) + " (" + String.join(", ",
                s.handFixReport().findings().stream().filter(f -> f.severity().name().equals("ERROR"))
                        .map(f -> f.code().name()).distinct().toList()) + ")");
        out.println();
        out.println(io.bold("4. The fixed plan") + "  (Network " + s.network() + ", leases reset, kube-proxy "
                + "clusterCIDR " + s.network() + ")");
        ReportView.printShort(s.fixedReport(), io);
        TracePart.print(s.fixed(), io);
        out.println();
        out.println("Apply it: cidrguard etcd set-network " + s.network() + " --endpoints https://etcd:2379 "
                + "--reset-subnets, then restart flanneld on every node.");
    }
}
