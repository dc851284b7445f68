package io.github.cidrguard.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
     * The text of a file, or of stdin for {@code -}.
     *
     * @param what what the file is, for the error message (e.g. {@code scenario})
     */
    String read(String file, String what) {
        if (file.equals("-")) {
            try {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                in.transferTo(buf);
                return buf.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UserInputException("cannot read the " + what + " from stdin: " + e.getMessage());
            }
        }
        Path p = Path.of(file);
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserInputException(file + ": no such file; give the path of the " + what);
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read the " + what + " (" + e.getMessage()
                    + "); check the path and its permissions");
        }
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
