package io.github.cidrguard.trace.routing;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;
import io.github.cidrguard.net.IpFamily;

/**
 * One route: destination, gateway, device, and the text {@code ip route} prints for it. {@code local} routes come
 * from the local table (addresses of the node's interfaces and kube-ipvs0). An IPv6 route is printed as
 * {@code ip -6 route} prints it (iproute2: {@code proto kernel metric 256} for connected prefixes, which carry no
 * {@code src}; {@code metric 1024} for routes added without one, as flanneld adds them; {@code pref medium}).
 *
 * @param dst the destination prefix
 * @param via the gateway, or null for a device route
 * @param dev the output device
 * @param local whether it is a route of the local table (an address of the node)
 * @param text the route as {@code ip route show table all} prints it
 */
public record Route(Cidr dst, IpAddress via, String dev, boolean local, String text) {

    /**
     * A prefix as {@code ip route} prints it: {@code default}, a bare address for a /32, else the CIDR.
     *
     * @param c the prefix
     * @return the text
     */
    public static String prefix(Cidr c) {
        if (c.prefixLength() == 0) {
            return "default";
        }
        return c.hostBits() == 0 ? c.network().toString() : c.toString();
    }

    /**
     * A connected route ({@code proto kernel scope link}).
     *
     * @param dst the prefix
     * @param dev the device
     * @param src the device address
     * @param linkdown whether the device has no carrier
     * @return the route
     */
    public static Route connected(Cidr dst, String dev, IpAddress src, boolean linkdown) {
        if (v6(dst)) {
            return new Route(dst, null, dev, false, prefix(dst) + " dev " + dev + " proto kernel metric 256"
                    + (linkdown ? " linkdown" : "") + " pref medium");
        }
        return new Route(dst, null, dev, false,
                prefix(dst) + " dev " + dev + " proto kernel scope link src " + src + (linkdown ? " linkdown" : ""));
    }

    /**
     * A route through a gateway.
     *
     * @param dst the prefix
     * @param via the gateway
     * @param dev the device
     * @param onlink whether the gateway is reached without a connected route
     * @return the route
     */
    public static Route via(Cidr dst, IpAddress via, String dev, boolean onlink) {
        if (v6(dst)) {
            return new Route(dst, via, dev, false, prefix(dst) + " via " + via + " dev " + dev + " metric 1024"
                    + (onlink ? " onlink" : "") + " pref medium");
        }
        return new Route(dst, via, dev, false,
                prefix(dst) + " via " + via + " dev " + dev + (onlink ? " onlink" : ""));
    }

    /**
     * A device route (a tunnel or point-to-point device).
     *
     * @param dst the prefix
     * @param dev the device
     * @param scopeLink whether {@code scope link} is listed
     * @return the route
     */
    public static Route device(Cidr dst, String dev, boolean scopeLink) {
        if (v6(dst)) {
            return new Route(dst, null, dev, false, prefix(dst) + " dev " + dev + " metric 1024 pref medium");
        }
        return new Route(dst, null, dev, false, prefix(dst) + " dev " + dev + (scopeLink ? " scope link" : ""));
    }

    /**
     * A local-table route of one of the node's addresses.
     *
     * @param a the address
     * @param dev the device holding it
     * @return the route
     */
    public static Route localAddress(IpAddress a, String dev) {
        if (!a.isIpv4()) {
            return new Route(Cidr.of(a), null, dev, true,
                    "local " + a + " dev " + dev + " table local proto kernel metric 0 pref medium");
        }
        return new Route(Cidr.of(a), null, dev, true,
                "local " + a + " dev " + dev + " table local proto kernel scope host src " + a);
    }

    private static boolean v6(Cidr c) {
        return c.family() == IpFamily.IPV6;
    }
}
