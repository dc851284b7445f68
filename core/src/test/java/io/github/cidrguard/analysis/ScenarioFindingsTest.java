package io.github.cidrguard.analysis;

import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.ScenarioFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.github.cidrguard.analysis.FindingCode.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every example scenario against the exact set of codes it must raise. */
class ScenarioFindingsTest {
    private static final Map<String, Set<FindingCode>> EXPECTED = new TreeMap<>();

    static {
        expect("seed.yaml", POD_NETWORK_CONTAINS_NODE_IP, POD_NETWORK_OVERLAPS_HOST_NETWORK,
                SUBNET_RANGE_COVERS_HOST_NETWORK, SERVICE_CIDR_OVERLAPS_POD_NETWORK, NETWORK_HOST_BITS_SET,
                LEASE_ORPHANED);
        expect("seed-fixed-docker.yaml", DOCKER_BRIDGE_OVERLAP);
        expect("clean.yaml");
        // the seed's mistake in the IPv6 half only: the IPv6Network holds the nodes' LAN
        expect("dual-stack-ipv6-broken.yaml", POD_NETWORK_CONTAINS_NODE_IP, POD_NETWORK_OVERLAPS_HOST_NETWORK,
                SUBNET_RANGE_COVERS_HOST_NETWORK);
        for (FindingCode c : FindingCode.values()) {
            expect("findings/" + c + ".yaml", c);
        }
        // where one fault necessarily raises a second code
        expect("findings/POD_NETWORK_OVERLAPS_HOST_NETWORK.yaml", POD_NETWORK_OVERLAPS_HOST_NETWORK,
                SUBNET_RANGE_COVERS_HOST_NETWORK);
        expect("findings/SUBNET_RANGE_COVERS_HOST_NETWORK.yaml", SUBNET_RANGE_COVERS_HOST_NETWORK,
                POD_NETWORK_OVERLAPS_HOST_NETWORK);
        expect("findings/LEASE_CONTAINS_NODE_IP.yaml", LEASE_CONTAINS_NODE_IP, LEASE_INCOMPATIBLE);
        expect("findings/LEASE_OVERLAP.yaml", LEASE_OVERLAP, LEASE_INCOMPATIBLE);
        // kube mode (flanneld --kube-subnet-mgr): podCIDRs are the leases, no SubnetMin..SubnetMax
        expect("kube/k3s-home-lan.yaml", POD_NETWORK_CONTAINS_NODE_IP, POD_NETWORK_OVERLAPS_HOST_NETWORK,
                LEASE_CONTAINS_NODE_IP);
        expect("kube/kube-capacity.yaml", SUBNET_CAPACITY);
    }

    private static void expect(String file, FindingCode... codes) {
        EXPECTED.put(file, codes.length == 0 ? EnumSet.noneOf(FindingCode.class) : EnumSet.copyOf(Arrays.asList(codes)));
    }

    static Stream<String> files() {
        return EXPECTED.keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("files")
    void raisesExactlyTheExpectedCodes(String file) {
        Report r = Analysis.of(Scenario.load(ScenarioFiles.file(file)));
        assertEquals(EXPECTED.get(file), r.codes(), r.toJson());
        for (Finding f : r.findings()) {
            assertFalse(f.subjects().isEmpty(), f.toString());
            assertTrue(f.message().length() > 40 && f.remedy().length() > 20, f.toString());
        }
    }

    @Test
    void everyScenarioFileIsInTheTable() throws IOException {
        Set<String> onDisk = new TreeSet<>();
        Path dir = ScenarioFiles.dir();
        try (Stream<Path> s = Files.walk(dir)) {
            // lab/ holds the kernel lab's matrix; LabIT checks those against the kernel, not against a findings table
            s.filter(p -> p.toString().endsWith(".yaml") && !dir.relativize(p).startsWith("lab"))
                    .forEach(p -> onDisk.add(dir.relativize(p).toString().replace('\\', '/')));
        }
        assertEquals(EXPECTED.keySet(), onDisk);
    }

    @Test
    void cleanHasNoErrorAndSeverityIsAsCatalogued() {
        assertEquals(0, Analysis.of(Scenario.load(ScenarioFiles.file("clean.yaml"))).errors());
        Report capacity = Analysis.of(Scenario.load(ScenarioFiles.file("findings/SUBNET_CAPACITY.yaml")));
        assertEquals(Severity.ERROR, capacity.findings().get(0).severity());
        Set<Severity> warnings = Stream.of(NETWORK_HOST_BITS_SET, LEASE_INCOMPATIBLE,
                        KUBE_PROXY_CLUSTER_CIDR_MISSING)
                .map(c -> Analysis.of(Scenario.load(ScenarioFiles.file("findings/" + c + ".yaml"))).findings(c))
                .flatMap(l -> l.stream().map(Finding::severity)).collect(Collectors.toSet());
        assertEquals(Set.of(Severity.WARNING), warnings);
    }

    @Test
    void invalidConfigCarriesFlannelsOwnText() {
        Report r = Analysis.of(Scenario.load(ScenarioFiles.file("findings/FLANNEL_CONFIG_INVALID.yaml")));
        assertTrue(r.findings().get(0).message()
                .contains("network is too small. Minimum useful network prefix is /28"), r.toJson());
    }
}
