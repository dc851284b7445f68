package io.github.cidrguard.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cidrguard.kube.ControllerManager;
import io.github.cidrguard.kube.Kubernetes;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.SubnetManager;
import io.github.cidrguard.net.AddressRange;
import io.github.cidrguard.net.AddressSet;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpFamily;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Replacement ranges for a scenario, found by {@link RangeSuggester}: flannel Networks (IPv4) and IPv6Networks and
 * service CIDRs of each family the plan uses, that overlap nothing the scenario uses or declares, no reserved range
 * of its platform, none of Docker's bridge and default pools and no other tool's default range; best first, each with
 * its reasons. Also reports the free space and utilization of the current Network of each family.
 *
 * <p><b>IPv4</b>: 10.244.0.0/16 where free, then other RFC 1918 space, then RFC 6598; sized for the nodes with at
 * least 4× headroom in /24 subnets (flannel's default SubnetLen), /8 to /16.
 *
 * <p><b>IPv6</b> (when flannel enables IPv6, or the service CIDR, a node address or a podCidr is IPv6): unique local
 * blocks of one site with a random 40-bit global ID (RFC 4193), then the well-known default (k3s's fd00:42::/56,
 * fd00:43::/112) when free. An IPv6Network is sized from the subnet length: flannel's IPv6SubnetLen (64 for any
 * IPv6Network of /62 or wider, as flanneld derives it), else the mask of the nodes' IPv6 podCidrs, else 64
 * (kube-controller-manager's --node-cidr-mask-size-ipv6 default); with 4× headroom, at least 256 subnets and at most
 * 16 bits of subnets (nodeipam refuses more for IPv6). An IPv6 service CIDR has the current one's length clamped to
 * /108../120 (kube-apiserver refuses wider than /108), else /112; it lies in the same ULA site as the first proposed
 * IPv6Network and clear of it.
 *
 * <p><b>Order of the families</b>: the family whose pod network or service CIDR is broken (an ERROR finding of {@link
 * Analysis} about that family) first, then the other; IPv4 first when both or neither are broken.
 *
 * <pre>{@code
 * Suggest s = Suggest.of(scenario);
 * Cidr network = s.networks().get(0).cidr();     // 10.244.0.0/16 for the seed
 * s.families();                                  // [IPV4]; [IPV6, IPV4] for a dual-stack plan whose IPv6Network is broken
 * }</pre>
 */
public final class Suggest {
    /** How many proposals of each kind and family. */
    static final int COUNT = 5;
    /** flannel's default SubnetLen for a Network of /22 or wider. */
    static final int SUBNET_LEN = 24;
    /** flannel's derived IPv6SubnetLen for an IPv6Network of /62 or wider, and kube's default IPv6 node mask. */
    static final int SUBNET_LEN_V6 = 64;
    static final int HEADROOM = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<IpFamily> families;
    private final List<Suggestion> networks;
    private final List<Suggestion> serviceCidrs;
    private final List<NetworkUsage> usage;

    private Suggest(List<IpFamily> families, List<Suggestion> networks, List<Suggestion> serviceCidrs,
                    List<NetworkUsage> usage) {
        this.families = families;
        this.networks = networks;
        this.serviceCidrs = serviceCidrs;
        this.usage = usage;
    }

    /**
     * Works out the proposals and the current Network's usage for a scenario; IPv6 unique local sites get a global
     * ID from a {@link SecureRandom}.
     */
    public static Suggest of(Scenario scenario) {
        return of(scenario, new SecureRandom());
    }

    /**
     * As {@link #of(Scenario)}, with the random source of the IPv6 global IDs given (a seeded one makes the
     * proposals reproducible).
     */
    public static Suggest of(Scenario scenario, RandomGenerator random) {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(random, "random");
        AddressSet inUse = AddressSet.ofCidrs(InUse.ranges(scenario));
        List<IpFamily> families = families(scenario);
        List<Suggestion> nets = new ArrayList<>();
        List<Suggestion> svcs = new ArrayList<>();
        for (IpFamily fam : families) {
            if (fam == IpFamily.IPV4) {
                ipv4(scenario, inUse, nets, svcs);
            } else {
                ipv6(scenario, inUse, random, nets, svcs);
            }
        }
        return new Suggest(List.copyOf(families), List.copyOf(nets), List.copyOf(svcs), usage(scenario));
    }

    private static void ipv4(Scenario scenario, AddressSet inUse, List<Suggestion> out, List<Suggestion> svcOut) {
        int nodes = Math.max(1, scenario.nodes().size());
        // kube mode: kube-controller-manager's node mask, and every block of the cluster CIDR is allocatable
        boolean kube = scenario.subnetManager() == SubnetManager.KUBE;
        int subnetLen = kube ? kubeMask(scenario, IpFamily.IPV4) : SUBNET_LEN;
        // 2^k - 1 subnets (flannel skips the first) >= 4n  <=>  k >= bit length of 4n
        int need = 64 - Long.numberOfLeadingZeros((long) HEADROOM * nodes);
        int netLen = Math.max(8, Math.min(16, subnetLen - need));
        BigInteger subnets = BigInteger.ONE.shiftLeft(subnetLen - netLen).subtract(kube ? BigInteger.ZERO
                : BigInteger.ONE);
        String capacity = "holds " + subnets + (kube ? " podCIDRs of /" + subnetLen + " (kube-controller-manager's"
                + " --node-cidr-mask-size) for " : " subnets of /" + SUBNET_LEN + " (flannel's default SubnetLen) for ")
                + scenario.nodes().size() + (scenario.nodes().size() == 1 ? " node (" : " nodes (")
                + subnets.divide(BigInteger.valueOf(nodes)) + "× headroom)"
                + (kube ? "; set it as net-conf.json's Network and as kube-controller-manager's --cluster-cidr" : "");
        List<Suggestion> nets = new ArrayList<>();
        for (RangeSuggester.Suggestion x : RangeSuggester.avoiding(inUse).withPlatform(scenario.platform())
                .suggest(netLen, COUNT)) {
            List<String> reasons = new ArrayList<>(x.reasons());
            reasons.add(capacity);
            nets.add(new Suggestion(x.cidr(), reasons));
        }
        AddressSet forServices = nets.isEmpty() ? inUse : inUse.union(AddressSet.of(nets.get(0).cidr()));
        int svcLen = scenario.kubernetes().flatMap(k -> k.serviceCidr(IpFamily.IPV4))
                .map(s -> Math.max(12, Math.min(24, s.prefixLength()))).orElse(16);
        for (RangeSuggester.Suggestion x : RangeSuggester.avoiding(forServices).withPlatform(scenario.platform())
                .suggest(svcLen, COUNT)) {
            List<String> reasons = new ArrayList<>(x.reasons());
            reasons.add(x.cidr().size().subtract(BigInteger.TWO) + " ClusterIPs, within kube-apiserver's /12 limit"
                    + (nets.isEmpty() ? "" : "; clear of the first proposed Network " + nets.get(0).cidr()));
            svcOut.add(new Suggestion(x.cidr(), reasons));
        }
        out.addAll(nets);
    }

    private static void ipv6(Scenario scenario, AddressSet inUse, RandomGenerator random, List<Suggestion> out,
                             List<Suggestion> svcOut) {
        int nodes = Math.max(1, scenario.nodes().size());
        int subnetLen = ipv6SubnetLen(scenario);
        String lenSource = subnetLenSource(scenario);
        int need = 64 - Long.numberOfLeadingZeros((long) HEADROOM * nodes);
        int bits = Math.min(16, Math.max(8, need));
        int netLen = Math.max(8, subnetLen - bits);
        bits = subnetLen - netLen;
        // flannel skips the first subnet of the IPv6Network too (IPv6SubnetMin = network + one subnet)
        BigInteger subnets = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        String capacity = "holds " + subnets + " subnets of /" + subnetLen + " (" + lenSource + ") for "
                + scenario.nodes().size() + (scenario.nodes().size() == 1 ? " node (" : " nodes (")
                + subnets.divide(BigInteger.valueOf(nodes)) + "× headroom)"
                + (bits == 16 && need > 16 ? "; kube-controller-manager allows at most 16 bits of node subnets in"
                + " an IPv6 cluster CIDR, so plan a longer IPv6SubnetLen for more headroom" : "");
        Cidr site = RangeSuggester.randomUlaSite(random);
        List<Suggestion> nets = new ArrayList<>();
        for (RangeSuggester.Suggestion x : RangeSuggester.avoiding(inUse).withPlatform(scenario.platform())
                .withRandom(random).suggest(IpFamily.IPV6, netLen, COUNT)) {
            List<String> reasons = new ArrayList<>(x.reasons());
            reasons.add(capacity);
            if (nets.isEmpty() && x.cidr().family() == IpFamily.IPV6 && x.cidr().prefixLength() >= 48) {
                site = x.cidr().supernet(48);
            }
            nets.add(new Suggestion(x.cidr(), reasons));
        }
        AddressSet forServices = nets.isEmpty() ? inUse : inUse.union(AddressSet.of(nets.get(0).cidr()));
        int svcLen = scenario.kubernetes().flatMap(k -> k.serviceCidr(IpFamily.IPV6))
                .map(s -> Math.max(108, Math.min(120, s.prefixLength()))).orElse(112);
        RangeSuggester forSvc = RangeSuggester.avoiding(forServices).withPlatform(scenario.platform())
                .withRandom(random);
        if (isUla(site)) {
            forSvc = forSvc.withUlaSite(site);
        }
        for (RangeSuggester.Suggestion x : forSvc.suggest(IpFamily.IPV6, svcLen, COUNT)) {
            List<String> reasons = new ArrayList<>(x.reasons());
            reasons.add(x.cidr().size().subtract(BigInteger.TWO) + " ClusterIPs, within kube-apiserver's /108 limit"
                    + " for IPv6" + (nets.isEmpty() ? "" : "; clear of the first proposed IPv6Network "
                    + nets.get(0).cidr()));
            svcOut.add(new Suggestion(x.cidr(), reasons));
        }
        out.addAll(nets);
    }

    private static boolean isUla(Cidr site) {
        return Cidr.parse("fd00::/8").contains(site);
    }

    /** flannel's IPv6SubnetLen, else the nodes' IPv6 podCidr mask, else 64. */
    private static int ipv6SubnetLen(Scenario scenario) {
        Optional<FlannelFacts.Family> f = InUse.flannel(scenario).flatMap(x -> x.family(IpFamily.IPV6));
        if (f.isPresent() && f.get().network().prefixLength() <= 62) {
            return f.get().subnetLen();
        }
        return scenario.nodes().stream().flatMap(n -> n.podCidr(IpFamily.IPV6).stream())
                .mapToInt(Cidr::prefixLength).max().orElse(SUBNET_LEN_V6);
    }

    private static String subnetLenSource(Scenario scenario) {
        Optional<FlannelFacts.Family> f = InUse.flannel(scenario).flatMap(x -> x.family(IpFamily.IPV6));
        if (f.isPresent() && f.get().network().prefixLength() <= 62) {
            return "flannel's IPv6SubnetLen";
        }
        if (scenario.nodes().stream().anyMatch(n -> n.podCidr(IpFamily.IPV6).isPresent())) {
            return "the mask of the nodes' IPv6 podCidrs";
        }
        return "flannel's IPv6SubnetLen for an IPv6Network of /62 or wider, and kube-controller-manager's default"
                + " --node-cidr-mask-size-ipv6";
    }

    /**
     * The families to propose for, the broken one first: those flannel enables (all the plan shows when its config
     * is absent or invalid) and those of the service CIDR; IPv4 alone when nothing says otherwise.
     */
    private static List<IpFamily> families(Scenario scenario) {
        Set<IpFamily> used = EnumSet.noneOf(IpFamily.class);
        Optional<FlannelFacts> facts = InUse.flannel(scenario);
        if (facts.isPresent()) {
            for (IpFamily fam : IpFamily.values()) {
                facts.get().family(fam).ifPresent(x -> used.add(fam));
            }
        } else {
            for (Node n : scenario.nodes()) {
                n.ips().forEach(ip -> used.add(ip.family()));
                n.podCidrs().forEach(c -> used.add(c.family()));
            }
            scenario.flannel().filter(f -> f.config().contains("IPv6Network")).ifPresent(f -> used.add(IpFamily.IPV6));
        }
        scenario.kubernetes().ifPresent(k -> k.serviceCidrs().forEach(c -> used.add(c.family())));
        if (used.isEmpty()) {
            used.add(IpFamily.IPV4);
        }
        Set<IpFamily> broken = broken(scenario);
        List<IpFamily> order = new ArrayList<>();
        if (broken.size() == 1) {
            broken.stream().filter(used::contains).forEach(order::add);
        }
        for (IpFamily fam : used) {
            if (!order.contains(fam)) {
                order.add(fam);
            }
        }
        return order;
    }

    /** The families an ERROR finding is about: by its range, else by flannel's or a subject's IPv6 wording. */
    private static Set<IpFamily> broken(Scenario scenario) {
        Set<IpFamily> out = EnumSet.noneOf(IpFamily.class);
        for (Finding f : Analysis.of(scenario).findings()) {
            if (f.severity() != Severity.ERROR) {
                continue;
            }
            if (f.range().isPresent()) {
                out.add(f.range().get().contains(":") ? IpFamily.IPV6 : IpFamily.IPV4);
            } else {
                boolean v6 = f.message().contains("IPv6") || f.subjects().stream().anyMatch(x -> x.contains("IPv6"));
                out.add(v6 ? IpFamily.IPV6 : IpFamily.IPV4);
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
        boolean kube = scenario.subnetManager() == SubnetManager.KUBE;
        for (IpFamily fam : IpFamily.values()) {
            Optional<FlannelFacts.Family> f = facts.get().family(fam);
            if (f.isEmpty() || f.get().allocatable().isEmpty()) {
                continue;
            }
            // kube mode: the podCIDRs come from the cluster CIDR in blocks of the node mask, none skipped
            Cidr pool = kube ? scenario.kubernetes().flatMap(Kubernetes::controllerManager)
                    .flatMap(cm -> cm.clusterCidr(fam)).orElse(f.get().network()) : null;
            int len = kube ? kubeMask(scenario, fam) : f.get().subnetLen();
            if (kube && len < pool.prefixLength()) {
                continue;
            }
            AddressRange range = kube ? pool.toRange() : f.get().allocatable().get();
            BigInteger count = kube ? pool.subnetCount(len) : f.get().subnetCount();
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
            out.add(new NetworkUsage(f.get().network(), len, range, count, used.size(), free));
        }
        return List.copyOf(out);
    }

    /** kube-controller-manager's node mask of a family (its defaults /24 and /64 when the plan does not say). */
    private static int kubeMask(Scenario scenario, IpFamily family) {
        return scenario.kubernetes().flatMap(Kubernetes::controllerManager).orElse(ControllerManager.defaults())
                .nodeMask(family);
    }

    /** The families proposals are made for, in the order of {@link #networks()}: the broken one first. */
    public List<IpFamily> families() {
        return families;
    }

    /**
     * Proposed flannel Networks (IPv4) and IPv6Networks, grouped by family in the order of {@link #families()}, best
     * first within each (at most five per family; none for a family where nothing of the needed size is free).
     */
    public List<Suggestion> networks() {
        return networks;
    }

    /**
     * Proposed service CIDRs, grouped by family as {@link #networks()}, best first, the size of the current one
     * (IPv4 clamped to /12../24, /16 if none; IPv6 clamped to /108../120, /112 if none).
     */
    public List<Suggestion> serviceCidrs() {
        return serviceCidrs;
    }

    /** The current flannel Network's usage per family (IPv4 first); empty without a valid flannel config. */
    public List<NetworkUsage> usage() {
        return usage;
    }

    /**
     * The proposals as JSON: {@code {"networks": [{"cidr", "family", "reasons"}], "serviceCidrs": [...], "families":
     * ["IPv6", "IPv4"], "usage": [{"network",
     * "subnetLen", "subnetRange", "subnets", "usedSubnets", "utilization", "free"}]}}.
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        write(root.putArray("networks"), networks);
        write(root.putArray("serviceCidrs"), serviceCidrs);
        ArrayNode fams = root.putArray("families");
        families.forEach(f -> fams.add(f.label()));
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
            o.put("family", s.cidr().family().label());
            ArrayNode r = o.putArray("reasons");
            s.reasons().forEach(r::add);
        }
    }
}
