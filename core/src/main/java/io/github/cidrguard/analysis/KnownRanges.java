package io.github.cidrguard.analysis;

import io.github.cidrguard.kube.Platform;
import io.github.cidrguard.net.Cidr;

import java.util.ArrayList;
import java.util.List;

/**
 * Ranges with a fixed meaning (reference/kube-proxy.md §4): reserved ranges a cluster must not use, and Docker's
 * default address pools.
 *
 * <p>INTERIM: the overlap work brings the platform-aware reserved-range catalogue ({@code ReservedRanges}); this
 * list switches to it once it is on main.
 */
final class KnownRanges {
    /** A reserved range, what it is, and how bad a collision with it is. */
    record Reserved(Cidr cidr, String what, Severity severity) {
    }

    private static final List<Reserved> COMMON = List.of(
            r("0.0.0.0/8", "\"this network\" (RFC 1122)", Severity.ERROR),
            r("127.0.0.0/8", "loopback (RFC 1122)", Severity.ERROR),
            r("169.254.0.0/16", "link-local, incl. the metadata service 169.254.169.254 (RFC 3927)", Severity.ERROR),
            r("224.0.0.0/4", "multicast (RFC 5771)", Severity.ERROR),
            r("240.0.0.0/4", "reserved class E (RFC 1112)", Severity.ERROR),
            r("255.255.255.255/32", "limited broadcast (RFC 919)", Severity.ERROR),
            r("192.0.0.0/24", "IETF protocol assignments (RFC 6890)", Severity.WARNING),
            r("192.0.2.0/24", "documentation TEST-NET-1 (RFC 5737)", Severity.WARNING),
            r("192.88.99.0/24", "deprecated 6to4 relay anycast (RFC 7526)", Severity.WARNING),
            r("198.18.0.0/15", "benchmarking (RFC 2544)", Severity.WARNING),
            r("198.51.100.0/24", "documentation TEST-NET-2, incl. kube-proxy's IPVS probe 198.51.100.0 (RFC 5737)",
                    Severity.WARNING),
            r("203.0.113.0/24", "documentation TEST-NET-3 (RFC 5737)", Severity.WARNING),
            r("::/128", "the unspecified address (RFC 4291)", Severity.ERROR),
            r("::1/128", "loopback (RFC 4291)", Severity.ERROR),
            r("fe80::/10", "link-local (RFC 4291)", Severity.ERROR),
            r("ff00::/8", "multicast (RFC 4291)", Severity.ERROR),
            r("2001:db8::/32", "documentation (RFC 3849)", Severity.WARNING),
            r("3fff::/20", "documentation (RFC 9637)", Severity.WARNING),
            r("fec0::/10", "deprecated site-local (RFC 3879)", Severity.WARNING));

    private static final List<Reserved> AZURE = List.of(
            r("172.30.0.0/16", "reserved by AKS for no pod, service or VNet use", Severity.WARNING),
            r("172.31.0.0/16", "reserved by AKS for no pod, service or VNet use", Severity.WARNING),
            r("168.63.129.16/32", "the Azure wireserver (DNS, DHCP, health probes)", Severity.WARNING));

    private static final List<Reserved> AWS = List.of(
            r("fd00:ec2::253/128", "the AWS IPv6 DNS resolver", Severity.WARNING),
            r("fd00:ec2::254/128", "the AWS IPv6 metadata service", Severity.WARNING));

    /** Docker's default local-scope pools (moby ipamutils): docker0 and every user-defined bridge come from here. */
    static final List<Cidr> DOCKER_POOLS = List.of(Cidr.parse("172.17.0.0/16"), Cidr.parse("172.18.0.0/15"),
            Cidr.parse("172.20.0.0/14"), Cidr.parse("172.24.0.0/13"), Cidr.parse("192.168.0.0/16"));

    private KnownRanges() {
    }

    private static Reserved r(String cidr, String what, Severity s) {
        return new Reserved(Cidr.parse(cidr), what, s);
    }

    /** The reserved ranges for a platform, each with the severity of a collision. */
    static List<Reserved> reserved(Platform platform) {
        List<Reserved> out = new ArrayList<>(COMMON);
        if (platform == Platform.AZURE) {
            out.addAll(AZURE);
        } else if (platform == Platform.AWS) {
            out.addAll(AWS);
        }
        return out;
    }
}
