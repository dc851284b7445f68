package io.github.cidrguard.benchmarks;

import inet.ipaddr.format.util.AddressTrie;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv4.IPv4AddressTrie;
import io.github.cidrguard.analysis.NamedRange;
import io.github.cidrguard.analysis.OverlapFinder;
import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * docs/architecture.md ("Targets"): all overlapping pairs among 1 M random IPv4 prefixes must take at most 3 × an {@code Arrays.sort} of
 * 1 M longs and be at least 10 × faster than an IPAddress trie. The three are measured in one run on the same
 * seeded data: prefixes /20–/28 anywhere in the 32-bit space, which gives about
 * 160 000 overlapping pairs at 1 M.
 *
 * <p>Each invocation does the whole job (the engine sorts and sweeps; the trie is built and then queried once per
 * prefix), so the figures compare like with like. Run: {@code java -jar benchmarks/target/benchmarks.jar
 * OverlapBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class OverlapBenchmark {
    /** Number of prefixes. */
    @Param("1000000")
    public int n;

    private List<NamedRange> prefixes;
    private IPv4Address[] blocks;
    private long[] longs;

    /** Builds the data once per fork, outside the measurement; the seed is fixed so every run sees the same set. */
    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(20_26_11_24L);
        prefixes = new ArrayList<>(n);
        blocks = new IPv4Address[n];
        longs = new long[n];
        for (int i = 0; i < n; i++) {
            int length = 20 + random.nextInt(9);
            Cidr cidr = Cidr.ofMasked(IpAddress.ofIpv4(random.nextLong() & 0xFFFF_FFFFL), length);
            prefixes.add(NamedRange.of("p", cidr)); // one name: distinct() then drops duplicates
            blocks[i] = new IPv4Address((int) cidr.network().low(), length).toPrefixBlock();
            longs[i] = random.nextLong();
        }
    }

    /**
     * Prints the answer of both approaches on the benchmark's data, as a sanity check and for the README:
     * {@code java -cp benchmarks/target/benchmarks.jar io.github.cidrguard.benchmarks.OverlapBenchmark}.
     */
    public static void main(String[] args) {
        OverlapBenchmark b = new OverlapBenchmark();
        b.n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        b.setUp();
        System.out.println(b.n + " prefixes: the engine finds " + b.engineAllPairs() + " overlapping pairs; the trie "
                + b.trieAllContainments() + " containments (it stores each duplicate prefix once)");
        // Without duplicates both must agree exactly: every overlap of two distinct CIDRs is a containment.
        b.prefixes = b.prefixes.stream().distinct().toList();
        b.blocks = b.prefixes.stream().map(p -> p.cidr().orElseThrow().toIPAddress().toIPv4()).distinct()
                .toArray(IPv4Address[]::new);
        System.out.println(b.prefixes.size() + " distinct prefixes: the engine finds " + b.engineAllPairs()
                + " pairs, the trie " + b.trieAllContainments());
    }

    /** (a) The yardstick: sort a fresh copy of 1 M random longs. */
    @Benchmark
    public long[] sortLongsBaseline() {
        long[] copy = longs.clone();
        Arrays.sort(copy);
        return copy;
    }

    /** (b) The engine: every overlapping pair, classified, as {@code Overlap} objects. */
    @Benchmark
    public int engineAllPairs() {
        return OverlapFinder.find(prefixes).size();
    }

    /** (b') The engine's yes/no fast path. */
    @Benchmark
    public boolean engineAnyOverlap() {
        return OverlapFinder.anyOverlap(prefixes);
    }

    /** (c) The IPAddress approach: add every prefix to an IPv4AddressTrie, then ask elementsContaining per prefix. */
    @Benchmark
    public long trieAllContainments() {
        return trieContainments();
    }

    private long trieContainments() {
        IPv4AddressTrie trie = new IPv4AddressTrie();
        for (IPv4Address b : blocks) {
            trie.add(b);
        }
        long pairs = 0;
        for (IPv4Address b : blocks) {
            AddressTrie.TrieNode<IPv4Address> chain = trie.elementsContaining(b);
            pairs += chain == null ? 0 : chain.size() - 1; // the chain includes the prefix itself
        }
        return pairs;
    }
}
