package io.github.cidrguard.cli;

import io.github.cidrguard.flannel.FlannelConfig;
import io.github.cidrguard.flannel.FlannelConfigException;
import io.github.cidrguard.flannel.SubnetKey;
import io.github.cidrguard.kube.Endpoint;
import io.github.cidrguard.kube.Flannel;
import io.github.cidrguard.kube.Kubernetes;
import io.github.cidrguard.kube.Lease;
import io.github.cidrguard.kube.Node;
import io.github.cidrguard.kube.Pod;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.Service;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster after the fix of docs/architecture.md ("The story") done properly: flannel's config rewritten to a new Network, every lease
 * deleted (subnet reset) and flanneld restarted, so each node leases a fresh subnet from SubnetMin up; kube-proxy's
 * clusterCIDR follows the Network; pods come back with the same offset inside their node's new subnet.
 */
final class Replan {
    private Replan() {
    }

    static Scenario withNetwork(Scenario s, Cidr network) {
        if (s.flannel().isEmpty()) {
            throw new UserInputException("scenario " + s.name() + " has no flannel section; nothing to re-plan");
        }
        Flannel f = s.flannel().get();
        String config;
        int subnetLen;
        try {
            FlannelConfig c = FlannelConfig.parse(f.config()).withNetwork(network);
            config = c.toJson();
            subnetLen = c.subnetLen();
        } catch (FlannelConfigException e) {
            config = "{\"Network\": \"" + network + "\", \"Backend\": {\"Type\": \"vxlan\"}}";
            subnetLen = FlannelConfig.parse(config).subnetLen();
        }
        // Who holds a lease after the restart: every node, and every other PublicIP that held one before.
        Map<IpAddress, List<Cidr>> oldSubnets = new LinkedHashMap<>();
        for (Node n : s.nodes()) {
            oldSubnets.computeIfAbsent(n.ip(IpFamily.IPV4).orElse(n.ip()), k -> new ArrayList<>())
                    .addAll(n.podCidrs());
        }
        for (Lease l : f.leases()) {
            if (SubnetKey.isValid(l.key())) {
                oldSubnets.computeIfAbsent(l.publicIp(), k -> new ArrayList<>()).add(SubnetKey.parse(l.key()).subnet());
            }
        }
        Iterator<Cidr> fresh = network.subnets(subnetLen).skip(1).iterator();
        Map<IpAddress, Cidr> newSubnet = new LinkedHashMap<>();
        Map<Cidr, Cidr> moved = new LinkedHashMap<>();
        List<Lease> leases = new ArrayList<>();
        for (Map.Entry<IpAddress, List<Cidr>> e : oldSubnets.entrySet()) {
            if (!fresh.hasNext()) {
                break;
            }
            Cidr n = fresh.next();
            newSubnet.put(e.getKey(), n);
            leases.add(new Lease(SubnetKey.of(n).toString(), e.getKey()));
            for (Cidr old : e.getValue()) {
                if (old.family() == IpFamily.IPV4) {
                    moved.putIfAbsent(old, n);
                }
            }
        }
        List<Node> nodes = new ArrayList<>();
        for (Node n : s.nodes()) {
            Cidr sub = newSubnet.get(n.ip(IpFamily.IPV4).orElse(n.ip()));
            List<Cidr> pods = new ArrayList<>();
            if (sub != null) {
                pods.add(sub);
            }
            n.podCidr(IpFamily.IPV6).ifPresent(pods::add);
            nodes.add(n.withPodCidrs(pods));
        }
        List<Pod> pods = new ArrayList<>();
        for (Pod p : s.pods()) {
            pods.add(new Pod(p.name(), move(p.ip(), moved), p.node()));
        }
        Scenario.Builder b = s.toBuilder().flannel(f.withConfig(config).withLeases(leases)).nodes(nodes).pods(pods);
        s.kubernetes().ifPresent(k -> b.kubernetes(kube(k, network, moved)));
        return b.build();
    }

    private static Kubernetes kube(Kubernetes k, Cidr network, Map<Cidr, Cidr> moved) {
        Kubernetes out = k;
        if (k.kubeProxy().isPresent()) {
            var kp = k.kubeProxy().get();
            List<Cidr> cc = new ArrayList<>();
            cc.add(network);
            kp.clusterCidr(IpFamily.IPV6).ifPresent(cc::add);
            out = out.withKubeProxy(kp.withClusterCidrs(cc));
        }
        List<Service> svcs = new ArrayList<>();
        for (Service svc : k.services()) {
            List<Endpoint> eps = new ArrayList<>();
            for (Endpoint ep : svc.endpoints()) {
                eps.add(new Endpoint(move(ep.ip(), moved), ep.port()));
            }
            svcs.add(svc.withEndpoints(eps));
        }
        return out.withServices(svcs);
    }

    /** The address at the same offset in the subnet its old subnet moved to; unchanged outside every moved subnet. */
    private static IpAddress move(IpAddress ip, Map<Cidr, Cidr> moved) {
        Optional<Map.Entry<Cidr, Cidr>> hit = moved.entrySet().stream().filter(e -> e.getKey().contains(ip))
                .findFirst();
        if (hit.isEmpty()) {
            return ip;
        }
        Cidr from = hit.get().getKey();
        Cidr to = hit.get().getValue();
        long offset = ip.low() - from.network().low();
        long size = 1L << (32 - to.prefixLength());
        return to.network().plus(offset % size);
    }
}
