package io.github.cidrguard.analysis;

import io.github.cidrguard.analysis.ReservedRanges.Entry;
import io.github.cidrguard.analysis.ReservedRanges.Kind;
import io.github.cidrguard.kube.Platform;
import io.github.cidrguard.net.Cidr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pins the catalogue values: IANA special-purpose ranges, and tool and platform defaults. */
class ReservedRangesTest {

    private static Optional<Entry> find(Platform p, String cidr, Kind kind) {
        return ReservedRanges.forPlatform(p).stream()
                .filter(e -> e.cidr().equals(Cidr.parse(cidr)) && e.kind() == kind).findFirst();
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @CsvSource({
            // platform, cidr, kind, severity
            "onprem, 0.0.0.0/8,          RESERVED,          ERROR",
            "onprem, 127.0.0.0/8,        RESERVED,          ERROR",
            "onprem, 169.254.0.0/16,     RESERVED,          ERROR",
            "onprem, 224.0.0.0/4,        RESERVED,          ERROR",
            "onprem, 240.0.0.0/4,        RESERVED,          ERROR",
            "onprem, 255.255.255.255/32, RESERVED,          ERROR",
            "onprem, ::/128,             RESERVED,          ERROR",
            "onprem, ::1/128,            RESERVED,          ERROR",
            "onprem, fe80::/10,          RESERVED,          ERROR",
            "onprem, ff00::/8,           RESERVED,          ERROR",
            "onprem, 192.0.0.0/24,       SPECIAL_PURPOSE,   WARNING",
            "onprem, 192.88.99.0/24,     SPECIAL_PURPOSE,   WARNING",
            "onprem, 64:ff9b::/96,       SPECIAL_PURPOSE,   WARNING",
            "onprem, fec0::/10,          SPECIAL_PURPOSE,   WARNING",
            "onprem, 192.0.2.0/24,       DOCUMENTATION,     WARNING",
            "onprem, 198.51.100.0/24,    DOCUMENTATION,     WARNING",
            "onprem, 203.0.113.0/24,     DOCUMENTATION,     WARNING",
            "onprem, 2001:db8::/32,      DOCUMENTATION,     WARNING",
            "onprem, 3fff::/20,          DOCUMENTATION,     WARNING",
            "onprem, 198.18.0.0/15,      BENCHMARKING,      WARNING",
            "onprem, 172.17.0.0/16,      DOCKER_BRIDGE,     WARNING",
            "onprem, 172.18.0.0/16,      DOCKER_POOL,       WARNING",
            "onprem, 172.19.0.0/16,      DOCKER_POOL,       WARNING",
            "onprem, 172.20.0.0/14,      DOCKER_POOL,       WARNING",
            "onprem, 172.24.0.0/14,      DOCKER_POOL,       WARNING",
            "onprem, 172.28.0.0/14,      DOCKER_POOL,       WARNING",
            "onprem, 192.168.0.0/16,     DOCKER_POOL,       WARNING",
            "onprem, fd00::/48,          DOCKER_POOL,       WARNING",
            "onprem, 10.0.0.0/8,         DOCKER_POOL,       INFO",
            "onprem, 10.244.0.0/16,      DEFAULT,           INFO",
            "onprem, 10.96.0.0/12,       DEFAULT,           INFO",
            "onprem, 10.42.0.0/16,       DEFAULT,           INFO",
            "onprem, 10.43.0.0/16,       DEFAULT,           INFO",
            "onprem, fd00:42::/56,       DEFAULT,           INFO",
            "onprem, fd00:43::/112,      DEFAULT,           INFO",
            "onprem, 10.0.0.0/8,         PRIVATE,           INFO",
            "onprem, 172.16.0.0/12,      PRIVATE,           INFO",
            "onprem, 192.168.0.0/16,     PRIVATE,           INFO",
            "onprem, fc00::/7,           PRIVATE,           INFO",
            "onprem, 100.64.0.0/10,      SHARED,            INFO",
            "aws,    fd00:ec2::253/128,  PLATFORM_RESERVED, WARNING",
            "aws,    fd00:ec2::254/128,  PLATFORM_RESERVED, WARNING",
            "aws,    10.100.0.0/16,      DEFAULT,           INFO",
            "aws,    172.20.0.0/16,      DEFAULT,           INFO",
            "azure,  172.30.0.0/16,      PLATFORM_RESERVED, WARNING",
            "azure,  172.31.0.0/16,      PLATFORM_RESERVED, WARNING",
            "azure,  168.63.129.16/32,   PLATFORM_RESERVED, WARNING",
            "azure,  10.0.0.0/16,        DEFAULT,           INFO",
            "gcp,    34.118.224.0/20,    DEFAULT,           INFO",
            "gcp,    240.0.0.0/4,        RESERVED,          WARNING",
    })
    void catalogueValues(String platform, String cidr, Kind kind, Severity severity) {
        Entry e = find(Platform.valueOf(platform.toUpperCase(java.util.Locale.ROOT)), cidr, kind)
                .orElseThrow(() -> new AssertionError(cidr + " " + kind + " missing for " + platform));
        assertEquals(severity, e.severity());
        assertFalse(e.name().isBlank());
        assertFalse(e.source().isBlank());
    }

    @Test
    void platformEntriesStayOnTheirPlatform() {
        assertTrue(find(Platform.ONPREM, "172.30.0.0/16", Kind.PLATFORM_RESERVED).isEmpty());
        assertTrue(find(Platform.AWS, "168.63.129.16/32", Kind.PLATFORM_RESERVED).isEmpty());
        assertTrue(find(Platform.AZURE, "fd00:ec2::254/128", Kind.PLATFORM_RESERVED).isEmpty());
        assertEquals(ReservedRanges.forPlatform(Platform.ONPREM).size() + 3,
                ReservedRanges.forPlatform(Platform.AZURE).size() - 1);
    }

    @Test
    void entryCounts() {
        assertEquals(10, ReservedRanges.forPlatform("onprem").stream().filter(e -> e.severity() == Severity.ERROR).count());
        assertEquals(9, ReservedRanges.forPlatform("gcp").stream().filter(e -> e.severity() == Severity.ERROR).count());
    }

    @Test
    void parsesPlatformNamesAndRefusesOthers() {
        assertEquals(ReservedRanges.forPlatform(Platform.AZURE), ReservedRanges.forPlatform(" Azure "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReservedRanges.forPlatform("openstack"));
        assertEquals("unknown platform 'openstack'; use one of onprem, aws, azure, gcp", e.getMessage());
    }

    @Test
    void entriesFeedTheOverlapEngine() {
        List<NamedRange> in = new java.util.ArrayList<>();
        in.add(NamedRange.of("flannel.Network", Cidr.parse("169.254.0.0/17")));
        ReservedRanges.forPlatform(Platform.AWS).stream().filter(e -> e.severity() == Severity.ERROR)
                .map(Entry::toNamedRange).forEach(in::add);
        // class E 240.0.0.0/4 holds the broadcast address: keep only the pairs with the network
        List<Overlap> found = OverlapFinder.find(in).stream()
                .filter(o -> o.firstIndex() == 0 || o.secondIndex() == 0).toList();
        assertEquals(1, found.size());
        assertEquals("link-local (cloud metadata 169.254.169.254, cloud DNS and NTP, CNI gateways) (RFC 3927)",
                found.get(0).first().name());
    }

    @Test
    void listIsUnmodifiable() {
        List<Entry> l = ReservedRanges.forPlatform(Platform.ONPREM);
        assertThrows(UnsupportedOperationException.class, l::clear);
    }
}
