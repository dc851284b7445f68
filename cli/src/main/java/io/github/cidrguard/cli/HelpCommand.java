package io.github.cidrguard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/**
 * {@code cidrguard help [COMMAND...]}: the help of any command, nested ones included ({@code help etcd set-network}
 * shows set-network's, where picocli's own help command stops at the first name).
 */
@Command(name = "help", helpCommand = true, description = "Show the help of a command, e.g. cidrguard help etcd "
        + "set-network.", synopsisHeading = "%nUsage: ")
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, e.g. check or etcd set-network.")
    String[] commands = {};

    private CommandLine self;
    private Help.ColorScheme colours;
    private PrintWriter out;

    @Override
    public void init(CommandLine helpCommandLine, Help.ColorScheme colorScheme, PrintWriter outWriter,
                     PrintWriter errWriter) {
        this.self = helpCommandLine;
        this.colours = colorScheme;
        this.out = outWriter;
    }

    @Override
    public void run() {
        CommandLine target = self.getParent();
        for (String name : commands) {
            CommandLine sub = target.getSubcommands().get(name);
            if (sub == null) {
                throw new CommandLine.ParameterException(self, "unknown command '" + name + "' under '"
                        + target.getCommandSpec().qualifiedName() + "'; its commands are "
                        + String.join(", ", target.getSubcommands().keySet()));
            }
            target = sub;
        }
        target.usage(out, colours);
    }
}
