package io.github.cidrguard.ingest;

import io.github.cidrguard.ingest.InstalledRules.IptMatch;
import io.github.cidrguard.ingest.InstalledRules.IptOption;
import io.github.cidrguard.ingest.InstalledRules.IptRule;
import io.github.cidrguard.ingest.InstalledRules.NftChain;
import io.github.cidrguard.ingest.InstalledRules.NftRule;
import io.github.cidrguard.ingest.InstalledRules.NftSet;
import io.github.cidrguard.ingest.InstalledRules.NftTable;
import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.net.IpFamily;
import io.github.cidrguard.trace.Tracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.github.cidrguard.ingest.ScenarioImportTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstalledRulesTest {

    /** A rule's structure in one line: {@code module{[!]opt=v,v …} … -> -j TARGET{opt=v}}. */
    static String shape(IptRule r) {
        StringBuilder sb = new StringBuilder(r.chain());
        for (IptMatch m : r.matches()) {
            sb.append(' ').append(m.module().isEmpty() ? "header" : m.module()).append('{')
                    .append(m.options().stream().map(InstalledRulesTest::option).collect(Collectors.joining(" ")))
                    .append('}');
        }
        r.target().ifPresent(t -> sb.append(" -> ").append(t.jump() ? "-j " : "-g ").append(t.name()).append('{')
                .append(t.options().stream().map(InstalledRulesTest::option).collect(Collectors.joining(" ")))
                .append('}'));
        return sb.toString();
    }

    private static String option(IptOption o) {
        return (o.negated() ? "!" : "") + o.name() + (o.values().isEmpty() ? "" : "=" + String.join(",", o.values()));
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of("-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
                        "KUBE-POSTROUTING mark{!--mark=0x4000/0x4000} -> -j RETURN{}"),
                Arguments.of("-A FLANNEL-POSTRTG ! -s 10.252.0.0/16 -d 10.252.100.0/24 -m comment --comment "
                                + "\"flanneld masq\" -j RETURN",
                        "FLANNEL-POSTRTG header{!-s=10.252.0.0/16 -d=10.252.100.0/24} comment{--comment=flanneld masq}"
                                + " -> -j RETURN{}"),
                Arguments.of("-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000",
                        "KUBE-MARK-MASQ -> -j MARK{--set-xmark=0x4000/0x4000}"),
                Arguments.of("-A KUBE-SVC-X -m comment --comment \"ns/a:http -> 10.0.0.5:80\" -m statistic --mode random"
                                + " --probability 0.33333333349 -j KUBE-SEP-Y",
                        "KUBE-SVC-X comment{--comment=ns/a:http -> 10.0.0.5:80} statistic{--mode=random "
                                + "--probability=0.33333333349} -> -j KUBE-SEP-Y{}"),
                Arguments.of("-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be "
                                + "the last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS",
                        "KUBE-SERVICES comment{--comment=kubernetes service nodeports; NOTE: this must be the last rule"
                                + " in this chain} addrtype{--dst-type=LOCAL} -> -j KUBE-NODEPORTS{}"),
                Arguments.of("-A INPUT -m comment --comment \"say \\\"hi\\\" \\\\ it's\" -j ACCEPT",
                        "INPUT comment{--comment=say \"hi\" \\ it's} -> -j ACCEPT{}"),
                Arguments.of("-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m tcp --dport 443 -g KUBE-SVC-NPX",
                        "KUBE-SERVICES header{-d=10.96.0.1/32 -p=tcp} tcp{--dport=443} -> -g KUBE-SVC-NPX{}"),
                Arguments.of("-A KUBE-SERVICES ! -s 10.233.64.0/18 -m set --match-set KUBE-CLUSTER-IP dst,dst "
                                + "-j KUBE-MARK-MASQ",
                        "KUBE-SERVICES header{!-s=10.233.64.0/18} set{--match-set=KUBE-CLUSTER-IP,dst,dst} "
                                + "-> -j KUBE-MARK-MASQ{}"),
                Arguments.of("-A FORWARD -m physdev --physdev-is-in -m conntrack ! --ctstate RELATED,ESTABLISHED -j DROP",
                        "FORWARD physdev{--physdev-is-in} conntrack{!--ctstate=RELATED,ESTABLISHED} -> -j DROP{}"),
                Arguments.of("[5:300] -A INPUT -i eth0 -j ACCEPT", "INPUT header{-i=eth0} -> -j ACCEPT{}"),
                Arguments.of("-A INPUT -s 192.0.2.1/32", "INPUT header{-s=192.0.2.1/32}"),
                Arguments.of("-A KUBE-SEP-Z -p udp -m udp -j DNAT --to-destination [fd00:10:244:64::3]:53",
                        "KUBE-SEP-Z header{-p=udp} udp{} -> -j DNAT{--to-destination=[fd00:10:244:64::3]:53}"),
                Arguments.of("-A INPUT --source 192.0.2.1/32 --jump DROP", "INPUT header{-s=192.0.2.1/32} -> -j DROP{}"),
                Arguments.of("-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name  "
                                + "ct_state_invalid_dropped_pkts -j DROP",
                        "KUBE-FORWARD conntrack{--ctstate=INVALID} nfacct{--nfacct-name=ct_state_invalid_dropped_pkts}"
                                + " -> -j DROP{}"),
                Arguments.of("-A POSTROUTING -o eth0 -j SNAT --to-source 192.0.2.9 --random-fully",
                        "POSTROUTING header{-o=eth0} -> -j SNAT{--to-source=192.0.2.9 --random-fully}"),
                Arguments.of("-A INPUT -p icmp -m icmp --icmp-type 8 -m limit --limit 1/sec -j LOG --log-prefix "
                                + "\"-ping \" --log-level -1",
                        "INPUT header{-p=icmp} icmp{--icmp-type=8} limit{--limit=1/sec} -> -j LOG{--log-prefix=-ping  "
                                + "--log-level=-1}"));
    }

    @ParameterizedTest
    @MethodSource("rules")
    void iptablesSaveRulesParseIntoTheirParts(String line, String shape) {
        String save = "# Generated by iptables-save v1.8.9\n*nat\n:INPUT ACCEPT [0:0]\n" + line + "\nCOMMIT\n";
        List<IptRule> rules = InstalledRules.iptablesSave(save, "n.iptables").iptRules();
        assertEquals(1, rules.size());
        IptRule r = rules.get(0);
        assertEquals(shape, shape(r));
        assertEquals(4, r.line());
        assertEquals("n.iptables:4", r.location());
        assertEquals(line.replaceFirst("^\\[5:300] ", ""), r.text(), "the rule's text is the line as in the file");
        assertEquals("nat", r.table());
        assertEquals("ip", r.family());
    }

    static Stream<Arguments> badLines() {
        return Stream.of(
                Arguments.of("*nat\nhello world\n", 2, "'hello world' is not a line iptables-save writes"),
                Arguments.of("-A INPUT -j ACCEPT\n", 1, "'-A INPUT -j ACCEPT': rule before any *table line"),
                Arguments.of("*nat\n-A X foo -j ACCEPT\n", 2, "'foo' in '-A X foo -j ACCEPT' is neither an option"),
                Arguments.of("*nat\n-A X -m\n", 2, "'-A X -m' ends after -m without its name"),
                Arguments.of("*nat\n-A X ! -m comment --comment a\n", 2, "'! -m' in '-A X ! -m comment --comment a'"),
                Arguments.of("*nat\n-A X --dport 80 -j ACCEPT\n", 2, "option --dport in '-A X --dport 80 -j ACCEPT' "
                        + "belongs to no -m module"),
                Arguments.of("*nat\n-A X -m comment --comment \"open -j ACCEPT\n", 2, "unterminated quote in '-A X -m "
                        + "comment --comment \"open -j ACCEPT'"),
                Arguments.of("*nat\n-A X -s 192.0.2.1 !\n", 2, "'-A X -s 192.0.2.1 !' ends with '!'"),
                Arguments.of("*nat\n:\n", 2, "':' is not a chain line"),
                Arguments.of("COMMIT\n", 1, "COMMIT without a *table line"),
                Arguments.of("*nat\n-A\n", 2, "'-A' has no chain"));
    }

    @ParameterizedTest
    @MethodSource("badLines")
    void everyIptablesErrorNamesFileLineAndText(String save, int line, String message) {
        ImportException e = assertThrows(ImportException.class, () -> InstalledRules.iptablesSave(save, "x.ipt"));
        assertEquals(line, e.line());
        assertTrue(e.getMessage().startsWith("x.ipt line " + line + ": " + message), e.getMessage());
        assertTrue(e.getMessage().contains("iptables-save"), "names the command to run: " + e.getMessage());
    }

    @Test
    void ip6tablesSaveKeepsTablesChainsPoliciesAndEveryRuleWithItsLine() {
        InstalledRules r = InstalledRules.ip6tablesSave(fixture("node-71.ip6tables"), "node-71.ip6tables");
        assertEquals(List.of("mangle", "filter", "nat"), r.iptables().stream().map(InstalledRules.IptTable::name)
                .toList());
        InstalledRules.IptTable filter = r.iptables().get(1);
        assertEquals("ip6", filter.family());
        assertEquals("DROP", filter.chain("FORWARD").orElseThrow().policy().orElseThrow());
        assertTrue(filter.chain("FLANNEL-FWD").orElseThrow().policy().isEmpty());
        assertEquals(3, filter.chain("KUBE-FORWARD").orElseThrow().rules().size());
        List<IptRule> all = r.iptRules();
        assertEquals(31, all.size());
        String[] lines = fixture("node-71.ip6tables").split("\n");
        for (IptRule rule : all) {
            assertEquals(lines[rule.line() - 1], rule.text(), "rule at " + rule.location());
        }
        IptRule dnat = all.stream().filter(x -> x.target().map(t -> t.name().equals("DNAT")).orElse(false))
                .findFirst().orElseThrow();
        assertEquals("[fd00:10:244:64::3]:53", dnat.target().get().option("--to-destination").orElseThrow().value());
        assertEquals("kube-system/kube-dns:dns", dnat.comment().orElseThrow());
    }

    @Test
    void nftRulesetKeepsTablesBaseChainsSetsMapsAndRules() {
        String text = fixture("node-71.nft");
        InstalledRules r = InstalledRules.nftRuleset(text, "node-71.nft");
        assertEquals(List.of("ip kube-proxy", "ip flannel-ipv4", "ip6 flannel-ipv6", "ip6 kube-proxy", "inet filter"),
                r.nft().stream().map(t -> t.family() + " " + t.name()).toList());
        NftTable kp = r.nft().get(0);
        assertEquals("rules for kube-proxy", kp.comment().orElseThrow());
        NftChain pre = kp.chain("filter-prerouting").orElseThrow();
        assertEquals("filter", pre.base().orElseThrow().type());
        assertEquals("prerouting", pre.base().get().hook());
        assertEquals("dstnat - 10", pre.base().get().priority());
        assertEquals("accept", pre.base().get().policy());
        assertTrue(kp.chain("services").orElseThrow().base().isEmpty());
        assertEquals("helper for @no-endpoint-services / @no-endpoint-nodeports",
                kp.chain("reject-chain").orElseThrow().comment().orElseThrow());
        NftSet ips = kp.set("service-ips").orElseThrow();
        assertTrue(ips.map());
        assertEquals("ipv4_addr . inet_proto . inet_service : verdict", ips.type());
        assertEquals(List.of("10.252.77.85 . tcp . 80 : goto service-PR7ZTN5H-default/jenkins/tcp/"), ips.elements());
        // elements over two lines, "# handle" dropped
        NftTable kp6 = r.nft().get(3);
        assertEquals(List.of("fd00:10:96::1", "fd00:10:96::55"), kp6.set("cluster-ips").orElseThrow().elements());
        assertEquals(2, kp6.set("service-ips").orElseThrow().elements().size());
        assertEquals("jump services", kp6.chain("nat-prerouting").orElseThrow().rules().get(0).text());
        // the hand-added rule, flowtable skipped whole
        NftTable inet = r.nft().get(4);
        assertEquals(List.of("forward"), inet.chains().stream().map(NftChain::name).toList());
        NftRule drop = inet.chain("forward").orElseThrow().rules().get(0);
        assertEquals("ops: block \"legacy\" subnet", drop.comment().orElseThrow());
        assertEquals("inet", drop.family());
        assertTrue(drop.words().containsAll(List.of("{", "22,", "8080", "}", "drop")), drop.words().toString());
        String[] lines = text.split("\n");
        for (NftRule rule : r.nftRules()) {
            assertEquals(lines[rule.line() - 1].replaceFirst(" # handle \\d+$", "").strip(), rule.text(),
                    "rule at " + rule.location());
        }
        assertEquals(r.nftRules().size(), r.nft().stream().mapToInt(t -> t.chains().stream()
                .mapToInt(c -> c.rules().size()).sum()).sum());
    }

    static Stream<Arguments> badNft() {
        return Stream.of(
                Arguments.of("chain x {\n}\n", 1, "'chain x {' is not a line nft list ruleset writes at the top"),
                Arguments.of("table ip t {\n\tchain c {\n\t\taccept\n\t}\n", 1, "table ip t is never closed"),
                Arguments.of("table ip t {\n}\n}\n", 3, "'}' closes nothing"),
                Arguments.of("table ip t {\n\tchain c {\n\t\ttype filter hook input;\n\t}\n}\n", 3,
                        "'type filter hook input;' is not a base chain line"),
                Arguments.of("table ip t {\n\tset s {\n\t\telements = { 1.2.3.4,\n", 3,
                        "'elements = { 1.2.3.4,' opens a brace that never closes"),
                Arguments.of("table ip t {\n\tip saddr 1.2.3.4 accept\n}\n", 2,
                        "'ip saddr 1.2.3.4 accept' is not a line nft lists inside table ip t"),
                Arguments.of("table ip t {\n\tchain c {\n\t\tip saddr 1.2.3.4 comment \"x\n\t}\n}\n", 3,
                        "unterminated quote in 'ip saddr 1.2.3.4 comment \"x'"));
    }

    @ParameterizedTest
    @MethodSource("badNft")
    void everyNftErrorNamesFileLineAndText(String text, int line, String message) {
        ImportException e = assertThrows(ImportException.class, () -> InstalledRules.nftRuleset(text, "x.nft"));
        assertEquals(line, e.line());
        assertTrue(e.getMessage().startsWith("x.nft line " + line + ": " + message), e.getMessage());
        assertTrue(e.getMessage().contains("nft list ruleset"), "names the command to run: " + e.getMessage());
    }

    /**
     * The tracer renders its rules in the tools' own formats: every rule of every lab scenario's nodes parses back
     * with its text unchanged (the rendered text is a real-format sample of both syntaxes).
     */
    @Test
    void theTracersRenderedRulesOfEveryLabScenarioParseBack() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("../examples/scenarios/lab"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no lab scenarios found");
        int ipt = 0;
        int nft = 0;
        for (Path f : files) {
            Scenario sc = Scenario.load(f);
            for (var node : sc.nodes()) {
                if (node.ip(IpFamily.IPV4).isEmpty()) {
                    continue; // the tracer models the IPv4 half only; an IPv6-only node has no rendered rules
                }
                String all = Tracer.of(sc).rules(node.name());
                List<String> iptLines = new ArrayList<>();
                List<String> nftLines = new ArrayList<>();
                boolean inNft = false;
                for (String l : all.split("\n")) {
                    if (l.startsWith("# ip route")) {
                        break;
                    }
                    if (l.startsWith("table ")) {
                        inNft = true;
                    }
                    if (l.startsWith("create ") || l.startsWith("add ") || l.startsWith("-A -") || l.startsWith("-a ")
                            || l.startsWith("#")) {
                        continue; // ipset save and ipvsadm -Sn lines
                    }
                    (inNft ? nftLines : iptLines).add(l);
                }
                String iptText = String.join("\n", iptLines);
                if (iptText.contains("*")) {
                    List<IptRule> rules = InstalledRules.iptablesSave(iptText, f.getFileName().toString()).iptRules();
                    long expected = iptLines.stream().filter(l -> l.startsWith("-A ")).count();
                    assertEquals(expected, rules.size(), f + " " + node.name());
                    for (IptRule r : rules) {
                        assertEquals(iptLines.get(r.line() - 1), r.text());
                    }
                    ipt += rules.size();
                }
                if (!nftLines.isEmpty()) {
                    List<NftRule> rules = InstalledRules.nftRuleset(String.join("\n", nftLines), f.toString())
                            .nftRules();
                    for (NftRule r : rules) {
                        assertEquals(nftLines.get(r.line() - 1).strip(), r.text());
                    }
                    nft += rules.size();
                }
            }
        }
        assertTrue(ipt > 100 && nft > 50, "too few rules parsed: iptables " + ipt + ", nft " + nft);
    }
}
