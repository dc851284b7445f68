package io.github.cidrguard.trace;

import io.github.cidrguard.trace.routing.LeaseRoutes;
import io.github.cidrguard.trace.routing.Route;
import io.github.cidrguard.trace.netfilter.Ruleset;
import io.github.cidrguard.kube.DetectLocalMode;
import io.github.cidrguard.kube.ProxyMode;

import io.github.cidrguard.net.AddressSet;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The whole cluster's data plane of one address family: every node's plane (built on first use), the leases and who
 * owns every address. A dual-stack cluster has two, one per family, that share nothing: Linux routes, filters and
 * tracks each family on its own, and flannel and kube-proxy write each family's rules apart.
 */
final class Plane {
    static final int VXLAN_PORT = 8472;
    static final AddressSet SPECIAL = AddressSet.of(Cidr.parse("0.0.0.0/8"), Cidr.parse("127.0.0.0/8"),
            Cidr.parse("224.0.0.0/3"));
    /**
     * IPv6's addresses that are never a host on the underlay: the unspecified and loopback addresses, link-local
     * (never forwarded, RFC 4291 §2.5.6) and multicast.
     */
    static final AddressSet SPECIAL6 = AddressSet.of(Cidr.parse("::/127"), Cidr.parse("fe80::/10"),
            Cidr.parse("ff00::/8"));

    /** The family of every address in this plane. */
    final IpFamily family;
    /** {@link #SPECIAL} or {@link #SPECIAL6}, by family. */
    final AddressSet special;

    final Spec spec;
    final Cidr network;
    final String backend;
    final Spec.NodeSpec[] nodes;
    final Cidr[] leaseOf;
    final Map<IpAddress, Integer> nodeByIp = new HashMap<>();
    final Map<String, Integer> nodeByName = new HashMap<>();
    final LeaseRoutes leases;
    final boolean leaseRoutesInstalled;
    final Map<IpAddress, Route> ipvsRoutes = new HashMap<>();
    final Map<IpAddress, Spec.PodSpec> podByIp = new HashMap<>();
    /** Endpoint addresses no listed pod holds -> the Service they serve: a pod holds each (its endpoint). */
    final Map<IpAddress, String> endpointOf = new HashMap<>();
    final Map<String, Spec.PodSpec> podByName = new LinkedHashMap<>();
    final Map<IpAddress, Spec.SvcSpec> svcByIp = new HashMap<>();
    final Map<String, Spec.SvcSpec> svcByName = new LinkedHashMap<>();
    final AddressSet serviceCidrs;
    final AddressSet hostNetworks;
    final AddressSet dockerBridges;
    private final NodePlane[] planes;
    /** kube-proxy's iptables rules when they are the same on every node (built once, copied per node). */
    Ruleset kubeTemplate;
    /**
     * Whether an address of a lease that no listed pod holds counts as a pod of that lease's node (reachability:
     * pods come and go, so a lease stands for the pods that may be scheduled there), or as nobody (a trace: an
     * address is a pod only if a pod holds it).
     */
    final boolean leasePods;
    /**
     * Per node: flanneld refuses to start there because the node's podCidr lies outside the Network
     * (kube-subnet-mgr's check, POD_CIDR_OUTSIDE_NETWORK), so the node has no flannel device, routes or rules, no cni0
     * (the flannel CNI plugin finds no subnet.env), and the other nodes install no route for its lease.
     */
    final boolean[] flannelDown;

    Plane(Spec spec) {
        this(spec, false);
    }

    /**
     * The same data plane with another view of who holds lease addresses: the node planes (built on first use) are
     * shared, since routes and rules do not depend on it.
     */
    Plane withLeasePods(boolean assume) {
        return assume == leasePods ? this : new Plane(this, assume);
    }

    private Plane(Plane o, boolean leasePods) {
        this.spec = o.spec;
        this.family = o.family;
        this.special = o.special;
        this.leasePods = leasePods;
        this.network = o.network;
        this.backend = o.backend;
        this.nodes = o.nodes;
        this.leaseOf = o.leaseOf;
        this.flannelDown = o.flannelDown;
        this.nodeByIp.putAll(o.nodeByIp);
        this.nodeByName.putAll(o.nodeByName);
        this.leases = o.leases;
        this.leaseRoutesInstalled = o.leaseRoutesInstalled;
        this.ipvsRoutes.putAll(o.ipvsRoutes);
        this.podByIp.putAll(o.podByIp);
        this.endpointOf.putAll(o.endpointOf);
        this.podByName.putAll(o.podByName);
        this.svcByIp.putAll(o.svcByIp);
        this.svcByName.putAll(o.svcByName);
        this.serviceCidrs = o.serviceCidrs;
        this.hostNetworks = o.hostNetworks;
        this.dockerBridges = o.dockerBridges;
        this.planes = o.planes;
        this.publicIps = o.publicIps;
        this.nodeByPublicIp.putAll(o.nodeByPublicIp);
        this.lbByIp.putAll(o.lbByIp);
    }

    Plane(Spec spec, boolean leasePods) {
        this.spec = spec;
        this.family = spec.family();
        this.special = family == IpFamily.IPV6 ? SPECIAL6 : SPECIAL;
        this.leasePods = leasePods;
        this.network = spec.flannel() == null ? null : spec.flannel().network();
        this.backend = spec.flannel() == null ? "none" : spec.flannel().backend().toLowerCase(Locale.ROOT);
        this.nodes = spec.nodes().toArray(new Spec.NodeSpec[0]);
        this.leaseOf = new Cidr[nodes.length];
        this.flannelDown = new boolean[nodes.length];
        List<Cidr> hn = new ArrayList<>();
        List<Cidr> dk = new ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            if (nodeByName.put(nodes[i].name(), i) != null) {
                throw new IllegalArgumentException("two nodes are named " + nodes[i].name() + "; rename one");
            }
            nodeByIp.putIfAbsent(nodes[i].ip(), i);
            nodeByPublicIp.putIfAbsent(nodes[i].publicIp(), i);
            leaseOf[i] = nodes[i].podCidr();
            if (network != null && leaseOf[i] != null && !network.contains(leaseOf[i])) {
                leaseOf[i] = null;
                flannelDown[i] = true;
            }
            hn.add(nodes[i].hostNetwork());
            if (nodes[i].docker() != null) {
                dk.add(nodes[i].docker());
            }
        }
        this.hostNetworks = AddressSet.ofCidrs(hn);
        this.dockerBridges = AddressSet.ofCidrs(dk);
        // leases: the nodes' podCidrs, plus the etcd leases (by PublicIP) for nodes without one, plus orphans
        List<Cidr> lc = new ArrayList<>();
        List<Integer> lo = new ArrayList<>();
        List<IpAddress> lp = new ArrayList<>();
        if (spec.flannel() != null) {
            for (Spec.LeaseSpec l : spec.flannel().leases()) {
                Integer owner = nodeAt(l.publicIp());
                if (owner != null && flannelDown[owner]) {
                    continue;
                }
                if (owner != null && leaseOf[owner] == null) {
                    leaseOf[owner] = l.subnet();
                } else if (owner == null || !l.subnet().equals(leaseOf[owner])) {
                    lc.add(l.subnet());
                    lo.add(owner == null ? -1 : owner);
                    lp.add(l.publicIp());
                }
            }
        }
        for (int i = 0; i < nodes.length; i++) {
            if (leaseOf[i] != null) {
                lc.add(leaseOf[i]);
                lo.add(i);
                lp.add(nodes[i].publicIp());
            }
        }
        int k = lc.size();
        Cidr[] cs = lc.toArray(new Cidr[0]);
        Route[] tunnel = new Route[k];
        Route[] direct = new Route[k];
        int[] owners = new int[k];
        boolean installed = true;
        for (int i = 0; i < k; i++) {
            owners[i] = lo.get(i);
            Cidr c = cs[i];
            IpAddress pub = lp.get(i);
            switch (backend) {
                case "vxlan" -> {
                    tunnel[i] = Route.via(c, c.network(), tunnelDevice(), true);
                    direct[i] = spec.flannel().directRouting() ? Route.via(c, pub, "eth0", false) : null;
                }
                case "host-gw" -> direct[i] = Route.via(c, pub, "eth0", false);
                case "ipip" -> {
                    if (family == IpFamily.IPV6) {
                        installed = false; // flannel's ipip backend ignores IPv6 (docs/architecture.md, "Traces")
                        continue;
                    }
                    tunnel[i] = Route.via(c, pub, "flannel.ipip", true);
                    direct[i] = spec.flannel().directRouting() ? Route.via(c, pub, "eth0", false) : null;
                }
                default -> installed = false;
            }
        }
        this.leases = new LeaseRoutes(cs, tunnel, direct, owners);
        this.leaseRoutesInstalled = installed && network != null;
        this.publicIps = new HashMap<>();
        for (int i = 0; i < k; i++) {
            publicIps.put(cs[i], lp.get(i));
        }
        for (Spec.PodSpec p : spec.pods()) {
            podByIp.put(p.ip(), p);
            podByName.put(p.name(), p);
        }
        for (Spec.SvcSpec s : spec.services()) {
            for (Spec.EpSpec e : s.endpoints()) {
                if (!podByIp.containsKey(e.ip())) {
                    endpointOf.putIfAbsent(e.ip(), s.name());
                }
            }
        }
        List<Cidr> sc = new ArrayList<>(spec.serviceCidrs());
        this.serviceCidrs = AddressSet.ofCidrs(sc);
        for (Spec.SvcSpec s : spec.services()) {
            svcByName.put(s.name(), s);
            if (s.clusterIp() != null) {
                svcByIp.putIfAbsent(s.clusterIp(), s);
            }
            for (IpAddress e : s.externalIps()) {
                svcByIp.putIfAbsent(e, s);
            }
            for (IpAddress lb : s.loadBalancerIps()) {
                svcByIp.putIfAbsent(lb, s);
                lbByIp.putIfAbsent(lb, s);
            }
            if (proxyMode() == ProxyMode.IPVS && kubeProxyModelled()) {
                if (s.clusterIp() != null) {
                    ipvsRoutes.put(s.clusterIp(), Route.localAddress(s.clusterIp(), "kube-ipvs0"));
                }
                for (IpAddress e : s.externalIps()) {
                    ipvsRoutes.putIfAbsent(e, Route.localAddress(e, "kube-ipvs0"));
                }
                for (IpAddress lb : s.loadBalancerIps()) {
                    ipvsRoutes.putIfAbsent(lb, Route.localAddress(lb, "kube-ipvs0"));
                }
            }
        }
        this.planes = new NodePlane[nodes.length];
    }

    final Map<Cidr, IpAddress> publicIps;
    /** flannel PublicIP -> node, for the nodes whose PublicIP is not their node IP as well. */
    final Map<IpAddress, Integer> nodeByPublicIp = new HashMap<>();
    /** Load-balancer address -> the Service it was handed to. */
    final Map<IpAddress, Spec.SvcSpec> lbByIp = new HashMap<>();

    /** The node holding the address as its node IP or as its flannel PublicIP, or null. */
    Integer nodeAt(IpAddress a) {
        Integer n = nodeByIp.get(a);
        return n != null ? n : nodeByPublicIp.get(a);
    }

    /**
     * The node the underlay hands a load-balancer address to, or -1 when the address is no LB address: the first
     * node (MetalLB's L2 speaker or a BGP route picks one), with externalTrafficPolicy Local the first node that
     * runs an endpoint of the Service, since MetalLB announces only from those.
     */
    int lbNode(IpAddress a) {
        Spec.SvcSpec s = lbByIp.get(a);
        if (s == null || nodes.length == 0) {
            return -1;
        }
        if (s.externalPolicy() == io.github.cidrguard.kube.TrafficPolicy.LOCAL) {
            for (int i = 0; i < nodes.length; i++) {
                for (Spec.EpSpec e : s.endpoints()) {
                    if (leaseOf[i] != null && leaseOf[i].contains(e.ip()) || nodes[i].ip().equals(e.ip())) {
                        return i;
                    }
                }
            }
        }
        return 0;
    }

    /**
     * Whether the tracer builds kube-proxy's rules for this family: always for IPv4; for IPv6 in iptables mode only
     * (ip6tables rules of the IPv4 shape). kube-proxy's IPv6 nftables ({@code ip6 kube-proxy}) and IPVS rules are not
     * modelled: such a plane has no Service rules at all, and a trace to an IPv6 Service is refused.
     */
    boolean kubeProxyModelled() {
        return family == IpFamily.IPV4 || proxyMode() == null || proxyMode() == ProxyMode.IPTABLES;
    }

    /** kube-proxy's mode, or null when the scenario runs no kube-proxy. */
    ProxyMode proxyMode() {
        return spec.proxy() == null ? null : spec.proxy().mode();
    }

    int size() {
        return nodes.length;
    }

    /**
     * Whether the backend gives the node's lease .0 address (IPv6: the lease's first address) to a tunnel device, and
     * which one: flannel's vxlan makes {@code flannel-v6.<VNI>} for IPv6, wireguard {@code flannel-wg-v6}; udp and
     * ipip have no IPv6 device (pkg/backend/vxlan, pkg/backend/wireguard).
     */
    String tunnelDevice() {
        if (family == IpFamily.IPV6) {
            return switch (backend) {
                case "vxlan" -> "flannel-v6." + spec.flannel().vni();
                case "wireguard" -> "flannel-wg-v6";
                default -> null;
            };
        }
        return switch (backend) {
            case "vxlan" -> "flannel." + spec.flannel().vni();
            case "ipip" -> "flannel.ipip";
            case "udp" -> "flannel0";
            case "wireguard" -> "flannel-wg";
            default -> null;
        };
    }

    NodePlane node(int i) {
        NodePlane p = planes[i];
        if (p == null) {
            p = build(i);
            planes[i] = p;
        }
        return p;
    }

    static IpAddress gateway(Cidr hostNetwork, IpAddress nodeIp) {
        if (hostNetwork.hostBits() <= 1) {
            return null;
        }
        IpAddress gw = hostNetwork.first().plus(1);
        return gw.equals(nodeIp) ? hostNetwork.last().plus(-1) : gw;
    }

    private NodePlane build(int i) {
        Spec.NodeSpec n = nodes[i];
        Cidr lease = network == null ? null : leaseOf[i];
        List<Route> routes = new ArrayList<>();
        Map<IpAddress, Route> local = new LinkedHashMap<>();
        Map<String, IpAddress> dev = new HashMap<>();
        dev.put("eth0", n.ip());
        IpAddress gw0 = gateway(n.hostNetwork(), n.ip());
        Cidr any = Cidr.all(family);
        routes.add(gw0 == null ? Route.device(any, "eth0", true) : Route.via(any, gw0, "eth0", false));
        routes.add(Route.connected(n.hostNetwork(), "eth0", n.ip(), false));
        local.put(n.ip(), Route.localAddress(n.ip(), "eth0"));
        if (lease != null) {
            IpAddress gw = lease.first().plus(1);
            routes.add(Route.connected(lease, "cni0", gw, false));
            local.putIfAbsent(gw, Route.localAddress(gw, "cni0"));
            dev.put("cni0", gw);
            String tun = tunnelDevice();
            if (tun != null) {
                local.putIfAbsent(lease.first(), Route.localAddress(lease.first(), tun));
                dev.put(tun, lease.first());
            }
            if (backend.equals("udp") && family == IpFamily.IPV4) {
                routes.add(Route.device(network, "flannel0", false));
            } else if (backend.equals("wireguard")) {
                routes.add(Route.device(network, tun, true));
            }
        }
        if (n.docker() != null) {
            IpAddress d = n.docker().first().plus(1);
            routes.add(Route.connected(n.docker(), "docker0", d, true));
            local.putIfAbsent(d, Route.localAddress(d, "docker0"));
            dev.put("docker0", d);
        }
        Ruleset rules = new Ruleset();
        Map<String, java.util.Set<String>> ipsets = new LinkedHashMap<>();
        Map<String, List<Spec.EpSpec>> ipvs = new LinkedHashMap<>();
        buildRules(i, lease, local, rules, ipsets, ipvs);
        Map<IpAddress, Route> vips = ipvsRoutes;
        return new NodePlane(i, n.name(), n.ip(), n.hostNetwork(), lease, n.rp(), routes, local, vips,
                leaseRoutesInstalled && !flannelDown[i] ? leases : null, spec.flannel() != null && spec.flannel().directRouting(),
                dev, rules, ipsets, ipvs);
    }

    /**
     * Assembles one node's netfilter state: iptables' built-in chains, then kube-proxy's mode and flanneld's rules,
     * each built from an immutable description of the node. kube-proxy writes the same iptables rules on every node
     * unless they name the node's podCIDR or addresses, so those are built once and copied.
     */
    private void buildRules(int i, Cidr lease, Map<IpAddress, Route> local, Ruleset rs,
                            Map<String, Set<String>> ipsets, Map<String, List<Spec.EpSpec>> ipvs) {
        // iptables-nft and legacy iptables hook at the classic priorities
        rs.iptBase(KubeProxyRules.NAT, "PREROUTING", -100);
        rs.iptBase(KubeProxyRules.NAT, "INPUT", 100);
        rs.iptBase(KubeProxyRules.NAT, "OUTPUT", -100);
        rs.iptBase(KubeProxyRules.NAT, "POSTROUTING", 100);
        rs.iptBase(KubeProxyRules.FILTER, "INPUT", 0);
        rs.iptBase(KubeProxyRules.FILTER, "FORWARD", 0);
        rs.iptBase(KubeProxyRules.FILTER, "OUTPUT", 0);
        KubeProxyRules.Input in = new KubeProxyRules.Input(spec, nodes[i], lease, local, serviceCidrs);
        ProxyMode mode = kubeProxyModelled() ? proxyMode() : null;
        if (mode == ProxyMode.IPTABLES) {
            Spec.Proxy px = spec.proxy();
            boolean shared = px.detectLocal() != DetectLocalMode.NODE_CIDR && px.nodePortAddresses().isEmpty()
                    && !KubeProxyRules.nodeDependent(spec);
            if (shared && kubeTemplate != null) {
                rs.replaceTables(kubeTemplate);
            } else {
                IptablesProxyRules.build(in, rs);
                if (shared) {
                    kubeTemplate = rs.copy();
                }
            }
        } else if (mode == ProxyMode.NFTABLES) {
            NftablesProxyRules.build(in, rs);
        } else if (mode == ProxyMode.IPVS) {
            IpvsProxyRules.build(in, rs, ipsets, ipvs);
        }
        if (spec.flannel() != null && network != null && lease != null) {
            if (spec.flannel().nft()) {
                FlannelRules.nft(spec.flannel(), network, lease, rs);
            } else {
                FlannelRules.iptables(spec.flannel(), network, lease, rs);
            }
        }
    }

    /** The node whose flanneld does not start and whose podCidr contains the address, or -1. */
    int downNode(IpAddress a) {
        for (int i = 0; i < nodes.length; i++) {
            if (flannelDown[i] && nodes[i].podCidr().contains(a)) {
                return i;
            }
        }
        return -1;
    }

    /** The node owning the lease that contains the address, or -1. */
    int leaseNode(IpAddress a) {
        int i = leases.find(a, Integer.MIN_VALUE);
        return i < 0 ? -1 : leases.owner(i);
    }

    Cidr leaseContaining(IpAddress a) {
        int i = leases.find(a, Integer.MIN_VALUE);
        return i < 0 ? null : leases.lease(i);
    }

    Spec.NetSpec declared(IpAddress a) {
        for (Spec.NetSpec n : spec.networks()) {
            if (n.cidr().contains(a)) {
                return n;
            }
        }
        return null;
    }

    /**
     * Who really holds the address (see {@link Owner}): a listed pod, a node (its own address, or its lease's cni0
     * gateway and tunnel address), a LAN host, a declared network's host, a Service; only with {@link #leasePods} an
     * unlisted pod of the lease; else nobody (inside the pod, service or docker ranges) or the outside world.
     */
    Owner owner(IpAddress a) {
        Spec.PodSpec pod = podByIp.get(a);
        if (pod != null) {
            Integer nn = pod.node() == null ? null : nodeByName.get(pod.node());
            return Owner.pod(nn == null ? leaseNode(a) : nn, pod.name());
        }
        Integer node = nodeByIp.get(a);
        if (node != null) {
            return Owner.node(node, nodes[node].name());
        }
        String endpointOfService = endpointOf.get(a);
        if (endpointOfService != null && network != null && leaseNode(a) >= 0) {
            return Owner.pod(leaseNode(a), a + " (an endpoint of service " + endpointOfService + ")");
        }
        if (network != null) {
            int ln = leaseNode(a);
            Cidr l = leaseContaining(a);
            if (ln >= 0 && l != null && (a.equals(l.first().plus(1)) || a.equals(l.first()) && tunnelDevice() != null)) {
                return Owner.node(ln, nodes[ln].name());
            }
        }
        Spec.SvcSpec lb = lbByIp.get(a);
        if (lb != null) {
            // an L2 pool lies inside the LAN: its addresses are the Service's, not LAN hosts
            return Owner.service(lb.name());
        }
        if (hostNetworks.contains(a)) {
            return Owner.lanHost(a);
        }
        Spec.NetSpec net = declared(a);
        if (net != null) {
            return Owner.networkHost(a, net.name());
        }
        Spec.SvcSpec svc = svcByIp.get(a);
        if (svc != null) {
            return Owner.service(svc.name());
        }
        if (leasePods && network != null) {
            int ln = leaseNode(a);
            if (ln >= 0) {
                return Owner.pod(ln, a.toString());
            }
        }
        if (serviceCidrs.contains(a) || network != null && network.contains(a) || dockerBridges.contains(a)
                || special.contains(a) || leaseNode(a) >= 0 || downNode(a) >= 0) {
            return Owner.NONE;
        }
        return Owner.world(a);
    }

    /** What the underlay (the LAN and its router) delivers an address to: a node index, -1 a host, -2 nothing. */
    int underlayTarget(IpAddress a) {
        Integer node = nodeAt(a);
        if (node != null) {
            return node;
        }
        if (lbByIp.containsKey(a)) {
            return lbNode(a);
        }
        if (hostNetworks.contains(a) || declared(a) != null) {
            return -1;
        }
        return owner(a).kind() == Owner.Kind.WORLD ? -1 : -2;
    }
}
