package io.github.cidrguard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** {@code cidrguard}: the entry point of the command; {@link #run} runs it in-process. */
@Command(name = "cidrguard", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Keeps a Kubernetes cluster's address plan sane: finds every overlap that breaks traffic, "
                + "explains it down to the rule that eats the packet, proposes a free range and rewrites flannel's "
                + "config in etcd safely.", ""},
        subcommands = {DemoCommand.class, CheckCommand.class, TraceCommand.class, ReachCommand.class,
                SuggestCommand.class, FlannelCommand.class, ImportCommand.class, EtcdCommand.class,
                LabCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 clean, 1 ERROR findings or a trace not delivered (WARNING too with --strict),",
                "2 bad input or usage, 3 the outside world failed (etcd unreachable, denied).", "",
                "Examples:",
                "  cidrguard demo",
                "  cidrguard check examples/scenarios/seed.yaml",
                "  cidrguard suggest examples/scenarios/seed.yaml --format json",
                "  echo '{\"Network\": \"10.252.61.0/16\"}' | cidrguard flannel check -"})
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    /** Runs the command and exits with its code. */
    public static void main(String[] args) {
        boolean terminal = System.console() != null;
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = run(args, System.in, out, err, Ansi.AUTO.enabled(), terminal, System.getenv());
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs the command in-process.
     *
     * @param colour whether stdout is a terminal (colour and alignment for people)
     * @param progress whether stderr is a terminal (progress lines)
     * @return the exit code
     */
    public static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err, boolean colour,
                          boolean progress, Map<String, String> env) {
        Io io = new Io(in, out, err, colour, progress, env);
        CommandLine cli = commandLine(io);
        return cli.execute(args);
    }

    static CommandLine commandLine(Io io) {
        CommandLine cli = new CommandLine(new Main(), new Factory(io));
        cli.setOut(io.out);
        cli.setErr(io.err);
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(io.colour ? Ansi.ON : Ansi.OFF));
        cli.setExecutionExceptionHandler(Main::handle);
        return cli;
    }

    /** User errors are one line and exit 2; a failing outside world exits 3; a bug shows its stack trace. */
    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        String name = cli.getCommandSpec().qualifiedName();
        // messages quote input and etcd data: escaped, so they cannot drive the terminal
        if (Errors.isWorld(e)) {
            err.println(name + ": " + Escape.block(Errors.message(e)));
            return Exit.WORLD;
        }
        if (e instanceof UserInputException || e instanceof IllegalArgumentException
                || e instanceof UncheckedIOException
                || e.getClass().getName().equals("io.github.cidrguard.etcd.StoredConfigInvalidException")) {
            err.println(name + ": " + Escape.block(e.getMessage()));
            return Exit.USAGE;
        }
        err.println(name + ": internal error, please report it: " + e);
        e.printStackTrace(err);
        return Exit.FINDINGS;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: use one of demo, check, trace, reach, "
                + "suggest, flannel, import, etcd, lab (cidrguard --help lists them)");
    }

    /** Creates commands with the {@link Io} when they take one. */
    private static final class Factory implements CommandLine.IFactory {
        private final Io io;

        Factory(Io io) {
            this.io = io;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                return cls.getDeclaredConstructor(Io.class).newInstance(io);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }

    /** The version from the jar's manifest when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"cidrguard " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
