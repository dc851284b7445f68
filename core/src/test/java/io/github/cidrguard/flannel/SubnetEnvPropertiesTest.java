package io.github.cidrguard.flannel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** parse(render(e)) == e and render(parse(render(e))) == render(e) for generated files. */
class SubnetEnvPropertiesTest {

    @Property(tries = 500)
    void renderParseIdentity(@ForAll("envs") SubnetEnv env) {
        String text = env.render();
        SubnetEnv back = SubnetEnv.parse(text);
        assertEquals(env, back, text);
        assertEquals(text, back.render());
    }

    @Provide
    Arbitrary<SubnetEnv> envs() {
        Arbitrary<Cidr[]> v4 = Combinators.combine(
                Arbitraries.longs().between(0, 0xFFFF_FFFFL), Arbitraries.integers().between(0, 24),
                Arbitraries.integers().between(0, 6))
            .as((a, netLen, extra) -> {
                Cidr net = Cidr.ofMasked(IpAddress.ofIpv4(a), netLen);
                return new Cidr[] {net, Cidr.ofMasked(IpAddress.ofIpv4(a), netLen + extra + 1)};
            });
        // ULA-style IPv6 (flannel's IP6.String prints small values as dotted quads, which do not re-parse)
        Arbitrary<Cidr[]> v6 = Combinators.combine(
                Arbitraries.longs(), Arbitraries.longs(), Arbitraries.integers().between(8, 64),
                Arbitraries.integers().between(0, 60))
            .as((hi, lo, netLen, extra) -> {
                IpAddress a = IpAddress.ofIpv6(0xFD00_0000_0000_0000L | (hi >>> 8), lo);
                return new Cidr[] {Cidr.ofMasked(a, netLen), Cidr.ofMasked(a, netLen + extra + 1)};
            });
        Arbitrary<Integer> mtu = Arbitraries.oneOf(Arbitraries.of(1450, 1500, 1420, 1480, 8951),
            Arbitraries.integers().between(0, Integer.MAX_VALUE));
        return Combinators.combine(v4, v6, Arbitraries.integers().between(0, 2), mtu, Arbitraries.of(true, false))
            .as((a, b, families, m, masq) -> switch (families) {
                case 0 -> SubnetEnv.ofIpv4(a[0], a[1], m, masq);
                case 1 -> SubnetEnv.ofIpv6(b[0], b[1], m, masq);
                default -> SubnetEnv.ofDualStack(a[0], a[1], b[0], b[1], m, masq);
            });
    }
}
