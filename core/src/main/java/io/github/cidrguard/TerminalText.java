package io.github.cidrguard;

import org.jspecify.annotations.Nullable;

/**
 * Text from etcd or from an input file, made safe for a terminal before the text output prints it: control
 * characters (C0 but tab and, in {@link #block}, line feed; DEL; C1; the bidi overrides that reorder what is shown)
 * become {@code \xNN} or a backslash-u escape, so a key or value cannot move the cursor, recolour the screen, set the
 * window title or hide text. JSON output needs none of this: the JSON writer escapes control characters itself.
 * The command and the etcd adapter use it for every message that quotes input or etcd data; so can an embedding tool.
 */
public final class TerminalText {
    private TerminalText() {
    }

    /**
     * One line: line feeds and carriage returns are escaped too.
     *
     * @param s the text, or {@code null}
     * @return the text with every control character escaped, or {@code null} for {@code null}
     */
    public static @Nullable String line(@Nullable String s) {
        return escape(s, false);
    }

    /**
     * A block that may span lines (a pretty-printed config): line feeds stay, everything else is escaped.
     *
     * @param s the text, or {@code null}
     * @return the text with every control character but line feeds escaped, or {@code null} for {@code null}
     */
    public static @Nullable String block(@Nullable String s) {
        return escape(s, true);
    }

    private static @Nullable String escape(@Nullable String s, boolean keepNewlines) {
        if (s == null) {
            return null;
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = ((c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == 0x200e || c == 0x200f
                    || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
                    && !(keepNewlines && c == '\n');
            if (control && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b == null) {
                continue;
            }
            if (!control) {
                b.append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c <= 0xff) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b == null ? s : b.toString();
    }
}
