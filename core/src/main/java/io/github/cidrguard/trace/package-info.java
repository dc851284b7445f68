/**
 * The packet-path model: per-node routing tables, kube-proxy and flannel netfilter rules, rp_filter, conntrack, the
 * underlay, traces and exhaustive reachability (docs/architecture.md, "Traces"; the rules mirror flannel v0.28.9 pkg/trafficmngr and
 * kube-proxy's pkg/proxy/{iptables,nftables,ipvs}).
 *
 * <p>Public API: {@link io.github.cidrguard.trace.Tracer} ({@code of}, {@code trace}, {@code reach}, {@code rules}),
 * {@link io.github.cidrguard.trace.Trace}, {@link io.github.cidrguard.trace.Hop},
 * {@link io.github.cidrguard.trace.Verdict}, {@link io.github.cidrguard.trace.Reason},
 * {@link io.github.cidrguard.trace.Reachability}, and the typed flow {@link io.github.cidrguard.trace.Flow} with its
 * {@link io.github.cidrguard.trace.Protocol}. Beside the strings of the trace JSON the API is typed: a flow's ends
 * are {@link io.github.cidrguard.trace.Endpoint}s ({@code Flow.source()}, {@code Flow.destination()},
 * {@code Flow.of(Endpoint, Endpoint, Protocol, OptionalInt)}), parsed from the endpoint syntax; its port is an
 * {@code OptionalInt}; a hop's stage and action are {@link io.github.cidrguard.trace.Hop.Stage} and
 * {@link io.github.cidrguard.trace.Hop.Action} ({@code Hop.stageKind()}, {@code Hop.actionKind()}) while
 * {@code Hop.stage()} and {@code Hop.action()} keep their text. The netfilter model is its own exported package,
 * {@code io.github.cidrguard.trace.netfilter}: rules as data, their rendering and their evaluation.
 *
 * <h2>Layout</h2>
 * Arrows go one way: {@code Tracer} → the walk ({@code Walk}) → the assembled plane ({@code Plane},
 * {@code NodePlane}) → the rule builders → {@code netfilter} and {@code routing}.
 * <ul>
 * <li>{@code Spec}, {@code ScenarioSpecs}: the scenario turned into the engine's own immutable description.</li>
 * <li>{@code Plane}, {@code NodePlane}: each node's data plane (routes, local addresses, a netfilter
 *   {@code Ruleset}, ipsets, IPVS services), built on first use. The plane assembles the rules: it hands each
 *   builder an immutable {@code KubeProxyRules.Input} and the ruleset to fill; builders never call the plane.</li>
 * <li>The builders, one per concern: {@code IptablesProxyRules}, {@code NftablesProxyRules}, {@code IpvsProxyRules}
 *   (kube-proxy's three modes), {@code KubeProxyRules} (what the modes share: masquerade mark, detect-local, NodePort
 *   addresses), {@code KubeProxyNames} (chain name hashes, ServicePortName, probabilities, ipvsadm addresses),
 *   {@code FlannelRules} (flanneld's iptables and nftables rules).</li>
 * <li>{@code io.github.cidrguard.trace.routing} (not exported): routes and the shared lease routes.</li>
 * <li>{@code io.github.cidrguard.trace.netfilter} (exported): {@code Rule}, sealed {@code Match} and {@code Target},
 *   {@code Ruleset}, {@code Renderer}, {@code Evaluator} with its {@code Environment}. The walk evaluates a node's
 *   chains only through {@code Evaluator}, and tells why a rule dropped a packet from the rule itself, so a ruleset
 *   parsed from a node's listing traces as a rendered one.</li>
 * <li>{@code Walk}: one packet and its reply, hop by hop; {@code Reach}: reachability over address atoms.</li>
 * </ul>
 *
 * <h2>What is modelled, and the choices the references leave open</h2>
 * <ul>
 * <li><b>Family.</b> Each family has a data plane of its own, built from that half of the scenario (a dual-stack
 *   cluster has both; they share nothing but names). A trace runs in its endpoints' family; endpoints of two families
 *   are refused (a packet keeps its family). In IPv6, what differs from IPv4: Linux has no rp_filter (no
 *   {@code net.ipv6.conf.*.rp_filter}; only a netfilter rule such as {@code ip6tables -m rpfilter} or nft {@code fib}
 *   checks the source), so the story's un-NATed pod → other node request is delivered; neighbour discovery takes
 *   ARP's place (a failure is NEIGHBOR_UNREACHABLE); vxlan uses {@code flannel-v6.<VNI>} with the lease's first
 *   address, routes {@code R via R.IP dev flannel-v6.<VNI> onlink} and the remote node's IPv6 as VTEP over an IPv6
 *   underlay; host-gw routes {@code R via <remote IPv6> dev eth0}; wireguard uses {@code flannel-wg-v6}; udp and ipip
 *   have no IPv6 (flannel's pkg/backend); flannel's masquerade rules are the IPv4 ones with {@code ff00::/8} as the
 *   multicast exception (iptables.go {@code masqIP6Rules}; nft table {@code ip6 flannel-ipv6}); kube-proxy's iptables
 *   mode writes the IPv4 rules with {@code ! -d ::1/128} on the NodePort tail call (IPv6 never takes localhost
 *   NodePorts) and endpoints as {@code [ip]:port}. kube-proxy's IPv6 nftables and IPVS rules are not modelled: a trace
 *   to such an IPv6 Service is refused. A lease's PublicIPv6 is the IPv6 address of the node whose PublicIP the lease
 *   names. Routes print as {@code ip -6 route} does; a port after an IPv6 address is written {@code [addr]:port}.</li>
 * <li><b>Interfaces.</b> {@code eth0} holds the node IP on its {@code hostNetwork} (a node without one is on a /32
 *   with {@code default dev eth0 scope link}); the default route goes via the LAN's first host address (its last but
 *   one when that is the node). {@code cni0} holds the lease's {@code .1}; the backend device holds the lease's
 *   {@code .0}/32 ({@code flannel.<VNI>}, {@code flannel.ipip}, {@code flannel0}, {@code flannel-wg}; none for
 *   host-gw). {@code docker0} holds the bridge's {@code .1} with a {@code linkdown} route that the kernel still
 *   uses; no containers are modelled, so docker0 swallows what it routes (LOCAL_SHADOW).</li>
 * <li><b>Routes per backend</b> (flannel.md §5.2): vxlan {@code R via R.IP dev flannel.<VNI> onlink} or, with
 *   DirectRouting and the PublicIP on the node's LAN, {@code R via PublicIP dev eth0}; host-gw
 *   {@code R via PublicIP dev eth0}; ipip {@code R via PublicIP dev flannel.ipip onlink}; udp and wireguard one route
 *   for the whole Network; ipsec, alloc and extension none. A lease route with the same prefix as a node route (the
 *   LAN, docker0) replaces it (vxlan RouteReplace, host-gw delete and replace); the node's own {@code cni0} route
 *   stays. {@code --ip-blackhole-route} is not modelled. Lookup is the local table, then longest prefix match.</li>
 * <li><b>Leases.</b> A node's podCidr, else the etcd lease whose PublicIP is the node. A node's PublicIP is its
 *   {@code publicIp} (flannel's public-ip annotation or public-ip-overwrite) where set, else its node IP; the
 *   underlay delivers it to that node, and the tunnel's outer source stays the node IP (the VTEP's interface
 *   address). A node whose podCidr lies
 *   outside the Network has none: kube-subnet-mgr refuses to start flanneld there, so it has no flannel device,
 *   routes, rules or cni0, no lease routes to the others, the others none to it, and its pods cannot send. A lease whose PublicIP is no
 *   declared node but lies on a declared LAN is modelled as an undeclared node {@code flannel@<ip>} (a flanneld runs
 *   there; strict rp_filter, no Docker). Other orphan leases still get routes; their tunnel leads nowhere.</li>
 * <li><b>Netfilter.</b> Rules as kube-proxy ≈ v1.33 (iptables, nftables, ipvs) and flanneld v0.28 (current) or
 *   ≤ v0.19 ({@code Tracer.of(scenario, true)}), iptables or nftables ({@code EnableNFTables}); texts as
 *   {@code iptables-save} / {@code nft list ruleset} print them ({@code --or-mark}/{@code --xor-mark} print as
 *   {@code --set-xmark}, probabilities with 11 decimals). Base chains run in priority order (iptables nat
 *   PREROUTING/OUTPUT -100, filter 0, nat POSTROUTING 100; kube-proxy nft at dstnat-10, dstnat, dstnat+10, srcnat;
 *   flannel nft at filter and srcnat); nat chains see only the first packet of a flow. kube-proxy prepends its jumps,
 *   flannel appends. {@code --random-fully} is assumed supported, and the model keeps source ports on masquerade.
 *   Chains are named from the ServicePortName ({@code ns/name:port}, the scenario's port names; an unnamed port is
 *   {@code ns/name}). Endpoints are in kube-proxy's order, by their {@code ip:port} string, and among several the
 *   first is taken (statistic, numgen and IPVS round robin alike).</li>
 * <li><b>LoadBalancer addresses and traffic policies.</b> LB ingress IPs are captured like externalIPs: iptables
 *   {@code KUBE-SERVICES -d <lb>/32 … "loadbalancer IP" -j KUBE-EXT-…}, nft {@code service-ips} elements to
 *   {@code external-…}, IPVS virtual servers, {@code KUBE-LOAD-BALANCER}(-LOCAL) sets and the address bound to
 *   kube-ipvs0 unless it is the node's own. externalTrafficPolicy/internalTrafficPolicy Local as kube-proxy's
 *   {@code CategorizeEndpoints} (an endpoint is local when a listed pod of the node holds it, else when it lies in
 *   the node's lease or is one of its addresses): KUBE-SVL-… / {@code local-…} chains, the short-circuit rules for
 *   pods and the node, {@code DROP} / {@code drop} with "has no local endpoints" when the node has none (a
 *   FILTERED verdict), IPVS's fall back to all endpoints (kubernetes#97081). The underlay hands an LB address to the
 *   first node, with externalTrafficPolicy Local the first running an endpoint (as MetalLB announces). nftables keeps
 *   the ≤ v1.33 filter priorities, so the node's own traffic to a Local LB address without a local endpoint is dropped
 *   (kubernetes#131765). Not modelled: loadBalancerSourceRanges (KUBE-FW, firewall-ips, KUBE-LOAD-BALANCER-FW; a
 *   scenario cannot write them), {@code ipMode: Proxy}, health-check node ports, session affinity, localhost
 *   NodePorts and KUBE-FIREWALL, nfacct counters, topology hints and terminating endpoints, Calico and ip-masq-agent
 *   rules. KUBE-PROXY-FIREWALL is rendered empty, firewall-check's map has no element. Checked against upstream's own
 *   expectations in {@code KubeProxyUpstreamTest}.</li>
 * <li><b>NodePorts.</b> Empty nodePortAddresses means every local address (iptables, ipvs); nftables defaults to
 *   {@code primary} (the node IP).</li>
 * <li><b>IPVS.</b> Every ClusterIP (and every externalIP not on another interface of the node) is a local address on
 *   kube-ipvs0 on every node. A packet routed locally runs filter INPUT (KUBE-IPVS-FILTER), then a virtual server
 *   for its address and port DNATs it to the first real server, is routed again and runs nat POSTROUTING.
 *   Host-originated traffic takes the same path (the kernel hooks it at LOCAL_OUT).</li>
 * <li><b>rp_filter</b> is the scenario's effective value (the stricter of {@code all} and the interface), checked on
 *   every packet a node receives, decapsulated ones included, never on {@code lo}: strict needs the route back to
 *   the source to leave through the arrival interface, loose any route (the default route counts), off nothing; a
 *   local source address is martian unless off.</li>
 * <li><b>Conntrack</b> is per node. A node that saw the request treats the reply as ESTABLISHED: nat chains are
 *   skipped, its SNAT is undone before routing and its DNAT after; a node that did not see the request treats the
 *   reply as a new flow.</li>
 * <li><b>Underlay.</b> A packet leaving {@code eth0} goes to its next hop: a node IP reaches that node's eth0;
 *   otherwise the LAN and its router deliver by destination to a node, a LAN host (every address of a declared
 *   hostNetwork that is no node is taken to be a live host), a host of a declared network, or the outside world
 *   (everything outside the Network, the service CIDRs, the docker bridges and 0/8, 127/8, 224/3). Pod, service,
 *   bridge and unleased Network addresses are not routed there. VXLAN, IPIP, udp and wireguard packets are
 *   encapsulated node IP to the lease's PublicIP; the rendered FDB line uses a MAC derived from that IP. With
 *   {@code antiSpoofing} the underlay drops a packet leaving a node whose source is not the node's IP.</li>
 * <li><b>Owners and verdicts.</b> Who holds an address, first match wins: a declared pod (or a Service endpoint in a
 *   lease), a node address (node IP, lease .0/.1), a LAN host, a declared network host, a Service (ClusterIP or
 *   externalIP), nobody (the rest of the leases and the Network, service CIDRs, bridges), the world. A trace also
 *   takes its client's own address, and a destination written {@code pod:<ip>}, as a pod of that lease. Reachability
 *   alone lets any other lease address stand for a pod (pods come and go). An on-link destination nobody on the
 *   segment holds (a pod's own lease, a node's cni0) fails neighbour resolution: NO_ROUTE, NEIGHBOR_UNREACHABLE. Pods, LAN and outside hosts
 *   answer on every port. DELIVERED needs the owner to get the request and the client to get the reply with the
 *   addresses it used; HIJACKED when something else answers (SERVICE_DNAT, LOCAL_SHADOW, or KUBE_PROXY_REJECT for a
 *   reject of a real machine's address); NO_LISTENER for a service port on a ClusterIP that lands on a node
 *   without a virtual server; REPLY_MISMATCH when a reply comes back un-NATed.</li>
 * <li><b>Sources.</b> A pod's packet enters its node on {@code cni0}; a node's packet takes the route's preferred
 *   source; an outside host's packet starts in the underlay. Ephemeral source port 40000.</li>
 * <li><b>Reachability.</b> Atoms are cut by every node IP, hostNetwork, lease (and its .0 and .1), docker bridge (and
 *   its .1), the Network, the service CIDRs, the kube-proxy cluster CIDR, every ClusterIP, externalIP, endpoint and
 *   pod IP, the declared networks and the special ranges; 0/8, 127/8 and 224/3 are not listed. One probe per atom:
 *   ICMP, or the first service port for a ClusterIP or externalIP. The representative of "pods of a node" is its
 *   lease's {@code .2}, of a network its first host. Nodes whose address and lease relate to nothing but the Network
 *   and cluster CIDR are grouped by LAN, rp_filter, docker, lease length and those relations; others are their own
 *   class; each (class, atom role) pair is traced once (checked against brute force by a property test).</li>
 * </ul>
 */
@NullMarked
package io.github.cidrguard.trace;

import org.jspecify.annotations.NullMarked;
