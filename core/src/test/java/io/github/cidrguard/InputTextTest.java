package io.github.cidrguard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputTextTest {
    @TempDir
    Path dir;

    /** An endless stream of one byte, like /dev/zero or {@code yes}, counting what was read from it. */
    static final class Endless extends InputStream {
        final byte b;
        long served;

        Endless(int b) {
            this.b = (byte) b;
        }

        @Override
        public int read() {
            served++;
            return b & 0xff;
        }

        @Override
        public int read(byte[] buf, int off, int len) {
            java.util.Arrays.fill(buf, off, off + len, b);
            served += len;
            return len;
        }
    }

    @Test
    void aUtf8FileReadsAsItsText() throws IOException {
        Path f = dir.resolve("plan.yaml");
        Files.writeString(f, "name: café\nnodes: []\n", StandardCharsets.UTF_8);
        assertEquals("name: café\nnodes: []\n", InputText.read(f, "the scenario file"));
    }

    @Test
    void aLegitimateReplacementCharacterIsNotAnError() throws IOException {
        Path f = dir.resolve("plan.yaml");
        Files.writeString(f, "name: '\uFFFD'\n", StandardCharsets.UTF_8);
        assertEquals("name: '\uFFFD'\n", InputText.read(f, "the scenario file"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // bytes (hex)                          | offset | line | shown
            "6e616d653a2063 e9 0a                   | 7      | 1    | 0xe9 0x0a",
            "610a620a63 ff                          | 5      | 3    | 0xff",
            "c3a90a c3                              | 3      | 2    | 0xc3",
            "0a0a 80 41                             | 2      | 3    | 0x80 0x41",
    })
    void invalidUtf8NamesTheByteOffsetAndLine(String hex, long offset, int line, String shown) throws IOException {
        byte[] bytes = java.util.HexFormat.of().parseHex(hex.replace(" ", ""));
        Path f = dir.resolve("latin1.yaml");
        Files.write(f, bytes);
        InputTextException e = assertThrows(InputTextException.class, () -> InputText.read(f, "the scenario file"));
        assertEquals(f + " line " + line + ": byte " + offset + " is not valid UTF-8 (" + shown + "); save the file as"
                + " UTF-8 (e.g. iconv -f LATIN1 -t UTF-8)", e.getMessage());
        assertEquals(line, e.line());
        // the same from a stream
        InputTextException s = assertThrows(InputTextException.class,
                () -> InputText.read(new ByteArrayInputStream(bytes), "stdin", "the scenario"));
        assertTrue(s.getMessage().startsWith("stdin line " + line + ": byte " + offset + " is not valid UTF-8"),
                s.getMessage());
    }

    @Test
    void anEndlessStreamOfZerosStopsAtTheFirstBlock() {
        Endless zeros = new Endless(0);
        InputTextException e = assertThrows(InputTextException.class,
                () -> InputText.read(zeros, "/dev/zero", "the scenario file"));
        assertEquals("/dev/zero: byte 0 is a NUL byte, which neither YAML nor JSON allows: this is not a text file;"
                + " give the scenario file", e.getMessage());
        assertTrue(zeros.served <= 1 << 16, "read " + zeros.served + " bytes");
    }

    @Test
    void devZeroItselfFailsAtOnce() {
        Path zero = Path.of("/dev/zero");
        InputTextException e = assertThrows(InputTextException.class, () -> InputText.read(zero, "the scenario file"));
        assertTrue(e.getMessage().startsWith("/dev/zero: byte 0 is a NUL byte"), e.getMessage());
    }

    @Test
    void anEndlessTextStreamStopsAtTheSizeLimitAndNamesIt() {
        System.setProperty(InputText.MAX_BYTES_PROPERTY, "1000000");
        try {
            Endless yes = new Endless('y');
            InputTextException e = assertThrows(InputTextException.class,
                    () -> InputText.read(yes, "stdin", "the scenario"));
            assertTrue(e.getMessage().startsWith("stdin: the input is more than 1000000 bytes, more than the input"
                    + " limit of 1000000 bytes (cidrguard.input.maxBytes);"), e.getMessage());
            assertTrue(e.getMessage().contains("raise the limit with -Dcidrguard.input.maxBytes=2000000"),
                    e.getMessage());
            assertTrue(yes.served <= 1_000_000 + (1 << 16), "read " + yes.served);
        } finally {
            System.clearProperty(InputText.MAX_BYTES_PROPERTY);
        }
    }

    @Test
    void aRegularFilePastTheLimitIsRefusedBeforeItIsRead() throws IOException {
        Path f = dir.resolve("big.json");
        Files.write(f, new byte[4096]);
        System.setProperty(InputText.MAX_BYTES_PROPERTY, "4095");
        try {
            InputTextException e = assertThrows(InputTextException.class, () -> InputText.read(f, "the scenario"));
            assertTrue(e.getMessage().startsWith(f + ": the file is 4096 bytes, more than the input limit of 4095"
                    + " bytes (cidrguard.input.maxBytes)"), e.getMessage());
        } finally {
            System.clearProperty(InputText.MAX_BYTES_PROPERTY);
        }
    }

    @Test
    void theDefaultLimitsAreFarAboveARealPlan() {
        assertEquals(1L << 30, InputText.maxBytes());
        assertEquals(100, InputText.maxNesting());
        assertEquals(1 << 20, InputText.maxYamlLine());
    }

    @ParameterizedTest
    @CsvSource({"0", "-5", "lots", "99999999999"})
    void aBadLimitPropertyIsItselfAClearError(String value) {
        System.setProperty(InputText.MAX_BYTES_PROPERTY, value);
        try {
            InputTextException e = assertThrows(InputTextException.class, InputText::maxBytes);
            assertTrue(e.getMessage().startsWith("input: system property cidrguard.input.maxBytes=" + value
                    + " is not a whole number from 1 to 2147483631"), e.getMessage());
        } finally {
            System.clearProperty(InputText.MAX_BYTES_PROPERTY);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10 | 'a\nb\nc'                 | 0",
            "3  | 'abc\nabcd\nab'            | 2",
            "3  | 'abcd'                     | 1",
            "3  | 'ab\nab\nab\nabcdef'       | 4",
            "3  | 'abc\nabc\nabc'            | 0",
    })
    void firstLongYamlLine(int max, String text, int expected) {
        System.setProperty(InputText.MAX_YAML_LINE_PROPERTY, String.valueOf(max));
        try {
            assertEquals(expected, InputText.firstLongYamlLine(text));
        } finally {
            System.clearProperty(InputText.MAX_YAML_LINE_PROPERTY);
        }
    }
}
