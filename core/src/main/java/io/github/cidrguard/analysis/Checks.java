package io.github.cidrguard.analysis;

import io.github.cidrguard.kube.DeclaredNetwork;
import io.github.cidrguard.kube.DetectLocalMode;
import io.github.cidrguard.kube.KubeProxy;
import io.github.cidrguard.kube.Kubernetes;
import io.github.cidrguard.kube.Lease;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Platform;
import io.github.cidrguard.kube.ProxyMode;
import io.github.cidrguard.kube.RpFilter;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.Service;
import io.github.cidrguard.net.AddressRange;
import io.github.cidrguard.net.AddressSet;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Runs every rule of the catalogue over one scenario. One instance per analysis; not thread-safe. */
final class Checks {
    /** Backends registered in flannel v0.28 on Linux (flannel v0.28.9 pkg/backend and its registrations in main.go). */
    private static final Set<String> BACKENDS = Set.of("vxlan", "host-gw", "udp", "wireguard", "ipip", "ipsec",
            "alloc", "tencent-vpc", "extension");
    /** Removed in flannel v0.20.0. */
    private static final Set<String> REMOVED_BACKENDS = Set.of("aws-vpc", "gce", "ali-vpc");
    private static final String RESTART = "rewrite <prefix>/config, delete the leases under <prefix>/subnets and"
            + " restart flanneld on every node (cidrguard suggest proposes a free range)";

    private final Scenario scenario;
    private final List<Finding> out = new ArrayList<>();
    /**
     * Every node address, sorted, with its node (the first by name where two share one): "which nodes lie in this
     * block" is a binary search. Arrays rather than a TreeMap because this is built for every check of a
     * 5 000-node plan.
     */
    private final IpAddress[] ips;
    private final Node[] ipNodes;
    /** Each distinct LAN prefix with the names of the nodes on it. */
    private final TreeMap<Cidr, Names> hostNetworks = new TreeMap<>();
    /** All LAN prefixes as one set, to skip the per-LAN loop for the (usual) block that touches none. */
    private final AddressSet hostSet;
    /** Each distinct Docker bridge with the nodes running it. */
    private final TreeMap<Cidr, Names> dockerBridges = new TreeMap<>();
    private final List<Cidr> serviceCidrs;
    private final Optional<KubeProxy> kubeProxy;
    private FlannelFacts flannel;
    private final List<LeaseFacts> leases = new ArrayList<>();

    private Checks(Scenario scenario) {
        this.scenario = scenario;
        List<IpNode> pairs = new ArrayList<>();
        Map<Cidr, Names> hosts = new HashMap<>();
        Map<Cidr, Names> bridges = new HashMap<>();
        for (Node n : scenario.nodes()) {
            for (IpAddress ip : n.ips()) {
                pairs.add(new IpNode(ip, n));
            }
            for (Cidr h : n.hostNetworks()) {
                hosts.computeIfAbsent(h, k -> new Names()).add(n.name());
            }
            n.docker().ifPresent(d -> bridges.computeIfAbsent(d, k -> new Names()).add(n.name()));
        }
        pairs.sort(Comparator.comparing(IpNode::ip).thenComparing(e -> e.node().name()));
        List<IpNode> unique = new ArrayList<>(pairs.size());
        for (IpNode e : pairs) {
            if (unique.isEmpty() || !unique.get(unique.size() - 1).ip().equals(e.ip())) {
                unique.add(e);
            }
        }
        ips = new IpAddress[unique.size()];
        ipNodes = new Node[unique.size()];
        for (int i = 0; i < ips.length; i++) {
            ips[i] = unique.get(i).ip();
            ipNodes[i] = unique.get(i).node();
        }
        hostNetworks.putAll(hosts);
        dockerBridges.putAll(bridges);
        hostSet = AddressSet.ofCidrs(hostNetworks.keySet());
        Kubernetes k = scenario.kubernetes().orElse(Kubernetes.empty());
        serviceCidrs = k.serviceCidrs();
        kubeProxy = k.kubeProxy();
    }

    static List<Finding> run(Scenario scenario) {
        Checks c = new Checks(scenario);
        c.flannel();
        c.kubernetes();
        c.docker();
        c.reserved();
        c.declared();
        return c.out;
    }

    // ---- flannel ----

    private void flannel() {
        if (scenario.flannel().isEmpty()) {
            return;
        }
        try {
            flannel = FlannelFacts.parse(scenario.flannel().get().config());
        } catch (IllegalArgumentException e) {
            add(FindingCode.FLANNEL_CONFIG_INVALID, Severity.ERROR, null,
                    "flanneld rejects the network config: " + e.getMessage() + ". It retries every second and"
                            + " never starts, so no node gets a lease or routes.",
                    "Fix the value of <prefix>/config; `cidrguard flannel check` shows flannel's verdict.",
                    "flannel.config");
            return;
        }
        backend();
        for (Lease l : scenario.flannel().get().leases()) {
            leases.add(LeaseFacts.of(l));
        }
        for (IpFamily fam : IpFamily.values()) {
            flannel.family(fam).ifPresent(f -> {
                hostBits(f);
                podNetworkVsNodes(f);
                capacity(f);
            });
        }
        leases();
        podCidrs();
    }

    private void backend() {
        String type = flannel.backendType();
        String lower = type.toLowerCase(Locale.ROOT);
        if (BACKENDS.contains(lower)) {
            return;
        }
        String why = type.isEmpty() ? "The Backend has no Type"
                : REMOVED_BACKENDS.contains(lower) ? "Backend type '" + type + "' was removed in flannel v0.20.0"
                : "flannel v0.28 has no backend '" + type + "'";
        add(FindingCode.FLANNEL_BACKEND_UNKNOWN, Severity.ERROR, null,
                why + ", so flanneld fails at startup with 'unknown backend type: " + lower + "' and the node gets"
                        + " no pod networking.",
                "Set Backend.Type to a registered backend: vxlan (the usual choice), host-gw, wireguard, ipip, ipsec,"
                        + " udp, alloc, tencent-vpc or extension.",
                "flannel.Backend.Type '" + type + "'");
    }

    private void hostBits(FlannelFacts.Family f) {
        if (!f.hostBitsSet()) {
            return;
        }
        String key = netKey(f);
        add(FindingCode.NETWORK_HOST_BITS_SET, Severity.WARNING, f.network().toString(),
                "flannel." + key + " is written " + f.networkText() + " with host bits set; flannel silently clears"
                        + " them and uses " + f.network() + " (" + f.network().size() + " addresses) for leases, routes"
                        + " and masquerade rules.",
                "Write the network flannel really uses, " + f.network() + ", or the smaller range that was meant"
                        + " (a prefix with no host bits); never rely on the masking.",
                "flannel." + key + " (as written) " + f.networkText());
    }

    private void podNetworkVsNodes(FlannelFacts.Family f) {
        Cidr net = f.network();
        boolean v6 = net.family() == IpFamily.IPV6;
        for (Map.Entry<IpAddress, Node> e : nodesIn(net)) {
            Node n = e.getValue();
            String message;
            if (!v6) {
                boolean drops = n.rpFilter() == RpFilter.STRICT
                        || scenario.underlay().antiSpoofing();
                message = "Node " + n.name() + "'s address " + e.getKey() + " lies inside the flannel " + netKey(f)
                        + " " + net + ", so flannel's masquerade rule '-s <lease> -d " + net + " -j RETURN' lets pod"
                        + " traffic to this node leave un-NATed with the pod's source; the reply returns through"
                        + " the VXLAN tunnel, asymmetric to the request, and "
                        + (drops ? "strict rp_filter or underlay anti-spoofing drops it (pod to other node: 100%"
                        + " loss)." : "any strict rp_filter, stateful firewall or anti-spoofing on the path"
                        + " drops it.");
            } else {
                // flannel's masqIP6Rules have the same RETURN; Linux has no rp_filter for IPv6
                message = "Node " + n.name() + "'s address " + e.getKey() + " lies inside the flannel IPv6Network "
                        + net + ", so flannel's IPv6 masquerade rule (ip6tables nat FLANNEL-POSTRTG '-s <lease> -d "
                        + net + " -j RETURN') lets pod traffic to this node leave un-NATed with the pod's IPv6"
                        + " source, and the reply returns through the overlay, asymmetric to the request. Linux has"
                        + " no rp_filter for IPv6 (no net.ipv6.conf.*.rp_filter; node " + n.name() + "'s rpFilter"
                        + " setting is IPv4 only), so the kernel accepts that reply; "
                        + (scenario.underlay().antiSpoofing()
                        ? "but the underlay's anti-spoofing drops the request, which leaves the node with a pod"
                        + " source address (pod to other node over IPv6: 100% loss)."
                        : "it breaks only where a netfilter reverse-path rule (ip6tables '-m rpfilter --invert -j"
                        + " DROP', nft 'fib saddr . iif oif missing drop', firewalld's IPv6_rpfilter), a stateful"
                        + " firewall or underlay anti-spoofing is on the path, and pods' addresses leak onto the LAN.");
            }
            add(FindingCode.POD_NETWORK_CONTAINS_NODE_IP, Severity.ERROR, Cidr.of(e.getKey()).toString(),
                    message,
                    "Move the flannel " + netKey(f) + " to a range that contains no node address: " + RESTART + ".",
                    netSubject(f), nodeSubject(n, e.getKey()));
        }
        String min = v6 ? "IPv6SubnetMin" : "SubnetMin";
        String max = v6 ? "IPv6SubnetMax" : "SubnetMax";
        for (Map.Entry<Cidr, Names> h : hostNetworks.entrySet()) {
            Cidr host = h.getKey();
            Optional<Cidr> common = net.intersection(host);
            if (common.isPresent()) {
                add(FindingCode.POD_NETWORK_OVERLAPS_HOST_NETWORK, Severity.ERROR, common.get().toString(),
                        "The flannel " + netKey(f) + " " + net + " overlaps the LAN " + host + ": flannel treats LAN"
                                + " hosts there as pods, so pod traffic to them is not masqueraded"
                                + (v6 ? " (ip6tables FLANNEL-POSTRTG)" : "") + " and goes unanswered, and "
                                + (v6 ? "the IPv6 FLANNEL-FWD chain" : "FLANNEL-FWD") + " accepts anything to or"
                                + " from the LAN.",
                        "Move the flannel " + netKey(f) + " off the LAN: " + RESTART + ".",
                        netSubject(f), hostSubject(host, h.getValue()));
            }
            f.allocatable().flatMap(r -> r.intersection(host.toRange())).ifPresent(common2 ->
                    add(FindingCode.SUBNET_RANGE_COVERS_HOST_NETWORK, Severity.ERROR, rangeText(common2),
                            min + ".." + max + " (" + f.subnetMin() + "-" + f.subnetMax() + ", /" + f.subnetLen()
                                    + " leases) covers the LAN " + host + ", so flanneld can lease a node a subnet"
                                    + " inside it; " + (v6 ? ipv6LanRoute(f.subnetLen(), host)
                                    : "every node then routes that part of the LAN into the overlay, replacing the"
                                    + " connected route and cutting node-to-node traffic."),
                            "Move the " + netKey(f) + " off the LAN (see POD_NETWORK_OVERLAPS_HOST_NETWORK); as a"
                                    + " stopgap set " + min + "/" + max + " so that no lease can fall in " + host + ".",
                            "flannel." + min + ".." + max + " " + f.subnetMin() + "-" + f.subnetMax(),
                            hostSubject(host, h.getValue())));
        }
    }

    /**
     * What a lease of the given length inside or over an IPv6 LAN does to the routes. Unlike IPv4, where flannel's
     * route replaces a connected route of the same prefix, IPv6 keys routes by prefix and metric: flannel's route
     * (netlink RouteReplace without a metric: 1024) sits beside the kernel's connected route (metric 256) and loses.
     */
    private static String ipv6LanRoute(int subnetLen, Cidr host) {
        if (subnetLen > host.prefixLength()) {
            return "such a /" + subnetLen + " is more specific than the LAN's /" + host.prefixLength() + ", so every"
                    + " node routes it into the overlay and node-to-node traffic to those addresses is cut.";
        }
        if (subnetLen < host.prefixLength()) {
            return "the LAN's /" + host.prefixLength() + " is more specific than such a /" + subnetLen + ", so the"
                    + " connected route wins for the LAN's addresses: node-to-node traffic survives, but pods given"
                    + " addresses inside the LAN are unreachable from the other nodes.";
        }
        return "IPv6 keeps routes of equal prefix side by side by metric, so flannel's route for such a lease (metric"
                + " 1024) loses to the connected route of the LAN (metric 256): node-to-node traffic survives, but"
                + " the pods of that lease are unreachable from the other nodes, whose packets go onto the LAN where"
                + " neighbour discovery finds no one.";
    }

    private void capacity(FlannelFacts.Family f) {
        BigInteger count = f.subnetCount();
        BigInteger nodes = BigInteger.valueOf(scenario.nodes().size());
        String range = f.allocatable().map(Checks::rangeText).orElse(null);
        String subject = netSubject(f) + " (" + count + " subnets of /" + f.subnetLen() + ")";
        String p = f.network().family() == IpFamily.IPV4 ? "" : "IPv6";
        if (nodes.compareTo(count) > 0) {
            add(FindingCode.SUBNET_CAPACITY, Severity.ERROR, range,
                    "The flannel " + netKey(f) + " " + f.network() + " holds " + count + " subnets of /"
                            + f.subnetLen() + " between " + p + "SubnetMin and " + p + "SubnetMax, but the cluster has "
                            + nodes + " nodes; flanneld on the others fails with 'out of subnets'.",
                    "Use a larger " + netKey(f) + " or a longer " + p + "SubnetLen so that every node gets a subnet"
                            + " with headroom.",
                    subject, "nodes " + nodes);
        } else if (nodes.multiply(BigInteger.valueOf(5)).compareTo(count.multiply(BigInteger.valueOf(4))) > 0) {
            add(FindingCode.SUBNET_CAPACITY, Severity.WARNING, range,
                    "The flannel " + netKey(f) + " " + f.network() + " holds " + count + " subnets of /"
                            + f.subnetLen() + " and the cluster has " + nodes + " nodes, over 80 % used; a few more"
                            + " nodes and flanneld fails with 'out of subnets'.",
                    "Plan a larger " + netKey(f) + " (or a longer " + p + "SubnetLen) before the cluster grows.",
                    subject, "nodes " + nodes);
        }
    }

    private void leases() {
        for (LeaseFacts l : leases) {
            if (!compatible(l)) {
                FlannelFacts.Family f4 = flannel.v4();
                FlannelFacts.Family f6 = flannel.v6();
                List<String> parts = new ArrayList<>();
                if (f4 != null) {
                    parts.add("/" + f4.subnetLen() + " between " + f4.subnetMin() + " and " + f4.subnetMax());
                }
                if (f6 != null) {
                    parts.add("IPv6 /" + f6.subnetLen() + " between " + f6.subnetMin() + " and " + f6.subnetMax());
                } else if (l.ipv6Subnet().isPresent()) {
                    parts.add("no IPv6 part, as EnableIPv6 is off");
                }
                String expected = parts.isEmpty() ? "" : " (expected " + String.join("; ", parts) + ")";
                add(FindingCode.LEASE_INCOMPATIBLE, Severity.WARNING, l.subnet().toString(),
                        "Lease " + l.lease().key() + " does not fit the current config" + expected + ", so at its"
                                + " next restart flanneld on " + l.lease().publicIp() + " deletes it and takes a new"
                                + " subnet; pods on that node must be recreated to get addresses in it.",
                        "Expected after a Network change; plan a rolling restart of flanneld and of the pods, or"
                                + " delete the stale lease first.",
                        l.subject());
            }
            for (Cidr sub : l.ipv6Subnet().map(v6 -> List.of(l.subnet(), v6)).orElse(List.of(l.subnet()))) {
                for (Map.Entry<IpAddress, Node> e : nodesIn(sub)) {
                    Optional<Cidr> lan = e.getValue().hostNetworks().stream()
                            .filter(h -> h.contains(e.getKey())).findFirst();
                    boolean v6 = sub.family() == IpFamily.IPV6;
                    String effect = !v6 || lan.isEmpty() || sub.prefixLength() > lan.get().prefixLength()
                            ? "every node routes that address into the overlay, so nothing in the cluster reaches the"
                            + " node directly."
                            : "the node's LAN " + lan.get() + " is " + (sub.prefixLength() == lan.get().prefixLength()
                            ? "as specific as the lease, and IPv6 keeps both routes, the connected one (metric 256)"
                            + " winning over flannel's (metric 1024)" : "more specific than the lease") + ", so nodes"
                            + " still reach it, but the pods of that lease are unreachable from the other nodes on"
                            + " that LAN.";
                    add(FindingCode.LEASE_CONTAINS_NODE_IP, Severity.ERROR, Cidr.of(e.getKey()).toString(),
                            "Lease " + l.lease().key() + " contains node " + e.getValue().name() + "'s address "
                                    + e.getKey() + "; " + effect,
                            "Delete the lease and move the flannel " + (sub.family() == IpFamily.IPV4 ? "Network"
                                    : "IPv6Network") + " off the node addresses: " + RESTART + ".",
                            l.subject(), nodeSubject(e.getValue(), e.getKey()));
                }
                if (!hostSet.overlaps(sub)) {
                    continue;
                }
                for (Map.Entry<Cidr, Names> h : hostNetworks.entrySet()) {
                    Optional<Cidr> common = sub.intersection(h.getKey());
                    if (common.isPresent() && nodesIn(common.get()).isEmpty()) {
                        add(FindingCode.LEASE_CONTAINS_NODE_IP, Severity.ERROR, common.get().toString(),
                                "Lease " + l.lease().key() + " overlaps the LAN " + h.getKey() + "; "
                                        + (sub.family() == IpFamily.IPV6 && sub.prefixLength() <= h.getKey()
                                        .prefixLength() ? ipv6LanRoute(sub.prefixLength(), h.getKey())
                                        : "every node routes " + common.get() + " into the overlay instead of the"
                                        + " LAN."),
                                "Delete the lease and move the flannel " + (sub.family() == IpFamily.IPV4 ? "Network"
                                        : "IPv6Network") + " off the LAN: " + RESTART + ".",
                                l.subject(), hostSubject(h.getKey(), h.getValue()));
                    }
                }
            }
            if (nodeAt(l.lease().publicIp()) == null) {
                add(FindingCode.LEASE_ORPHANED, Severity.INFO, l.subnet().toString(),
                        "Lease " + l.lease().key() + " belongs to " + l.lease().publicIp() + ", which is no known"
                                + " node; it keeps the subnet taken until its TTL expires (24 h after the last renewal).",
                        "Add the node to the scenario if it exists; otherwise the lease can be deleted.",
                        l.subject());
            }
        }
        List<NamedRange> blocks = new ArrayList<>(leases.size());
        for (LeaseFacts l : leases) {
            blocks.add(NamedRange.of("", l.subnet()));
            l.ipv6Subnet().ifPresent(v6 -> blocks.add(NamedRange.of("", v6)));
        }
        // the overlap engine's linear-time test first: leases almost never overlap, and then nothing is sorted here
        if (OverlapFinder.anyOverlap(blocks)) {
            overlaps(leases.stream().map(l -> new Block(l.subnet(), l)).toList());
            overlaps(leases.stream().filter(l -> l.ipv6Subnet().isPresent())
                    .map(l -> new Block(l.ipv6Subnet().get(), l)).toList());
        }
    }

    /** flanneld's isSubnetConfigCompat, from the one place that mirrors it. */
    private boolean compatible(LeaseFacts l) {
        return flannel.config().isCompatible(l.key());
    }

    /** One family's subnet of a lease. */
    private record Block(Cidr cidr, LeaseFacts lease) {
    }

    /** Sweeps blocks sorted by address; a block overlaps an earlier one iff it lies in the widest open block. */
    private void overlaps(List<Block> blocks) {
        List<Block> sorted = new ArrayList<>(blocks);
        // a total order (down to identical leases), so the pairs reported do not depend on input order
        sorted.sort(Comparator.comparing(Block::cidr).thenComparing(b -> b.lease().lease().key())
                .thenComparing(b -> b.lease().lease().publicIp()));
        Block open = null;
        for (Block b : sorted) {
            if (open != null && open.cidr().overlaps(b.cidr())) {
                LeaseFacts a = open.lease();
                LeaseFacts l = b.lease();
                add(FindingCode.LEASE_OVERLAP, Severity.ERROR, b.cidr().toString(),
                        "Leases " + a.lease().key() + " and " + l.lease().key() + " overlap in " + b.cidr() + "; both"
                                + " nodes hand out pod addresses there and every other node routes them to only one"
                                + " of the two.",
                        "Delete one of the leases and restart flanneld on its node so that it takes a free subnet.",
                        a.subject(), l.subject());
            } else {
                open = b;
            }
        }
    }

    private void podCidrs() {
        for (Node n : scenario.nodes()) {
            for (Cidr pc : n.podCidrs()) {
                Optional<FlannelFacts.Family> f = flannel.family(pc.family());
                if (f.isEmpty()) {
                    add(FindingCode.FAMILY_MISMATCH, Severity.ERROR, pc.toString(),
                            "Node " + n.name() + " has an " + pc.family().label() + " podCidr " + pc + ", but flannel's"
                                    + " config does not enable " + pc.family().label() + ", so its pods get no address"
                                    + " of that family.",
                            "Enable " + pc.family().label() + " in the flannel config (EnableIPv6 and IPv6Network) or"
                                    + " drop the " + pc.family().label() + " podCidr.",
                            "node " + n.name() + " podCidr " + pc, "flannel.config");
                } else if (!f.get().network().contains(pc)) {
                    add(FindingCode.POD_CIDR_OUTSIDE_NETWORK, Severity.ERROR, pc.toString(),
                            "Node " + n.name() + "'s podCidr " + pc + " is not inside the flannel " + netKey(f.get())
                                    + " " + f.get().network() + "; flannel's routes and masquerade rules cover only the"
                                    + " Network, so its pods are unreachable from other nodes (kube-subnet-mgr refuses"
                                    + " to start).",
                            "Give the node a podCidr inside " + f.get().network() + ", or recreate the node after the"
                                    + " Network change.",
                            "node " + n.name() + " podCidr " + pc, netSubject(f.get()));
                }
            }
        }
    }

    // ---- Kubernetes ----

    private void kubernetes() {
        Optional<Kubernetes> k = scenario.kubernetes();
        if (k.isEmpty()) {
            return;
        }
        for (Cidr s : serviceCidrs) {
            serviceCidr(s);
        }
        clusterDns(k.get());
        for (Service svc : k.get().services()) {
            for (IpAddress ip : svc.clusterIps()) {
                if (!serviceCidrs.isEmpty() && serviceCidrs.stream().noneMatch(s -> s.family() == ip.family())) {
                    add(FindingCode.FAMILY_MISMATCH, Severity.ERROR, Cidr.of(ip).toString(),
                            "Service " + svc.name() + " has an " + ip.family().label() + " ClusterIP " + ip + ", but"
                                    + " the service CIDR has no " + ip.family().label() + " half, so kube-apiserver"
                                    + " cannot allocate it.",
                            "Add an " + ip.family().label() + " service CIDR (dual stack) or drop that ClusterIP.",
                            "service " + svc.name() + " clusterIp " + ip, "kubernetes.serviceCidr "
                                    + join(serviceCidrs));
                }
            }
        }
        kubeProxy.ifPresent(kp -> kubeProxy(kp, k.get()));
    }

    private void serviceCidr(Cidr s) {
        String subject = "kubernetes.serviceCidr " + s;
        int max = s.family() == IpFamily.IPV4 ? 12 : 108;
        if (s.prefixLength() < max) {
            add(FindingCode.SERVICE_CIDR_TOO_LARGE, Severity.ERROR, s.toString(),
                    "The service CIDR " + s + " is wider than /" + max + "; kube-apiserver refuses to start ('specified"
                            + " --service-cluster-ip-range is too large; for " + s.family().bits() + "-bit addresses,"
                            + " the mask must be >= " + max + "').",
                    "Use a service CIDR of /" + max + " or longer.", subject);
        }
        for (Map.Entry<IpAddress, Node> e : nodesIn(s)) {
            add(FindingCode.SERVICE_CIDR_CONTAINS_NODE_IP, Severity.ERROR, Cidr.of(e.getKey()).toString(),
                    "Node " + e.getValue().name() + "'s address " + e.getKey() + " lies in the service CIDR " + s
                            + "; once that ClusterIP is allocated, kube-proxy captures traffic to it (iptables: that"
                            + " port; IPVS: every port on every node; nftables drops new connections to any"
                            + " unallocated address of the range) and the node becomes unreachable from the cluster.",
                    "Move the service CIDR off the node addresses (it is fixed at cluster creation: plan a migration).",
                    subject, nodeSubject(e.getValue(), e.getKey()));
        }
        for (Map.Entry<Cidr, Names> h : hostNetworks.entrySet()) {
            s.intersection(h.getKey()).ifPresent(common ->
                    add(FindingCode.SERVICE_CIDR_OVERLAPS_HOST_NETWORK, Severity.ERROR, common.toString(),
                            "The service CIDR " + s + " overlaps the LAN " + h.getKey() + "; ClusterIPs allocated"
                                    + " there hijack traffic from pods and nodes to the LAN hosts with the same"
                                    + " address (nftables mode drops new connections to the whole overlap).",
                            "Use a service CIDR that overlaps no LAN (it is fixed at cluster creation: plan a"
                                    + " migration).",
                            subject, hostSubject(h.getKey(), h.getValue())));
        }
        if (flannel != null) {
            Optional<FlannelFacts.Family> f = flannel.family(s.family());
            if (f.isPresent()) {
                f.get().network().intersection(s).ifPresent(common ->
                        add(FindingCode.SERVICE_CIDR_OVERLAPS_POD_NETWORK, Severity.ERROR, common.toString(),
                                "The service CIDR " + s + " overlaps the flannel " + netKey(f.get()) + " "
                                        + f.get().network() + "; flannel's IPAM does not exclude it, so a pod can get"
                                        + " the address of a ClusterIP and kube-proxy captures traffic meant for the"
                                        + " pod.",
                                "Use a flannel Network and a service CIDR that do not overlap.",
                                netSubject(f.get()), subject));
            } else {
                add(FindingCode.FAMILY_MISMATCH, Severity.ERROR, s.toString(),
                        "The service CIDR has an " + s.family().label() + " half " + s + ", but flannel's config does"
                                + " not enable " + s.family().label() + ", so pods have no " + s.family().label()
                                + " address to serve or reach those ClusterIPs.",
                        "Enable " + s.family().label() + " in flannel (EnableIPv" + (s.family() == IpFamily.IPV4 ? 4
                                : 6) + " and its Network) or drop that half of the service CIDR.",
                        subject, "flannel.config");
            }
        }
    }

    private void clusterDns(Kubernetes k) {
        if (serviceCidrs.isEmpty()) {
            return;
        }
        Cidr primary = serviceCidrs.get(0);
        for (IpAddress dns : k.clusterDns()) {
            String subject = "kubernetes.clusterDns " + dns;
            Optional<Cidr> s = k.serviceCidr(dns.family());
            if (s.isEmpty()) {
                add(FindingCode.FAMILY_MISMATCH, Severity.ERROR, Cidr.of(dns).toString(),
                        "clusterDns " + dns + " is " + dns.family().label() + " but the service CIDR "
                                + join(serviceCidrs) + " has no " + dns.family().label() + " half, so no DNS service"
                                + " can hold that address and pods cannot resolve names.",
                        "Set clusterDns to the DNS service's ClusterIP inside the service CIDR.",
                        subject, "kubernetes.serviceCidr " + join(serviceCidrs));
            } else if (!s.get().contains(dns)) {
                add(FindingCode.CLUSTER_DNS_OUTSIDE_SERVICE_CIDR, Severity.ERROR, Cidr.of(dns).toString(),
                        "clusterDns " + dns + " is outside the service CIDR " + s.get() + ", so no DNS service can"
                                + " hold that ClusterIP and pods cannot resolve names.",
                        "Set clusterDns to an address inside " + s.get() + " (conventionally the tenth, "
                                + s.get().network().plus(10) + ").",
                        subject, "kubernetes.serviceCidr " + s.get());
            }
            if (primary.prefixLength() < primary.family().bits() && dns.equals(primary.network().plus(1))) {
                add(FindingCode.CLUSTER_DNS_IS_KUBERNETES_SERVICE_IP, Severity.ERROR, Cidr.of(dns).toString(),
                        "clusterDns " + dns + " is the first address of the service CIDR " + primary + ", which"
                                + " kube-apiserver gives the 'kubernetes' service; the DNS service cannot have it, so"
                                + " pods send DNS queries to the API server.",
                        "Set clusterDns to another address of " + primary + " (conventionally "
                                + primary.network().plus(10) + ").",
                        subject, "service default/kubernetes " + dns);
            }
        }
    }

    private void kubeProxy(KubeProxy kp, Kubernetes k) {
        IpFamily primary = serviceCidrs.isEmpty() ? IpFamily.IPV4 : serviceCidrs.get(0).family();
        if (kp.detectLocalMode() == DetectLocalMode.CLUSTER_CIDR && kp.clusterCidr(primary).isEmpty()
                && kp.mode() != ProxyMode.IPVS && !kp.masqueradeAll()) {
            add(FindingCode.KUBE_PROXY_CLUSTER_CIDR_MISSING, Severity.WARNING, null,
                    "kube-proxy runs in ClusterCIDR mode without an " + primary.label() + " clusterCidr, so it has no"
                            + " local-traffic detector: off-cluster traffic to ClusterIPs (through a static route to a"
                            + " node) is not masqueraded and its replies go astray.",
                    "Set kube-proxy's clusterCIDR to the pod network"
                            + (flannel != null && flannel.family(primary).isPresent()
                                    ? " (" + flannel.family(primary).get().network() + ")" : "") + ".",
                    "kubeProxy.clusterCidr (unset)");
        }
        for (Cidr cc : kp.clusterCidrs()) {
            if (flannel == null) {
                continue;
            }
            Optional<FlannelFacts.Family> f = flannel.family(cc.family());
            if (f.isEmpty()) {
                add(FindingCode.FAMILY_MISMATCH, Severity.ERROR, cc.toString(),
                        "kube-proxy's clusterCidr has an " + cc.family().label() + " entry " + cc + ", but flannel's"
                                + " config does not enable " + cc.family().label() + ".",
                        "Drop that entry or enable " + cc.family().label() + " in flannel.",
                        "kubeProxy.clusterCidr " + cc, "flannel.config");
            } else if (!f.get().network().equals(cc)) {
                add(FindingCode.KUBE_PROXY_CLUSTER_CIDR_MISMATCH, Severity.ERROR, cc.toString(),
                        "kube-proxy's clusterCidr " + cc + " differs from the flannel " + netKey(f.get()) + " "
                                + f.get().network() + ": pods outside it are treated as off-cluster (masqueraded, and"
                                + " ETP=Local services drop them) and hosts inside it as pods (not masqueraded).",
                        "Set kube-proxy's clusterCIDR to " + f.get().network() + ".",
                        "kubeProxy.clusterCidr " + cc, netSubject(f.get()));
            }
        }
        if (kp.mode() == ProxyMode.IPVS) {
            for (Service svc : k.services()) {
                for (IpAddress ip : svc.clusterIps()) {
                    ipvsVip(svc, ip, "clusterIp");
                }
                for (IpAddress ip : svc.externalIps()) {
                    ipvsVip(svc, ip, "externalIp");
                }
            }
        }
    }

    private void ipvsVip(Service svc, IpAddress ip, String field) {
        Node owner = nodeAt(ip);
        String subject = "service " + svc.name() + " " + field + " " + ip;
        if (owner != null) {
            add(FindingCode.IPVS_VIP_SHADOWS_HOST, Severity.ERROR, Cidr.of(ip).toString(),
                    "In IPVS mode every other node binds " + ip + " to kube-ipvs0 as a local address, so none of them"
                            + " can reach node " + owner.name() + " any more (kubelet leases fail, the node goes"
                            + " NotReady).",
                    "Never use a node's own address as a " + field + "; pick an address no host uses.",
                    subject, nodeSubject(owner, ip));
            return;
        }
        for (Map.Entry<Cidr, Names> h : hostNetworks.entrySet()) {
            if (h.getKey().contains(ip)) {
                add(FindingCode.IPVS_VIP_SHADOWS_HOST, Severity.ERROR, Cidr.of(ip).toString(),
                        "In IPVS mode every node binds " + ip + " to kube-ipvs0 as a local address, so traffic from"
                                + " nodes and pods to the LAN host with that address never leaves the node.",
                        "Use a " + field + " outside every LAN.",
                        subject, hostSubject(h.getKey(), h.getValue()));
            }
        }
    }

    // ---- Docker, reserved and declared ranges ----

    /** A range of the plan, its subject, and its kind: pod, service, host or declared. */
    private record Named(Cidr cidr, String subject, String kind) {
    }

    /** The cluster's own ranges that Docker bridges, reserved and declared ranges are checked against. */
    private List<Named> clusterRanges() {
        List<Named> out = new ArrayList<>();
        if (flannel != null) {
            for (IpFamily fam : IpFamily.values()) {
                flannel.family(fam).ifPresent(f -> out.add(new Named(f.network(), netSubject(f), "pod")));
            }
        }
        for (Cidr s : serviceCidrs) {
            out.add(new Named(s, "kubernetes.serviceCidr " + s, "service"));
        }
        hostNetworks.forEach((h, names) -> out.add(new Named(h, hostSubject(h, names), "host")));
        return out;
    }

    private void docker() {
        for (Map.Entry<Cidr, Names> d : dockerBridges.entrySet()) {
            Cidr bridge = d.getKey();
            String subject = "docker bridge " + bridge + " on " + d.getValue();
            List<Named> others = clusterRanges();
            for (DeclaredNetwork n : scenario.networks()) {
                others.add(new Named(n.cidr(), "network " + n.name() + " " + n.cidr(), "declared"));
            }
            for (Named o : others) {
                Cidr other = o.cidr();
                bridge.intersection(other).ifPresent(common ->
                        add(FindingCode.DOCKER_BRIDGE_OVERLAP, Severity.ERROR, common.toString(),
                                "Docker's bridge " + bridge + " overlaps the " + what(o.kind()) + " " + other + ": its"
                                        + " connected route ('" + bridge + " dev docker0') exists whenever Docker runs,"
                                        + " even with no containers, so those nodes send traffic for " + common
                                        + " to docker0 and it is lost.",
                                "Move Docker off that range (\"bip\" and \"default-address-pools\" in"
                                        + " /etc/docker/daemon.json), or move the " + what(o.kind()) + " elsewhere.",
                                subject, o.subject()));
            }
        }
    }

    private void reserved() {
        Platform platform = scenario.platform();
        for (Named r : clusterRanges()) {
            Cidr c = r.cidr();
            for (KnownRanges.Reserved res : KnownRanges.reserved(platform)) {
                Optional<Cidr> common = c.intersection(res.cidr());
                if (common.isEmpty()) {
                    continue;
                }
                Severity sev = res.severity();
                add(FindingCode.RESERVED_RANGE_OVERLAP, sev, common.get().toString(),
                        "The " + what(r.kind()) + " " + c + " overlaps " + res.cidr() + ", " + res.what() + "; "
                                + (sev == Severity.ERROR ? "the kernel and every router treat those addresses"
                                        + " specially, so traffic to them never reaches a pod, service or host."
                                        : "those addresses are reserved and may be used or filtered by others."),
                        "Use a private range (RFC 1918) for the " + what(r.kind()) + ".",
                        r.subject(), "reserved " + res.cidr() + " " + res.what());
            }
        }
    }

    private void declared() {
        for (DeclaredNetwork n : scenario.networks()) {
            for (Named r : clusterRanges()) {
                Cidr c = r.cidr();
                c.intersection(n.cidr()).ifPresent(common ->
                        add(FindingCode.DECLARED_NETWORK_OVERLAP, Severity.ERROR, common.toString(),
                                "The " + what(r.kind()) + " " + c + " overlaps the external network " + n.name() + " "
                                        + n.cidr() + ", so traffic from the cluster to " + common + " is routed"
                                        + (r.kind().equals("host") ? " onto the LAN instead of to " + n.name()
                                                : r.kind().equals("service") ? " to ClusterIPs or dropped by kube-proxy"
                                                : " into the overlay") + " and never reaches " + n.name() + ".",
                                "Move the " + what(r.kind()) + " off " + n.cidr() + ", or renumber " + n.name() + ".",
                                r.subject(), "network " + n.name() + " " + n.cidr()));
            }
        }
    }

    // ---- helpers ----

    private record IpNode(IpAddress ip, Node node) {
    }

    /** The node addresses in the block, in address order, each with its node. */
    private List<Map.Entry<IpAddress, Node>> nodesIn(Cidr c) {
        int i = Arrays.binarySearch(ips, c.first());
        if (i < 0) {
            i = -i - 1;
        }
        List<Map.Entry<IpAddress, Node>> out = List.of();
        for (; i < ips.length && c.contains(ips[i]); i++) {
            if (out.isEmpty()) {
                out = new ArrayList<>();
            }
            out.add(Map.entry(ips[i], ipNodes[i]));
        }
        return out;
    }

    /** The node with this address, or null. */
    private Node nodeAt(IpAddress ip) {
        int i = Arrays.binarySearch(ips, ip);
        return i >= 0 ? ipNodes[i] : null;
    }

    /** Node names of a LAN or bridge, sorted only when a finding needs them. */
    private static final class Names {
        private final List<String> names = new ArrayList<>();
        private boolean sorted;

        void add(String name) {
            names.add(name);
            sorted = false;
        }

        /** Up to three names and a count, so that a 5 000-node LAN makes a readable subject. */
        @Override
        public String toString() {
            if (!sorted) {
                Collections.sort(names);
                sorted = true;
            }
            String s = String.join(", ", names.subList(0, Math.min(3, names.size())));
            return names.size() > 3 ? s + " and " + (names.size() - 3) + " more" : s;
        }
    }

    private void add(FindingCode code, Severity severity, String range, String message, String remedy,
                     String... subjects) {
        out.add(new Finding(code, severity, List.of(subjects), Optional.ofNullable(range), message, remedy));
    }

    private static String what(String kind) {
        return switch (kind) {
            case "pod" -> "pod network";
            case "service" -> "service CIDR";
            case "host" -> "LAN";
            default -> "declared network";
        };
    }

    private static String netKey(FlannelFacts.Family f) {
        return f.network().family() == IpFamily.IPV4 ? "Network" : "IPv6Network";
    }

    private static String netSubject(FlannelFacts.Family f) {
        return "flannel." + netKey(f) + " " + f.network();
    }

    private static String nodeSubject(Node n, IpAddress ip) {
        return "node " + n.name() + " " + ip;
    }

    private static String hostSubject(Cidr host, Names nodes) {
        return "hostNetwork " + host + " of " + nodes;
    }

    private static String join(List<Cidr> cidrs) {
        return String.join(",", cidrs.stream().map(Cidr::toString).toList());
    }

    /** The range as a CIDR when it is exactly one block, else {@code a-b}; by arithmetic, as this runs often. */
    static String rangeText(AddressRange r) {
        BigInteger size = r.size();
        if (size.bitCount() == 1) {
            int len = r.family().bits() - (size.bitLength() - 1);
            Cidr c = Cidr.ofMasked(r.first(), len);
            if (c.network().equals(r.first())) {
                return c.toString();
            }
        }
        return r.toString();
    }
}
