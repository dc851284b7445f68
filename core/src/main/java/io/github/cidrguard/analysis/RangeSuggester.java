package io.github.cidrguard.analysis;

import io.github.cidrguard.kube.Platform;
import io.github.cidrguard.net.AddressSet;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpFamily;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Proposes IPv4 ranges of a given size that collide with nothing: replacement flannel Networks, service CIDRs,
 * anything that needs fresh private space. Generic over {@link AddressSet}: the caller passes every range in use
 * (node LANs, declared networks, service and pod ranges it keeps, leases) and the prefix length it needs; the cluster
 * analysis computes that length from node count, headroom and SubnetLen.
 *
 * <pre>{@code
 * List<RangeSuggester.Suggestion> s = RangeSuggester.avoiding(inUse)
 *         .withPlatform(Platform.AWS)
 *         .suggest(16, 3);
 * s.get(0).cidr();     // 10.244.0.0/16 when it is free
 * s.get(0).reasons();  // why it is free and why it comes first
 * }</pre>
 *
 * <p>Besides the caller's ranges, a suggestion never touches a catalogue entry of the platform ({@link
 * ReservedRanges#forPlatform}) whose severity is ERROR or WARNING (reserved, special-purpose, documentation,
 * benchmarking, platform-reserved, Docker's bridge and local pools: the seed cluster's hand-picked 172.17.0.0/16 was
 * Docker's bridge), nor another tool's default (kubeadm's 10.96.0.0/12, k3s's 10.42/10.43, the platform's service
 * defaults), since a neighbouring cluster or a later install may use them.
 *
 * <p>Order: flannel's default 10.244.0.0/16 first (the block of the requested length at 10.244.0.0) when it is
 * free, because manifests, docs and people expect it; then free blocks of RFC 1918 space, 10.0.0.0/8, then
 * 172.16.0.0/12, then 192.168.0.0/16, each in {@link FreeSpace best-fit} order so that large free areas stay whole;
 * then RFC 6598 shared space 100.64.0.0/10, which is valid inside a cluster but used by carriers for CGNAT.
 */
public final class RangeSuggester {
    private static final Cidr FLANNEL_DEFAULT = Cidr.parse("10.244.0.0/16");
    private static final List<Cidr> RFC1918 = List.of(
            Cidr.parse("10.0.0.0/8"), Cidr.parse("172.16.0.0/12"), Cidr.parse("192.168.0.0/16"));
    private static final Cidr RFC6598 = Cidr.parse("100.64.0.0/10");

    private final AddressSet inUse;
    private final Platform platform;

    private RangeSuggester(AddressSet inUse, Platform platform) {
        this.inUse = inUse;
        this.platform = platform;
    }

    /** A suggester that keeps clear of the given addresses and of the on-premises catalogue. */
    public static RangeSuggester avoiding(AddressSet inUse) {
        return new RangeSuggester(Objects.requireNonNull(inUse, "inUse (use AddressSet.empty() for none)"),
                Platform.ONPREM);
    }

    /** A copy that also keeps clear of the platform's reservations and defaults. */
    public RangeSuggester withPlatform(Platform newPlatform) {
        return new RangeSuggester(inUse, Objects.requireNonNull(newPlatform, "platform"));
    }

    /** A proposed range and the reasons it is proposed, in the order a person should read them. */
    public record Suggestion(Cidr cidr, List<String> reasons) {
        /** Copies the reasons; neither part may be null. */
        public Suggestion {
            Objects.requireNonNull(cidr, "cidr");
            reasons = List.copyOf(reasons);
        }

        /** E.g. {@code 10.244.0.0/16: flannel's default Network ...; free: ...}. */
        @Override
        public String toString() {
            return cidr + ": " + String.join("; ", reasons);
        }
    }

    /**
     * Up to {@code limit} free IPv4 blocks of the given prefix length, best first (see the class comment), each
     * with its reasons. Empty when nothing of that size is free.
     *
     * @throws IllegalArgumentException if the length is not 8 to 32 (no private space holds a larger block) or
     *     the limit is negative
     */
    public List<Suggestion> suggest(int prefixLength, int limit) {
        if (prefixLength < 8 || prefixLength > 32) {
            throw new IllegalArgumentException("cannot suggest a /" + prefixLength + ": private IPv4 space holds"
                    + " blocks of /8 to /32; ask for a longer prefix (more, smaller subnets) or plan IPv6");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit " + limit + " is negative; ask for 1 or more suggestions");
        }
        List<ReservedRanges.Entry> catalogue = ReservedRanges.forPlatform(platform);
        List<Cidr> avoided = new ArrayList<>();
        List<ReservedRanges.Entry> otherDefaults = new ArrayList<>();
        for (ReservedRanges.Entry e : catalogue) {
            boolean hard = e.severity() != Severity.INFO;
            boolean otherDefault = e.kind() == ReservedRanges.Kind.DEFAULT && !e.cidr().equals(FLANNEL_DEFAULT);
            if (e.cidr().family() == IpFamily.IPV4 && (hard || otherDefault)) {
                avoided.add(e.cidr());
                if (otherDefault) {
                    otherDefaults.add(e);
                }
            }
        }
        AddressSet taken = inUse.union(AddressSet.ofCidrs(avoided));
        String clear = "clear of every range in use and of the reserved, documentation, benchmarking, "
                + (platform == Platform.ONPREM ? "" : platform.label() + " platform, ")
                + "and Docker bridge and pool ranges";

        Set<Cidr> seen = new LinkedHashSet<>();
        List<Suggestion> out = new ArrayList<>();
        Cidr preferred = Cidr.ofMasked(FLANNEL_DEFAULT.network(), prefixLength);
        if (out.size() < limit && !taken.overlaps(preferred)) {
            seen.add(preferred);
            List<String> reasons = new ArrayList<>();
            reasons.add(prefixLength == 16 ? "flannel's default Network (kube-flannel.yml) and the usual kubeadm"
                    + " --pod-network-cidr: manifests, docs and people expect it"
                    : "at flannel's default 10.244.0.0/16 (kube-flannel.yml), where manifests, docs and people"
                    + " expect the pod network");
            reasons.add("free: " + clear);
            addIfPresent(reasons, defaultsInside(otherDefaults, RFC1918.get(0)));
            out.add(new Suggestion(preferred, reasons));
        }
        List<Cidr> parents = new ArrayList<>(RFC1918);
        parents.add(RFC6598);
        for (Cidr parent : parents) {
            if (out.size() >= limit || parent.prefixLength() > prefixLength) {
                continue;
            }
            FreeSpace space = FreeSpace.of(AddressSet.of(parent), taken);
            List<Cidr> freeBlocks = space.freeBlocks();
            for (Cidr block : (Iterable<Cidr>) space.blocks(prefixLength).limit(limit + 1L)::iterator) {
                if (out.size() >= limit) {
                    break;
                }
                if (!seen.add(block)) {
                    continue;
                }
                List<String> reasons = new ArrayList<>();
                reasons.add(parent.equals(RFC6598)
                        ? "shared address space (RFC 6598, " + parent + "): no free private block of this size was"
                        + " left; fine inside a cluster, but carriers use it for CGNAT, so check the nodes' uplinks"
                        : "private address space (RFC 1918, " + parent + "), never routed on the internet");
                reasons.add("free: " + clear);
                Cidr from = freeBlocks.stream().filter(b -> b.contains(block)).findFirst().orElse(block);
                reasons.add(from.equals(block) ? "best fit: exactly a free block of " + parent + ", so no larger free"
                        + " area is cut" : "best fit: cut from " + from + ", the smallest free block of " + parent
                        + " that holds a /" + prefixLength + ", which keeps larger free areas whole");
                addIfPresent(reasons, defaultsInside(otherDefaults, parent));
                out.add(new Suggestion(block, reasons));
            }
        }
        return List.copyOf(out);
    }

    /** The reason naming the other tools' defaults a suggestion from {@code parent} kept off, or null. */
    private static String defaultsInside(List<ReservedRanges.Entry> defaults, Cidr parent) {
        List<String> names = new ArrayList<>();
        for (ReservedRanges.Entry e : defaults) {
            if (parent.contains(e.cidr())) {
                names.add(e.cidr() + " (" + e.source() + ")");
            }
        }
        return names.isEmpty() ? null : "keeps off other tools' defaults in " + parent + ": " + String.join(", ",
                names);
    }

    private static void addIfPresent(List<String> reasons, String reason) {
        if (reason != null) {
            reasons.add(reason);
        }
    }

    /** E.g. {@code RangeSuggester[avoiding 3 ranges, platform aws]}. */
    @Override
    public String toString() {
        return "RangeSuggester[avoiding " + inUse.ranges().size() + " ranges, platform " + platform.label() + "]";
    }
}
