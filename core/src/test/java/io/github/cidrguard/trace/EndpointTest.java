package io.github.cidrguard.trace;

import io.github.cidrguard.net.IpAddress;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.OptionalInt;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The typed endpoints of a flow: the design's endpoint syntax parsed, printed back, and refused with the syntax. */
class EndpointTest {

    static Stream<Arguments> parses() {
        return Stream.of(
                Arguments.of("pod:default/web", new Endpoint.PodName("default/web")),
                Arguments.of("pod:10.244.1.5", new Endpoint.PodIp(IpAddress.parse("10.244.1.5"))),
                Arguments.of("node:node-71", new Endpoint.NodeName("node-71")),
                Arguments.of("host:10.1.0.1", new Endpoint.Host(IpAddress.parse("10.1.0.1"))),
                Arguments.of("svc:kube-system/kube-dns:53/UDP",
                        new Endpoint.Service("kube-system/kube-dns", 53, Protocol.UDP)),
                Arguments.of("svc:default/web:80", new Endpoint.Service("default/web", 80, Protocol.TCP)),
                Arguments.of("192.168.1.71", new Endpoint.Address(IpAddress.parse("192.168.1.71"))),
                Arguments.of("fd00::5", new Endpoint.Address(IpAddress.parse("fd00::5"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void parses(String text, Endpoint expected) {
        assertEquals(expected, Endpoint.parse(text));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "svc:default/web|lacks a port",
        "svc:default/web:|has an empty port",
        "svc:default/web:http/TCP|is not a port",
        "svc:default/web:70000/TCP|out of range",
        "svc:default/web:80/GRE|unknown protocol",
        "pod:10.244.1.300|is not an endpoint",
        "host:nowhere|is not an endpoint",
        "web|is not an endpoint"})
    void refusesWithTheSyntax(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Endpoint.parse(text));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Property(tries = 300)
    void textParsesBackToTheSameEndpoint(@ForAll("endpoints") Endpoint e) {
        assertEquals(e, Endpoint.parse(e.text()));
    }

    @Provide
    Arbitrary<Endpoint> endpoints() {
        Arbitrary<IpAddress> ip = Arbitraries.integers().between(0, 255).list().ofSize(4)
                .map(l -> IpAddress.parse(l.get(0) + "." + l.get(1) + "." + l.get(2) + "." + l.get(3)));
        Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> nsName = Combinators.combine(name, name).as((a, b) -> a + "/" + b);
        return Arbitraries.oneOf(
                nsName.map(Endpoint.PodName::new),
                ip.map(Endpoint.PodIp::new),
                name.map(Endpoint.NodeName::new),
                ip.map(Endpoint.Host::new),
                ip.map(Endpoint.Address::new),
                Combinators.combine(nsName, Arbitraries.integers().between(1, 65535),
                        Arbitraries.of(Protocol.TCP, Protocol.UDP, Protocol.SCTP)).as(Endpoint.Service::new));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "pod:default/busybox|svc:default/web:8080/UDP|UDP|8080",
        "node:node-71|10.244.2.9||"})
    void aFlowOfTypedEndpointsTakesAServicesPort(String from, String to, String proto, Integer port) {
        Flow f = Flow.of(Endpoint.parse(from), Endpoint.parse(to), Protocol.ICMP, OptionalInt.empty());
        assertEquals(proto == null ? Protocol.ICMP : Protocol.valueOf(proto), f.protocol());
        assertEquals(port == null ? OptionalInt.empty() : OptionalInt.of(port), f.port());
        assertEquals(Endpoint.parse(from), f.source());
        assertEquals(Endpoint.parse(to), f.destination());
    }
}
