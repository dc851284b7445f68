package io.github.cidrguard.cli;

import io.github.cidrguard.InputText;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * The command's streams and what it knows about them: stdin, stdout, stderr, whether stdout is a terminal (colour)
 * and whether stderr is one (progress), and the environment (etcd credentials).
 */
final class Io {
    final InputStream in;
    /** stdout, or the file of {@code --output} once the command line is parsed. */
    PrintWriter out;
    final PrintWriter err;
    /** Whether text output is coloured: stdout is a terminal and NO_COLOR unset, or what {@code --color} says. */
    boolean colour;
    final boolean progress;
    final Map<String, String> env;

    Io(InputStream in, PrintWriter out, PrintWriter err, boolean colour, boolean progress, Map<String, String> env) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.colour = colour;
        this.progress = progress;
        this.env = env;
    }

    /**
     * The text of a file, or of stdin for {@code -}, with the library's input limits ({@link InputText}: size, NUL
     * bytes, UTF-8 with the offset of a bad byte).
     *
     * @param what what the file is, for the error message (e.g. {@code scenario})
     */
    String read(String file, String what) {
        if (file.equals("-")) {
            try {
                return InputText.read(in, "stdin", "the " + what);
            } catch (IOException e) {
                throw new UserInputException("cannot read the " + what + " from stdin: " + e.getMessage());
            }
        }
        return InputText.read(Path.of(file), "the " + what);
    }

    /**
     * Whether the environment asks for no colour: {@code NO_COLOR} set to anything but the empty string
     * (no-color.org).
     */
    static boolean noColor(Map<String, String> env) {
        String v = env.get("NO_COLOR");
        return v != null && !v.isEmpty();
    }

    /** Text in a style (ANSI SGR codes, e.g. {@code "1;31"} bold red) when colour is on; plain otherwise. */
    String style(String sgr, String text) {
        return colour ? "\u001b[" + sgr + "m" + text + "\u001b[0m" : text;
    }

    String bold(String text) {
        return style("1", text);
    }

    String dim(String text) {
        return style("2", text);
    }

    String red(String text) {
        return style("1;31", text);
    }

    String yellow(String text) {
        return style("33", text);
    }

    String green(String text) {
        return style("32", text);
    }

    String cyan(String text) {
        return style("36", text);
    }

    /** A progress line on stderr, only when stderr is a terminal. */
    void progress(String text) {
        if (progress) {
            err.print("\r\u001b[2K" + text);
            err.flush();
        }
    }

    void progressDone() {
        if (progress) {
            err.print("\r\u001b[2K");
            err.flush();
        }
    }
}
