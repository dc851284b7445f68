package io.github.cidrguard.etcd;

/** Small text helpers for messages: stored values are user data and can be long. */
final class Texts {

    private static final int MAX = 200;

    private Texts() {
    }

    /** Quotes a stored value for a message, cut to a readable length. */
    static String shorten(String value) {
        if (value == null) {
            return "(none)";
        }
        String oneLine = printable(value.replace('\n', ' ').replace('\r', ' '));
        return "'" + (oneLine.length() <= MAX ? oneLine : oneLine.substring(0, MAX) + "…") + "'";
    }

    /**
     * Text from etcd or a file, safe to print on a terminal: control characters (C0 but tab, DEL, C1, and the bidi
     * overrides that reorder what is shown) become {@code \xNN} (or backslash, u and four hex digits), so a key or value cannot move the
     * cursor, recolour the screen or hide text. Line feeds become {@code \n}.
     */
    static String printable(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == 0x200e || c == 0x200f
                    || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
            if (control && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (!control) {
                    b.append(c);
                } else if (c == '\n') {
                    b.append("\\n");
                } else if (c <= 0xff) {
                    b.append(String.format("\\x%02x", (int) c));
                } else {
                    b.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        return b == null ? s : b.toString();
    }
}
