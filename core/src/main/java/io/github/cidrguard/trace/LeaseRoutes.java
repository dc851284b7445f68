package io.github.cidrguard.trace;

import io.github.cidrguard.net.Cidr;

import java.util.Arrays;

/**
 * The backend routes every node installs for the leases of the others, shared by all nodes (a node skips its own
 * lease). Leases are sorted by first address; lookup is a binary search when no two leases overlap, a scan otherwise.
 */
final class LeaseRoutes {
    final Cidr[] leases;
    final long[] first;
    final long[] last;
    final Route[] tunnel;
    final Route[] direct;
    final int[] owner;
    private final boolean overlapping;

    LeaseRoutes(Cidr[] leases, Route[] tunnel, Route[] direct, int[] owner) {
        Integer[] order = new Integer[leases.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> leases[a].compareTo(leases[b]));
        this.leases = new Cidr[leases.length];
        this.first = new long[leases.length];
        this.last = new long[leases.length];
        this.tunnel = new Route[leases.length];
        this.direct = new Route[leases.length];
        this.owner = new int[leases.length];
        for (int i = 0; i < order.length; i++) {
            int o = order[i];
            this.leases[i] = leases[o];
            this.first[i] = leases[o].first().low();
            this.last[i] = leases[o].last().low();
            this.tunnel[i] = tunnel[o];
            this.direct[i] = direct[o];
            this.owner[i] = owner[o];
        }
        boolean ov = false;
        long maxLast = -1;
        for (int i = 0; i < first.length; i++) {
            if (first[i] <= maxLast) {
                ov = true;
            }
            maxLast = Math.max(maxLast, last[i]);
        }
        this.overlapping = ov;
    }

    int size() {
        return leases.length;
    }

    /** Index of the longest lease containing the address, skipping leases owned by {@code skipOwner}; -1 if none. */
    int find(long a, int skipOwner) {
        if (!overlapping) {
            int lo = 0;
            int hi = first.length - 1;
            int found = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (first[mid] <= a) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return found >= 0 && last[found] >= a && owner[found] != skipOwner ? found : -1;
        }
        int best = -1;
        for (int i = 0; i < first.length; i++) {
            if (first[i] <= a && a <= last[i] && owner[i] != skipOwner
                    && (best < 0 || leases[i].prefixLength() > leases[best].prefixLength())) {
                best = i;
            }
        }
        return best;
    }

    /** Index of a lease equal to the prefix (not owned by skipOwner), or -1. */
    int exact(Cidr c, int skipOwner) {
        for (int i = 0; i < leases.length; i++) {
            if (leases[i].equals(c) && owner[i] != skipOwner) {
                return i;
            }
        }
        return -1;
    }
}
