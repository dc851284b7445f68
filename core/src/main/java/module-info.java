/**
 * cidrguard's core: CIDRs and addresses, flannel's config and lease semantics, the cluster model, the scenario file
 * format, importers of real cluster output, overlap analysis and the packet tracer (docs/architecture.md).
 *
 * <p>Every exported package is API. One package is internal and not exported: the tracer's routing
 * ({@code io.github.cidrguard.trace.routing}); its netfilter model ({@code io.github.cidrguard.trace.netfilter}) is
 * exported so that importers and callers can build, parse and evaluate rules. Jackson
 * appears in no public signature and is required without {@code transitive}. IPAddress appears in exactly two, the
 * escape hatches {@code IpAddress.toIPAddress()} and {@code Cidr.toIPAddress()}, so a caller of those reads
 * {@code inet.ipaddr} through {@code requires transitive}. The JSpecify nullness annotations of the API are passed
 * on too, for callers' nullness checkers; they are not needed at run time.
 */
module io.github.cidrguard {
    requires static transitive org.jspecify;
    requires transitive inet.ipaddr;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    // the scenario and kubectl readers set SnakeYAML's own limits (LoaderOptions) explicitly
    requires org.yaml.snakeyaml;

    exports io.github.cidrguard;
    exports io.github.cidrguard.net;
    exports io.github.cidrguard.flannel;
    exports io.github.cidrguard.kube;
    exports io.github.cidrguard.scenario;
    exports io.github.cidrguard.ingest;
    exports io.github.cidrguard.analysis;
    exports io.github.cidrguard.trace;
    exports io.github.cidrguard.trace.netfilter;
}
