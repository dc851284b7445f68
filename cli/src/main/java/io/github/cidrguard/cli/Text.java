package io.github.cidrguard.cli;

import java.util.ArrayList;
import java.util.List;

/** Plain-text helpers: word wrapping with a hanging indent, padding. */
final class Text {
    static final int WIDTH = 100;

    private Text() {
    }

    /** The text wrapped to {@link #WIDTH} columns, every line starting with {@code indent}. */
    static String wrap(String text, String indent) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(indent);
        for (String word : text.split(" ")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > WIDTH) {
                lines.add(line.toString());
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return String.join(System.lineSeparator(), lines);
    }

    static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** 16384 as {@code 16 384}: big counts read at a glance. */
    static String grouped(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n).replace(',', ' ');
    }

    static String plural(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
