package io.github.cidrguard.analysis;

import io.github.cidrguard.net.AddressRange;
import io.github.cidrguard.net.Cidr;

import java.util.Objects;
import java.util.Optional;

/**
 * An address range with the name of whatever owns it, e.g. {@code flannel.Network 10.252.0.0/16} or an IPAM
 * inventory row: the input of {@link OverlapFinder}. An immutable value, equal to another when name and addresses
 * are equal; {@link #toString()} prints the CIDR form when it was made from a CIDR.
 */
public final class NamedRange {
    private final String name;
    private final AddressRange range;
    /** The block it was made from, kept so results can print it as written; null for a plain range. */
    private final Cidr cidr;
    // The bounds again as primitives, so that OverlapFinder reads one object per input instead of four: at a
    // million inputs the pointer chasing cost more than the sort.
    final boolean ipv4;
    final long firstHi;
    final long firstLo;
    final long lastHi;
    final long lastLo;

    private NamedRange(String name, AddressRange range, Cidr cidr) {
        this.name = Objects.requireNonNull(name, "a named range needs a name (use \"\" for none)");
        this.range = Objects.requireNonNull(range, () -> "named range '" + name + "' needs a range");
        this.cidr = cidr;
        this.ipv4 = range.first().isIpv4();
        this.firstHi = range.first().high();
        this.firstLo = range.first().low();
        this.lastHi = range.last().high();
        this.lastLo = range.last().low();
    }

    /** The block under the given name. */
    public static NamedRange of(String name, Cidr cidr) {
        Objects.requireNonNull(cidr, () -> "named range '" + name + "' needs a CIDR");
        return new NamedRange(name, cidr.toRange(), cidr);
    }

    /** The range under the given name. */
    public static NamedRange of(String name, AddressRange range) {
        return new NamedRange(name, range, null);
    }

    /** The name, as given. */
    public String name() {
        return name;
    }

    /** The addresses. */
    public AddressRange range() {
        return range;
    }

    /** The range as a CIDR when it is exactly one block (always when made from a CIDR). */
    public Optional<Cidr> cidr() {
        return cidr != null ? Optional.of(cidr) : range.asCidr();
    }

    /** A copy under another name. */
    public NamedRange withName(String newName) {
        return new NamedRange(newName, range, cidr);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamedRange n && n.name.equals(name) && n.range.equals(range);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, range);
    }

    /** {@code name cidr-or-range}, e.g. {@code flannel.Network 10.252.0.0/16}. */
    @Override
    public String toString() {
        return name + " " + (cidr != null ? cidr : range);
    }
}
