package io.github.cidrguard.cli;

import io.github.cidrguard.TerminalText;
import io.github.cidrguard.etcd.StoredConfigInvalidException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code cidrguard}: the entry point of the command; {@link #run} runs it in-process. */
@Command(name = "cidrguard", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Keeps a Kubernetes cluster's address plan sane: finds every overlap that breaks traffic, "
                + "explains it down to the rule that eats the packet, proposes a free range and rewrites flannel's "
                + "config in etcd safely.", ""},
        subcommands = {DemoCommand.class, CheckCommand.class, TraceCommand.class, ReachCommand.class,
                SuggestCommand.class, FlannelCommand.class, ImportCommand.class, EtcdCommand.class,
                LabCommand.class, CompletionCommand.class, HelpCommand.class},
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
        Map<String, String> env = System.getenv();
        boolean colour = Terminal.isTerminal(1) && !"dumb".equals(env.get("TERM"));
        boolean progress = Terminal.isTerminal(2);
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = run(args, System.in, out, err, colour, progress, env);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs the command in-process.
     *
     * @param colour whether stdout is a terminal (colour for people, unless NO_COLOR or {@code --color} say no)
     * @param progress whether stderr is a terminal (progress lines)
     * @return the exit code
     */
    public static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err, boolean colour,
                          boolean progress, Map<String, String> env) {
        Io io = new Io(in, out, err, colour && !Io.noColor(env), progress, env);
        CommandLine cli = commandLine(io);
        try {
            return cli.execute(args);
        } finally {
            if (io.out != out) {
                io.out.close();
            }
        }
    }

    /** The commands that write a report of findings, and so also the CI formats (sarif, junit, github). */
    static final Set<String> CI_COMMANDS = Set.of("cidrguard check");

    /** The commands whose exit code {@code --strict} changes; the others do not offer it. */
    static final Set<String> STRICT_COMMANDS = Set.of("cidrguard check", "cidrguard demo", "cidrguard flannel check",
            "cidrguard import", "cidrguard etcd check", "cidrguard etcd set-network");

    static CommandLine commandLine(Io io) {
        CommandLine cli = new CommandLine(new Main(), new Factory(io));
        dropStrictWhereMeaningless(cli);
        cli.setOut(io.out);
        cli.setErr(io.err);
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(io.colour ? Ansi.ON : Ansi.OFF));
        cli.setExecutionExceptionHandler((e, c, parsed) -> handle(e, c, parsed, io));
        CommandLine.IParameterExceptionHandler usage = cli.getParameterExceptionHandler();
        cli.setParameterExceptionHandler((e, args) -> {
            if (jsonRequested(args)) {
                io.out.println(Json.error(Exit.USAGE, e.getCommandLine().getCommandSpec().qualifiedName(),
                        e.getMessage()));
                io.out.flush();
                return Exit.USAGE;
            }
            return usage.handleParseException(e, args);
        });
        cli.setExecutionStrategy(parsed -> {
            apply(io, parsed);
            return new CommandLine.RunLast().execute(parsed);
        });
        return cli;
    }

    /** {@code --strict} comes with the output options of every command; it stays only where it changes the exit. */
    private static void dropStrictWhereMeaningless(CommandLine cli) {
        CommandSpec spec = cli.getCommandSpec();
        CommandLine.Model.OptionSpec strict = spec.findOption("--strict");
        if (strict != null && !STRICT_COMMANDS.contains(spec.qualifiedName())) {
            spec.remove(strict);
        }
        cli.getSubcommands().values().forEach(Main::dropStrictWhereMeaningless);
    }

    /**
     * Applies the command's {@link OutputOptions} to the streams before it runs: {@code --color}, {@code --output}
     * (a file that cannot be written is bad input), and refuses a CI format where there are no findings to report.
     */
    private static void apply(Io io, CommandLine.ParseResult parsed) {
        CommandLine.ParseResult last = parsed;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        OutputOptions o = options(last.commandSpec());
        if (o == null || last.isUsageHelpRequested() || last.isVersionHelpRequested()) {
            return;
        }
        String name = last.commandSpec().qualifiedName();
        if (o.format.ci() && !CI_COMMANDS.contains(name)) {
            throw new ParameterException(last.commandSpec().commandLine(), "--format " + o.format + " is for "
                    + "reports of findings (cidrguard check); " + name + " writes text or json");
        }
        io.colour = switch (o.color) {
            case always -> true;
            case never -> false;
            case auto -> io.colour && o.output == null;
        };
        if (o.format != Format.text) {
            io.colour = false;
        }
        if (o.output != null) {
            Path file = Path.of(o.output);
            try {
                io.out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), true);
            } catch (IOException | RuntimeException e) {
                throw new ParameterException(last.commandSpec().commandLine(), "--output " + o.output
                        + ": cannot write the file (" + e + "); give a path in a directory that exists and is "
                        + "writable");
            }
        }
    }

    /** The command's output options, if it mixes them in. */
    static OutputOptions options(CommandSpec spec) {
        for (CommandSpec m : spec.mixins().values()) {
            if (m.userObject() instanceof OutputOptions o) {
                return o;
            }
        }
        return null;
    }

    /** Whether the command line asks for JSON ({@code --format json} or {@code --format=json}). */
    static boolean jsonRequested(String[] args) {
        List<String> a = List.of(args);
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).equals("--format=json") || a.get(i).equals("--format") && i + 1 < a.size()
                    && a.get(i + 1).equals("json")) {
                return true;
            }
            if (a.get(i).equals("--")) {
                return false;
            }
        }
        return false;
    }

    /**
     * User errors are one line and exit 2; a failing outside world exits 3; a bug shows its stack trace. With
     * {@code --format json} the error is a JSON object (docs/schema/error.schema.json) on stdout, or in the
     * {@code --output} file: where the document would have gone, so that a tool always reads one JSON document.
     */
    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed, Io io) {
        PrintWriter err = cli.getErr();
        String name = cli.getCommandSpec().qualifiedName();
        OutputOptions o = options(cli.getCommandSpec());
        boolean json = o != null && o.json();
        int code;
        String message;
        if (Errors.isWorld(e)) {
            code = Exit.WORLD;
            message = Errors.message(e);
        } else if (e instanceof UserInputException || e instanceof IllegalArgumentException
                || e instanceof UncheckedIOException
                || e instanceof StoredConfigInvalidException) {
            code = Exit.USAGE;
            message = e.getMessage();
        } else {
            err.println(name + ": internal error, please report it: " + e);
            e.printStackTrace(err);
            if (json) {
                io.out.println(Json.error(Exit.FINDINGS, name, "internal error, please report it: " + e));
                io.out.flush();
            }
            return Exit.FINDINGS;
        }
        if (json) {
            io.out.println(Json.error(code, name, message));
            io.out.flush();
        } else {
            // messages quote input and etcd data: escaped, so they cannot drive the terminal
            err.println(name + ": " + TerminalText.block(message));
        }
        return code;
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
