package io.github.cidrguard.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Runs the command in-process with captured stdout and stderr. */
record Run(int code, String out, String err) {
    static Run of(String... args) {
        return withStdin("", args);
    }

    static Run withStdin(String stdin, String... args) {
        return withEnv(stdin, Map.of(), args);
    }

    static Run withEnv(String stdin, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true), false, false, env);
        return new Run(code, out.toString(), err.toString());
    }

    /** A path under the project root (surefire sets cidrguard.root). */
    static String file(String relative) {
        return Path.of(System.getProperty("cidrguard.root", ".."), relative).toString();
    }

    static String scenario(String name) {
        return file("examples/scenarios/" + name);
    }
}
