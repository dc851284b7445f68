package io.github.cidrguard.analysis;

import io.github.cidrguard.flannel.FlannelConfigException;
import io.github.cidrguard.kube.ControllerManager;
import io.github.cidrguard.kube.DeclaredNetwork;
import io.github.cidrguard.kube.DetectLocalMode;
import io.github.cidrguard.kube.KubeProxy;
import io.github.cidrguard.kube.Kubernetes;
import io.github.cidrguard.kube.Lease;
import io.github.cidrguard.kube.LoadBalancerPool;
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
    /** The same change in kube mode, where the Network lives in net-conf.json and the leases are node podCIDRs. */
    private static final String RESTART_KUBE = "change Network in net-conf.json (the kube-flannel-cfg ConfigMap; k3s:"
            + " --cluster-cidr) and kube-controller-manager's --cluster-cidr together; a node's podCIDR is immutable,"
            + " so delete and re-register every node (kubectl delete node, restart its kubelet) and restart flanneld"
            + " (cidrguard suggest proposes a free range)";

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
    /** flanneld runs with {@code --kube-subnet-mgr}: node podCIDRs are the leases. */
    private final boolean kube;
    private final Optional<ControllerManager> controllerManager;

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
        controllerManager = k.controllerManager();
        kube = scenario.subnetManager() == io.github.cidrguard.kube.SubnetManager.KUBE;
    }

    static List<Finding> run(Scenario scenario) {
        Checks c = new Checks(scenario);
        c.flannel();
        c.kubernetes();
        c.docker();
        c.reserved();
        c.declared();
        c.podCidrOverlap();
        c.loadBalancers();
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
            if (kube) {
                kubeConfigInvalid(e);
                return;
            }
            add(FindingCode.FLANNEL_CONFIG_INVALID, Severity.ERROR, null,
                    "flanneld rejects the network config: " + e.getMessage() + ". It retries every second and"
                            + " never starts, so no node gets a lease or routes.",
                    "Fix the value of <prefix>/config; `cidrguard flannel check` shows flannel's verdict.",
                    "flannel.config");
            return;
        }
        backend();
        if (kube) {
            for (IpFamily fam : IpFamily.values()) {
                flannel.family(fam).ifPresent(f -> {
                    hostBits(f);
                    podNetworkVsNodes(f);
                    kubeCapacity(f);
                });
            }
            kubeLeases();
            podCidrs();
            clusterCidrMismatch();
            return;
        }
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
                    "Move the flannel " + netKey(f) + " to a range that contains no node address: " + restart() + ".",
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
                        "Move the flannel " + netKey(f) + " off the LAN: " + restart() + ".",
                        netSubject(f), hostSubject(host, h.getValue()));
            }
            if (kube) {
                continue; // kube mode: no SubnetMin..SubnetMax; a podCIDR in the LAN is checked per node
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
                                    : "IPv6Network") + " off the node addresses: " + restart() + ".",
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
                                        : "IPv6Network") + " off the LAN: " + restart() + ".",
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
                            kube ? "Node " + n.name() + "'s podCIDR " + pc + " is not inside the flannel "
                                    + netKey(f.get()) + " " + f.get().network() + ", and in kube mode the podCIDR is"
                                    + " the node's lease: flanneld on " + n.name() + " refuses to start ('subnet "
                                    + f.get().network() + " specified in the flannel net config doesn't contain "
                                    + pc + " PodCIDR') and the node gets no pod networking."
                                    : "Node " + n.name() + "'s podCidr " + pc + " is not inside the flannel "
                                    + netKey(f.get()) + " " + f.get().network() + "; flannel's routes and masquerade"
                                    + " rules cover only the Network, so its pods are unreachable from other nodes"
                                    + " (kube-subnet-mgr refuses to start).",
                            kube ? "Allocate pod CIDRs from inside " + f.get().network() + ": set kube-controller-manager's"
                                    + " --cluster-cidr to it; a node's podCIDR is immutable, so delete the node object"
                                    + " and re-register it (restart its kubelet) to get a new one."
                                    : "Give the node a podCidr inside " + f.get().network() + ", or recreate the node"
                                    + " after the Network change.",
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
        clusterIpsOutsideServiceCidr(k.get());
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

    // ---- kube mode (flanneld --kube-subnet-mgr), pod CIDRs and load balancers ----

    /** The remedy for moving the Network, in the words of the subnet manager in use. */
    private String restart() {
        return kube ? RESTART_KUBE : RESTART;
    }

    /**
     * Kube mode runs only ParseConfig on net-conf.json (flannel's pkg/subnet/kube/kube.go, NewSubnetManager, which
     * exits on an error), not CheckNetworkConfig: a config that fails only the latter still starts flanneld.
     */
    private void kubeConfigInvalid(IllegalArgumentException e) {
        boolean checkOnly = e.getCause() instanceof FlannelConfigException fce
                && fce.stage() == FlannelConfigException.Stage.CHECK;
        if (checkOnly) {
            add(FindingCode.FLANNEL_CONFIG_INVALID, Severity.WARNING, null,
                    "In kube mode flanneld does not run CheckNetworkConfig, so it starts with this net-conf.json, but"
                            + " the config fails that check (" + e.getMessage() + "); flanneld in etcd mode and"
                            + " `cidrguard flannel` refuse it, and cidrguard cannot derive the rest of its checks"
                            + " from it.",
                    "Remove SubnetLen/SubnetMin/SubnetMax from net-conf.json (kube mode does not use them; the"
                            + " node mask is kube-controller-manager's --node-cidr-mask-size) or make them valid.",
                    "flannel.config");
            return;
        }
        add(FindingCode.FLANNEL_CONFIG_INVALID, Severity.ERROR, null,
                "flanneld cannot parse net-conf.json: " + e.getMessage() + ". In kube mode it exits ('error parsing"
                        + " subnet config') and the kube-flannel pod crash-loops, so no node gets pod networking.",
                "Fix net-conf.json in the kube-flannel-cfg ConfigMap (k3s: the flannel-conf file or its"
                        + " --flannel-backend); `cidrguard flannel check` shows flannel's verdict.",
                "flannel.config");
    }

    /**
     * Kube mode: kube-controller-manager allocates each node a block of --node-cidr-mask-size from --cluster-cidr
     * (or flannel's Network when the plan does not state the cluster CIDR); every node past that count stays without
     * a podCIDR and flanneld there refuses to start ("node ... pod cidr not assigned").
     */
    private void kubeCapacity(FlannelFacts.Family f) {
        IpFamily fam = f.network().family();
        ControllerManager cm = controllerManager.orElse(ControllerManager.defaults());
        Cidr pool = cm.clusterCidr(fam).orElse(f.network());
        int mask = cm.nodeMask(fam);
        String subject = (cm.clusterCidr(fam).isPresent() ? "kubernetes.controllerManager.clusterCidr " + pool
                : netSubject(f)) + " (node mask /" + mask + ")";
        if (mask < pool.prefixLength()) {
            add(FindingCode.SUBNET_CAPACITY, Severity.ERROR, pool.toString(),
                    "kube-controller-manager's node CIDR mask /" + mask + " is shorter than the cluster CIDR " + pool
                            + ", so it cannot allocate any podCIDR and refuses to start its node IPAM; every node"
                            + " stays without a podCIDR and flanneld refuses to start.",
                    "Set --node-cidr-mask-size" + (fam == IpFamily.IPV6 ? "-ipv6" : "") + " to a length of at least /"
                            + pool.prefixLength() + " (default " + ControllerManager.DEFAULT_MASK_IPV4 + " for IPv4, "
                            + ControllerManager.DEFAULT_MASK_IPV6 + " for IPv6).",
                    subject);
            return;
        }
        BigInteger count = pool.subnetCount(mask);
        BigInteger nodes = BigInteger.valueOf(scenario.nodes().size());
        if (nodes.compareTo(count) > 0) {
            add(FindingCode.SUBNET_CAPACITY, Severity.ERROR, pool.toString(),
                    "kube-controller-manager can allocate " + count + " podCIDRs of /" + mask + " from " + pool
                            + ", but the cluster has " + nodes + " nodes; the others get no podCIDR ('CIDR allocation"
                            + " failed') and flanneld there refuses to start ('pod cidr not assigned').",
                    "Use a larger --cluster-cidr (and flannel Network) or a longer --node-cidr-mask-size so that every"
                            + " node gets a podCIDR with headroom; " + RESTART_KUBE + ".",
                    subject, "nodes " + nodes);
        } else if (nodes.multiply(BigInteger.valueOf(5)).compareTo(count.multiply(BigInteger.valueOf(4))) > 0) {
            add(FindingCode.SUBNET_CAPACITY, Severity.WARNING, pool.toString(),
                    "kube-controller-manager can allocate " + count + " podCIDRs of /" + mask + " from " + pool
                            + " and the cluster has " + nodes + " nodes, over 80 % used; a few more nodes get no"
                            + " podCIDR and no pod networking.",
                    "Plan a larger --cluster-cidr (or a longer --node-cidr-mask-size) before the cluster grows.",
                    subject, "nodes " + nodes);
        }
    }

    /** Kube mode: each node's podCIDR is its lease; one that holds a node address or part of a LAN is named. */
    private void kubeLeases() {
        for (Node n : scenario.nodes()) {
            for (Cidr pc : n.podCidrs()) {
                String subject = "node " + n.name() + " podCidr " + pc;
                for (Map.Entry<IpAddress, Node> e : nodesIn(pc)) {
                    add(FindingCode.LEASE_CONTAINS_NODE_IP, Severity.ERROR, Cidr.of(e.getKey()).toString(),
                            "Node " + n.name() + "'s podCIDR " + pc + ", its flannel lease in kube mode, contains node "
                                    + e.getValue().name() + "'s address " + e.getKey() + "; every node routes that"
                                    + " address into the overlay, so nothing in the cluster reaches the node directly.",
                            "Move kube-controller-manager's --cluster-cidr off the node addresses: " + RESTART_KUBE
                                    + ".",
                            subject, nodeSubject(e.getValue(), e.getKey()));
                }
                if (!hostSet.overlaps(pc)) {
                    continue;
                }
                for (Map.Entry<Cidr, Names> h : hostNetworks.entrySet()) {
                    Optional<Cidr> common = pc.intersection(h.getKey());
                    if (common.isPresent() && nodesIn(common.get()).isEmpty()) {
                        add(FindingCode.LEASE_CONTAINS_NODE_IP, Severity.ERROR, common.get().toString(),
                                "Node " + n.name() + "'s podCIDR " + pc + ", its flannel lease in kube mode, overlaps"
                                        + " the LAN " + h.getKey() + "; every node routes " + common.get() + " into"
                                        + " the overlay instead of the LAN.",
                                "Move kube-controller-manager's --cluster-cidr and the flannel Network off the LAN: "
                                        + RESTART_KUBE + ".",
                                subject, hostSubject(h.getKey(), h.getValue()));
                    }
                }
            }
        }
    }

    /** kube-controller-manager's --cluster-cidr against flannel's Network, per family. */
    private void clusterCidrMismatch() {
        if (controllerManager.isEmpty()) {
            return;
        }
        for (Cidr cc : controllerManager.get().clusterCidrs()) {
            Optional<FlannelFacts.Family> f = flannel.family(cc.family());
            if (f.isEmpty() || f.get().network().equals(cc)) {
                continue;
            }
            Cidr net = f.get().network();
            boolean inside = net.contains(cc);
            String subject = "kubernetes.controllerManager.clusterCidr " + cc;
            add(FindingCode.CLUSTER_CIDR_MISMATCH, inside ? Severity.WARNING : Severity.ERROR, cc.toString(),
                    inside ? "kube-controller-manager allocates podCIDRs from " + cc + ", only part of the flannel "
                            + netKey(f.get()) + " " + net + "; flanneld starts, but the rest of " + net + " is routed"
                            + " into the overlay and exempt from masquerading although no node's pods use it."
                            : "kube-controller-manager allocates podCIDRs from " + cc + ", which is not inside the"
                            + " flannel " + netKey(f.get()) + " " + net + "; on every node whose podCIDR falls outside"
                            + " " + net + " flanneld refuses to start ('doesn't contain ... PodCIDR').",
                    "Make kube-controller-manager's --cluster-cidr and the Network in net-conf.json the same range"
                            + " (k3s sets both from --cluster-cidr); podCIDRs already allocated are immutable, so"
                            + " affected nodes must be deleted and re-registered.",
                    subject, netSubject(f.get()));
        }
    }

    /** Two nodes' pod CIDRs that are equal or overlap: both hand out the same pod addresses. */
    private void podCidrOverlap() {
        List<PodBlock> blocks = new ArrayList<>();
        for (Node n : scenario.nodes()) {
            for (Cidr pc : n.podCidrs()) {
                blocks.add(new PodBlock(pc, n));
            }
        }
        blocks.sort(Comparator.comparing(PodBlock::cidr).thenComparing(b -> b.node().name()));
        PodBlock open = null;
        for (PodBlock b : blocks) {
            if (open != null && open.cidr().family() == b.cidr().family() && open.cidr().overlaps(b.cidr())) {
                boolean same = open.cidr().equals(b.cidr());
                add(FindingCode.POD_CIDR_OVERLAP, Severity.ERROR, b.cidr().toString(),
                        "Nodes " + open.node().name() + " and " + b.node().name() + " hold "
                                + (same ? "the same pod subnet " + b.cidr() : "overlapping pod subnets " + open.cidr()
                                + " and " + b.cidr()) + "; both hand out pod addresses there, and every other node"
                                + " routes them to only one of the two, so pods on the other node are unreachable"
                                + " and addresses are handed out twice.",
                        kube ? "Delete one of the nodes and re-register it (restart its kubelet) so that"
                                + " kube-controller-manager allocates it a free podCIDR (spec.podCIDR is immutable);"
                                + " check that only one kube-controller-manager allocates node CIDRs."
                                : "Delete one of the leases and restart flanneld on its node so that it takes a free"
                                + " subnet.",
                        "node " + open.node().name() + " podCidr " + open.cidr(),
                        "node " + b.node().name() + " podCidr " + b.cidr());
            } else if (open == null || open.cidr().family() != b.cidr().family()
                    || !open.cidr().contains(b.cidr())) {
                open = b;
            }
        }
    }

    private record PodBlock(Cidr cidr, Node node) {
    }

    /** Every ClusterIP must lie in the service CIDR of its family. */
    private void clusterIpsOutsideServiceCidr(Kubernetes k) {
        for (Service svc : k.services()) {
            for (IpAddress ip : svc.clusterIps()) {
                Optional<Cidr> s = k.serviceCidr(ip.family());
                if (s.isPresent() && !s.get().contains(ip)) {
                    add(FindingCode.CLUSTER_IP_OUTSIDE_SERVICE_CIDR, Severity.ERROR, Cidr.of(ip).toString(),
                            "Service " + svc.name() + "'s ClusterIP " + ip + " is outside the service CIDR " + s.get()
                                    + "; the plan's service CIDR is not the one the API server allocates from (or the"
                                    + " service predates a change), so overlap checks against " + s.get() + " miss"
                                    + " it, and kube-proxy in nftables mode or with a restricted range treats it as no"
                                    + " service.",
                            "State the service CIDR the API server really uses (kube-apiserver"
                                    + " --service-cluster-ip-range, k3s --service-cidr, or the ServiceCIDR objects),"
                                    + " or recreate the service so that it gets an address inside " + s.get() + ".",
                            "service " + svc.name() + " clusterIp " + ip, "kubernetes.serviceCidr " + s.get());
                }
            }
        }
    }

    /**
     * Load-balancer pools and assigned LB addresses against nodes and the cluster's ranges. A pool inside the node
     * LAN is normal (MetalLB L2, kube-vip ARP): only a node's own address in it is flagged. An assigned address equal
     * to a node address is flagged in IPVS mode, where kube-proxy binds it to kube-ipvs0 on every node; in iptables
     * and nftables mode it captures only the service's ports, which k3s ServiceLB relies on.
     */
    private void loadBalancers() {
        List<Named> ranges = new ArrayList<>(clusterRanges());
        ranges.removeIf(r -> r.kind().equals("host"));
        controllerManager.ifPresent(cm -> cm.clusterCidrs().forEach(c -> ranges.add(new Named(c,
                "kubernetes.controllerManager.clusterCidr " + c, "pod"))));
        dockerBridges.forEach((d, names) -> ranges.add(new Named(d, "docker bridge " + d + " on " + names, "docker")));
        for (DeclaredNetwork n : scenario.networks()) {
            ranges.add(new Named(n.cidr(), "network " + n.name() + " " + n.cidr(), "declared"));
        }
        boolean ipvs = kubeProxy.map(kp -> kp.mode() == ProxyMode.IPVS).orElse(false);
        for (LoadBalancerPool pool : scenario.loadBalancerPools()) {
            for (AddressRange r : pool.addresses()) {
                String subject = "loadBalancerPool " + pool.name() + " " + rangeText(r);
                for (Cidr block : r.toCidrs()) {
                    for (Map.Entry<IpAddress, Node> e : nodesIn(block)) {
                        add(FindingCode.LOAD_BALANCER_POOL_OVERLAP, Severity.ERROR, Cidr.of(e.getKey()).toString(),
                                "The load-balancer pool " + pool.name() + " " + rangeText(r) + " contains node "
                                        + e.getValue().name() + "'s address " + e.getKey() + "; once a Service gets"
                                        + " it, the load balancer answers ARP for it and kube-proxy captures traffic to"
                                        + " it on every node (IPVS: every port), so the node becomes unreachable.",
                                "Take the node addresses out of the pool: split the pool's addresses around them"
                                        + " (MetalLB's IPAddressPool and Cilium's blocks take CIDRs and first-last"
                                        + " ranges), or move the pool to a free part of the LAN.",
                                subject, nodeSubject(e.getValue(), e.getKey()));
                    }
                }
                lbOverlaps(r, subject, "load-balancer pool " + pool.name() + " " + rangeText(r), ranges);
            }
        }
        for (Service svc : scenario.kubernetes().map(Kubernetes::services).orElse(List.of())) {
            for (IpAddress ip : svc.loadBalancerIps()) {
                String subject = "service " + svc.name() + " loadBalancerIp " + ip;
                Node owner = nodeAt(ip);
                if (owner != null && ipvs) {
                    add(FindingCode.LOAD_BALANCER_POOL_OVERLAP, Severity.ERROR, Cidr.of(ip).toString(),
                            "Service " + svc.name() + "'s load-balancer address " + ip + " is node " + owner.name()
                                    + "'s address; in IPVS mode every other node binds it to kube-ipvs0, so none of"
                                    + " them can reach " + owner.name() + " any more (kubelet, API server, SSH).",
                            "Give the service an address no host uses (a pool outside the node addresses).",
                            subject, nodeSubject(owner, ip));
                }
                if (scenario.loadBalancerPools().stream().flatMap(p -> p.addresses().stream())
                        .noneMatch(r -> r.contains(ip))) {
                    lbOverlaps(AddressRange.of(ip), subject, "load-balancer address " + ip + " of " + svc.name(),
                            ranges);
                }
            }
        }
    }

    private void lbOverlaps(AddressRange r, String subject, String what, List<Named> ranges) {
        for (Named o : ranges) {
            r.intersection(o.cidr().toRange()).ifPresent(common ->
                    add(FindingCode.LOAD_BALANCER_POOL_OVERLAP, Severity.ERROR, rangeText(common),
                            "The " + what + " overlaps the " + lbWhat(o.kind()) + " " + o.cidr() + "; traffic to "
                                    + rangeText(common) + " is caught by kube-proxy's load-balancer rules on every node"
                                    + " and never reaches the " + lbWhat(o.kind()) + " (and the other way round from"
                                    + " outside), so both break.",
                            "Use load-balancer addresses outside the pod network, the service CIDR, Docker's bridges"
                                    + " and every declared network: typically a free part of the node LAN (L2 mode) or"
                                    + " a dedicated routed range (BGP mode).",
                            subject, o.subject()));
        }
        for (KnownRanges.Reserved res : KnownRanges.reserved(scenario.platform())) {
            if (res.severity() != Severity.ERROR) {
                continue;
            }
            r.intersection(res.cidr().toRange()).ifPresent(common ->
                    add(FindingCode.LOAD_BALANCER_POOL_OVERLAP, Severity.ERROR, rangeText(common),
                            "The " + what + " overlaps " + res.cidr() + ", " + res.what() + "; the kernel and every"
                                    + " router treat those addresses specially, so no client reaches the service there.",
                            "Use load-balancer addresses from a private range (RFC 1918) or your own public range.",
                            subject, "reserved " + res.cidr() + " " + res.what()));
        }
    }

    private static String lbWhat(String kind) {
        return kind.equals("docker") ? "Docker bridge" : what(kind);
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
