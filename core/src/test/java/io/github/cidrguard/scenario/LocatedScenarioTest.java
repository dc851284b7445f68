package io.github.cidrguard.scenario;

import io.github.cidrguard.analysis.Analysis;
import io.github.cidrguard.analysis.Finding;
import io.github.cidrguard.analysis.FindingCode;
import io.github.cidrguard.analysis.Location;
import io.github.cidrguard.analysis.Report;
import io.github.cidrguard.kube.ScenarioFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocatedScenarioTest {
    private static final String SCENARIO = String.join("\n",
            "cidrguard: 1",
            "name: where",
            "flannel:",
            "  config: '{\"Network\": \"10.252.61.0/16\"}'",
            "  leases:",
            "    - {key: 10.252.61.0-24, publicIp: 10.252.158.72}",
            "    - key: 10.252.9.0-24",
            "      publicIp: 10.9.9.9",
            "nodes:",
            "  - name: node-71",
            "    ip: 10.252.158.71",
            "    hostNetwork: 10.252.158.0/24",
            "  - name: node-72",
            "    ip: 10.252.158.72",
            "    docker: true",
            "kubernetes:",
            "  serviceCidr: 10.96.0.0/12",
            "  clusterDns: 10.200.0.10",
            "  services:",
            "    - name: default/web",
            "      clusterIp: 10.96.0.20",
            "networks:",
            "  - {name: office-vpn, cidr: 172.17.0.0/16}",
            "");

    private final LocatedScenario located = ScenarioFormat.parseWithLocations(SCENARIO, "where.yaml");

    @ParameterizedTest(name = "{0} at line {1}")
    @CsvSource({
            "nodes, 9", "nodes[0], 10", "nodes[0].name, 10", "nodes[0].ip, 11", "nodes[0].hostNetwork, 12",
            "nodes[1], 13", "nodes[1].docker, 15", "flannel.config, 4", "flannel.leases[0], 6",
            "flannel.leases[1], 7", "flannel.leases[1].publicIp, 8", "kubernetes.serviceCidr, 17",
            "kubernetes.services[0], 20", "networks[0], 23", "networks[0].cidr, 23"})
    void everyElementHasTheLineOfItsKey(String path, int line) {
        assertEquals(OptionalInt.of(line), located.line(path));
    }

    @Test
    void anElementTheFileDoesNotWriteHasNoLine() {
        assertEquals(OptionalInt.empty(), located.line("nodes[0].podCidr"));
        assertEquals(OptionalInt.empty(), located.line("kubernetes.kubeProxy"));
        assertEquals(23, located.lines().values().stream().mapToInt(Integer::intValue).max().orElseThrow());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "flannel.Network 10.252.0.0/16                 | flannel.config",
            "node node-72 10.252.158.72                    | nodes[1].ip",
            "node node-71 podCidr 10.1.0.0/24              | nodes[0]",
            "lease 10.252.9.0-24 (PublicIP 10.9.9.9)       | flannel.leases[1]",
            "hostNetwork 10.252.158.0/24 of node-71        | nodes[0].hostNetwork",
            "docker bridge 172.17.0.0/16 on node-72        | nodes[1].docker",
            "kubernetes.serviceCidr 10.96.0.0/12           | kubernetes.serviceCidr",
            "kubernetes.clusterDns 10.200.0.10             | kubernetes.clusterDns",
            "kubeProxy.clusterCidr (unset)                 | kubernetes",
            "service default/web clusterIp 10.96.0.20      | kubernetes.services[0]",
            "network office-vpn 172.17.0.0/16              | networks[0]"})
    void aSubjectNamesItsElement(String subject, String path) {
        assertEquals(java.util.Optional.of(path), located.element(finding(subject)));
    }

    @Test
    void theFirstSubjectThatNamesAnElementWins() {
        Finding f = finding("reserved 127.0.0.0/8 loopback", "node node-71 10.252.158.71");
        assertEquals(java.util.Optional.of("nodes[0].ip"), located.element(f));
        assertEquals(java.util.Optional.empty(), located.element(finding("reserved 127.0.0.0/8 loopback")));
        assertEquals(java.util.Optional.empty(), located.element(finding("node node-99 10.0.0.1")));
    }

    @Test
    void locatingTheSeedPointsEachFindingAtItsLine() {
        LocatedScenario seed = ScenarioFormat.loadWithLocations(ScenarioFiles.file("seed.yaml"));
        Report report = seed.locate(Analysis.of(seed.scenario()), "examples/scenarios/seed.yaml");
        assertFalse(report.findings().isEmpty());
        report.findings().forEach(f -> assertTrue(f.location().isPresent(), f.toString()));
        Finding story = report.findings(FindingCode.POD_NETWORK_CONTAINS_NODE_IP).get(0);
        assertEquals(java.util.Optional.of(Location.of("examples/scenarios/seed.yaml", 5)), story.location());
        assertTrue(report.toJson().contains(
                "\"location\":{\"file\":\"examples/scenarios/seed.yaml\",\"line\":5}"), report.toJson());
        assertFalse(Analysis.of(seed.scenario()).toJson().contains("\"location\""));
    }

    /** Every finding of every catalogue example points at a line of its file, and that line exists. */
    @Test
    void everyCatalogueFindingIsLocatedAtALineOfItsFile() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(ScenarioFiles.file("findings"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() > 20, files.toString());
        int located = 0;
        for (Path file : files) {
            LocatedScenario ls = ScenarioFormat.loadWithLocations(file);
            int lineCount = Files.readAllLines(file).size();
            for (Finding f : ls.locate(Analysis.of(ls.scenario()), file.toString()).findings()) {
                OptionalInt line = f.location().orElseThrow().line();
                String what = f.code() + " in " + file.getFileName() + " " + f.subjects();
                assertTrue(line.isPresent(), what);
                assertTrue(line.getAsInt() >= 1 && line.getAsInt() <= lineCount, what);
                located++;
            }
        }
        assertTrue(located >= files.size(), located + " findings in " + files.size() + " files");
    }

    private static Finding finding(String... subjects) {
        return new Finding(FindingCode.LEASE_ORPHANED, io.github.cidrguard.analysis.Severity.INFO, List.of(subjects),
                java.util.Optional.empty(), "m", "r");
    }

    /**
     * The law behind resolving paths in the tree on demand: for every element of every example scenario (YAML and
     * JSON), {@code line(path)} is the line {@code lines()} lists, and a path the file does not write has none.
     */
    @Test
    void lineOfEveryPathAgreesWithTheFullMap() throws IOException {
        Path root = Path.of(System.getProperty("cidrguard.root", ".."), "examples/scenarios");
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".json")).sorted().toList();
        }
        int paths = 0;
        for (Path f : files) {
            LocatedScenario located = ScenarioFormat.loadWithLocations(f);
            for (var e : located.lines().entrySet()) {
                assertEquals(OptionalInt.of(e.getValue()), located.line(e.getKey()), f + " " + e.getKey());
                assertEquals(OptionalInt.empty(), located.line(e.getKey() + ".absent"), f + " " + e.getKey());
                paths++;
            }
            assertEquals(OptionalInt.empty(), located.line("nodes[" + located.scenario().nodes().size() + "]"));
            assertEquals(OptionalInt.empty(), located.line(""));
        }
        assertTrue(files.size() >= 10 && paths >= 1000, files.size() + " files, " + paths + " paths checked");
    }
}
