package io.github.cidrguard.benchmarks;

import io.github.cidrguard.analysis.Analysis;
import io.github.cidrguard.analysis.FindingCode;
import io.github.cidrguard.analysis.Report;
import io.github.cidrguard.kube.Scenario;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The benchmark measures the scenario it claims to: 5 000 nodes, healthy but for one orphaned lease. */
class CheckBenchmarkTest {
    @Test
    void generatedScenarioIsTheDescribedPlan() {
        Scenario s = CheckBenchmark.scenario(5000);
        assertEquals(5000, s.nodes().size());
        assertEquals(5001, s.flannel().orElseThrow().leases().size());
        Report r = Analysis.of(s);
        assertEquals(Set.of(FindingCode.LEASE_ORPHANED), r.codes(), r::toJson);
    }
}
