package io.github.cidrguard.cli;

import io.github.cidrguard.analysis.Analysis;
import io.github.cidrguard.analysis.Report;
import io.github.cidrguard.scenario.LocatedScenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code cidrguard check SCENARIO}: the findings of a scenario. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Analyse a scenario file and list every finding (overlaps, invalid flannel config, leases, "
                + "kube-proxy settings), ERROR first.",
        footer = {"", "Exit codes: 0 no ERROR (and with --strict no WARNING), 1 findings, 2 bad input.", "",
                "Examples:",
                "  cidrguard check examples/scenarios/seed.yaml",
                "  cidrguard check --strict --format json cluster.yaml",
                "  cidrguard check cluster.yaml --format sarif --output cidrguard.sarif",
                "  cidrguard check cluster.yaml --format github     # annotations in a GitHub Actions step",
                "  cidrguard import --nodes nodes.json | cidrguard check -"})
final class CheckCommand implements Callable<Integer> {
    private final Io io;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "The scenario file (YAML or JSON), or - for stdin.")
    String scenario;

    CheckCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        LocatedScenario located = Scenarios.loadLocated(io, scenario);
        Report report = Analysis.of(located.scenario());
        if (!scenario.equals("-")) {
            report = located.locate(report, Scenarios.displayPath(scenario));
        }
        switch (output.format) {
            case json -> io.out.println(report.toJson());
            case sarif -> io.out.println(CiReport.sarif(report, new Main.Version().getVersion()[0]
                    .substring("cidrguard ".length())));
            case junit -> io.out.print(CiReport.junit(report, "cidrguard check"));
            case github -> io.out.print(CiReport.github(report));
            case text -> ReportView.print(report, io);
        }
        io.out.flush();
        return ReportView.exitCode(report, output.strict);
    }
}
