package io.github.cidrguard.trace;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cidrguard.net.AddressRange;
import io.github.cidrguard.net.IpAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Exhaustive reachability (docs/architecture.md ("Traces")): per source class, every destination range that is not delivered, with
 * verdict and reason. The address space is cut into atoms by every modelled boundary and one trace decides each atom
 * (traces of equivalent source/atom pairs are shared). Ranges are listed in address order; adjacent atoms with the
 * same outcome are merged.
 */
public final class Reachability {
    private final String scenario;
    private final List<Source> sources;

    Reachability(String scenario, List<Source> sources) {
        this.scenario = scenario;
        this.sources = List.copyOf(sources);
    }

    /** The source classes, in scenario order: the pods of each node, each node, each declared network. */
    public List<Source> sources() {
        return sources;
    }

    /** The answer as JSON: {@code {"cidrguard":1,"scenario":…,"sources":[{"source":…,"failures":[…]}]}}. */
    public String toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("cidrguard", 1);
        o.put("scenario", scenario);
        ArrayNode arr = o.putArray("sources");
        for (Source s : sources) {
            ObjectNode so = arr.addObject();
            so.put("source", s.name());
            so.put("representative", s.representative());
            ArrayNode f = so.putArray("failures");
            for (Failure x : s.failures()) {
                ObjectNode fo = f.addObject();
                fo.put("range", x.text());
                fo.put("verdict", x.verdict().name());
                fo.put("reason", x.reason().name());
            }
        }
        return Json.write(o);
    }

    /** One destination range that is not delivered. */
    public record Failure(AddressRange range, Verdict verdict, Reason reason) {
        /** The range as a CIDR when it is one block, else {@code first-last}. */
        public String text() {
            long f = range.first().low();
            long l = range.last().low();
            long size = l - f + 1;
            if (Long.bitCount(size) == 1 && (f & (size - 1)) == 0) {
                return range.first() + "/" + (32 - Long.numberOfTrailingZeros(size));
            }
            return range.toString();
        }

        static Failure of(long first, long last, int code) {
            return new Failure(AddressRange.of(IpAddress.ofIpv4(first), IpAddress.ofIpv4(last)),
                    Verdict.values()[code >> 8], Reason.values()[code & 0xff]);
        }
    }

    /** One source class and its failures. */
    public static final class Source {
        private final String name;
        private final String representative;
        private final boolean inCluster;
        private final Supplier<List<Failure>> compute;
        private List<Failure> failures;

        Source(String name, String representative, boolean inCluster, Supplier<List<Failure>> compute) {
            this.name = name;
            this.representative = representative;
            this.inCluster = inCluster;
            this.compute = compute;
        }

        /** e.g. {@code pods of node-71}, {@code node node-71}, {@code network office-vpn}. */
        public String name() {
            return name;
        }

        /**
         * Whether the source is part of the cluster (the pods of a node, or a node), which is meant to reach every
         * node, pod and ClusterIP; a declared network usually has no route into the pod network, and need not.
         */
        public boolean inCluster() {
            return inCluster;
        }

        /** The address that stood for the class in the traces. */
        public String representative() {
            return representative;
        }

        /** Every destination range not delivered from this source, in address order. */
        public List<Failure> failures() {
            if (failures == null) {
                failures = List.copyOf(compute.get());
            }
            return failures;
        }

        /** The failure covering an address, if any. */
        public java.util.Optional<Failure> failureFor(IpAddress a) {
            for (Failure f : failures()) {
                if (f.range().contains(a)) {
                    return java.util.Optional.of(f);
                }
            }
            return java.util.Optional.empty();
        }

        static List<Failure> merge(long[] first, long[] last, int[] code, int n) {
            List<Failure> out = new ArrayList<>();
            int i = 0;
            while (i < n) {
                int j = i;
                while (j + 1 < n && last[j] + 1 == first[j + 1] && code[j + 1] == code[i]) {
                    j++;
                }
                out.add(Failure.of(first[i], last[j], code[i]));
                i = j + 1;
            }
            return out;
        }
    }
}
