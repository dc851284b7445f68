package io.github.cidrguard.analysis;

import io.github.cidrguard.kube.Platform;
import io.github.cidrguard.net.AddressSet;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;

import java.util.ArrayList;
import java.security.SecureRandom;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Proposes IPv4 or IPv6 ranges of a given size that collide with nothing: replacement flannel Networks, service CIDRs,
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
 *
 * <p><b>IPv6</b> ({@link #suggest(IpFamily, int, int)}): unique local addresses (RFC 4193) only, never global
 * space, which belongs to whoever it is assigned to (the much-copied {@code 2001:cafe:42::/56} of the k3s and RKE2
 * dual-stack docs is such a range). First blocks of one ULA site {@code fdXX:XXXX:XXXX::/48} whose 40-bit global ID
 * is random as RFC 4193 section 3.2 asks, so that two networks joined later do not collide; the site is drawn from
 * {@link #withRandom the suggester's random source} (a {@link java.security.SecureRandom} unless one is given) or
 * fixed by {@link #withUlaSite}, so that a Network and a service CIDR can share one site. Best fit inside the site, as
 * for IPv4. Then the well-known default people use for the size asked (k3s's and RKE2's {@code fd00:42::/56} for pod
 * networks, {@code fd00:43::/112} for services, whichever length is nearer), when it is free, with the caveat that
 * its global ID is not random. Docker's {@code fd00::/48} pool, the platform's reserved IPv6 addresses and every
 * other catalogue entry of severity ERROR or WARNING stay avoided.
 */
public final class RangeSuggester {
    private static final Cidr FLANNEL_DEFAULT = Cidr.parse("10.244.0.0/16");
    private static final List<Cidr> RFC1918 = List.of(
            Cidr.parse("10.0.0.0/8"), Cidr.parse("172.16.0.0/12"), Cidr.parse("192.168.0.0/16"));
    private static final Cidr RFC6598 = Cidr.parse("100.64.0.0/10");

    /** Unique local addresses with the L bit set (RFC 4193 section 3): fd00::/8. */
    private static final Cidr ULA_LOCAL = Cidr.parse("fd00::/8");
    private static final int ULA_SITE = 48;
    /** How often a fresh global ID is drawn when a site happens to be taken. */
    private static final int DRAWS = 8;

    private final AddressSet inUse;
    private final Platform platform;
    private final RandomGenerator random;
    private final Cidr ulaSite;

    private RangeSuggester(AddressSet inUse, Platform platform, RandomGenerator random, Cidr ulaSite) {
        this.inUse = inUse;
        this.platform = platform;
        this.random = random;
        this.ulaSite = ulaSite;
    }

    /** A suggester that keeps clear of the given addresses and of the on-premises catalogue. */
    public static RangeSuggester avoiding(AddressSet inUse) {
        return new RangeSuggester(Objects.requireNonNull(inUse, "inUse (use AddressSet.empty() for none)"),
                Platform.ONPREM, null, null);
    }

    /** A copy that also keeps clear of the platform's reservations and defaults. */
    public RangeSuggester withPlatform(Platform newPlatform) {
        return new RangeSuggester(inUse, Objects.requireNonNull(newPlatform, "platform"), random, ulaSite);
    }

    /**
     * A copy that draws the random global IDs of IPv6 ULA sites from the given source (a seeded one makes the
     * proposals reproducible, e.g. in tests); by default a {@link java.security.SecureRandom}.
     */
    public RangeSuggester withRandom(RandomGenerator newRandom) {
        return new RangeSuggester(inUse, platform, Objects.requireNonNull(newRandom, "random"), ulaSite);
    }

    /**
     * A copy that proposes IPv6 blocks from the given unique local site instead of drawing one, e.g. to put a
     * service CIDR in the same site as the proposed IPv6Network.
     *
     * @throws IllegalArgumentException if the site is not inside fd00::/8 (locally assigned ULA space, RFC 4193)
     */
    public RangeSuggester withUlaSite(Cidr site) {
        Objects.requireNonNull(site, "site");
        if (!ULA_LOCAL.contains(site)) {
            throw new IllegalArgumentException("ULA site " + site + " is not inside " + ULA_LOCAL + ", the locally"
                    + " assigned unique local space of RFC 4193; use a prefix such as fd12:3456:789a::/48, e.g. from"
                    + " RangeSuggester.randomUlaSite");
        }
        return new RangeSuggester(inUse, platform, random, site);
    }

    /**
     * A unique local /48 with a random 40-bit global ID (RFC 4193 section 3.2): {@code fd} followed by 40 random
     * bits, e.g. {@code fd3c:9a1e:07b2::/48}.
     */
    public static Cidr randomUlaSite(RandomGenerator random) {
        long globalId = random.nextLong() & ((1L << 40) - 1);
        return Cidr.of(IpAddress.ofIpv6((0xfdL << 56) | (globalId << 16), 0), ULA_SITE);
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
        return suggest(IpFamily.IPV4, prefixLength, limit);
    }

    /**
     * Up to {@code limit} free blocks of the family and prefix length, best first (see the class comment), each with
     * its reasons. Empty when nothing of that size is free.
     *
     * @throws IllegalArgumentException if the length is not 8 to 32 for IPv4 or 8 to 128 for IPv6 (fd00::/8 is all
     *     the locally assigned ULA space there is), or the limit is negative
     */
    public List<Suggestion> suggest(IpFamily family, int prefixLength, int limit) {
        Objects.requireNonNull(family, "family");
        if (family == IpFamily.IPV6) {
            return suggestIpv6(prefixLength, limit);
        }
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

    private List<Suggestion> suggestIpv6(int prefixLength, int limit) {
        if (prefixLength < 8 || prefixLength > 128) {
            throw new IllegalArgumentException("cannot suggest an IPv6 /" + prefixLength + ": locally assigned unique"
                    + " local space (fd00::/8) holds blocks of /8 to /128; ask for a longer prefix");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit " + limit + " is negative; ask for 1 or more suggestions");
        }
        List<Cidr> avoided = new ArrayList<>();
        List<ReservedRanges.Entry> defaults = new ArrayList<>();
        for (ReservedRanges.Entry e : ReservedRanges.forPlatform(platform)) {
            if (e.cidr().family() != IpFamily.IPV6) {
                continue;
            }
            if (e.kind() == ReservedRanges.Kind.DEFAULT) {
                defaults.add(e);
                avoided.add(e.cidr());
            } else if (e.severity() != Severity.INFO) {
                avoided.add(e.cidr());
            }
        }
        AddressSet taken = inUse.union(AddressSet.ofCidrs(avoided));
        String clear = "clear of every range in use, Docker's IPv6 pool fd00::/48, the other tools' IPv6 defaults"
                + (platform == Platform.ONPREM ? "" : " and the " + platform.label() + " platform's reserved"
                + " addresses");
        List<Suggestion> out = new ArrayList<>();
        if (limit == 0) {
            return List.of();
        }
        ReservedRanges.Entry wellKnown = nearest(defaults, prefixLength);
        Cidr known = wellKnown == null ? null : Cidr.ofMasked(wellKnown.cidr().network(), prefixLength);
        boolean knownFree = known != null && !inUse.union(AddressSet.ofCidrs(avoided.stream()
                .filter(c -> !c.equals(wellKnown.cidr())).toList())).overlaps(known)
                && (known.contains(wellKnown.cidr()) || wellKnown.cidr().contains(known));
        int fromSite = knownFree ? limit - 1 : limit;
        // one site of /48 holds every proposal of /48 or longer; a wider block is a site of its own, one per draw
        List<Cidr> blocks = new ArrayList<>();
        List<Cidr> sites = new ArrayList<>();
        for (int draw = 0; blocks.size() < fromSite && draw < (ulaSite != null ? 1 : DRAWS * limit); draw++) {
            Cidr site = ulaSite != null ? ulaSite : randomUlaSite(random != null ? random : new SecureRandom());
            if (site.prefixLength() > prefixLength) {
                site = Cidr.ofMasked(site.network(), prefixLength);
            }
            List<Cidr> found = FreeSpace.of(AddressSet.of(site), taken.union(AddressSet.ofCidrs(blocks)))
                    .blocks(prefixLength).limit(fromSite - blocks.size()).toList();
            blocks.addAll(found);
            found.forEach(b -> sites.add(siteOf(b, ulaSite)));
        }
        for (int i = 0; i < blocks.size(); i++) {
            Cidr block = blocks.get(i);
            Cidr site = sites.get(i);
            List<String> reasons = new ArrayList<>();
            reasons.add(ulaSite != null ? "unique local address (RFC 4193) in the site " + site + " given, never"
                    + " routed on the internet"
                    : "unique local address (RFC 4193) in " + site + ", whose 40-bit global ID is random as RFC 4193"
                    + " section 3.2 asks: never routed on the internet, and no collision when this network is"
                    + " later joined to another one that uses ULAs");
            reasons.add("free: " + clear);
            out.add(new Suggestion(block, reasons));
        }
        if (knownFree && out.size() < limit) {
            List<String> reasons = new ArrayList<>();
            reasons.add((known.equals(wellKnown.cidr()) ? "" : "at ") + wellKnown.name() + " " + wellKnown.cidr()
                    + " (" + wellKnown.source() + "), the IPv6 default people know; but its global ID is not random"
                    + " (RFC 4193 section 3.2), so a neighbouring cluster that kept the default collides with it");
            reasons.add("free: " + clear.replace(", the other tools' IPv6 defaults", ", the other IPv6 defaults"));
            out.add(new Suggestion(known, reasons));
        }
        return List.copyOf(out);
    }

    /** The site a block was cut from: the given site, else the block's /48 (or the block, when wider). */
    private static Cidr siteOf(Cidr block, Cidr given) {
        if (given != null && given.contains(block)) {
            return given;
        }
        return block.prefixLength() >= ULA_SITE ? block.supernet(ULA_SITE) : block;
    }

    /** The well-known IPv6 default whose length is nearest to the one asked for, or null. */
    private static ReservedRanges.Entry nearest(List<ReservedRanges.Entry> defaults, int prefixLength) {
        ReservedRanges.Entry best = null;
        for (ReservedRanges.Entry e : defaults) {
            if (best == null || Math.abs(e.cidr().prefixLength() - prefixLength)
                    < Math.abs(best.cidr().prefixLength() - prefixLength)) {
                best = e;
            }
        }
        return best;
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
