package io.github.cidrguard.examples;

import io.github.cidrguard.trace.Reason;
import io.github.cidrguard.trace.Trace;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplesTest {
    @Test
    void quickStart() {
        String r = QuickStart.run();
        assertTrue(r.startsWith("Report[seed-2017: "), r);
        assertTrue(r.endsWith(" -> 10.244.0.0/16"), r);
    }

    @Test
    void fixFlannelConfig() {
        assertEquals("{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\": \"vxlan\"}}", FixFlannelConfig.run());
    }

    @Test
    void analyseInCode() {
        String json = AnalyseInCode.run();
        assertTrue(json.contains("\"DOCKER_BRIDGE_OVERLAP\""), json);
        assertTrue(json.contains("\"DECLARED_NETWORK_OVERLAP\""), json);
    }

    @Test
    void tracePacket() {
        Trace t = TracePacket.run(Path.of(System.getProperty("cidrguard.root"), "examples/scenarios/seed.yaml"));
        assertEquals(Reason.RP_FILTER, t.reason().orElseThrow());
    }
}
