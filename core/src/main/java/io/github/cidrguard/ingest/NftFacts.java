package io.github.cidrguard.ingest;

import io.github.cidrguard.ingest.InstalledRules.NftRule;
import io.github.cidrguard.ingest.InstalledRules.NftSet;
import io.github.cidrguard.ingest.InstalledRules.NftTable;
import io.github.cidrguard.kube.DetectLocalMode;
import io.github.cidrguard.kube.Endpoint;
import io.github.cidrguard.kube.KubeProxy;
import io.github.cidrguard.kube.ProxyMode;
import io.github.cidrguard.kube.Service;
import io.github.cidrguard.kube.ServicePort;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The facts of {@code nft list ruleset}, in the shape {@link IptablesSave} gives for iptables:
 * <ul>
 *   <li>flanneld with {@code EnableNFTables} (flannel's pkg/trafficmngr/nftables): tables {@code ip flannel-ipv4} and
 *       {@code ip6 flannel-ipv6}, chain {@code postrtg} with the masquerade rules iptables mode writes into
 *       {@code FLANNEL-POSTRTG}, chain {@code forward} with {@code FLANNEL-FWD}'s; they are read by the same rules;</li>
 *   <li>kube-proxy in nftables mode (kubernetes pkg/proxy/nftables/proxier.go): tables {@code ip kube-proxy} and
 *       {@code ip6 kube-proxy}; the ClusterIPs and external IPs from the {@code service-ips} map (an element going to
 *       a {@code service-…} chain is a ClusterIP, to an {@code external-…} chain an external or load-balancer IP),
 *       node ports from {@code service-nodeports}, endpoints from the {@code dnat to} of each {@code endpoint-…}
 *       chain, and the local-traffic detector from the {@code … jump mark-for-masquerade} rule of a service chain
 *       ({@code ip saddr != <clusterCIDR>}, {@code iifname != "cni0"}, or none: masquerade-all).</li>
 * </ul>
 */
final class NftFacts {
    private static final String KP = "kube-proxy";

    private NftFacts() {
    }

    static IptablesSave.Facts parse(String text, String source) {
        InstalledRules rules = InstalledRules.nftRuleset(text, source);
        if (rules.nft().isEmpty()) {
            throw new ImportException(source, 0, "has no table; give the output of " + NftText.COMMAND);
        }
        IptablesSave.Facts facts = IptablesSave.Facts.NONE;
        for (NftTable t : rules.nft()) {
            if (t.name().startsWith("flannel-")) {
                facts = facts.merge(flannel(t, source));
            } else if (t.name().equals(KP)) {
                facts = facts.merge(kubeProxy(t, source));
            }
        }
        return facts;
    }

    /** flannel's nft rules as the iptables rules they replace, so one reading serves both. */
    private static IptablesSave.Facts flannel(NftTable t, String source) {
        List<IptablesSave.Rule> nat = new ArrayList<>();
        List<IptablesSave.Rule> filter = new ArrayList<>();
        for (var c : t.chains()) {
            String chain = c.name().equals("postrtg") ? "FLANNEL-POSTRTG" : c.name().equals("forward")
                    ? "FLANNEL-FWD" : null;
            if (chain == null) {
                continue;
            }
            for (NftRule r : c.rules()) {
                (chain.equals("FLANNEL-FWD") ? filter : nat).add(asIptables(chain, r));
            }
        }
        return IptablesSave.facts(nat, filter, source);
    }

    /** {@code ip saddr != A ip daddr B return} → {@code !-s A -d B -j RETURN}; {@code meta mark …} → {@code -m mark}. */
    private static IptablesSave.Rule asIptables(String chain, NftRule r) {
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> w = r.words();
        for (int i = 0; i < w.size(); i++) {
            String x = w.get(i);
            if ((x.equals("ip") || x.equals("ip6")) && i + 2 < w.size()
                    && (w.get(i + 1).equals("saddr") || w.get(i + 1).equals("daddr"))) {
                boolean neg = w.get(i + 2).equals("!=");
                int v = neg ? i + 3 : i + 2;
                if (v < w.size() && !w.get(v).startsWith("{") && !w.get(v).startsWith("@")) {
                    opts.putIfAbsent((neg ? "!" : "") + (w.get(i + 1).equals("saddr") ? "-s" : "-d"), w.get(v));
                }
                i = v;
            } else if (x.equals("meta") && i + 1 < w.size() && w.get(i + 1).equals("mark")) {
                opts.putIfAbsent("-m", "mark");
            } else if (x.equals("oifname") || x.equals("iifname")) {
                opts.putIfAbsent(x.equals("oifname") ? "-o" : "-i", i + 1 < w.size() ? w.get(i + 1) : "");
            } else if (x.equals("return") || x.equals("accept") || x.equals("drop")) {
                opts.putIfAbsent("-j", x.toUpperCase(Locale.ROOT));
            } else if (x.equals("masquerade")) {
                opts.putIfAbsent("-j", "MASQUERADE");
            }
        }
        return new IptablesSave.Rule(r.line(), chain, opts, null);
    }

    private static IptablesSave.Facts kubeProxy(NftTable t, String source) {
        Cidr clusterCidr = null;
        DetectLocalMode detect = DetectLocalMode.CLUSTER_CIDR;
        boolean masqAll = false;
        Map<String, Service> byName = new LinkedHashMap<>();
        for (var c : t.chains()) {
            if (c.name().startsWith("service-")) {
                for (NftRule r : c.rules()) {
                    if (!r.text().endsWith("jump mark-for-masquerade")) {
                        continue;
                    }
                    String saddr = after(r.words(), "saddr", "!=");
                    String iif = after(r.words(), "iifname", "!=");
                    if (saddr != null) {
                        clusterCidr = cidr(saddr, r, source);
                    } else if (iif != null) {
                        detect = iif.endsWith("*") ? DetectLocalMode.INTERFACE_NAME_PREFIX
                                : DetectLocalMode.BRIDGE_INTERFACE;
                    } else if (r.words().contains("daddr")) {
                        masqAll = true;
                    }
                }
            } else if (c.name().startsWith("endpoint-")) {
                for (NftRule r : c.rules()) {
                    int to = r.words().indexOf("dnat");
                    if (to < 0 || to + 2 >= r.words().size() || !r.words().get(to + 1).equals("to")) {
                        continue;
                    }
                    String name = serviceName(c.name());
                    Service s = service(byName, name);
                    try {
                        byName.put(name, s.withEndpoints(add(s.endpoints(), Endpoint.parse(r.words().get(to + 2)))));
                    } catch (IllegalArgumentException e) {
                        throw new ImportException(source, r.line(), "'" + r.text() + "': " + e.getMessage(), e);
                    }
                }
            }
        }
        Optional<NftSet> ips = t.set("service-ips");
        for (String e : ips.map(NftSet::elements).orElse(List.of())) {
            // 10.96.0.10 . udp . 53 : goto service-ABCDEFGH-kube-system/kube-dns/udp/dns
            String[] kv = e.split("\\s+:\\s+");
            String[] key = kv[0].split("\\s+\\.\\s+");
            if (kv.length < 2 || key.length != 3) {
                continue;
            }
            String verdict = kv[1].strip();
            String chain = verdict.substring(verdict.indexOf(' ') + 1).strip();
            IpAddress ip = address(key[0].strip(), t, source);
            String name = serviceName(chain);
            Service s = service(byName, name);
            if (chain.startsWith("service-")) {
                List<IpAddress> cips = new ArrayList<>(s.clusterIps());
                if (cips.stream().noneMatch(x -> x.family() == ip.family())) {
                    cips.add(ip);
                }
                s = new Service(name, cips, add(s.ports(), port(key[2].strip(), key[1].strip(), t, source)),
                        s.nodePorts(), s.endpoints(), s.externalIps());
            } else if (chain.startsWith("external-")) {
                s = s.withExternalIps(add(s.externalIps(), ip));
            }
            byName.put(name, s);
        }
        for (String e : t.set("service-nodeports").map(NftSet::elements).orElse(List.of())) {
            // tcp . 30080 : goto external-ABCDEFGH-default/web/tcp/
            String[] kv = e.split("\\s+:\\s+");
            String[] key = kv[0].split("\\s+\\.\\s+");
            if (kv.length < 2 || key.length != 2) {
                continue;
            }
            String verdict = kv[1].strip();
            String name = serviceName(verdict.substring(verdict.indexOf(' ') + 1).strip());
            Service s = service(byName, name);
            byName.put(name, s.withNodePorts(add(s.nodePorts(), port(key[1].strip(), key[0].strip(), t, source))));
        }
        List<Cidr> cidrs = clusterCidr == null ? List.of() : List.of(clusterCidr);
        KubeProxy kp = new KubeProxy(ProxyMode.NFTABLES, cidrs, detect, masqAll && clusterCidr == null, List.of());
        return new IptablesSave.Facts(List.of(), List.of(), Optional.empty(), Optional.of(kp),
                List.copyOf(byName.values()));
    }

    /** The word after {@code key} (after {@code op} when the rule has it there), or null. */
    private static @Nullable String after(List<String> w, String key, String op) {
        int i = w.indexOf(key);
        if (i < 0 || i + 2 >= w.size() || !w.get(i + 1).equals(op)) {
            return null;
        }
        return w.get(i + 2);
    }

    /**
     * {@code service-ABCDEFGH-default/web/tcp/http} (and the {@code external-}, {@code endpoint-} chains) →
     * {@code default/web}: kube-proxy's {@code hashAndTruncate} puts 8 hash characters and a dash before the name.
     */
    static String serviceName(String chain) {
        int dash = chain.indexOf('-');
        String rest = chain.substring(dash + 1);
        rest = rest.length() > 9 && rest.charAt(8) == '-' ? rest.substring(9) : rest;
        String[] p = rest.split("/");
        return p.length >= 2 ? p[0] + "/" + p[1] : rest;
    }

    private static Service service(Map<String, Service> byName, String name) {
        return byName.computeIfAbsent(name, n -> new Service(n, List.of(), List.of(), List.of(), List.of(),
                List.of()));
    }

    private static ServicePort port(String port, String proto, NftTable t, String source) {
        try {
            return new ServicePort(Integer.parseInt(port), proto.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ImportException(source, t.line(), "table " + t.family() + " " + t.name() + ": '" + proto + " . "
                    + port + "' is not a protocol and port (" + e.getMessage() + "); give the output of "
                    + NftText.COMMAND, e);
        }
    }

    private static IpAddress address(String text, NftTable t, String source) {
        try {
            return IpAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ImportException(source, t.line(), "table " + t.family() + " " + t.name() + ": '" + text
                    + "' is not an address (" + e.getMessage() + "); give the output of " + NftText.COMMAND, e);
        }
    }

    private static Cidr cidr(String text, NftRule r, String source) {
        try {
            return text.contains("/") ? Cidr.parseMasked(text) : Cidr.of(IpAddress.parse(text));
        } catch (IllegalArgumentException e) {
            throw new ImportException(source, r.line(), "'" + text + "' in '" + r.text() + "' is not an address or "
                    + "CIDR (" + e.getMessage() + ")", e);
        }
    }

    private static <T> List<T> add(List<T> list, T value) {
        if (list.contains(value)) {
            return list;
        }
        List<T> out = new ArrayList<>(list);
        out.add(value);
        return out;
    }
}
