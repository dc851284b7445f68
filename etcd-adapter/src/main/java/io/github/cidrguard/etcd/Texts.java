package io.github.cidrguard.etcd;

import io.github.cidrguard.TerminalText;

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
        String oneLine = TerminalText.line(value.replace('\n', ' ').replace('\r', ' '));
        return "'" + (oneLine.length() <= MAX ? oneLine : oneLine.substring(0, MAX) + "…") + "'";
    }

}
