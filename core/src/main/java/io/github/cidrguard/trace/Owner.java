package io.github.cidrguard.trace;

import io.github.cidrguard.net.IpAddress;

/**
 * Who really holds an address: a pod (on a node), a node, a machine on a node LAN, a machine in a declared network,
 * a Service (a ClusterIP or external IP no real machine holds), the outside world, or nobody. {@code name} says what
 * the address is in words fit for a message ({@code pod default/web}, {@code node node-71},
 * {@code service kube-system/kube-dns}, {@code host 10.1.0.1 of declared network office}, {@code nobody}).
 */
record Owner(Kind kind, int node, String name) {
    enum Kind { POD, NODE, LAN_HOST, NETWORK_HOST, SERVICE, WORLD, NONE }

    static final Owner NONE = new Owner(Kind.NONE, -1, "nobody");

    static Owner pod(int node, String podName) {
        return new Owner(Kind.POD, node, "pod " + podName);
    }

    static Owner node(int node, String nodeName) {
        return new Owner(Kind.NODE, node, "node " + nodeName);
    }

    static Owner service(String serviceName) {
        return new Owner(Kind.SERVICE, -1, "service " + serviceName);
    }

    static Owner networkHost(IpAddress a, String network) {
        return new Owner(Kind.NETWORK_HOST, -1, "host " + a + " of declared network " + network);
    }

    static Owner lanHost(IpAddress a) {
        return new Owner(Kind.LAN_HOST, -1, "LAN host " + a);
    }

    static Owner world(IpAddress a) {
        return new Owner(Kind.WORLD, -1, "outside host " + a);
    }

    /** "nobody holds 10.0.0.9" or "10.0.0.9 is pod default/web": what an address is, as a clause. */
    String clause(IpAddress a) {
        return kind == Kind.NONE ? "nobody holds " + a : a + " is " + name;
    }
}
