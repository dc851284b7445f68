package io.github.cidrguard.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cidrguard.kube.Kubernetes;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.net.AddressRange;
import io.github.cidrguard.net.AddressSet;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpFamily;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Replacement ranges for a scenario: flannel Networks and service CIDRs that overlap nothing the scenario uses or
 * declares, no reserved range of its platform and none of Docker's default pools; best first
 * (10.244.0.0/16 where free, then other RFC 1918 space, then RFC 6598), each with its reasons. Networks are sized
 * for the nodes with at least 4× headroom in /24 subnets (flannel's default SubnetLen). Also reports the free space
 * and utilization of the current Network. IPv4 only: an IPv6 ULA has room for any cluster.
 *
 * <pre>{@code
 * Suggest s = Suggest.of(scenario);
 * Cidr network = s.networks().get(0).cidr();     // 10.244.0.0/16 for the seed
 * }</pre>
 */
public final class Suggest {
    /** How many proposals of each kind. */
    static final int COUNT = 5;
    /** flannel's default SubnetLen for a Network of /22 or wider. */
    static final int SUBNET_LEN = 24;
    static final int HEADROOM = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Cidr FLANNEL_DEFAULT = Cidr.parse("10.244.0.0/16");
    private static final Cidr KUBEADM_SERVICES = Cidr.parse("10.96.0.0/12");
    /** Where candidates come from, in order of preference, and what to say about each pool. */
    private static final String RFC1918 = "private address space (RFC 1918)";
    private static final List<Candidate> POOLS = List.of(
            new Candidate(Cidr.parse("10.0.0.0/8"), RFC1918),
            new Candidate(Cidr.parse("172.16.0.0/12"), RFC1918),
            new Candidate(Cidr.parse("192.168.0.0/16"), RFC1918),
            new Candidate(Cidr.parse("100.64.0.0/10"), "shared address space (RFC 6598): no LAN uses it, but check"
                    + " that the underlay does not route it (carrier-grade NAT)"));

    /** A block and the pool it comes from. */
    private record Candidate(Cidr cidr, String origin) {
    }

    private final List<Suggestion> networks;
    private final List<Suggestion> serviceCidrs;
    private final List<NetworkUsage> usage;

    private Suggest(List<Suggestion> networks, List<Suggestion> serviceCidrs, List<NetworkUsage> usage) {
        this.networks = networks;
        this.serviceCidrs = serviceCidrs;
        this.usage = usage;
    }

    /** Works out the proposals and the current Network's usage for a scenario. */
    public static Suggest of(Scenario scenario) {
        AddressSet avoid = InUse.avoid(scenario);
        int known = InUse.ranges(scenario).size();
        int nodes = Math.max(1, scenario.nodes().size());
        // 2^k - 1 subnets (flannel skips the first) ≥ 4n  ⇔  k ≥ bit length of 4n
        int need = 64 - Long.numberOfLeadingZeros((long) HEADROOM * nodes);
        int netLen = Math.max(8, Math.min(16, SUBNET_LEN - need));
        String avoids = "overlaps none of the " + known + " addresses and ranges the scenario uses or declares"
                + " (nodes, LANs, pod and service ranges, leases, Docker bridges, declared networks), no reserved"
                + " range" + (scenario.platform().label().equals("onprem") ? "" : " of " + scenario.platform().label())
                + " and none of Docker's default pools";
        List<Suggestion> nets = new ArrayList<>();
        for (Candidate c : candidates(FLANNEL_DEFAULT, netLen, avoid)) {
            Cidr cidr = c.cidr();
            BigInteger subnets = BigInteger.ONE.shiftLeft(SUBNET_LEN - netLen).subtract(BigInteger.ONE);
            List<String> reasons = new ArrayList<>();
            if (cidr.contains(FLANNEL_DEFAULT.network())) {
                reasons.add("flannel's default Network (kube-flannel.yml) and the usual --pod-network-cidr");
            }
            reasons.add(c.origin());
            reasons.add("holds " + subnets + " subnets of /" + SUBNET_LEN + " for " + scenario.nodes().size()
                    + (scenario.nodes().size() == 1 ? " node (" : " nodes (") + subnets.divide(BigInteger.valueOf(nodes)) + "× headroom)");
            reasons.add(avoids);
            nets.add(new Suggestion(cidr, reasons));
        }
        AddressSet avoidForServices = nets.isEmpty() ? avoid : avoid.union(AddressSet.of(nets.get(0).cidr()));
        int svcLen = scenario.kubernetes().flatMap(k -> k.serviceCidr(IpFamily.IPV4))
                .map(s -> Math.max(12, Math.min(24, s.prefixLength()))).orElse(16);
        List<Suggestion> svcs = new ArrayList<>();
        for (Candidate c : candidates(KUBEADM_SERVICES, svcLen, avoidForServices)) {
            Cidr cidr = c.cidr();
            List<String> reasons = new ArrayList<>();
            if (cidr.overlaps(KUBEADM_SERVICES)) {
                reasons.add("inside kubeadm's default service range 10.96.0.0/12");
            }
            reasons.add(c.origin());
            reasons.add(cidr.size().subtract(BigInteger.TWO) + " ClusterIPs, within kube-apiserver's /12 limit");
            reasons.add(avoids + (nets.isEmpty() ? "" : ", nor the first proposed Network " + nets.get(0).cidr()));
            svcs.add(new Suggestion(cidr, reasons));
        }
        return new Suggest(List.copyOf(nets), List.copyOf(svcs), usage(scenario));
    }

    /** The preferred block first if free, then free blocks of the pools in address order, up to {@link #COUNT}. */
    private static List<Candidate> candidates(Cidr preferred, int len, AddressSet avoid) {
        Set<Cidr> seen = new LinkedHashSet<>();
        List<Candidate> out = new ArrayList<>();
        Cidr first = preferred.withPrefixLength(len);
        if (!avoid.overlaps(first)) {
            seen.add(first);
            out.add(new Candidate(first, RFC1918));
        }
        for (Candidate pool : POOLS) {
            Cidr p = pool.cidr();
            if (p.prefixLength() > len) {
                continue;
            }
            // Walk the free space of the pool rather than every block, so a crowded pool costs little.
            AddressSet free = AddressSet.of(p).subtract(avoid);
            for (Cidr c : (Iterable<Cidr>) free.blocks(len)::iterator) {
                if (out.size() >= COUNT) {
                    return out;
                }
                if (seen.add(c)) {
                    out.add(new Candidate(c, pool.origin()));
                }
            }
        }
        return out;
    }

    private static List<NetworkUsage> usage(Scenario scenario) {
        Optional<FlannelFacts> facts = InUse.flannel(scenario);
        if (facts.isEmpty()) {
            return List.of();
        }
        List<NetworkUsage> out = new ArrayList<>();
        List<Cidr> leaseBlocks = new ArrayList<>();
        for (var l : scenario.flannel().get().leases()) {
            LeaseFacts lf = LeaseFacts.of(l);
            leaseBlocks.add(lf.subnet());
            lf.ipv6Subnet().ifPresent(leaseBlocks::add);
        }
        for (Node n : scenario.nodes()) {
            leaseBlocks.addAll(n.podCidrs());
        }
        List<Cidr> others = new ArrayList<>();
        for (Node n : scenario.nodes()) {
            n.ips().forEach(ip -> others.add(Cidr.of(ip)));
            others.addAll(n.hostNetworks());
            n.docker().ifPresent(others::add);
        }
        scenario.kubernetes().map(Kubernetes::serviceCidrs).ifPresent(others::addAll);
        scenario.networks().forEach(d -> others.add(d.cidr()));
        KnownRanges.reserved(scenario.platform()).forEach(r -> others.add(r.cidr()));
        for (IpFamily fam : IpFamily.values()) {
            Optional<FlannelFacts.Family> f = facts.get().family(fam);
            if (f.isEmpty() || f.get().allocatable().isEmpty()) {
                continue;
            }
            AddressRange range = f.get().allocatable().get();
            int len = f.get().subnetLen();
            Set<Cidr> used = new LinkedHashSet<>();
            for (Cidr b : leaseBlocks) {
                if (b.family() == fam && range.overlaps(b.toRange())) {
                    if (b.prefixLength() >= len) {
                        used.add(b.withPrefixLength(len));
                    } else {
                        b.subnets(len).filter(x -> range.contains(x)).forEach(used::add);
                    }
                }
            }
            List<Cidr> taken = new ArrayList<>(leaseBlocks);
            taken.addAll(others);
            AddressSet free = AddressSet.ofRanges(List.of(range)).subtract(AddressSet.ofCidrs(taken));
            out.add(new NetworkUsage(f.get().network(), len, range, f.get().subnetCount(), used.size(), free));
        }
        return List.copyOf(out);
    }

    /** Proposed flannel Networks, best first (at most five; empty if nothing of the needed size is free). */
    public List<Suggestion> networks() {
        return networks;
    }

    /** Proposed service CIDRs, best first, the size of the current one (clamped to /12../24; /16 if none). */
    public List<Suggestion> serviceCidrs() {
        return serviceCidrs;
    }

    /** The current flannel Network's usage per family (IPv4 first); empty without a valid flannel config. */
    public List<NetworkUsage> usage() {
        return usage;
    }

    /**
     * The proposals as JSON: {@code {"networks": [{"cidr", "reasons"}], "serviceCidrs": [...], "usage": [{"network",
     * "subnetLen", "subnetRange", "subnets", "usedSubnets", "utilization", "free"}]}}.
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        write(root.putArray("networks"), networks);
        write(root.putArray("serviceCidrs"), serviceCidrs);
        ArrayNode u = root.putArray("usage");
        for (NetworkUsage n : usage) {
            ObjectNode o = u.addObject();
            o.put("network", n.network().toString());
            o.put("subnetLen", n.subnetLength());
            o.put("subnetRange", n.subnetRange().toString());
            o.put("subnets", n.subnets());
            o.put("usedSubnets", n.usedSubnets());
            o.put("utilization", Math.round(n.utilization() * 10000) / 10000.0);
            ArrayNode free = o.putArray("free");
            n.free().cidrs().forEach(c -> free.add(c.toString()));
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write suggestions", e);
        }
    }

    private static void write(ArrayNode arr, List<Suggestion> list) {
        for (Suggestion s : list) {
            ObjectNode o = arr.addObject();
            o.put("cidr", s.cidr().toString());
            ArrayNode r = o.putArray("reasons");
            s.reasons().forEach(r::add);
        }
    }
}
