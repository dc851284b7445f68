package io.github.cidrguard.ingest;

import io.github.cidrguard.kube.DetectLocalMode;
import io.github.cidrguard.kube.Endpoint;
import io.github.cidrguard.kube.KubeProxy;
import io.github.cidrguard.kube.NodeRules;
import io.github.cidrguard.kube.ProxyMode;
import io.github.cidrguard.kube.Service;
import io.github.cidrguard.kube.ServicePort;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code iptables-save} and {@code ip6tables-save} of one node: what flanneld and kube-proxy actually installed, per
 * family. From flannel's masquerade rules (chain {@code FLANNEL-POSTRTG}, or {@code POSTROUTING} before v0.20) the
 * Network (IPv6Network in ip6tables), the node's lease and whether {@code --ip-masq} is on; from {@code FLANNEL-FWD} the
 * Network; from kube-proxy's chains its mode, the clusterCIDR of the {@code ! -s <clusterCIDR> … -j KUBE-MARK-MASQ}
 * rules (or {@code --masquerade-all} when they have no source test), the ClusterIPs, external IPs and node ports of
 * each service, and the endpoints of its DNAT rules. The rules are read by {@link IptablesText}; the facts of
 * {@code nft list ruleset} come from {@link NftFacts} in the same shape.
 */
final class IptablesSave {
    static final String COMMAND = IptablesText.command("ip");
    private static final String CLUSTER_IP = " cluster IP";
    private static final String EXTERNAL_IP = " external IP";

    /**
     * What one node's rules say; {@code networks} and {@code leases} hold at most one CIDR per family (flannel's
     * Network and IPv6Network, the node's lease of each).
     */
    record Facts(List<Cidr> networks, List<Cidr> leases, Optional<Boolean> ipMasq, Optional<KubeProxy> kubeProxy,
                 List<Service> services, Optional<NodeRules> files) {
        Facts {
            networks = List.copyOf(networks);
            leases = List.copyOf(leases);
            services = List.copyOf(services);
        }

        Facts(List<Cidr> networks, List<Cidr> leases, Optional<Boolean> ipMasq, Optional<KubeProxy> kubeProxy,
              List<Service> services) {
            this(networks, leases, ipMasq, kubeProxy, services, Optional.empty());
        }

        static final Facts NONE = new Facts(List.of(), List.of(), Optional.empty(), Optional.empty(), List.of());

        /** Only where the node's rules were saved: what the scenario's {@code rules} key records. */
        static Facts files(NodeRules files) {
            return new Facts(List.of(), List.of(), Optional.empty(), Optional.empty(), List.of(), Optional.of(files));
        }

        /** The IPv4 Network, else the first one (an IPv6-only node). */
        Optional<Cidr> network() {
            return network(IpFamily.IPV4).or(() -> networks.stream().findFirst());
        }

        Optional<Cidr> network(IpFamily family) {
            return networks.stream().filter(c -> c.family() == family).findFirst();
        }

        Optional<Cidr> lease() {
            return lease(IpFamily.IPV4).or(() -> leases.stream().findFirst());
        }

        Optional<Cidr> lease(IpFamily family) {
            return leases.stream().filter(c -> c.family() == family).findFirst();
        }

        /**
         * The facts of both families of one node: iptables-save with ip6tables-save, or with nft's tables. A family
         * already known keeps its first value; kube-proxy's clusterCIDRs of the families are joined.
         */
        Facts merge(Facts o) {
            List<Cidr> n = new ArrayList<>(networks);
            o.networks.stream().filter(c -> network(c.family()).isEmpty()).forEach(n::add);
            List<Cidr> l = new ArrayList<>(leases);
            o.leases.stream().filter(c -> lease(c.family()).isEmpty()).forEach(l::add);
            Optional<Boolean> masq = ipMasq.isPresent() && o.ipMasq.isPresent()
                    ? Optional.of(ipMasq.get() || o.ipMasq.get()) : ipMasq.or(o::ipMasq);
            Optional<KubeProxy> kp = kubeProxy;
            if (kp.isEmpty()) {
                kp = o.kubeProxy;
            } else if (o.kubeProxy.isPresent()) {
                KubeProxy a = kp.get();
                List<Cidr> cidrs = new ArrayList<>(a.clusterCidrs());
                o.kubeProxy.get().clusterCidrs().stream().filter(c -> cidrs.stream()
                        .noneMatch(x -> x.family() == c.family())).forEach(cidrs::add);
                kp = Optional.of(new KubeProxy(a.mode(), cidrs, a.detectLocalMode(),
                        a.masqueradeAll() && o.kubeProxy.get().masqueradeAll(), a.nodePortAddresses()));
            }
            Optional<NodeRules> f = files;
            if (f.isEmpty()) {
                f = o.files;
            } else if (o.files.isPresent()) {
                NodeRules a = f.get();
                NodeRules b = o.files.get();
                f = Optional.of(new NodeRules(a.iptablesSave().or(b::iptablesSave),
                        a.ip6tablesSave().or(b::ip6tablesSave), a.nftRuleset().or(b::nftRuleset)));
            }
            return new Facts(n, l, masq, kp, mergeServices(services, o.services), f);
        }
    }

    /** One {@code -A} rule flattened: its chain and options (negations kept as {@code !-s}). */
    record Rule(int line, String chain, Map<String, String> opts, String comment) {
        String get(String k) {
            return opts.get(k);
        }

        boolean has(String k) {
            return opts.containsKey(k);
        }
    }

    private IptablesSave() {
    }

    static Facts parse(String text, String source) {
        return facts(InstalledRules.iptablesSave(text, source), source, COMMAND);
    }

    /** {@code ip6tables-save}: the same rules with IPv6 addresses. */
    static Facts parse6(String text, String source) {
        return facts(InstalledRules.ip6tablesSave(text, source), source, IptablesText.command("ip6"));
    }

    private static Facts facts(InstalledRules rules, String source, String command) {
        if (rules.iptables().isEmpty()) {
            throw new ImportException(source, 0, "has no *nat or *filter table; give the output of " + command);
        }
        List<Rule> nat = new ArrayList<>();
        List<Rule> filter = new ArrayList<>();
        for (InstalledRules.IptRule r : rules.iptRules()) {
            if (r.table().equals("nat")) {
                nat.add(flat(r));
            } else if (r.table().equals("filter")) {
                filter.add(flat(r));
            }
        }
        return facts(nat, filter, source);
    }

    /** The first value of each option, the modules under {@code -m}, the target under {@code -j} or {@code -g}. */
    private static Rule flat(InstalledRules.IptRule r) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (InstalledRules.IptMatch m : r.matches()) {
            if (!m.module().isEmpty()) {
                opts.putIfAbsent("-m", m.module());
            }
            for (InstalledRules.IptOption o : m.options()) {
                opts.putIfAbsent((o.negated() ? "!" : "") + o.name(), o.value());
                if (o.name().equals("--match-set") && o.values().size() > 1) {
                    opts.putIfAbsent("set-flags", o.values().get(1));
                }
            }
        }
        r.target().ifPresent(t -> {
            opts.putIfAbsent(t.jump() ? "-j" : "-g", t.name());
            t.options().forEach(o -> opts.putIfAbsent(o.name(), o.value()));
        });
        return new Rule(r.line(), r.chain(), opts, r.comment().orElse(null));
    }

    static Facts facts(List<Rule> nat, List<Rule> filter, String source) {
        Cidr network = null;
        Cidr lease = null;
        boolean flannelMasq = false;
        boolean flannelRuns = false;
        for (Rule r : nat) {
            boolean flannel = r.chain().equals("FLANNEL-POSTRTG") || "flanneld masq".equals(r.comment())
                    || r.chain().equals("POSTROUTING") && oldFlannelShape(r);
            if (!flannel) {
                continue;
            }
            flannelRuns = true;
            String j = r.get("-j");
            Cidr s = cidr(r.get("-s"), r, source);
            Cidr d = cidr(r.get("-d"), r, source);
            Cidr ns = cidr(r.get("!-s"), r, source);
            if ("MASQUERADE".equals(j)) {
                flannelMasq = true;
                if (s != null && r.has("!-d")) {
                    network = s; // -s N ! -d 224.0.0.0/4 -j MASQUERADE
                } else if (ns != null && d != null) {
                    network = d; // ! -s N -d N -j MASQUERADE
                }
            } else if ("RETURN".equals(j) && s != null && d != null) {
                if (s.equals(d)) {
                    network = s; // ≤ v0.20: -s N -d N -j RETURN
                } else if (d.contains(s)) {
                    lease = s; // -s L -d N -j RETURN
                    network = d;
                } else if (s.contains(d)) {
                    lease = d; // -s N -d L -j RETURN
                    network = s;
                }
            } else if ("RETURN".equals(j) && ns != null && d != null && !ns.equals(d) && ns.contains(d)) {
                lease = d; // ! -s N -d L -j RETURN
                network = ns;
            }
        }
        for (Rule r : filter) {
            if (r.chain().equals("FLANNEL-FWD") || "flanneld forward".equals(r.comment())) {
                flannelRuns = true;
                Cidr c = cidr(r.has("-s") ? r.get("-s") : r.get("-d"), r, source);
                if (network == null && c != null) {
                    network = c;
                }
            }
        }
        Optional<Boolean> ipMasq = flannelMasq ? Optional.of(true) : flannelRuns ? Optional.of(false)
                : Optional.empty();
        return new Facts(network == null ? List.of() : List.of(network), lease == null ? List.of() : List.of(lease), ipMasq,
                kubeProxy(nat), services(nat, source));
    }

    /**
     * flanneld before v0.16.2 wrote its rules into POSTROUTING without a comment: {@code -s N -d N -j RETURN},
     * {@code -s N ! -d 224.0.0.0/4 -j MASQUERADE}, {@code ! -s N -d L -j RETURN}, {@code ! -s N -d N -j MASQUERADE};
     * no output interface test (Docker's {@code -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE} has one).
     */
    private static boolean oldFlannelShape(Rule r) {
        if (r.has("-o") || r.has("!-o") || r.has("-m") || r.has("-p")) {
            return false;
        }
        String j = r.get("-j");
        boolean ret = "RETURN".equals(j) && (r.has("-s") || r.has("!-s")) && r.has("-d");
        boolean masq = "MASQUERADE".equals(j) && (r.has("-s") && "224.0.0.0/4".equals(r.get("!-d"))
                || r.has("!-s") && r.has("-d"));
        return ret || masq;
    }

    private static Optional<KubeProxy> kubeProxy(List<Rule> nat) {
        boolean any = false;
        boolean ipvs = false;
        Cidr clusterCidr = null;
        DetectLocalMode detect = DetectLocalMode.CLUSTER_CIDR;
        boolean masqAll = false;
        for (Rule r : nat) {
            if (!r.chain().startsWith("KUBE-")) {
                continue;
            }
            any = true;
            String set = r.get("--match-set");
            if (set != null && set.startsWith("KUBE-CLUSTER-IP")) {
                ipvs = true;
            }
            boolean clusterIpRule = r.comment() != null && r.comment().endsWith(CLUSTER_IP) && r.has("-d")
                    || set != null && set.startsWith("KUBE-CLUSTER-IP") && "dst,dst".equals(r.opts().get("set-flags"));
            if (clusterIpRule && "KUBE-MARK-MASQ".equals(r.get("-j"))) {
                if (r.has("!-s")) {
                    clusterCidr = Cidr.parseMasked(r.get("!-s"));
                } else if (r.has("!-i")) {
                    String i = r.get("!-i");
                    detect = i.endsWith("+") ? DetectLocalMode.INTERFACE_NAME_PREFIX : DetectLocalMode.BRIDGE_INTERFACE;
                } else {
                    masqAll = true;
                }
            }
        }
        if (!any) {
            return Optional.empty();
        }
        List<Cidr> cidrs = clusterCidr == null ? List.of() : List.of(clusterCidr);
        // No mark rule at all for ClusterIPs: no detector (KUBE_PROXY_CLUSTER_CIDR_MISSING), unless ipvs.
        return Optional.of(new KubeProxy(ipvs ? ProxyMode.IPVS : ProxyMode.IPTABLES, cidrs, detect,
                masqAll && clusterCidr == null, List.of()));
    }

    private static List<Service> services(List<Rule> nat, String source) {
        Map<String, Service> byName = new LinkedHashMap<>();
        for (Rule r : nat) {
            String c = r.comment();
            if (c == null || !r.chain().startsWith("KUBE-")) {
                continue;
            }
            String j = r.get("-j");
            boolean toSvc = j != null && (j.startsWith("KUBE-SVC-") || j.startsWith("KUBE-SVL-")
                    || j.startsWith("KUBE-EXT-") || j.startsWith("KUBE-FW-"));
            if (r.chain().equals("KUBE-SERVICES") && c.endsWith(CLUSTER_IP) && toSvc && r.has("-d")) {
                String name = serviceName(c.substring(0, c.length() - CLUSTER_IP.length()));
                Service s = byName.computeIfAbsent(name, n -> new Service(n, List.of(), List.of(), List.of(),
                        List.of(), List.of()));
                IpAddress ip = Cidr.parseMasked(r.get("-d")).network();
                List<IpAddress> ips = new ArrayList<>(s.clusterIps());
                if (ips.stream().noneMatch(x -> x.family() == ip.family())) {
                    ips.add(ip);
                }
                s = new Service(name, ips, add(s.ports(), port(source, r, "--dport")), s.nodePorts(), s.endpoints(),
                        s.externalIps());
                byName.put(name, s);
            } else if (r.chain().equals("KUBE-SERVICES") && c.endsWith(EXTERNAL_IP) && toSvc && r.has("-d")) {
                String name = serviceName(c.substring(0, c.length() - EXTERNAL_IP.length()));
                Service s = byName.computeIfAbsent(name, n -> new Service(n, List.of(), List.of(), List.of(),
                        List.of(), List.of()));
                byName.put(name, s.withExternalIps(add(s.externalIps(), Cidr.parseMasked(r.get("-d")).network())));
            } else if (r.chain().equals("KUBE-NODEPORTS") && toSvc && r.has("--dport")) {
                String name = serviceName(c);
                Service s = byName.computeIfAbsent(name, n -> new Service(n, List.of(), List.of(), List.of(),
                        List.of(), List.of()));
                byName.put(name, s.withNodePorts(add(s.nodePorts(), port(source, r, "--dport"))));
            } else if (r.chain().startsWith("KUBE-SEP-") && "DNAT".equals(j) && r.has("--to-destination")) {
                String name = serviceName(c);
                Service s = byName.computeIfAbsent(name, n -> new Service(n, List.of(), List.of(), List.of(),
                        List.of(), List.of()));
                Endpoint ep;
                try {
                    ep = Endpoint.parse(r.get("--to-destination"));
                } catch (IllegalArgumentException e) {
                    throw new ImportException(source, r.line(), e.getMessage(), e);
                }
                byName.put(name, s.withEndpoints(add(s.endpoints(), ep)));
            }
        }
        return List.copyOf(byName.values());
    }

    /**
     * Services of two rule sets of one node joined by name: a dual-stack Service has its IPv4 ClusterIP in iptables
     * and its IPv6 one in ip6tables (or in nft's {@code ip} and {@code ip6} tables).
     */
    static List<Service> mergeServices(List<Service> a, List<Service> b) {
        Map<String, Service> byName = new LinkedHashMap<>();
        a.forEach(s -> byName.put(s.name(), s));
        for (Service s : b) {
            Service known = byName.get(s.name());
            if (known == null) {
                byName.put(s.name(), s);
                continue;
            }
            List<IpAddress> ips = new ArrayList<>(known.clusterIps());
            s.clusterIps().stream().filter(ip -> ips.stream().noneMatch(x -> x.family() == ip.family()))
                    .forEach(ips::add);
            byName.put(s.name(), new Service(s.name(), ips, union(known.ports(), s.ports()),
                    union(known.nodePorts(), s.nodePorts()), union(known.endpoints(), s.endpoints()),
                    union(known.externalIps(), s.externalIps())));
        }
        return List.copyOf(byName.values());
    }

    private static <T> List<T> union(List<T> a, List<T> b) {
        List<T> out = a;
        for (T t : b) {
            out = add(out, t);
        }
        return out;
    }

    private static <T> List<T> add(List<T> list, T value) {
        if (value == null || list.contains(value)) {
            return list;
        }
        List<T> out = new ArrayList<>(list);
        out.add(value);
        return out;
    }

    /** The rule's port option ({@code --dport 443} with {@code -p tcp}); bad input names the file and line. */
    private static ServicePort port(String source, Rule r, String key) {
        String p = r.get(key);
        String proto = r.get("-p");
        if (p == null || proto == null) {
            return null;
        }
        int n;
        try {
            n = Integer.parseInt(p);
        } catch (NumberFormatException e) {
            throw new ImportException(source, r.line(), key + " '" + p + "' is not a port number; give the output of "
                    + COMMAND + " as the node printed it", e);
        }
        try {
            return new ServicePort(n, proto.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ImportException(source, r.line(), key + " " + p + " -p " + proto + ": " + e.getMessage(), e);
        }
    }

    /** {@code default/kubernetes:https} → {@code default/kubernetes}; a port name never holds a slash. */
    private static String serviceName(String comment) {
        int slash = comment.indexOf('/');
        int colon = comment.indexOf(':', slash + 1);
        return colon < 0 ? comment : comment.substring(0, colon);
    }

    private static Cidr cidr(String text, Rule r, String source) {
        if (text == null) {
            return null;
        }
        try {
            return text.contains("/") ? Cidr.parseMasked(text) : Cidr.of(IpAddress.parse(text));
        } catch (IllegalArgumentException e) {
            throw new ImportException(source, r.line(), "'" + text + "' is not an address or CIDR (" + e.getMessage()
                    + ")", e);
        }
    }
}
