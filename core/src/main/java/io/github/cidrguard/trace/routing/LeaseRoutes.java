package io.github.cidrguard.trace.routing;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;

import java.util.Arrays;

/**
 * The backend routes every node installs for the leases of the others, shared by all nodes (a node skips its own
 * lease). Leases are sorted by first address; lookup is a binary search when no two leases overlap, a scan otherwise.
 * One family per instance: IPv4 leases are searched as numbers, IPv6 leases (128 bits, more than a long) as addresses.
 */
public final class LeaseRoutes {
    private final Cidr[] leases;
    private final long[] first;
    private final long[] last;
    private final Route[] tunnel;
    private final Route[] direct;
    private final int[] owner;
    private final boolean overlapping;
    /** IPv6 only: the first and last address of each lease (IPv4 uses {@link #first} and {@link #last}). */
    private final IpAddress[] first6;
    private final IpAddress[] last6;

    /**
     * The routes of all leases.
     *
     * @param leases the leases, one per node that has one
     * @param tunnel the backend's route to each lease (vxlan, udp, wireguard), or null
     * @param direct the direct route to each lease (host-gw, or vxlan's DirectRouting), or null
     * @param owner the node index owning each lease
     */
    public LeaseRoutes(Cidr[] leases, Route[] tunnel, Route[] direct, int[] owner) {
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
        boolean v6 = leases.length > 0 && leases[0].family() == IpFamily.IPV6;
        this.first6 = v6 ? new IpAddress[leases.length] : null;
        this.last6 = v6 ? new IpAddress[leases.length] : null;
        for (int i = 0; i < order.length; i++) {
            int o = order[i];
            this.leases[i] = leases[o];
            this.first[i] = leases[o].first().low();
            this.last[i] = leases[o].last().low();
            if (v6) {
                first6[i] = leases[o].first();
                last6[i] = leases[o].last();
            }
            this.tunnel[i] = tunnel[o];
            this.direct[i] = direct[o];
            this.owner[i] = owner[o];
        }
        boolean ov = false;
        if (v6) {
            IpAddress maxLast = null;
            for (int i = 0; i < first6.length; i++) {
                if (maxLast != null && first6[i].compareTo(maxLast) <= 0) {
                    ov = true;
                }
                maxLast = maxLast == null || last6[i].compareTo(maxLast) > 0 ? last6[i] : maxLast;
            }
        } else {
            long maxLast = -1;
            for (int i = 0; i < first.length; i++) {
                if (first[i] <= maxLast) {
                    ov = true;
                }
                maxLast = Math.max(maxLast, last[i]);
            }
        }
        this.overlapping = ov;
    }

    /**
     * The number of leases.
     *
     * @return the count
     */
    public int size() {
        return leases.length;
    }

    /**
     * Index of the longest lease containing the address, skipping leases owned by {@code skipOwner}; an address of
     * the other family is in none.
     *
     * @param a the address
     * @param skipOwner the node whose own lease is skipped
     * @return the index, or -1 if none
     */
    public int find(IpAddress a, int skipOwner) {
        if (first6 == null) {
            return a.isIpv4() ? find(a.low(), skipOwner) : -1;
        }
        if (a.isIpv4()) {
            return -1;
        }
        if (!overlapping) {
            int lo = 0;
            int hi = first6.length - 1;
            int found = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (first6[mid].compareTo(a) <= 0) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return found >= 0 && last6[found].compareTo(a) >= 0 && owner[found] != skipOwner ? found : -1;
        }
        int best = -1;
        for (int i = 0; i < first6.length; i++) {
            if (leases[i].contains(a) && owner[i] != skipOwner
                    && (best < 0 || leases[i].prefixLength() > leases[best].prefixLength())) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Index of the longest IPv4 lease containing the address, skipping leases owned by {@code skipOwner}.
     *
     * @param a the IPv4 address as a number
     * @param skipOwner the node whose own lease is skipped
     * @return the index, or -1 if none
     */
    public int find(long a, int skipOwner) {
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

    /**
     * Index of a lease equal to the prefix, not owned by {@code skipOwner}.
     *
     * @param c the prefix
     * @param skipOwner the node whose own lease is skipped
     * @return the index, or -1
     */
    public int exact(Cidr c, int skipOwner) {
        for (int i = 0; i < leases.length; i++) {
            if (leases[i].equals(c) && owner[i] != skipOwner) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The lease at an index (sorted by first address).
     *
     * @param i the index
     * @return the lease
     */
    public Cidr lease(int i) {
        return leases[i];
    }

    /**
     * The backend's route to the lease at an index.
     *
     * @param i the index
     * @return the route, or null
     */
    public Route tunnel(int i) {
        return tunnel[i];
    }

    /**
     * The direct route to the lease at an index.
     *
     * @param i the index
     * @return the route, or null
     */
    public Route direct(int i) {
        return direct[i];
    }

    /**
     * The node owning the lease at an index.
     *
     * @param i the index
     * @return the node index
     */
    public int owner(int i) {
        return owner[i];
    }

    /**
     * All leases, sorted by first address.
     *
     * @return a copy
     */
    public Cidr[] leases() {
        return leases.clone();
    }
}
