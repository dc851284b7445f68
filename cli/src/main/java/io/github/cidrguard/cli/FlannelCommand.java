package io.github.cidrguard.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code cidrguard flannel …}: flannel's own view of things. */
@Command(name = "flannel", mixinStandardHelpOptions = true,
        description = "flannel's view: what flanneld makes of a network config.",
        subcommands = {FlannelCheckCommand.class},
        footer = {"", "Examples:", "  cidrguard flannel check net-conf.json",
                "  etcdctl get --print-value-only /coreos.com/network/config | cidrguard flannel check -"})
final class FlannelCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: use flannel check [FILE|-]");
    }
}
