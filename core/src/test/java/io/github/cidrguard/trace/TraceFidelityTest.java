package io.github.cidrguard.trace;

import io.github.cidrguard.kube.Scenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The classes of error found when tracing plans we did not design (phantom pods, a node outside the Network, a
 * ClusterIP inside a pod subnet, a failed neighbour resolution called NO_ROUTE), each on the kernel lab's scenario
 * of examples/scenarios/lab, where the kernel gives the same verdicts (LabIT).
 */
class TraceFidelityTest {

    static Scenario lab(String file) {
        return Scenario.load(Path.of(System.getProperty("cidrguard.root", ".."), "examples/scenarios/lab", file));
    }

    static Stream<Arguments> flows() {
        String host = "declared-host-in-lease.yaml";
        String outside = "node-outside-network.yaml";
        String dns = "clusterip-in-pod-subnet.yaml";
        String lan = "lease-is-lan.yaml";
        return Stream.of(
                // 1. phantom pods: an address in a lease is a pod only if a pod holds it
                arguments(host, "pod:default/busybox", "10.252.100.50", null, Verdict.NO_ROUTE,
                        Reason.NEIGHBOR_UNREACHABLE, "nobody"),
                arguments(host, "node:node-72", "host:10.252.100.49", null, Verdict.NO_ROUTE,
                        Reason.NEIGHBOR_UNREACHABLE, "host 10.252.100.49 of declared network office"),
                arguments(host, "node:node-71", "host:10.252.100.49", null, Verdict.NO_ROUTE,
                        Reason.NEIGHBOR_UNREACHABLE, "declared network office"),
                arguments(host, "pod:default/jenkins", "10.252.100.49", "80/TCP", Verdict.NO_ROUTE,
                        Reason.NEIGHBOR_UNREACHABLE, "declared network office"),
                arguments(host, "pod:default/busybox", "pod:default/jenkins", null, Verdict.DELIVERED, null,
                        "pod default/jenkins"),
                // 2. flanneld does not start on a node whose podCidr lies outside the Network
                arguments(outside, "pod:default/busybox", "pod:default/jenkins", null, Verdict.NO_ROUTE,
                        Reason.NO_ROUTE, "pod default/jenkins"),
                arguments(outside, "node:node-71", "pod:default/busybox", null, Verdict.NO_ROUTE, Reason.NO_ROUTE,
                        "pod default/busybox"),
                arguments(outside, "pod:default/jenkins", "node:node-72", null, Verdict.NO_ROUTE, Reason.NO_ROUTE,
                        "flanneld"),
                arguments(outside, "pod:default/busybox", "node:node-71", null, Verdict.DELIVERED, null,
                        "node node-71"),
                arguments(outside, "pod:default/busybox", "pod:default/web", null, Verdict.DELIVERED, null,
                        "pod default/web"),
                // 3. a ClusterIP inside a pod subnet is the Service's
                arguments(dns, "pod:default/busybox", "10.252.100.10", "53/TCP", Verdict.DELIVERED, null,
                        "service kube-system/kube-dns"),
                arguments(dns, "pod:default/busybox", "svc:kube-system/kube-dns:53/TCP", null, Verdict.DELIVERED,
                        null, "via DNAT"),
                arguments(dns, "pod:default/jenkins", "svc:kube-system/kube-dns:53/TCP", null, Verdict.NO_ROUTE,
                        Reason.NEIGHBOR_UNREACHABLE, "service kube-system/kube-dns"),
                arguments(dns, "node:node-71", "svc:kube-system/kube-dns:53/TCP", null, Verdict.DELIVERED, null,
                        "via DNAT"),
                arguments(dns, "node:node-72", "10.252.100.10", "53/TCP", Verdict.DELIVERED, null, "via DNAT"),
                // 4. a failed neighbour resolution is not a missing route
                arguments(lan, "pod:default/busybox", "node:node-71", null, Verdict.NO_ROUTE,
                        Reason.NEIGHBOR_UNREACHABLE, "node node-71"));
    }

    @ParameterizedTest(name = "{0}: {1} -> {2} {3} is {4} {5}")
    @MethodSource("flows")
    void verdictReasonAndWhatTheAddressIs(String file, String from, String to, String port, Verdict verdict,
                                          Reason reason, String names) {
        Trace t = Tracer.of(lab(file)).trace(from, to, port);
        assertEquals(verdict, t.verdict(), t::toJson);
        assertEquals(reason, t.reason().orElse(null), t::toJson);
        assertTrue(t.explanation().contains(names), t::toJson);
        assertFalse(t.explanation().matches(".*\\bpod 10\\.252\\.100\\.(49|50|10)\\b.*"), t::toJson);
    }

    @Test
    void aNodeWhoseFlanneldDoesNotStartHasNoFlannelAndNoLeaseRoutes() {
        Tracer t = Tracer.of(lab("node-outside-network.yaml"));
        String n71 = t.rules("node-71");
        assertFalse(n71.contains("flannel"), n71);
        assertFalse(n71.contains("cni0"), n71);
        String n72 = t.rules("node-72");
        assertFalse(n72.contains("10.252.100.0/24"), n72);
        assertTrue(n72.contains("FLANNEL-POSTRTG"), n72);
    }

    @Test
    void aServiceEndpointWithAnEmptyPortIsBadInput() {
        Tracer t = Tracer.of(lab("clusterip-in-pod-subnet.yaml"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.trace("pod:default/busybox", "svc:kube-system/kube-dns:", null));
        assertTrue(e.getMessage().contains("svc:kube-system/kube-dns:"), e.getMessage());
    }
}
