package io.github.cidrguard.analysis;

import io.github.cidrguard.kube.Platform;
import io.github.cidrguard.net.Cidr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The catalogue of special-purpose, reserved and well-known ranges a cluster's address plan must respect or should
 * know about, per platform. Values and sources: the IANA IPv4 and IPv6
 * special-purpose registries (RFC 6890 and the RFCs named per entry) and tool and platform
 * defaults ( kubeadm constants, kube-flannel.yml, k3s flag help, moby {@code ipamutils}, AKS and EKS docs).
 *
 * <pre>{@code
 * for (ReservedRanges.Entry e : ReservedRanges.forPlatform("aws")) {
 *     if (e.severity() == Severity.ERROR && e.cidr().overlaps(podNetwork)) { ... }
 * }
 * }</pre>
 *
 * <p>Each entry carries a {@link Severity}, a hint for the finding a collision raises: {@code ERROR} for ranges no
 * pod, service or node range may touch (loopback, link-local with the cloud metadata service, multicast, class E,
 * "this network", limited broadcast and their IPv6 equivalents), {@code WARNING} for ranges that break on some platforms or with some tools (other
 * special-purpose blocks, documentation, benchmarking, platform reservations, Docker's bridge and default address
 * pools), {@code INFO} for address space and defaults worth naming in a report (RFC 1918, RFC 6598, the defaults
 * of flannel, kubeadm and k3s). Whether a collision is worth a finding at all (with Docker's pools, say, only where
 * Docker runs) is the analysis's decision.
 *
 * <p>Addresses inside an {@code ERROR} block that a platform uses (169.254.169.254 and friends) are named in that
 * block's entry rather than listed again, so one collision yields one entry. Entries may otherwise overlap: Docker's
 * pools lie inside RFC 1918, for example.
 */
public final class ReservedRanges {

    /** What a range is. */
    public enum Kind {
        /** Unusable for a cluster: loopback, link-local, multicast, class E, 0.0.0.0/8, broadcast, IPv6 kin. */
        RESERVED,
        /** Other IETF special-purpose blocks: protocol assignments, 6to4, NAT64, IPv4-mapped, discard. */
        SPECIAL_PURPOSE,
        /** Documentation examples (TEST-NET-1/2/3, 2001:db8::/32, 3fff::/20). */
        DOCUMENTATION,
        /** Benchmarking (198.18.0.0/15). */
        BENCHMARKING,
        /** Reserved by the cloud platform (AKS reserved ranges, Azure wireserver, AWS IPv6 link services). */
        PLATFORM_RESERVED,
        /** Docker's default bridge {@code docker0}. */
        DOCKER_BRIDGE,
        /** Docker's default address pools for user-defined networks. */
        DOCKER_POOL,
        /** A default of a Kubernetes distribution or CNI (flannel, kubeadm, k3s, EKS, AKS, GKE). */
        DEFAULT,
        /** Private address space: RFC 1918 and IPv6 unique local addresses. */
        PRIVATE,
        /** Shared address space (RFC 6598, carrier-grade NAT). */
        SHARED
    }

    /**
     * One catalogue entry.
     *
     * @param cidr the block
     * @param name what it is, for people, e.g. {@code link-local (IMDS 169.254.169.254)}
     * @param kind what kind of range it is
     * @param severity how serious a collision is, as a hint for the finding it raises
     * @param source where the value is defined (RFC, tool source or documentation)
     */
    public record Entry(Cidr cidr, String name, Kind kind, Severity severity, String source) {
        /** Validates that no component is null. */
        public Entry {
            Objects.requireNonNull(cidr, "cidr");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(source, "source");
        }

        /** The entry as an input of {@link OverlapFinder}, named {@code name (source)}. */
        public NamedRange toNamedRange() {
            return NamedRange.of(name + " (" + source + ")", cidr);
        }

        /** E.g. {@code 169.254.0.0/16 link-local (IMDS 169.254.169.254) [RESERVED, ERROR; RFC 3927]}. */
        @Override
        public String toString() {
            return cidr + " " + name + " [" + kind + ", " + severity + "; " + source + "]";
        }
    }

    private static final List<Entry> COMMON = List.of(
            // IANA IPv4 special-purpose address registry (RFC 6890)
            e("0.0.0.0/8", "\"this network\" (0.0.0.0 is unspecified)", Kind.RESERVED, Severity.ERROR, "RFC 1122, RFC 6890"),
            e("127.0.0.0/8", "loopback", Kind.RESERVED, Severity.ERROR, "RFC 1122"),
            e("169.254.0.0/16", "link-local (cloud metadata 169.254.169.254, cloud DNS and NTP, CNI gateways)",
                    Kind.RESERVED, Severity.ERROR, "RFC 3927"),
            e("224.0.0.0/4", "multicast (flannel never masquerades it)", Kind.RESERVED, Severity.ERROR, "RFC 5771"),
            e("240.0.0.0/4", "reserved class E", Kind.RESERVED, Severity.ERROR, "RFC 1112, RFC 6890"),
            e("255.255.255.255/32", "limited broadcast", Kind.RESERVED, Severity.ERROR, "RFC 919, RFC 6890"),
            e("192.0.0.0/24", "IETF protocol assignments (DS-Lite, NAT64 discovery)", Kind.SPECIAL_PURPOSE,
                    Severity.WARNING, "RFC 6890, RFC 7335, RFC 7050"),
            e("192.88.99.0/24", "deprecated 6to4 relay anycast", Kind.SPECIAL_PURPOSE, Severity.WARNING, "RFC 7526"),
            e("192.0.2.0/24", "documentation TEST-NET-1 (AKS reserves it too)", Kind.DOCUMENTATION, Severity.WARNING,
                    "RFC 5737"),
            e("198.51.100.0/24", "documentation TEST-NET-2 (kube-proxy IPVS probes 198.51.100.0)",
                    Kind.DOCUMENTATION, Severity.WARNING, "RFC 5737"),
            e("203.0.113.0/24", "documentation TEST-NET-3", Kind.DOCUMENTATION, Severity.WARNING, "RFC 5737"),
            e("198.18.0.0/15", "benchmarking", Kind.BENCHMARKING, Severity.WARNING, "RFC 2544"),
            e("10.0.0.0/8", "private address space", Kind.PRIVATE, Severity.INFO, "RFC 1918"),
            e("172.16.0.0/12", "private address space", Kind.PRIVATE, Severity.INFO, "RFC 1918"),
            e("192.168.0.0/16", "private address space", Kind.PRIVATE, Severity.INFO, "RFC 1918"),
            e("100.64.0.0/10", "shared address space (carrier-grade NAT)", Kind.SHARED, Severity.INFO, "RFC 6598"),
            // §4.2, IPv6 special purpose
            e("::/128", "unspecified address", Kind.RESERVED, Severity.ERROR, "RFC 4291"),
            e("::1/128", "loopback", Kind.RESERVED, Severity.ERROR, "RFC 4291"),
            e("fe80::/10", "link-local", Kind.RESERVED, Severity.ERROR, "RFC 4291"),
            e("ff00::/8", "multicast (flannel never masquerades it)", Kind.RESERVED, Severity.ERROR, "RFC 4291"),
            e("::ffff:0:0/96", "IPv4-mapped addresses", Kind.SPECIAL_PURPOSE, Severity.WARNING, "RFC 4291"),
            e("64:ff9b::/96", "NAT64 well-known prefix", Kind.SPECIAL_PURPOSE, Severity.WARNING, "RFC 6052"),
            e("64:ff9b:1::/48", "NAT64 local-use prefix", Kind.SPECIAL_PURPOSE, Severity.WARNING, "RFC 8215"),
            e("100::/64", "discard-only", Kind.SPECIAL_PURPOSE, Severity.WARNING, "RFC 6666"),
            e("2001::/23", "IETF protocol assignments (incl. Teredo 2001::/32)", Kind.SPECIAL_PURPOSE, Severity.WARNING,
                    "RFC 2928, RFC 4380"),
            e("2002::/16", "6to4", Kind.SPECIAL_PURPOSE, Severity.WARNING, "RFC 3056"),
            e("fec0::/10", "deprecated site-local (kubeadm warns)", Kind.SPECIAL_PURPOSE, Severity.WARNING, "RFC 3879"),
            e("2001:db8::/32", "documentation", Kind.DOCUMENTATION, Severity.WARNING, "RFC 3849"),
            e("3fff::/20", "documentation", Kind.DOCUMENTATION, Severity.WARNING, "RFC 9637"),
            e("fc00::/7", "unique local addresses", Kind.PRIVATE, Severity.INFO, "RFC 4193"),
            // §4.3, Docker (moby libnetwork ipamutils)
            e("172.17.0.0/16", "Docker default bridge docker0 (gateway 172.17.0.1), also the first default pool",
                    Kind.DOCKER_BRIDGE, Severity.WARNING, "moby ipamutils"),
            e("172.18.0.0/16", "Docker default address pool (local scope, /16 networks)", Kind.DOCKER_POOL,
                    Severity.WARNING, "moby ipamutils"),
            e("172.19.0.0/16", "Docker default address pool (local scope, /16 networks)", Kind.DOCKER_POOL,
                    Severity.WARNING, "moby ipamutils"),
            e("172.20.0.0/14", "Docker default address pool (local scope, /16 networks)", Kind.DOCKER_POOL,
                    Severity.WARNING, "moby ipamutils"),
            e("172.24.0.0/14", "Docker default address pool (local scope, /16 networks)", Kind.DOCKER_POOL,
                    Severity.WARNING, "moby ipamutils"),
            e("172.28.0.0/14", "Docker default address pool (local scope, /16 networks)", Kind.DOCKER_POOL,
                    Severity.WARNING, "moby ipamutils"),
            e("192.168.0.0/16", "Docker default address pool (local scope, /20 networks)", Kind.DOCKER_POOL,
                    Severity.WARNING, "moby ipamutils"),
            e("fd00::/48", "Docker default IPv6 address pool (local scope, /64 networks)", Kind.DOCKER_POOL,
                    Severity.WARNING, "moby ipamutils"),
            e("10.0.0.0/8", "Docker swarm global-scope address pool (/24 networks)", Kind.DOCKER_POOL, Severity.INFO,
                    "moby ipamutils"),
            // §4.3, Kubernetes defaults
            e("10.244.0.0/16", "flannel default Network, the usual kubeadm --pod-network-cidr", Kind.DEFAULT,
                    Severity.INFO, "kube-flannel.yml"),
            e("10.96.0.0/12", "kubeadm default service CIDR (cluster DNS 10.96.0.10)", Kind.DEFAULT, Severity.INFO,
                    "kubeadm DefaultServicesSubnet"),
            e("10.42.0.0/16", "k3s/RKE2 default cluster (pod) CIDR", Kind.DEFAULT, Severity.INFO, "k3s flag help"),
            e("10.43.0.0/16", "k3s/RKE2 default service CIDR (cluster DNS 10.43.0.10)", Kind.DEFAULT, Severity.INFO,
                    "k3s flag help"),
            e("fd00:42::/56", "k3s/RKE2 default IPv6 cluster (pod) CIDR", Kind.DEFAULT, Severity.INFO, "k3s flag help"),
            e("fd00:43::/112", "k3s/RKE2 default IPv6 service CIDR", Kind.DEFAULT, Severity.INFO, "k3s flag help"));

    private static final List<Entry> AWS = List.of(
            e("fd00:ec2::253/128", "AWS Route 53 Resolver (IPv6 DNS)", Kind.PLATFORM_RESERVED, Severity.WARNING,
                    "kops kubedns.go"),
            e("fd00:ec2::254/128", "AWS instance metadata service (IPv6)", Kind.PLATFORM_RESERVED, Severity.WARNING,
                    "not verified against a primary source"),
            e("10.100.0.0/16", "EKS default service CIDR (when the VPC is in 172.16.0.0/12)", Kind.DEFAULT,
                    Severity.INFO, "EKS API docs"),
            e("172.20.0.0/16", "EKS default service CIDR (when the VPC is in 10.0.0.0/8); kops default network",
                    Kind.DEFAULT, Severity.INFO, "EKS API docs, kops defaults.go"));

    private static final List<Entry> AZURE = List.of(
            e("172.30.0.0/16", "AKS reserved: no pod, service or VNet use", Kind.PLATFORM_RESERVED, Severity.WARNING,
                    "AKS docs"),
            e("172.31.0.0/16", "AKS reserved: no pod, service or VNet use", Kind.PLATFORM_RESERVED, Severity.WARNING,
                    "AKS docs"),
            e("168.63.129.16/32", "Azure wireserver (DNS, DHCP, health probes)", Kind.PLATFORM_RESERVED,
                    Severity.WARNING, "Azure VNet FAQ"),
            e("10.0.0.0/16", "AKS default service CIDR (DNS 10.0.0.10); kops default network on Azure",
                    Kind.DEFAULT, Severity.INFO, "AKS docs, kops defaults.go"));

    private static final List<Entry> GCP = List.of(
            e("34.118.224.0/20", "GKE default managed service range", Kind.DEFAULT, Severity.INFO,
                    "GKE docs (third-party summary)"));

    private ReservedRanges() {
    }

    private static Entry e(String cidr, String name, Kind kind, Severity severity, String source) {
        return new Entry(Cidr.parse(cidr), name, kind, severity, source);
    }

    /**
     * The common entries followed by the platform's own, in catalogue order (IPv4 special purpose, private and
     * shared space, IPv6 special purpose, Docker, Kubernetes defaults, then the platform's). On GCP class E is only
     * a {@link Severity#WARNING}: GKE allows 240.0.0.0/4 for pods.
     */
    public static List<Entry> forPlatform(Platform platform) {
        Objects.requireNonNull(platform, "platform (use Platform.ONPREM for none)");
        List<Entry> out = new ArrayList<>(COMMON.size() + 4);
        for (Entry entry : COMMON) {
            if (platform == Platform.GCP && entry.cidr().toString().equals("240.0.0.0/4")) {
                entry = new Entry(entry.cidr(), entry.name() + " (GKE allows it for pods)", entry.kind(),
                        Severity.WARNING, entry.source());
            }
            out.add(entry);
        }
        out.addAll(switch (platform) {
            case ONPREM -> List.<Entry>of();
            case AWS -> AWS;
            case AZURE -> AZURE;
            case GCP -> GCP;
        });
        return Collections.unmodifiableList(out);
    }

    /**
     * The entries for a scenario's {@code platform:} value ({@code onprem}, {@code aws}, {@code azure},
     * {@code gcp}, in any case).
     *
     * @throws IllegalArgumentException for any other value, naming the accepted ones
     */
    public static List<Entry> forPlatform(String platform) {
        if (platform != null) {
            for (Platform p : Platform.values()) {
                if (p.label().equalsIgnoreCase(platform.trim())) {
                    return forPlatform(p);
                }
            }
        }
        throw new IllegalArgumentException("unknown platform '" + platform + "'; use one of onprem, aws, azure, gcp");
    }
}
