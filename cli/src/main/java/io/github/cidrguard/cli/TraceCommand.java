package io.github.cidrguard.cli;

import io.github.cidrguard.net.IpFamily;
import io.github.cidrguard.trace.Trace;
import io.github.cidrguard.trace.Tracer;
import io.github.cidrguard.trace.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code cidrguard trace SCENARIO --from X --to Y [--port 443/TCP]}: one packet and its reply, hop by hop. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = {"Follow one packet and its reply hop by hop through the modelled routes, kube-proxy and flannel "
                + "rules, rp_filter, conntrack and the underlay; each hop names the node, the stage, the exact rule as "
                + "iptables-save or ip route prints it, the action and the packet after it.",
                "Endpoints: pod:<ip>, pod:<ns/name>, node:<name>, host:<ip>, svc:<ns/name>:<port>/<proto>, or an IP."},
        footer = {"", "Exit codes: 0 delivered, 1 not delivered (dropped, rejected, hijacked, no route), 2 bad input.",
                "", "Examples:",
                "  cidrguard trace examples/scenarios/seed.yaml --from pod:default/jenkins --to 10.252.158.72",
                "  cidrguard trace seed.yaml --from pod:default/busybox --to svc:default/jenkins:80/TCP",
                "  cidrguard trace seed.yaml --from node:node-71 --to 10.252.61.7 --port 8080/TCP --format json",
                "  cidrguard trace dual-stack.yaml --from pod:default/busybox --to node:node-71 --family 6"})
final class TraceCommand implements Callable<Integer> {
    private final Io io;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "The scenario file (YAML or JSON), or - for stdin.")
    String scenario;

    @Option(names = "--from", required = true, paramLabel = "X", description = "The source endpoint.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "Y", description = "The destination endpoint.")
    String to;

    @Option(names = "--port", paramLabel = "443/TCP", description = "Destination port and protocol; ICMP without it.")
    String port;

    @Option(names = "--family", paramLabel = "4|6",
            description = "The address family of a dual-stack trace whose endpoints are names (pods, nodes, Services): "
                    + "4 or 6. Default: the family of an address given, else IPv4 when every named end has one.")
    String family;

    @Option(names = "--legacy-flannel-rules",
            description = "Model flannel v0.19 and older: masquerade rules directly in POSTROUTING.")
    boolean legacy;

    private static IpFamily family(String text) {
        return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "4", "ipv4" -> IpFamily.IPV4;
            case "6", "ipv6" -> IpFamily.IPV6;
            default -> throw new IllegalArgumentException("--family '" + text + "': write 4 or 6");
        };
    }

    TraceCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        Tracer tracer = Tracer.of(Scenarios.load(io, scenario), legacy);
        Trace t = family == null ? tracer.trace(from, to, port) : tracer.trace(from, to, port, family(family));
        if (output.json()) {
            io.out.println(Json.versioned(t.toJson()));
        } else {
            TraceView.print(t, io);
        }
        return t.verdict() == Verdict.DELIVERED ? Exit.OK : Exit.FINDINGS;
    }
}
