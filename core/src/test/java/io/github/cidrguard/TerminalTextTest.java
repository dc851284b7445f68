package io.github.cidrguard;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Terminal control characters from etcd or files never reach the terminal raw. */
class TerminalTextTest {
    record Case(String in, String line, String block) {
    }

    static final List<Case> CASES = List.of(
            new Case("10.244.1.0-24", "10.244.1.0-24", "10.244.1.0-24"),
            new Case("\u001b[2J\u001b]0;pwned\u0007", "\\x1b[2J\\x1b]0;pwned\\x07", "\\x1b[2J\\x1b]0;pwned\\x07"),
            new Case("a\rb", "a\\rb", "a\\rb"),
            new Case("{\n  \"Network\": 1\n}", "{\\n  \"Network\": 1\\n}", "{\n  \"Network\": 1\n}"),
            new Case("tab\tok", "tab\tok", "tab\tok"),
            new Case("del\u007f c1\u009b", "del\\x7f c1\\x9b", "del\\x7f c1\\x9b"),
            new Case("bidi\u202egnp.exe", "bidi\\u202egnp.exe", "bidi\\u202egnp.exe"),
            new Case("non-ASCII é ✓ is fine", "non-ASCII é ✓ is fine", "non-ASCII é ✓ is fine"));

    @Test
    void controlCharactersAreEscaped() {
        assertFalse(CASES.isEmpty());
        for (Case c : CASES) {
            assertEquals(c.line(), TerminalText.line(c.in()), c.in());
            assertEquals(c.block(), TerminalText.block(c.in()), c.in());
        }
    }
}
