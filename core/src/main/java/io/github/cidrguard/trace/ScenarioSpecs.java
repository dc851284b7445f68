package io.github.cidrguard.trace;

import io.github.cidrguard.kube.RpFilter;
import io.github.cidrguard.kube.ProxyMode;
import io.github.cidrguard.kube.DetectLocalMode;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cidrguard.flannel.FlannelConfig;
import io.github.cidrguard.flannel.FlannelConfigException;
import io.github.cidrguard.flannel.SubnetKey;
import io.github.cidrguard.kube.DeclaredNetwork;
import io.github.cidrguard.kube.Endpoint;
import io.github.cidrguard.kube.KubeProxy;
import io.github.cidrguard.kube.Kubernetes;
import io.github.cidrguard.kube.Lease;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Pod;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.Service;
import io.github.cidrguard.kube.ServicePort;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Derives the engine's description of one family's data plane from a scenario: its IPv4 half, or its IPv6 half (the
 * nodes' IPv6 addresses, LANs and podCidrs, flannel's IPv6Network when EnableIPv6 is set, the leases' IPv6 subnets
 * with the PublicIPv6 of the node whose PublicIP the lease names, the IPv6 service CIDR, ClusterIPs, endpoints, pods
 * and declared networks). The halves share nothing but names.
 */
final class ScenarioSpecs {
    private ScenarioSpecs() {
    }

    static Spec of(Scenario s, Spec.RuleSet ruleSet) {
        return of(s, ruleSet, IpFamily.IPV4);
    }

    /** Whether the scenario has anything of the family to trace: a node with an address of it. */
    static boolean has(Scenario s, IpFamily family) {
        return s.nodes().stream().anyMatch(n -> n.ip(family).isPresent());
    }

    static Spec of(Scenario s, Spec.RuleSet ruleSet, IpFamily family) {
        boolean v6 = family == IpFamily.IPV6;
        List<Spec.NodeSpec> nodes = new ArrayList<>();
        Set<IpAddress> nodeIps = new HashSet<>();
        java.util.Map<IpAddress, IpAddress> v6ByV4 = new java.util.HashMap<>();
        for (Node n : s.nodes()) {
            IpAddress ip = n.ip(family).orElse(null);
            if (ip == null) {
                continue;
            }
            n.ip(IpFamily.IPV4).ifPresent(v4 -> v6ByV4.put(v4, ip));
            Cidr hn = n.hostNetwork(family).orElse(Cidr.of(ip));
            RpFilter rp = n.rpFilter();
            Cidr docker = n.docker().filter(c -> c.family() == family).orElse(null);
            nodes.add(new Spec.NodeSpec(n.name(), ip, hn, n.podCidr(family).orElse(null), rp, docker,
                    n.flannelPublicIp(family).orElse(ip)));
            nodeIps.add(ip);
        }
        Spec.Flannel flannel = null;
        if (s.flannel().isPresent()) {
            var f = s.flannel().get();
            FlannelConfig cfg = null;
            try {
                cfg = FlannelConfig.parse(f.config());
            } catch (FlannelConfigException e) {
                cfg = null; // flanneld would not start: no flannel routes or rules (FLANNEL_CONFIG_INVALID)
            }
            java.util.Optional<Cidr> network = cfg == null ? java.util.Optional.empty()
                    : v6 ? (cfg.enableIPv6() ? cfg.ipv6Network() : java.util.Optional.empty()) : cfg.network();
            if (network.isPresent()) {
                int vni = 1;
                boolean direct = false;
                if (cfg.backendJson().isPresent()) {
                    try {
                        JsonNode b = Json.MAPPER.readTree(cfg.backendJson().get());
                        vni = b.path("VNI").asInt(1);
                        direct = b.path("DirectRouting").asBoolean(false);
                    } catch (java.io.IOException | RuntimeException e) {
                        // keep the defaults; the analysis reports a malformed backend
                    }
                }
                List<Spec.LeaseSpec> leases = new ArrayList<>();
                for (Lease l : f.leases()) {
                    if (v6) {
                        // a lease names its IPv4 PublicIP only; the PublicIPv6 is that node's IPv6 address
                        Cidr subnet6 = SubnetKey.parse(l.key()).ipv6Subnet().orElse(null);
                        IpAddress pub6 = v6ByV4.get(l.publicIp());
                        if (subnet6 != null && pub6 != null) {
                            leases.add(new Spec.LeaseSpec(subnet6, pub6));
                        }
                        continue;
                    }
                    Cidr subnet = SubnetKey.parse(l.key()).subnet();
                    leases.add(new Spec.LeaseSpec(subnet, l.publicIp()));
                    // a lease exists because a flanneld on its PublicIP acquired it: model that host as a node
                    if (!nodeIps.contains(l.publicIp())) {
                        for (Spec.NodeSpec n : List.copyOf(nodes)) {
                            if (n.hostNetwork().prefixLength() < 32 && n.hostNetwork().contains(l.publicIp())) {
                                nodes.add(new Spec.NodeSpec("flannel@" + l.publicIp(), l.publicIp(), n.hostNetwork(),
                                        subnet, RpFilter.STRICT, null));
                                nodeIps.add(l.publicIp());
                                break;
                            }
                        }
                    }
                }
                flannel = new Spec.Flannel(network.get(), cfg.backendType().toLowerCase(Locale.ROOT), vni,
                        direct, f.ipMasq(), cfg.enableNFTables(), ruleSet, leases);
            }
        }
        List<Cidr> serviceCidrs = new ArrayList<>();
        Spec.Proxy proxy = null;
        List<Spec.SvcSpec> services = new ArrayList<>();
        if (s.kubernetes().isPresent()) {
            Kubernetes k = s.kubernetes().get();
            k.serviceCidr(family).ifPresent(serviceCidrs::add);
            KubeProxy kp = k.kubeProxy().orElse(KubeProxy.defaults());
            ProxyMode mode = kp.mode();
            DetectLocalMode dl = kp.detectLocalMode();
            List<String> npa = kp.nodePortAddresses().stream()
                    .filter(a -> a.equals("primary") || Cidr.parse(a).family() == family).toList();
            proxy = new Spec.Proxy(mode, kp.clusterCidr(family).orElse(null), dl, kp.masqueradeAll(), npa,
                    "cni0", "veth");
            for (Service svc : k.services()) {
                if (v6 && svc.clusterIps().stream().noneMatch(a -> a.family() == family)
                        && svc.externalIps().stream().noneMatch(a -> a.family() == family)
                        && svc.endpoints().stream().noneMatch(e -> e.ip().family() == family)) {
                    continue; // a single-stack IPv4 Service has no IPv6 half
                }
                IpAddress vip = svc.clusterIps().stream().filter(a -> a.family() == family).findFirst().orElse(null);
                List<Spec.PortSpec> ports = new ArrayList<>();
                for (int i = 0; i < svc.ports().size(); i++) {
                    ServicePort p = svc.ports().get(i);
                    int np = i < svc.nodePorts().size() ? svc.nodePorts().get(i).port() : 0;
                    // the port's name keys kube-proxy's chains (ns/name:port), so it is kept
                    ports.add(new Spec.PortSpec(p.port(), Protocol.parse(p.protocol()), np, p.name()));
                }
                List<Spec.EpSpec> eps = new ArrayList<>();
                for (Endpoint e : svc.endpoints()) {
                    if (e.ip().family() == family) {
                        int port = e.port() > 0 ? e.port() : ports.isEmpty() ? 0 : ports.get(0).port();
                        eps.add(new Spec.EpSpec(e.ip(), port));
                    }
                }
                services.add(new Spec.SvcSpec(svc.name(), vip, ports, eps,
                        svc.externalIps().stream().filter(a -> a.family() == family).toList(),
                        svc.loadBalancerIps().stream().filter(a -> a.family() == family).toList(),
                        svc.externalTrafficPolicy(), svc.internalTrafficPolicy()));
            }
        }
        List<Spec.PodSpec> pods = new ArrayList<>();
        for (Pod p : s.pods()) {
            if (p.ip().family() == family) {
                pods.add(new Spec.PodSpec(p.name(), p.ip(), p.node().orElse(null)));
            }
        }
        List<Spec.NetSpec> nets = new ArrayList<>();
        for (DeclaredNetwork d : s.networks()) {
            if (d.cidr().family() == family) {
                nets.add(new Spec.NetSpec(d.name(), d.cidr()));
            }
        }
        return new Spec(s.name(), flannel, nodes, serviceCidrs, proxy, services, pods, nets,
                s.underlay().antiSpoofing());
    }
}
