package io.github.cidrguard.trace;

import io.github.cidrguard.net.Cidr;
import io.github.cidrguard.net.IpAddress;

/**
 * One route: destination, gateway, device, and the text {@code ip route} prints for it. {@code local} routes come
 * from the local table (addresses of the node's interfaces and kube-ipvs0).
 */
record Route(Cidr dst, IpAddress via, String dev, boolean local, String text) {

    static String prefix(Cidr c) {
        if (c.prefixLength() == 0) {
            return "default";
        }
        return c.prefixLength() == 32 ? c.network().toString() : c.toString();
    }

    static Route connected(Cidr dst, String dev, IpAddress src, boolean linkdown) {
        return new Route(dst, null, dev, false,
                prefix(dst) + " dev " + dev + " proto kernel scope link src " + src + (linkdown ? " linkdown" : ""));
    }

    static Route via(Cidr dst, IpAddress via, String dev, boolean onlink) {
        return new Route(dst, via, dev, false,
                prefix(dst) + " via " + via + " dev " + dev + (onlink ? " onlink" : ""));
    }

    static Route device(Cidr dst, String dev, boolean scopeLink) {
        return new Route(dst, null, dev, false, prefix(dst) + " dev " + dev + (scopeLink ? " scope link" : ""));
    }

    static Route localAddress(IpAddress a, String dev) {
        return new Route(Cidr.of(a), null, dev, true,
                "local " + a + " dev " + dev + " table local proto kernel scope host src " + a);
    }
}
