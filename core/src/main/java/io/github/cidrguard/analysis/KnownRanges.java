package io.github.cidrguard.analysis;

import io.github.cidrguard.kube.Platform;
import io.github.cidrguard.net.Cidr;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The analysis' view of the {@link ReservedRanges} catalogue: the ranges whose overlap is a RESERVED_RANGE_OVERLAP
 * finding (catalogue severity ERROR or WARNING, Docker's ranges excluded because DOCKER_BRIDGE_OVERLAP covers real
 * bridges), and Docker's default local pools, which a suggested range must also avoid.
 */
final class KnownRanges {
    /** A reserved range, what it is, and how bad a collision with it is. */
    record Reserved(Cidr cidr, String what, Severity severity) {
    }

    private static final Map<Platform, List<Reserved>> RESERVED = new EnumMap<>(Platform.class);

    /** Docker's default bridge and local-scope pools (moby ipamutils), both families. */
    static final List<Cidr> DOCKER_POOLS = ReservedRanges.forPlatform(Platform.ONPREM).stream()
            .filter(e -> isDocker(e) && e.severity() != Severity.INFO)
            .map(ReservedRanges.Entry::cidr).toList();

    static {
        for (Platform p : Platform.values()) {
            RESERVED.put(p, ReservedRanges.forPlatform(p).stream()
                    .filter(e -> e.severity() != Severity.INFO && !isDocker(e))
                    .map(e -> new Reserved(e.cidr(), e.name() + " (" + e.source() + ")", e.severity()))
                    .toList());
        }
    }

    private KnownRanges() {
    }

    private static boolean isDocker(ReservedRanges.Entry e) {
        return e.kind() == ReservedRanges.Kind.DOCKER_BRIDGE || e.kind() == ReservedRanges.Kind.DOCKER_POOL;
    }

    /** The reserved ranges for a platform, each with the severity of a collision. */
    static List<Reserved> reserved(Platform platform) {
        return RESERVED.get(platform);
    }
}
