package io.github.cidrguard.trace;

import io.github.cidrguard.trace.routing.LeaseRoutes;
import io.github.cidrguard.trace.routing.Route;
import io.github.cidrguard.trace.netfilter.Packet;
import io.github.cidrguard.trace.netfilter.Ruleset;
import io.github.cidrguard.kube.RpFilter;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One node's data plane: main routing table (node routes plus the shared backend lease routes), local table,
 * rp_filter, netfilter rules, ipsets and IPVS virtual servers.
 */
final class NodePlane {
    final int index;
    final String name;
    final IpAddress ip;
    final Cidr hostNetwork;
    final Cidr lease;
    final RpFilter rp;
    final List<Route> routes;
    final Map<IpAddress, Route> local;
    /** The connected route of the lease on cni0 (the pods' bridge); null when the node has no lease. */
    final Route cni0;
    private final Map<IpAddress, Route> ipvsVips;
    private final LeaseRoutes shared;
    private final boolean directRouting;
    final Map<String, IpAddress> devAddress;
    final Ruleset rules;
    /** ipset name -> members in ipset save form ("10.0.0.1,tcp:80", "30080", "10.0.0.1"). */
    final Map<String, Set<String>> ipsets;
    /** IPVS virtual server "ip,proto:port" -> real servers. */
    final Map<String, List<Spec.EpSpec>> ipvs;

    NodePlane(int index, String name, IpAddress ip, Cidr hostNetwork, Cidr lease, RpFilter rp, List<Route> routes,
              Map<IpAddress, Route> local, Map<IpAddress, Route> ipvsVips, LeaseRoutes shared, boolean directRouting,
              Map<String, IpAddress> devAddress, Ruleset rules, Map<String, Set<String>> ipsets,
              Map<String, List<Spec.EpSpec>> ipvs) {
        this.index = index;
        this.name = name;
        this.ip = ip;
        this.hostNetwork = hostNetwork;
        this.lease = lease;
        this.rp = rp;
        this.local = local;
        this.ipvsVips = ipvsVips;
        this.shared = shared;
        this.directRouting = directRouting;
        this.devAddress = devAddress;
        this.rules = rules;
        this.ipsets = ipsets;
        this.ipvs = ipvs;
        // vxlan RouteReplace / host-gw delete-and-replace: a lease route with the same prefix as a node route wins
        List<Route> kept = new ArrayList<>();
        Route bridge = null;
        for (Route r : routes) {
            if (r.dev().equals("cni0") && r.dst().equals(lease)) {
                bridge = r;
            }
            if (shared != null && !r.dev().equals("cni0") && shared.exact(r.dst(), index) >= 0) {
                continue;
            }
            kept.add(r);
        }
        this.routes = List.copyOf(kept);
        this.cni0 = bridge;
    }

    /** The address the kernel picks as source on a device (its primary address). */
    IpAddress addressOf(String dev) {
        IpAddress a = devAddress.get(dev);
        return a != null ? a : ip;
    }

    boolean isLocal(IpAddress a) {
        return local.containsKey(a) || ipvsVips.containsKey(a);
    }

    /** Route lookup: local table first, then longest prefix match of the main table. */
    Route lookup(IpAddress dst) {
        Route l = local.get(dst);
        if (l != null) {
            return l;
        }
        l = ipvsVips.get(dst);
        if (l != null) {
            return l;
        }
        return lookupMain(dst);
    }

    Route lookupMain(IpAddress dst) {
        Route best = null;
        for (Route r : routes) {
            if (r.dst().contains(dst) && (best == null || r.dst().prefixLength() > best.dst().prefixLength())) {
                best = r;
            }
        }
        if (shared != null) {
            int i = shared.find(dst, index);
            if (i >= 0 && (best == null || shared.lease(i).prefixLength() >= best.dst().prefixLength())) {
                best = leaseRoute(i);
            }
        }
        return best;
    }

    Route leaseRoute(int i) {
        Route d = shared.direct(i);
        if (d != null && (shared.tunnel(i) == null || directRouting && hostNetwork.contains(d.via()))) {
            return d;
        }
        return shared.tunnel(i) != null ? shared.tunnel(i) : d;
    }

    boolean ipsetContains(String set, String flags, Packet p) {
        Set<String> members = ipsets.get(set);
        if (members == null) {
            return false;
        }
        String key = switch (flags) {
            case "dst,dst" -> p.proto().hasPorts() ? p.dst() + "," + p.proto().lowerCase() + ":" + p.dport() : null;
            case "dst,dst,src" -> p.proto().hasPorts()
                    ? p.dst() + "," + p.proto().lowerCase() + ":" + p.dport() + "," + p.src() : null;
            case "dst" -> set.startsWith("KUBE-NODE-PORT") ? (p.proto().hasPorts() ? "" + p.dport() : null)
                    : p.dst().toString();
            case "src" -> p.src().toString();
            default -> null;
        };
        return key != null && members.contains(key);
    }

    /** {@code ip route show table all} style listing: main table then local table. */
    String renderRoutes() {
        List<String> lines = new ArrayList<>();
        Map<Cidr, Route> main = new LinkedHashMap<>();
        for (Route r : routes) {
            main.put(r.dst(), r);
        }
        if (shared != null) {
            for (int i = 0; i < shared.size(); i++) {
                if (shared.owner(i) != index) {
                    main.put(shared.lease(i), leaseRoute(i));
                }
            }
        }
        List<Route> sorted = new ArrayList<>(main.values());
        sorted.sort((a, b) -> a.dst().prefixLength() == 0 ? -1 : b.dst().prefixLength() == 0 ? 1
                : a.dst().compareTo(b.dst()));
        for (Route r : sorted) {
            lines.add(r.text());
        }
        Map<IpAddress, Route> all = new HashMap<>(local);
        ipvsVips.forEach(all::putIfAbsent);
        all.keySet().stream().sorted().forEach(a -> lines.add(all.get(a).text()));
        return String.join("\n", lines) + "\n";
    }
}
