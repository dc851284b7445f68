package io.github.cidrguard.trace;

/**
 * Who really holds an address: a pod (on a node), a node, a machine on a node LAN, a machine in a declared network,
 * a Service (a ClusterIP or external IP no real machine holds), the outside world, or nobody.
 */
record Owner(Kind kind, int node, String name) {
    enum Kind { POD, NODE, LAN_HOST, NETWORK_HOST, SERVICE, WORLD, NONE }

    static final Owner NONE = new Owner(Kind.NONE, -1, "nobody");
}
