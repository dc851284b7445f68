package io.github.cidrguard.analysis;

import io.github.cidrguard.kube.Scenario;

/**
 * The overlap analysis: every rule of the finding catalogue (docs/findings.md) applied to one scenario.
 *
 * <pre>{@code
 * Report report = Analysis.of(Scenario.load(Path.of("seed.yaml")));
 * System.out.println(report.toJson());
 * }</pre>
 */
public final class Analysis {
    private Analysis() {
    }

    /** Analyses the scenario; the report's order does not depend on the order of the scenario's lists. */
    public static Report of(Scenario scenario) {
        return Report.of(scenario.name(), Flows.attach(scenario, Checks.run(scenario)));
    }
}
