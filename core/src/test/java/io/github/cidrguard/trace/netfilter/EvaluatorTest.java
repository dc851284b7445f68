package io.github.cidrguard.trace.netfilter;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.trace.Protocol;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The evaluator on hand-built rules, as a parser would produce them: match semantics, chain traversal
 * (jump returns, goto does not, a chain without verdict continues its caller) and packet rewriting.
 */
class EvaluatorTest {
    static final IpAddress POD = IpAddress.parse("10.244.1.5");
    static final IpAddress VIP = IpAddress.parse("10.96.0.10");
    static final IpAddress NODE = IpAddress.parse("192.168.1.71");
    static final Packet UDP53 = new Packet(POD, VIP, Protocol.UDP, 40000, 53, 0);

    /** A node with one local address, one ipset, and packets entering on {@code iif}. */
    record Env(String inInterface, boolean newConnection) implements Environment {
        @Override
        public boolean isLocal(IpAddress a) {
            return a.equals(NODE);
        }

        @Override
        public boolean ipsetContains(String set, String flags, Packet p) {
            return set.equals("KUBE-CLUSTER-IP") && flags.equals("dst,dst") && p.dst().equals(VIP);
        }

        @Override
        public IpAddress masqueradeAddress() {
            return NODE;
        }
    }

    static final Environment POD_NEW = new Env("cni0", true);

    static Stream<Arguments> matches() {
        return Stream.of(
                Arguments.of(new Match.Src(Cidr.parse("10.244.0.0/16"), false), POD_NEW, true),
                Arguments.of(new Match.Src(Cidr.parse("10.244.0.0/16"), true), POD_NEW, false),
                Arguments.of(new Match.Dst(Cidr.parse("10.96.0.0/12"), false), POD_NEW, true),
                Arguments.of(new Match.Dst(Cidr.parse("10.96.0.0/12"), true), POD_NEW, false),
                Arguments.of(new Match.InIf("cni0", false), POD_NEW, true),
                Arguments.of(new Match.InIf("cni+", false), POD_NEW, true),
                Arguments.of(new Match.InIf("eth+", false), POD_NEW, false),
                Arguments.of(new Match.InIf("cni0", false), new Env(null, true), false),
                Arguments.of(new Match.Proto(Protocol.UDP), POD_NEW, true),
                Arguments.of(new Match.Proto(Protocol.TCP), POD_NEW, false),
                Arguments.of(new Match.DPort(Protocol.UDP, 53), POD_NEW, true),
                Arguments.of(new Match.DPort(Protocol.UDP, 0), POD_NEW, true),
                Arguments.of(new Match.DPort(Protocol.UDP, 54), POD_NEW, false),
                Arguments.of(new Match.Mark(0x4000, false), POD_NEW, false),
                Arguments.of(new Match.Mark(0x4000, true), POD_NEW, true),
                Arguments.of(new Match.Comment("x"), POD_NEW, true),
                Arguments.of(new Match.AddrTypeLocal(true, false), POD_NEW, false),
                Arguments.of(new Match.AddrTypeLocal(true, true), POD_NEW, true),
                Arguments.of(new Match.PhysdevIsIn(false), POD_NEW, true),
                Arguments.of(new Match.PhysdevIsIn(false), new Env("eth0", true), false),
                Arguments.of(new Match.CtState("NEW", false), POD_NEW, true),
                Arguments.of(new Match.CtState("RELATED,ESTABLISHED", false), POD_NEW, false),
                Arguments.of(new Match.CtState("RELATED,ESTABLISHED", false), new Env("cni0", false), true),
                Arguments.of(new Match.CtState("INVALID", false), POD_NEW, false),
                Arguments.of(new Match.Probability("0.50000000000"), POD_NEW, true),
                Arguments.of(new Match.IpSetMatch("KUBE-CLUSTER-IP", "dst,dst", false), POD_NEW, true),
                Arguments.of(new Match.IpSetMatch("KUBE-EXTERNAL-IP", "dst,dst", false), POD_NEW, false),
                Arguments.of(new Match.Tuple(VIP, Protocol.UDP, 53), POD_NEW, true),
                Arguments.of(new Match.Tuple(null, Protocol.UDP, 53), POD_NEW, true),
                Arguments.of(new Match.Tuple(VIP, Protocol.TCP, 53), POD_NEW, false));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource
    void matches(Match m, Environment env, boolean expected) {
        assertEquals(expected, Evaluator.matches(m, UDP53, env));
    }

    static Ruleset kubeLike() {
        Ruleset rs = new Ruleset();
        rs.iptBase("nat", "PREROUTING", -100);
        rs.chain("nat", "KUBE-SERVICES");
        rs.chain("nat", "KUBE-SVC-X");
        rs.chain("nat", "KUBE-MARK-MASQ");
        rs.add(Rule.ipt("nat", "PREROUTING", new Target.Jump("KUBE-SERVICES")));
        rs.add(Rule.ipt("nat", "KUBE-SERVICES", new Target.Jump("KUBE-SVC-X"), new Match.Dst(Cidr.of(VIP), false),
                new Match.Proto(Protocol.UDP), new Match.DPort(Protocol.UDP, 53)));
        rs.add(Rule.ipt("nat", "KUBE-SVC-X", new Target.Jump("KUBE-MARK-MASQ"),
                new Match.Src(Cidr.parse("10.244.0.0/16"), true)));
        rs.add(Rule.ipt("nat", "KUBE-SVC-X", new Target.Dnat(IpAddress.parse("10.244.2.9"), 5353)));
        rs.add(Rule.ipt("nat", "KUBE-MARK-MASQ", new Target.SetMark(0x4000, true)));
        return rs;
    }

    @Test
    void jumpsReturnAndDnatRewritesTheDestination() {
        Evaluator.Outcome o = Evaluator.evaluate(kubeLike(), "nat", "PREROUTING", UDP53, POD_NEW);
        assertEquals(Evaluator.Disposition.ACCEPT, o.disposition());
        assertTrue(o.dnatted());
        assertFalse(o.masqueraded());
        assertEquals(new Packet(POD, IpAddress.parse("10.244.2.9"), Protocol.UDP, 40000, 5353, 0), o.packet());
        assertEquals(List.of("-A PREROUTING -j KUBE-SERVICES",
                        "-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m udp --dport 53 -j KUBE-SVC-X",
                        "-A KUBE-SVC-X -j DNAT --to-destination 10.244.2.9:5353"),
                o.steps().stream().map(s -> s.rule().text()).toList());
        assertTrue(o.stop().isEmpty());
    }

    @Test
    void markIsSetByAJumpedChainThatEndsWithoutVerdict() {
        Packet fromOutside = new Packet(IpAddress.parse("192.168.7.7"), VIP, Protocol.UDP, 40000, 53, 0);
        Evaluator.Outcome o = Evaluator.evaluate(kubeLike(), "nat", "PREROUTING", fromOutside, new Env("eth0", true));
        assertEquals(0x4000, o.packet().mark());
        assertEquals(5353, o.packet().dport());
        assertEquals("MARK", o.steps().get(3).rule().target().action());
    }

    @Test
    void gotoDoesNotReturnAndDropStopsWithItsRule() {
        Ruleset rs = new Ruleset();
        rs.iptBase("filter", "FORWARD", 0);
        rs.chain("filter", "A");
        rs.add(Rule.ipt("filter", "FORWARD", new Target.Goto("A")));
        rs.add(Rule.ipt("filter", "FORWARD", new Target.Drop()));
        rs.add(Rule.ipt("filter", "A", new Target.Reject(), new Match.Proto(Protocol.TCP)));
        Evaluator.Outcome udp = Evaluator.evaluate(rs, "filter", "FORWARD", UDP53, POD_NEW);
        assertEquals(Evaluator.Disposition.CONTINUE, udp.disposition(), "goto A ended without verdict: no DROP");
        Evaluator.Outcome tcp = Evaluator.evaluate(rs, "filter", "FORWARD",
                new Packet(POD, VIP, Protocol.TCP, 40000, 80, 0), POD_NEW);
        assertEquals(Evaluator.Disposition.DROP, tcp.disposition());
        assertEquals("-A A -p tcp -j REJECT --reject-with icmp-port-unreachable", tcp.stop().orElseThrow().text());
    }

    @Test
    void masqueradeTakesTheEnvironmentsAddress() {
        Ruleset rs = new Ruleset();
        rs.iptBase("nat", "POSTROUTING", 100);
        rs.add(Rule.ipt("nat", "POSTROUTING", new Target.Masquerade(true), new Match.Dst(Cidr.of(VIP), true)));
        Packet out = new Packet(POD, IpAddress.parse("1.1.1.1"), Protocol.UDP, 40000, 53, 0);
        Evaluator.Outcome o = Evaluator.evaluate(rs, "nat", "POSTROUTING", out, POD_NEW);
        assertTrue(o.masqueraded());
        assertEquals(NODE, o.packet().src());
    }

    @Test
    void aJumpLoopAndAMissingChainAreRefusedWithTheChainsName() {
        Ruleset loop = new Ruleset();
        loop.add(Rule.ipt("filter", "A", new Target.Jump("A")));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Evaluator.evaluate(loop, "filter", "A", UDP53, POD_NEW));
        assertTrue(e.getMessage().contains("at A"), e.getMessage());
        Ruleset missing = new Ruleset();
        missing.add(Rule.ipt("filter", "A", new Target.Jump("B")));
        IllegalStateException m = assertThrows(IllegalStateException.class,
                () -> Evaluator.evaluate(missing, "filter", "A", UDP53, POD_NEW));
        assertTrue(m.getMessage().contains("no chain B in table filter"), m.getMessage());
    }

    @Test
    void rendererPrintsIptablesSaveWithBuiltinPolicies() {
        String text = Renderer.render(kubeLike());
        assertTrue(text.startsWith("*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n"), text);
        assertTrue(text.contains("-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000\nCOMMIT\n"), text);
        assertEquals(Set.of(), Set.copyOf(Renderer.render(new Ruleset()).lines().toList()));
    }
}
