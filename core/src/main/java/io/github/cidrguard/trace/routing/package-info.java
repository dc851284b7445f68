/**
 * The tracer's routing: a node's routes as {@code ip route show table all} lists them
 * ({@link io.github.cidrguard.trace.routing.Route}) and the routes every node installs for the other nodes' flannel
 * leases ({@link io.github.cidrguard.trace.routing.LeaseRoutes}, shared by all nodes, searched by binary search).
 * Internal to the tracer: the module does not export this package (docs/architecture.md, "Traces").
 */
package io.github.cidrguard.trace.routing;
