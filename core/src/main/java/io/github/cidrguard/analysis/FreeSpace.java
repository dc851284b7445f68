package io.github.cidrguard.analysis;

import io.github.cidrguard.net.AddressRange;
import io.github.cidrguard.net.AddressSet;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpFamily;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The free part of one family's address space: a parent space (a flannel Network, RFC 1918, a VPC) minus what is
 * used or forbidden in it, with utilization figures and the free blocks of any size.
 *
 * <pre>{@code
 * FreeSpace fs = FreeSpace.of(Cidr.parse("10.244.0.0/16"), leases);
 * fs.usedPercent();          // 25.0
 * fs.freeBlockCounts();      // {17=1, 18=1}: "1 free /17, 1 free /18"
 * fs.bestFit(24);            // the /24 to hand out next
 * }</pre>
 *
 * <p><b>Best fit</b> is the preference order of {@link #blocks(int)}: a block is cut from the smallest free aligned
 * block that can hold it, lower addresses first among equals, so large free areas stay whole for later, larger
 * requests (as netipx's {@code RemoveFreePrefix} and IPAddress's {@code PrefixBlockAllocator} do). {@link
 * #firstFit(int)} is plain address order, as NetBox and phpIPAM hand out prefixes.
 *
 * <p>Counts are of addresses: every address counts, network and broadcast addresses included, because a flannel
 * subnet or a pod range uses whole blocks.
 */
public final class FreeSpace {
    private final AddressSet space;
    private final AddressSet used;
    private final AddressSet free;
    private final IpFamily family;

    private FreeSpace(AddressSet space, AddressSet used, IpFamily family) {
        this.space = space;
        this.used = space.intersect(used);
        this.free = space.subtract(used);
        this.family = family;
    }

    /**
     * The free part of {@code space} once {@code used} is taken out; addresses of {@code used} outside the space
     * are ignored.
     *
     * @throws IllegalArgumentException if the space is empty or mixes IPv4 and IPv6 (free blocks per prefix length
     *     mean nothing across families: make one FreeSpace per family)
     */
    public static FreeSpace of(AddressSet space, AddressSet used) {
        List<AddressRange> ranges = space.ranges();
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("the space to find free blocks in is empty; give a parent range such as"
                    + " 10.244.0.0/16");
        }
        IpFamily family = ranges.get(0).family();
        if (ranges.get(ranges.size() - 1).family() != family) {
            throw new IllegalArgumentException("space " + space + " mixes IPv4 and IPv6; make one FreeSpace per"
                    + " family");
        }
        return new FreeSpace(space, used, family);
    }

    /** The free part of a network once the given blocks (e.g. flannel leases) are taken out. */
    public static FreeSpace of(Cidr network, Collection<Cidr> used) {
        return of(AddressSet.of(network), AddressSet.ofCidrs(used));
    }

    /** The family of the space. */
    public IpFamily family() {
        return family;
    }

    /** The whole parent space. */
    public AddressSet space() {
        return space;
    }

    /** The used addresses inside the space. */
    public AddressSet used() {
        return used;
    }

    /** The free addresses. */
    public AddressSet free() {
        return free;
    }

    /** The number of addresses in the space. */
    public BigInteger total() {
        return space.size();
    }

    /** The number of used addresses in the space. */
    public BigInteger usedCount() {
        return used.size();
    }

    /** The number of free addresses. */
    public BigInteger freeCount() {
        return free.size();
    }

    /** The used share of the space in percent, 0 to 100 (rounded to 6 decimals). */
    public double usedPercent() {
        return new BigDecimal(usedCount()).multiply(BigDecimal.valueOf(100))
                .divide(new BigDecimal(total()), 6, RoundingMode.HALF_EVEN).doubleValue();
    }

    /** The free space as the fewest aligned blocks (each as large as it can be), in address order. */
    public List<Cidr> freeBlocks() {
        return free.cidrs();
    }

    /**
     * How many of those largest free blocks there are per prefix length, shortest (largest) first: the "2 free
     * /17, 4 free /18" summary an IPAM shows. The free space is exactly the sum of these blocks.
     */
    public SortedMap<Integer, Integer> freeBlockCounts() {
        SortedMap<Integer, Integer> out = new TreeMap<>();
        for (Cidr c : freeBlocks()) {
            out.merge(c.prefixLength(), 1, Integer::sum);
        }
        return Collections.unmodifiableSortedMap(out);
    }

    /**
     * How many disjoint aligned blocks of the given length fit in the free space (e.g. how many more flannel
     * subnets of SubnetLen can be leased).
     *
     * @throws IllegalArgumentException if the length is not one of the family's (0–32 or 0–128)
     */
    public BigInteger count(int length) {
        checkLength(length);
        BigInteger n = BigInteger.ZERO;
        for (Cidr c : freeBlocks()) {
            if (c.prefixLength() <= length) {
                n = n.add(BigInteger.ONE.shiftLeft(length - c.prefixLength()));
            }
        }
        return n;
    }

    /**
     * Every free block of the given length, best fit first (see the class comment), computed lazily: a free /8
     * holds 65 536 /24s.
     *
     * @throws IllegalArgumentException if the length is not one of the family's
     */
    public Stream<Cidr> blocks(int length) {
        checkLength(length);
        return freeBlocks().stream()
                .filter(c -> c.prefixLength() <= length)
                .sorted(Comparator.comparingInt(Cidr::prefixLength).reversed().thenComparing(Comparator.naturalOrder()))
                .flatMap(c -> c.subnets(length));
    }

    /**
     * The best-fit free block of the given length, or empty when none fits.
     *
     * @throws IllegalArgumentException if the length is not one of the family's
     */
    public Optional<Cidr> bestFit(int length) {
        return blocks(length).findFirst();
    }

    /**
     * The lowest free block of the given length, or empty when none fits.
     *
     * @throws IllegalArgumentException if the length is not one of the family's
     */
    public Optional<Cidr> firstFit(int length) {
        checkLength(length);
        return free.blocks(length).findFirst();
    }

    private void checkLength(int length) {
        if (length < 0 || length > family.bits()) {
            throw new IllegalArgumentException("/" + length + " is not an " + family.label() + " prefix length (0 to "
                    + family.bits() + ")");
        }
    }

    /**
     * The largest free blocks as people read them, e.g. {@code 1 free /17, 1 free /18}; {@code none free} when all
     * is used.
     */
    public String freeBlockSummary() {
        if (free.isEmpty()) {
            return "none free";
        }
        return freeBlockCounts().entrySet().stream().map(FreeSpace::countText).collect(Collectors.joining(", "));
    }

    private static String countText(Map.Entry<Integer, Integer> e) {
        return e.getValue() + " free /" + e.getKey();
    }

    /**
     * E.g. {@code 10.244.0.0/16: 16384 of 65536 addresses used (25.0 %); 1 free /17, 1 free /18}.
     */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (AddressRange r : space.ranges()) {
            parts.add(r.asCidr().map(Cidr::toString).orElseGet(r::toString));
        }
        return String.join(", ", parts) + ": " + usedCount() + " of " + total() + " addresses used ("
                + BigDecimal.valueOf(usedPercent()).setScale(1, RoundingMode.HALF_EVEN).toPlainString() + " %); "
                + freeBlockSummary();
    }
}
