package io.github.cidrguard.cli;

import io.github.cidrguard.analysis.NetworkUsage;
import io.github.cidrguard.analysis.Suggest;
import io.github.cidrguard.analysis.Suggestion;
import io.github.cidrguard.net.IpFamily;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code cidrguard suggest SCENARIO}: replacement Networks and service CIDRs that collide with nothing. */
@Command(name = "suggest", mixinStandardHelpOptions = true,
        description = "Propose replacement flannel Networks (and IPv6Networks in unique local space with a random "
                + "global ID, for plans that use IPv6; the broken family first) and service CIDRs that overlap nothing the scenario uses "
                + "or declares, no reserved range and none of Docker's pools, sized for the nodes with headroom, best "
                + "first, with reasons; and show how full the current Network is.",
        footer = {"", "Exit codes: 0 proposals found, 1 no free range of the needed size (for a family), 2 bad input.",
                "",
                "Examples:",
                "  cidrguard suggest examples/scenarios/seed.yaml",
                "  cidrguard suggest examples/scenarios/dual-stack-ipv6-broken.yaml",
                "  cidrguard suggest cluster.yaml --format json | jq -r '.networks[0].cidr'"})
final class SuggestCommand implements Callable<Integer> {
    private final Io io;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "The scenario file (YAML or JSON), or - for stdin.")
    String scenario;

    SuggestCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        Suggest s = Suggest.of(Scenarios.load(io, scenario));
        if (output.json()) {
            io.out.println(Json.versioned(s.toJson()));
        } else {
            print(s, io);
        }
        boolean missing = s.families().stream().anyMatch(f -> ofFamily(s.networks(), f).isEmpty());
        return missing ? Exit.FINDINGS : Exit.OK;
    }

    static void print(Suggest s, Io io) {
        boolean first = true;
        for (IpFamily fam : s.families()) {
            if (!first) {
                io.out.println();
            }
            first = false;
            boolean v4 = fam == IpFamily.IPV4;
            section(io, v4 ? "flannel Network" : "flannel IPv6Network", ofFamily(s.networks(), fam));
            io.out.println();
            section(io, v4 ? "service CIDR" : "IPv6 service CIDR", ofFamily(s.serviceCidrs(), fam));
        }
        for (NetworkUsage u : s.usage()) {
            io.out.println();
            io.out.println(io.bold("current Network " + u.network()) + ": " + u.usedSubnets() + " of " + u.subnets()
                    + " subnets of /" + u.subnetLength() + " used (" + Math.round(u.utilization() * 1000) / 10.0
                    + " %), subnet range " + u.subnetRange());
            List<String> free = u.free().cidrs().stream().limit(8).map(Object::toString).toList();
            int all = u.free().cidrs().size();
            io.out.println(Text.wrap("free: " + (free.isEmpty() ? "nothing" : String.join(", ", free)
                    + (all > free.size() ? ", … (" + all + " blocks)" : "")), "  "));
        }
    }

    private static List<Suggestion> ofFamily(List<Suggestion> list, IpFamily family) {
        return list.stream().filter(x -> x.cidr().family() == family).toList();
    }

    private static void section(Io io, String what, List<Suggestion> list) {
        if (list.isEmpty()) {
            io.out.println(io.red("no free " + what + " of the needed size"));
            return;
        }
        io.out.println(io.bold("proposed " + what + "s, best first:"));
        int i = 1;
        for (Suggestion sg : list) {
            io.out.println(String.format("%2d. %s", i++, io.green(sg.cidr().toString())));
            for (String r : sg.reasons()) {
                io.out.println(Text.wrap("- " + r, "      ").replaceFirst("^      - ", "    - "));
            }
        }
    }
}
