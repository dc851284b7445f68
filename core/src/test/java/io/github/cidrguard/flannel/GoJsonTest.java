package io.github.cidrguard.flannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go encoding/json details that the config tests reach only indirectly. */
class GoJsonTest {

    @ParameterizedTest(name = "byte {0} is named {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "0x85|'\\u0085'", "0xAD|'\\u00ad'", "0xA0|'\\u00a0'", "0xA1|'¡'", "0xFF|'ÿ'", "0x7F|'\\x7f'", "0x07|'\\a'",
        "0x0B|'\\v'", "0x1B|'\\x1b'", "0x5C|'\\\\'", "0x27|'\\''", "0x22|'\"'", "0xEF|'ï'", "0xC2|'Â'",
    })
    void namesBadBytesLikeGo(String hex, String quoted) {
        int b = Integer.decode(hex);
        GoJson.GoJsonException e = assertThrows(GoJson.GoJsonException.class,
                () -> GoJson.checkValid(new byte[] {(byte) b}));
        // a lone byte that cannot start a value; '"' starts a string and runs into the end instead
        String want = b == '"' ? "unexpected end of JSON input" : "invalid character " + quoted
                + " looking for beginning of value";
        assertEquals(want, e.getMessage());
        assertEquals(quoted, GoJson.quoteChar(b));
    }

    @Test
    void unquotesLikeGo() {
        byte[] d = "\"a\\u00e9\\ud83d\\ude00\\ud800x\\/\\\"\"".getBytes(StandardCharsets.UTF_8);
        assertEquals("aé\uD83D\uDE00\uFFFDx/\"", GoJson.unquote(d, 0, d.length));
        byte[] bad = {'"', (byte) 0xE2, (byte) 0x82, 'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};
        GoJson.checkValid(bad); // the scanner does not check UTF-8
        assertEquals("\uFFFD\uFFFDa\uFFFD\uFFFD\uFFFD", GoJson.unquote(bad, 0, bad.length));
    }

    @Test
    void foldsKeysLikeBytesEqualFold() {
        assertTrue(GoJson.foldEquals("network", "Network"));
        assertTrue(GoJson.foldEquals("NETWOR\u212A", "Network"));
        assertTrue(GoJson.foldEquals("\u017FubnetLen", "SubnetLen"));
        assertTrue(GoJson.foldEquals("ipv6network", "IPv6Network"));
        assertFalse(GoJson.foldEquals("Networ", "Network"));
        assertFalse(GoJson.foldEquals("Networkk", "Network"));
        assertFalse(GoJson.foldEquals("Netw\u00F6rk", "Network"));
        assertFalse(GoJson.foldEquals("\u0130Pv6Network", "IPv6Network")); // U+0130 does not fold to I
        assertEquals("vni", GoJson.field("VNI", java.util.List.of("vni", "port")));
    }

    @Test
    void skipsDeepValuesWithoutRecursion() {
        String deep = "{\"a\":" + "[".repeat(9999) + "]".repeat(9999) + ",\"b\":1}";
        byte[] d = deep.getBytes(StandardCharsets.UTF_8);
        GoJson.checkValid(d);
        assertEquals(2, GoJson.members(GoJson.topLevel(d)).size());
    }
}
