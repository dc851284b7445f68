package io.github.cidrguard.analysis;

import io.github.cidrguard.flannel.FlannelConfig;
import io.github.cidrguard.flannel.FlannelConfigException;
import io.github.cidrguard.kube.DeclaredNetwork;
import io.github.cidrguard.kube.Lease;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Pod;
import io.github.cidrguard.kube.RpFilter;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.Service;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;
import io.github.cidrguard.trace.Flow;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Gives each finding that claims traffic breaks a representative flow, chosen from the plan the way the data plane
 * breaks it (docs/architecture.md, "Report JSON"): the tracer shows the break when it traces that flow. A finding
 * whose break depends on something the plan does not settle (a lease not handed out yet, a LAN host nobody named) gets
 * none. IPv4 only, as the tracer.
 */
final class Flows {
    /** A node as flannel sees it: its lease (podCidr inside the Network, or its etcd lease), null when none. */
    private record Member(Node node, IpAddress ip, Cidr lan, Cidr lease) {
    }

    private final Scenario scenario;
    private final Cidr network;
    private final String backend;
    private final List<Member> members = new ArrayList<>();
    private final Set<IpAddress> taken = new HashSet<>();

    private Flows(Scenario s) {
        this.scenario = s;
        FlannelConfig cfg = null;
        try {
            cfg = s.flannel().map(f -> FlannelConfig.parse(f.config())).orElse(null);
        } catch (FlannelConfigException e) {
            cfg = null;
        }
        this.network = cfg == null ? null : cfg.network().orElse(null);
        this.backend = cfg == null ? "" : cfg.backendType().toLowerCase(Locale.ROOT);
        // every choice below is made in name order, so the report does not depend on the order of the scenario's lists
        List<Node> nodes = s.nodes().stream().sorted(java.util.Comparator.comparing(Node::name)).toList();
        List<Lease> leases = s.flannel().map(f -> f.leases().stream()
                .sorted(java.util.Comparator.comparing(Lease::key)).toList()).orElse(List.of());
        for (Node n : nodes) {
            Optional<IpAddress> ip = n.ip(IpFamily.IPV4);
            if (ip.isEmpty()) {
                continue;
            }
            Cidr lease = n.podCidr(IpFamily.IPV4).orElse(null);
            if (lease == null) {
                for (Lease l : leases) {
                    if (l.publicIp().equals(ip.get()) && l.subnetKey().subnet().family() == IpFamily.IPV4) {
                        lease = l.subnetKey().subnet();
                        break;
                    }
                }
            }
            if (network == null || lease != null && !network.contains(lease)) {
                lease = null; // flanneld does not run there (no config, or the podCidr lies outside the Network)
            }
            members.add(new Member(n, ip.get(), n.hostNetwork(IpFamily.IPV4).orElse(Cidr.of(ip.get())), lease));
            taken.add(ip.get());
            if (lease != null) {
                taken.add(lease.first());
                taken.add(lease.first().plus(1));
            }
        }
        s.pods().forEach(p -> taken.add(p.ip()));
        s.kubernetes().ifPresent(k -> k.services().forEach(svc -> {
            taken.addAll(svc.clusterIps());
            svc.endpoints().forEach(e -> taken.add(e.ip()));
        }));
    }

    /** The codes a flow is picked for; the picker is built only when a finding has one. */
    private static final Set<FindingCode> CODES = java.util.EnumSet.of(FindingCode.POD_CIDR_OUTSIDE_NETWORK,
            FindingCode.POD_NETWORK_CONTAINS_NODE_IP, FindingCode.LEASE_CONTAINS_NODE_IP,
            FindingCode.SERVICE_CIDR_OVERLAPS_POD_NETWORK, FindingCode.DECLARED_NETWORK_OVERLAP);

    static List<Finding> attach(Scenario s, List<Finding> findings) {
        if (findings.stream().noneMatch(x -> x.severity() == Severity.ERROR && CODES.contains(x.code()))) {
            return findings; // a healthy plan costs nothing here
        }
        Flows f = new Flows(s);
        List<Finding> out = new ArrayList<>(findings.size());
        for (Finding x : findings) {
            Optional<Flow> flow = x.flow().isPresent() ? x.flow() : f.pick(x);
            out.add(flow.isPresent() && x.flow().isEmpty() ? x.withFlow(flow.get()) : x);
        }
        return out;
    }

    private Optional<Flow> pick(Finding f) {
        if (f.severity() != Severity.ERROR || f.range().isEmpty() || !Cidr.isValid(f.range().get())) {
            return Optional.empty();
        }
        Cidr range = Cidr.parse(f.range().get());
        if (range.family() != IpFamily.IPV4) {
            return Optional.empty();
        }
        return switch (f.code()) {
            case POD_CIDR_OUTSIDE_NETWORK -> podCidrOutside(range);
            case POD_NETWORK_CONTAINS_NODE_IP -> podNetworkContainsNode(range);
            case LEASE_CONTAINS_NODE_IP -> leaseContains(range);
            case SERVICE_CIDR_OVERLAPS_POD_NETWORK -> clusterIpInLease(range);
            case DECLARED_NETWORK_OVERLAP -> declared(range);
            default -> Optional.empty();
        };
    }

    // ---- the flows

    /** Nothing reaches a pod of a node whose flanneld does not start: not even the node itself routes its podCidr. */
    private Optional<Flow> podCidrOutside(Cidr podCidr) {
        Member down = members.stream().filter(m -> m.lease() == null && m.node().podCidr(IpFamily.IPV4)
                .filter(podCidr::equals).isPresent()).findFirst().orElse(null);
        if (down == null || podCidr.prefixLength() > 30) {
            return Optional.empty();
        }
        Member from = members.stream().filter(m -> m != down).findFirst().orElse(down);
        String to = pods(down).stream().findFirst().map(p -> "pod:" + p.name())
                .orElse("pod:" + podCidr.first().plus(2));
        return flow("node:" + from.node().name(), to);
    }

    /**
     * The seed story: flannel does not masquerade a pod's packet to a node inside the Network, so the reply comes back
     * through the tunnel; strict rp_filter on either side (vxlan) or an anti-spoofing underlay drops it.
     */
    private Optional<Flow> podNetworkContainsNode(Cidr nodeIp) {
        Member b = member(nodeIp.network());
        if (b == null || inAnyLease(b.ip())) {
            return Optional.empty();
        }
        boolean spoof = scenario.underlay().antiSpoofing();
        for (Member a : members) {
            if (a == b || a.lease() == null) {
                continue;
            }
            boolean strict = a.node().rpFilter() == RpFilter.STRICT || b.node().rpFilter() == RpFilter.STRICT;
            boolean breaks = backend.equals("vxlan") ? spoof || strict : backend.equals("host-gw") && spoof;
            if (breaks && a.lan().contains(b.ip())) {
                Optional<String> pod = pod(a, x -> true);
                if (pod.isPresent()) {
                    return flow(pod.get(), "node:" + b.node().name());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A lease holding a node's address: every other node routes it into the overlay, and the VXLAN packet to that
     * node has no route but the tunnel itself; a LAN range inside a lease is on-link for that lease's pods, which ask
     * for it on cni0 where nobody answers.
     */
    private Optional<Flow> leaseContains(Cidr range) {
        if (range.prefixLength() == 32) {
            Member b = member(range.network());
            Member owner = leaseOwner(range.network());
            if (b == null || owner != b || !backend.equals("vxlan")) {
                return Optional.empty();
            }
            return members.stream().filter(m -> m != b && m.lease() != null).findFirst()
                    .flatMap(c -> flow("node:" + c.node().name(), "node:" + b.node().name()));
        }
        Member owner = leaseOwner(range.first());
        if (owner == null || !owner.lease().contains(range)) {
            return Optional.empty();
        }
        Optional<IpAddress> host = free(range);
        Optional<String> pod = pod(owner, x -> true);
        if (host.isEmpty() || pod.isEmpty()) {
            return Optional.empty();
        }
        return flow(pod.get(), host.get().toString());
    }

    /** A ClusterIP inside a lease is on-link for that lease's pods: the frame stays on cni0, nobody answers ARP. */
    private Optional<Flow> clusterIpInLease(Cidr range) {
        for (Service svc : services()) {
            for (IpAddress c : svc.clusterIps()) {
                Member owner = c.isIpv4() && range.contains(c) && !taken(c, false) ? leaseOwner(c) : null;
                if (owner == null) {
                    continue;
                }
                Optional<String> pod = pod(owner, x -> !x.equals(c));
                if (pod.isPresent()) {
                    return flow(pod.get(), svc.ports().isEmpty() ? c.toString()
                            : "svc:" + svc.name() + ":" + svc.ports().get(0).port() + "/"
                            + svc.ports().get(0).protocol().toUpperCase(Locale.ROOT));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A declared network's host inside a lease is on-link for that lease's pods (nobody answers on cni0); inside the
     * Network but in no lease, the pods' packets to it are not masqueraded (flannel's {@code -d Network RETURN}), so the
     * reply goes to a pod address the outside cannot route; a ClusterIP in it is DNATed to the Service.
     */
    private Optional<Flow> declared(Cidr range) {
        DeclaredNetwork net = scenario.networks().stream().filter(n -> n.cidr().contains(range))
                .min(java.util.Comparator.comparing(DeclaredNetwork::name)).orElse(null);
        if (net == null) {
            return Optional.empty();
        }
        for (Member a : members) {
            if (a.lease() != null && a.lease().overlaps(range)) {
                Cidr common = a.lease().intersection(range).orElseThrow();
                Optional<IpAddress> host = free(common);
                Optional<String> pod = pod(a, x -> !common.contains(x));
                if (host.isPresent() && pod.isPresent()) {
                    return flow(pod.get(), "host:" + host.get());
                }
            }
        }
        if (network != null && network.overlaps(range) && members.stream().noneMatch(m -> m.lan().overlaps(range))) {
            Cidr common = network.intersection(range).orElseThrow();
            Optional<IpAddress> host = free(common).filter(h -> !inAnyLease(h));
            for (Member a : members) {
                Optional<String> pod = a.lease() == null ? Optional.empty() : pod(a, x -> true);
                if (host.isPresent() && pod.isPresent()) {
                    return flow(pod.get(), "host:" + host.get());
                }
            }
        }
        return Optional.empty();
    }

    // ---- helpers

    private static Optional<Flow> flow(String from, String to) {
        return Optional.of(Flow.of(from, to, null));
    }

    private List<Service> services() {
        return scenario.kubernetes().map(k -> k.services().stream()
                .sorted(java.util.Comparator.comparing(Service::name)).toList()).orElse(List.of());
    }

    private Member member(IpAddress ip) {
        return members.stream().filter(m -> m.ip().equals(ip)).findFirst().orElse(null);
    }

    private Member leaseOwner(IpAddress a) {
        Member best = null;
        for (Member m : members) {
            if (m.lease() != null && m.lease().contains(a)
                    && (best == null || m.lease().prefixLength() > best.lease().prefixLength())) {
                best = m;
            }
        }
        return best;
    }

    private boolean inAnyLease(IpAddress a) {
        return leaseOwner(a) != null;
    }

    private List<Pod> pods(Member m) {
        List<Pod> out = new ArrayList<>();
        for (Pod p : scenario.pods().stream().sorted(java.util.Comparator.comparing(Pod::name)
                .thenComparing(Pod::ip)).toList()) {
            if (p.ip().isIpv4() && p.node().filter(m.node().name()::equals).isPresent()) {
                out.add(p);
            }
        }
        return out;
    }

    /** A pod of the member's lease as a sender: a listed one inside the lease, else an address of the lease. */
    private Optional<String> pod(Member m, Predicate<IpAddress> ok) {
        if (m.lease() == null || m.lease().prefixLength() > 30) {
            return Optional.empty();
        }
        for (Pod p : pods(m)) {
            if (m.lease().contains(p.ip()) && ok.test(p.ip()) && !declaredHost(p.ip())) {
                return Optional.of("pod:" + p.name());
            }
        }
        for (int i = 2; i < 10 && m.lease().contains(m.lease().first().plus(i)); i++) {
            IpAddress a = m.lease().first().plus(i);
            if (ok.test(a) && !taken(a, true) && !declaredHost(a) && !inLan(a)) {
                return Optional.of("pod:" + a);
            }
        }
        return Optional.empty();
    }

    /** The first address of the range that nobody else holds (no node, pod, ClusterIP, endpoint, cni0 address). */
    private Optional<IpAddress> free(Cidr range) {
        for (int i = 0; i < 16 && range.contains(range.first().plus(i)); i++) {
            IpAddress a = range.first().plus(i);
            if (!taken(a, true)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    private boolean taken(IpAddress a, boolean clusterIps) {
        return clusterIps ? taken.contains(a) : members.stream().anyMatch(m -> m.ip().equals(a))
                || scenario.pods().stream().anyMatch(p -> p.ip().equals(a));
    }

    private boolean declaredHost(IpAddress a) {
        return scenario.networks().stream().anyMatch(n -> n.cidr().contains(a));
    }

    private boolean inLan(IpAddress a) {
        return members.stream().anyMatch(m -> m.lan().contains(a));
    }
}
