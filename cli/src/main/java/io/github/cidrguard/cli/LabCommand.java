package io.github.cidrguard.cli;

import io.github.cidrguard.kube.RpFilter;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.lab.Lab;
import io.github.cidrguard.lab.LabException;
import io.github.cidrguard.lab.LabExpectations;
import io.github.cidrguard.lab.LabOptions;
import io.github.cidrguard.lab.LabReport;
import io.github.cidrguard.lab.LabSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cidrguard lab SCENARIO}: builds the scenario in Linux network namespaces, probes its flows with ping and TCP
 * connects, and prints the kernel's verdict next to the tracer's for each. Exit codes: 0 every probed flow agrees
 * (flows this kernel cannot build, e.g. through IPVS without ip_vs, are reported SKIPPED with the reason), 1 some flow
 * disagrees or no flow could be probed, 2 bad input, 3 the lab cannot run here (not Linux, not root, a tool missing,
 * a command failed).
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"Build SCENARIO in Linux network namespaces, probe its flows and compare the kernel's verdicts "
                + "with the tracer's; flows it cannot build here (IPVS without ip_vs) are SKIPPED.",
                "Needs root, iproute2, iptables, iputils-ping and socat; nftables for kube-proxy's nftables mode and "
                + "flannel's EnableNFTables.",
                "IPv6 flows (the tracer does not model IPv6 yet) are checked against the kernel verdicts of "
                + "SCENARIO's .expect.yml beside it (e.g. story-ipv6.expect.yml), never counted as agreeing with the "
                + "tracer.",
                "Exit: 0 all probed agree, 1 a disagreement or nothing probed, 2 bad input, 3 the lab cannot run here."})
public final class LabCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "scenario file (YAML or JSON)")
    private Path scenario;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
    private String format;

    @Option(names = "--rp-filter", paramLabel = "MODE",
            description = "strict, loose or off on every node, instead of the scenario's")
    private String rpFilter;

    @Option(names = "--flow", paramLabel = "FROM,TO[,PORT]",
            description = "a flow to probe, e.g. pod:default/busybox,node:node-71 or "
                    + "node:node-72,svc:default/web:80/TCP; repeatable; default: a standard set")
    private List<String> flows = new ArrayList<>();

    @Option(names = "--max-flows", defaultValue = "60", description = "most flows probed (default: ${DEFAULT-VALUE})")
    private int maxFlows;

    /**
     * Runs the command as a program of its own.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new LabCommand()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        boolean json = switch (format) {
            case "json" -> true;
            case "text" -> false;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--format must be text or json, not " + format);
        };
        LabOptions options;
        Scenario s;
        try {
            options = new LabOptions(parseFlows(), java.util.Optional.empty(), maxFlows);
            if (rpFilter != null) {
                options = options.withRpFilter(RpFilter.valueOf(rpFilter.toUpperCase(Locale.ROOT)));
            }
            s = Scenario.load(scenario);
            // the kernel verdicts derived for flows the tracer does not model yet (IPv6), if the scenario has them
            options = LabExpectations.besides(scenario).map(LabExpectations::load).map(options::withExpectations)
                    .orElse(options);
        } catch (IllegalArgumentException e) { // includes ScenarioException
            return fail(json, Exit.USAGE, e.getMessage());
        }
        LabReport report;
        try {
            report = Lab.run(s, options);
        } catch (LabException e) {
            return fail(json, Exit.WORLD, e.getMessage());
        } catch (IllegalArgumentException e) {
            return fail(json, Exit.USAGE, e.getMessage());
        }
        out.print(json ? Json.versioned(report.toJson()) + "\n" : report.toText());
        out.flush();
        return report.allAgree() ? 0 : 1;
    }

    /** An error: one line on stderr, or with {@code --format json} the JSON error object on stdout. */
    private int fail(boolean json, int code, String message) {
        if (json) {
            spec.commandLine().getOut().println(Json.error(code, "cidrguard lab", message));
            spec.commandLine().getOut().flush();
        } else {
            spec.commandLine().getErr().println("cidrguard lab: " + message);
        }
        return code;
    }

    private List<LabOptions.FlowRequest> parseFlows() {
        List<LabOptions.FlowRequest> list = new ArrayList<>();
        for (String f : flows) {
            String[] p = f.split(",", -1);
            if (p.length < 2 || p.length > 3 || p[0].isBlank() || p[1].isBlank()) {
                throw new IllegalArgumentException("--flow " + f + ": write FROM,TO or FROM,TO,PORT");
            }
            list.add(new LabOptions.FlowRequest(p[0].strip(), p[1].strip(), p.length == 3 ? p[2].strip() : null));
        }
        return list;
    }
}
