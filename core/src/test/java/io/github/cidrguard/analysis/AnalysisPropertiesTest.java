package io.github.cidrguard.analysis;

import io.github.cidrguard.kube.DeclaredNetwork;
import io.github.cidrguard.kube.Flannel;
import io.github.cidrguard.kube.KubeProxy;
import io.github.cidrguard.kube.Kubernetes;
import io.github.cidrguard.kube.Lease;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.ProxyMode;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.Service;
import io.github.cidrguard.net.AddressSet;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Laws of the analysis on generated scenarios whose ranges are drawn from 10.0.0.0/14 so that overlaps are common:
 * a finding is raised exactly when its overlap exists, the report does not depend on input order, and suggestions
 * never overlap anything the scenario knows.
 */
class AnalysisPropertiesTest {
    /** The parts of a generated plan. */
    record Plan(Cidr network, List<NodeSpec> nodes, Cidr service, List<Cidr> declared, ProxyMode mode,
                List<Integer> serviceOffsets) {
    }

    /** One generated node: address, optional LAN prefix length, optional pod /24, optional Docker bridge. */
    record NodeSpec(IpAddress ip, Optional<Integer> hostLen, Cidr podCidr, Optional<Cidr> docker) {
    }

    private static Arbitrary<Cidr> cidrs(int min, int max) {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 255),
                        Arbitraries.integers().between(min, max))
                .as((b, c, len) -> Cidr.ofMasked(IpAddress.ofIpv4(0x0A000000L | (long) b << 16 | (long) c << 8),
                        len));
    }

    @Provide
    Arbitrary<Plan> plans() {
        Arbitrary<IpAddress> ips = Combinators.combine(Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, 255), Arbitraries.integers().between(1, 254))
                .as((b, c, d) -> IpAddress.ofIpv4(0x0A000000L | (long) b << 16 | (long) c << 8 | d));
        Arbitrary<Optional<Cidr>> docker = Arbitraries.oneOf(Arbitraries.just(Optional.<Cidr>empty()),
                Arbitraries.just(Optional.of(Node.DOCKER_DEFAULT_BRIDGE)), cidrs(14, 24).map(Optional::of));
        Arbitrary<NodeSpec> node = Combinators.combine(ips, Arbitraries.integers().between(16, 28).optional(),
                cidrs(24, 24), docker).as(NodeSpec::new);
        return Combinators.combine(cidrs(8, 24), node.list().ofMinSize(1).ofMaxSize(8), cidrs(12, 26),
                        cidrs(10, 24).list().ofMaxSize(2), Arbitraries.of(ProxyMode.class),
                        Arbitraries.integers().between(1, 60).list().ofMaxSize(3))
                .as(Plan::new);
    }

    static Scenario build(Plan p) {
        Scenario.Builder b = Scenario.builder("generated")
                .flannel(new Flannel("{\"Network\": \"" + p.network() + "\", \"Backend\": {\"Type\": \"vxlan\"}}",
                        true, leases(p)));
        for (int i = 0; i < p.nodes().size(); i++) {
            NodeSpec n = p.nodes().get(i);
            Node node = Node.of("n" + i, n.ip()).withPodCidr(n.podCidr());
            if (n.hostLen().isPresent()) {
                node = node.withHostNetwork(Cidr.ofMasked(n.ip(), n.hostLen().get()));
            }
            if (n.docker().isPresent()) {
                node = node.withDocker(n.docker().get());
            }
            b.node(node);
        }
        List<Service> services = new ArrayList<>();
        for (int i = 0; i < p.serviceOffsets().size(); i++) {
            IpAddress ip = p.service().network().plus(Math.min(p.serviceOffsets().get(i),
                    p.service().size().longValue() - 2));
            services.add(Service.of("default/s" + i, ip).withExternalIps(List.of(p.nodes().get(0).ip())));
        }
        b.kubernetes(Kubernetes.empty().withServiceCidr(p.service()).withClusterDns(p.service().network().plus(10))
                .withKubeProxy(KubeProxy.defaults().withMode(p.mode()).withClusterCidrs(List.of(p.network())))
                .withServices(services));
        for (int i = 0; i < p.declared().size(); i++) {
            b.network(new DeclaredNetwork("d" + i, p.declared().get(i)));
        }
        return b.build();
    }

    private static List<Lease> leases(Plan p) {
        return p.nodes().stream().map(n -> Lease.of(n.podCidr().network() + "-24", n.ip())).toList();
    }

    private static Stream<Cidr> hosts(Scenario s) {
        return s.nodes().stream().flatMap(n -> n.hostNetworks().stream());
    }

    @Property(tries = 100)
    void podNetworkContainsNodeIpIffSomeNodeIpIsInTheNetwork(@ForAll("plans") Plan p) {
        Scenario s = build(p);
        Report r = Analysis.of(s);
        long inside = s.nodes().stream().map(Node::ip).filter(p.network()::contains).distinct().count();
        assertEquals(inside, r.findings(FindingCode.POD_NETWORK_CONTAINS_NODE_IP).size(), r::toJson);
    }

    @Property(tries = 100)
    void overlapFindingsIffTheOverlapExists(@ForAll("plans") Plan p) {
        Scenario s = build(p);
        Report r = Analysis.of(s);
        Cidr n = p.network();
        Cidr svc = p.service();
        assertEquals(svc.overlaps(n), r.has(FindingCode.SERVICE_CIDR_OVERLAPS_POD_NETWORK), r::toJson);
        assertEquals(hosts(s).anyMatch(n::overlaps), r.has(FindingCode.POD_NETWORK_OVERLAPS_HOST_NETWORK));
        assertEquals(hosts(s).anyMatch(svc::overlaps), r.has(FindingCode.SERVICE_CIDR_OVERLAPS_HOST_NETWORK));
        assertEquals(s.nodes().stream().anyMatch(x -> svc.contains(x.ip())),
                r.has(FindingCode.SERVICE_CIDR_CONTAINS_NODE_IP));
        List<Cidr> clusterAndDeclared = new ArrayList<>(List.of(n, svc));
        hosts(s).forEach(clusterAndDeclared::add);
        clusterAndDeclared.addAll(p.declared());
        boolean docker = s.nodes().stream().flatMap(x -> x.docker().stream())
                .anyMatch(d -> clusterAndDeclared.stream().anyMatch(d::overlaps));
        assertEquals(docker, r.has(FindingCode.DOCKER_BRIDGE_OVERLAP));
        List<Cidr> cluster = new ArrayList<>(List.of(n, svc));
        hosts(s).forEach(cluster::add);
        boolean declared = p.declared().stream().anyMatch(d -> cluster.stream().anyMatch(d::overlaps));
        assertEquals(declared, r.has(FindingCode.DECLARED_NETWORK_OVERLAP));
        boolean vipIsNode = p.mode() == ProxyMode.IPVS && !p.serviceOffsets().isEmpty();
        if (vipIsNode) {
            // every generated service lists node n0's address as an externalIP
            assertEquals(true, r.has(FindingCode.IPVS_VIP_SHADOWS_HOST), r::toJson);
        } else if (p.mode() != ProxyMode.IPVS) {
            assertFalse(r.has(FindingCode.IPVS_VIP_SHADOWS_HOST));
        }
    }

    @Property(tries = 100)
    void shufflingInputsDoesNotChangeTheReport(@ForAll("plans") Plan p, @ForAll long seed) {
        Scenario s = build(p);
        Random random = new Random(seed);
        List<Node> nodes = new ArrayList<>(s.nodes());
        Collections.shuffle(nodes, random);
        List<Lease> leases = new ArrayList<>(s.flannel().orElseThrow().leases());
        Collections.shuffle(leases, random);
        List<DeclaredNetwork> nets = new ArrayList<>(s.networks());
        Collections.shuffle(nets, random);
        Kubernetes k = s.kubernetes().orElseThrow();
        List<Service> services = new ArrayList<>(k.services());
        Collections.shuffle(services, random);
        Scenario shuffled = s.toBuilder().nodes(nodes).flannel(s.flannel().get().withLeases(leases))
                .networks(nets).kubernetes(k.withServices(services)).build();
        assertEquals(Analysis.of(s).toJson(), Analysis.of(shuffled).toJson());
    }

    @Property(tries = 50)
    void suggestionsOverlapNothingTheAnalysisKnowsAndFixThePodNetwork(@ForAll("plans") Plan p) {
        Scenario s = build(p);
        Suggest suggest = Suggest.of(s);
        AddressSet known = AddressSet.ofCidrs(InUse.ranges(s));
        AddressSet reserved = AddressSet.ofCidrs(KnownRanges.reserved(s.platform()).stream()
                .map(KnownRanges.Reserved::cidr).toList());
        AddressSet docker = AddressSet.ofCidrs(KnownRanges.DOCKER_POOLS);
        for (Suggestion x : suggest.networks()) {
            assertFalse(known.overlaps(x.cidr()) || reserved.overlaps(x.cidr()) || docker.overlaps(x.cidr()),
                    x.toString());
        }
        for (Suggestion x : suggest.serviceCidrs()) {
            assertFalse(known.overlaps(x.cidr()) || reserved.overlaps(x.cidr()) || docker.overlaps(x.cidr()),
                    x.toString());
            assertFalse(x.cidr().overlaps(suggest.networks().get(0).cidr()), x.toString());
        }
        Cidr best = suggest.networks().get(0).cidr();
        Scenario fixed = s.withFlannel(s.flannel().get().withConfig("{\"Network\": \"" + best + "\"}")
                .withLeases(List.of()));
        Set<FindingCode> podNetworkCodes = EnumSet.of(FindingCode.POD_NETWORK_CONTAINS_NODE_IP,
                FindingCode.POD_NETWORK_OVERLAPS_HOST_NETWORK, FindingCode.SUBNET_RANGE_COVERS_HOST_NETWORK,
                FindingCode.SERVICE_CIDR_OVERLAPS_POD_NETWORK, FindingCode.SUBNET_CAPACITY);
        Set<FindingCode> raised = Analysis.of(fixed).codes();
        raised.retainAll(podNetworkCodes);
        assertEquals(Set.of(), raised);
    }
}
