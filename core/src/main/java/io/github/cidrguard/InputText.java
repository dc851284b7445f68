package io.github.cidrguard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reading input text — a scenario file, cluster output for an importer — with the limits every reader of the library
 * shares (docs/architecture.md, "Input limits"). The limits are set far above anything a real cluster produces, so
 * that crossing one means the input is not what it claims to be (an endless stream, a binary file), and each limit
 * can be raised by a system property that its error names:
 *
 * <ul>
 *   <li>{@value #MAX_BYTES_PROPERTY}: the largest input in bytes, by default {@value #DEFAULT_MAX_BYTES} (1 GiB; a
 *       65 536-node scenario is about 6 MB, {@code kubectl get nodes -o json} of 65 536 nodes a few hundred MB);
 *       at most {@value #HARD_MAX_BYTES}, the largest text a Java string holds;</li>
 *   <li>{@value #MAX_NESTING_PROPERTY}: the deepest nesting of objects and lists, by default
 *       {@value #DEFAULT_MAX_NESTING} (a scenario nests 5 levels, a Kubernetes object about 20);</li>
 *   <li>{@value #MAX_YAML_LINE_PROPERTY}: the longest line of YAML, by default {@value #DEFAULT_MAX_YAML_LINE}
 *       characters. SnakeYAML's reader (org.yaml.snakeyaml.reader.StreamReader) copies its whole look-ahead window
 *       on every refill of 1 024 characters, and a token does not advance the window until it ends, so one token of
 *       n characters costs n²/1 024 copies: 4 MiB on one line took 7 s, 8 MiB 19 s. 1 MiB costs a fraction of a
 *       second. JSON has no such limit (Jackson's JSON parser is linear).</li>
 * </ul>
 *
 * <p>Text must be UTF-8 (as YAML and JSON files are, and as kubectl writes them); a byte sequence that is not is
 * reported with its byte offset and line. A NUL byte, which neither YAML nor JSON allows, ends reading at once, so
 * {@code /dev/zero} or a binary file fails on its first block instead of filling the heap.
 */
public final class InputText {
    /** The system property that sets the largest input in bytes. */
    public static final String MAX_BYTES_PROPERTY = "cidrguard.input.maxBytes";
    /** The default largest input: 1 GiB. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    /** The largest input {@value #MAX_BYTES_PROPERTY} may allow: a Java array's limit, less a margin. */
    public static final long HARD_MAX_BYTES = Integer.MAX_VALUE - 16;
    /** The system property that sets the deepest nesting of objects and lists. */
    public static final String MAX_NESTING_PROPERTY = "cidrguard.input.maxNesting";
    /** The default deepest nesting. */
    public static final int DEFAULT_MAX_NESTING = 100;

    /** The system property that sets the longest line of a YAML input, in characters. */
    public static final String MAX_YAML_LINE_PROPERTY = "cidrguard.input.maxYamlLine";
    /** The default longest YAML line: 1 MiB characters. */
    public static final int DEFAULT_MAX_YAML_LINE = 1 << 20;

    private static final int BLOCK = 1 << 16;

    private InputText() {
    }

    /**
     * The largest input in bytes: {@value #MAX_BYTES_PROPERTY} when set, else {@value #DEFAULT_MAX_BYTES}.
     *
     * @throws InputTextException when the property is not a whole number from 1 to {@value #HARD_MAX_BYTES}
     */
    public static long maxBytes() {
        return limit(MAX_BYTES_PROPERTY, DEFAULT_MAX_BYTES, HARD_MAX_BYTES);
    }

    /**
     * The deepest nesting of objects and lists: {@value #MAX_NESTING_PROPERTY} when set, else
     * {@value #DEFAULT_MAX_NESTING}.
     *
     * @throws InputTextException when the property is not a whole number from 1 to 100 000
     */
    public static int maxNesting() {
        return (int) limit(MAX_NESTING_PROPERTY, DEFAULT_MAX_NESTING, 100_000);
    }

    /**
     * The longest line of YAML input: {@value #MAX_YAML_LINE_PROPERTY} when set, else
     * {@value #DEFAULT_MAX_YAML_LINE}.
     *
     * @throws InputTextException when the property is not a whole number from 1 to {@value #HARD_MAX_BYTES}
     */
    public static int maxYamlLine() {
        return (int) limit(MAX_YAML_LINE_PROPERTY, DEFAULT_MAX_YAML_LINE, HARD_MAX_BYTES);
    }

    /**
     * Checks that no line of a YAML text is longer than {@link #maxYamlLine()}; returns the 1-based number of the
     * first line that is, or 0 when none is. Linear in the text.
     *
     * @param text the YAML text
     */
    public static int firstLongYamlLine(String text) {
        int max = maxYamlLine();
        if (text.length() <= max) {
            return 0;
        }
        int line = 1;
        int start = 0;
        while (true) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            if (end - start > max) {
                return line;
            }
            if (nl < 0) {
                return 0;
            }
            start = nl + 1;
            line++;
        }
    }

    /**
     * The message part for a YAML line past {@link #maxYamlLine()}: the limit, why it exists and the fixes.
     */
    public static String yamlLineTooLong() {
        int max = maxYamlLine();
        return "the line is longer than " + max + " characters (" + MAX_YAML_LINE_PROPERTY + "), and the YAML"
                + " parser's time grows with the square of a token's length; break the value over lines (a YAML"
                + " block scalar, |), write the file as JSON (no such limit), or raise the limit with -D"
                + MAX_YAML_LINE_PROPERTY + "=" + Math.min(HARD_MAX_BYTES, (long) max * 4);
    }

    private static long limit(String property, long dflt, long hardMax) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.strip().replace("_", ""));
            if (n >= 1 && n <= hardMax) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InputTextException(null, 0, "system property " + property + "=" + v + " is not a whole number from"
                + " 1 to " + hardMax + "; set it e.g. -D" + property + "=" + dflt * 2);
    }

    /**
     * The message part that names the size limit and how to raise it, for readers that check a text's length.
     *
     * @param what what crossed the limit, e.g. {@code "the scenario is 2147483000 characters"}
     */
    public static String tooLarge(String what) {
        long max = maxBytes();
        return what + ", more than the input limit of " + max + " bytes (" + MAX_BYTES_PROPERTY + "); this is not"
                + " a file a cluster produces — check that it is the right file, or raise the limit with -D"
                + MAX_BYTES_PROPERTY + "=" + Math.min(HARD_MAX_BYTES, max * 2)
                + " (with the launcher: JAVA_TOOL_OPTIONS=-D" + MAX_BYTES_PROPERTY + "=…)";
    }

    /**
     * The message part that names the nesting limit and how to raise it.
     *
     * @param depth the depth reached
     */
    public static String tooDeep(int depth) {
        return "nests objects and lists " + depth + " levels deep, more than the limit of " + maxNesting() + " ("
                + MAX_NESTING_PROPERTY + "); no scenario or Kubernetes object nests that deep — check that it is the"
                + " right file, or raise the limit with -D" + MAX_NESTING_PROPERTY + "=" + maxNesting() * 2;
    }

    /**
     * The text of a file, decoded as UTF-8 and bounded by {@link #maxBytes()}. A regular file larger than the limit is
     * refused before it is read; anything else (a pipe, a device) is read in blocks and refused when it passes the
     * limit or holds a NUL byte.
     *
     * @param file the file
     * @param what what the file should be, for the fix in a message, e.g. {@code "the scenario file"}
     * @throws InputTextException when the file is missing or unreadable, too large, not text or not UTF-8; the
     *                            message starts with the file's path (and the line, for bytes that are not UTF-8)
     */
    public static String read(Path file, String what) {
        String source = file.toString();
        long max = maxBytes();
        try {
            if (Files.isRegularFile(file)) {
                long size = Files.size(file);
                if (size > max) {
                    throw new InputTextException(source, 0, tooLarge("the file is " + size
                            + " bytes"));
                }
                byte[] bytes = Files.readAllBytes(file);
                if (bytes.length > max) { // grew while we read it
                    throw new InputTextException(source, 0, tooLarge("the file is more than "
                            + max + " bytes"));
                }
                return decode(bytes, bytes.length, source);
            }
            try (InputStream in = Files.newInputStream(file)) {
                return read(in, source, what);
            }
        } catch (NoSuchFileException e) {
            throw new InputTextException(source, 0, "no such file; give the path of " + what, e);
        } catch (IOException e) {
            throw new InputTextException(source, 0, cannotRead(what, e), e);
        }
    }

    static String cannotRead(String what, IOException e) {
        return "cannot read " + what + " (" + e.getMessage() + "); check the path and its permissions";
    }

    /**
     * A file as a stream of text with the limits of {@link #read(Path, String)}, for readers that parse as they go
     * (kubectl's lists of hundreds of MB): the heap holds one block, not the text. A regular file larger than the
     * limit is refused before it is opened; everything else is checked while it is read, and the errors
     * ({@link InputTextException}, with the same messages and lines as {@code read}) are thrown from the reader's
     * {@code read}. Once the first character that is not white space shows the text is YAML (not <code>&#123;</code> or
     * {@code [}), its lines are bounded by {@link #maxYamlLine()} too.
     *
     * @param file the file
     * @param what what the file should be, for the fix in a message
     * @throws InputTextException when the file is missing, unreadable or too large
     */
    public static Reader open(Path file, String what) {
        String source = file.toString();
        try {
            if (Files.isRegularFile(file) && Files.size(file) > maxBytes()) {
                throw new InputTextException(source, 0, tooLarge("the file is " + Files.size(file) + " bytes"));
            }
            return new BoundedReader(Files.newInputStream(file), source, what);
        } catch (NoSuchFileException e) {
            throw new InputTextException(source, 0, "no such file; give the path of " + what, e);
        } catch (IOException e) {
            throw new InputTextException(source, 0, cannotRead(what, e), e);
        }
    }

    /**
     * A stream (stdin, a pipe) as text with the limits of {@link #read(InputStream, String, String)}, checked while it
     * is read, as {@link #open(Path, String)} does. Closing the reader closes the stream.
     *
     * @param in the stream
     * @param source its name in messages, e.g. {@code stdin}
     * @param what what the input should be, for the fix in a message
     */
    public static Reader open(InputStream in, String source, String what) {
        return new BoundedReader(in, source, what);
    }

    /**
     * The text of a stream (stdin, a pipe), decoded as UTF-8, read in blocks and bounded by {@link #maxBytes()}: it
     * stops at the first block past the limit or holding a NUL byte. The stream is not closed.
     *
     * @param in the stream
     * @param source its name in messages, e.g. {@code stdin}
     * @param what what the input should be, for the fix in a message
     * @throws InputTextException when the stream fails, is too large, is not text or not UTF-8
     * @throws IOException when reading the stream fails
     */
    public static String read(InputStream in, String source, String what) throws IOException {
        long max = maxBytes();
        Buffer buf = new Buffer();
        byte[] block = new byte[BLOCK];
        int n;
        while ((n = in.read(block)) >= 0) {
            for (int i = 0; i < n; i++) {
                if (block[i] == 0) {
                    throw new InputTextException(source, 0, nul((long) buf.size() + i, what));
                }
            }
            if ((long) buf.size() + n > max) {
                throw new InputTextException(source, 0, tooLarge("the input is more than " + max
                        + " bytes"));
            }
            buf.write(block, 0, n);
        }
        return decode(buf.bytes(), buf.size(), source);
    }

    /** A ByteArrayOutputStream whose array is read without a copy. */
    private static final class Buffer extends ByteArrayOutputStream {
        byte[] bytes() {
            return buf;
        }
    }

    /**
     * UTF-8 bytes as text; the JDK's decoder does the work, and only when it had to replace something does a
     * strict decoder look for the offset of the first malformed sequence.
     */
    private static String decode(byte[] bytes, int length, String source) {
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') >= 0) {
            long offset = firstMalformed(bytes, length);
            if (offset >= 0) {
                int line = 1;
                for (long i = 0; i < offset; i++) {
                    if (bytes[(int) i] == '\n') {
                        line++;
                    }
                }
                byte[] bad = java.util.Arrays.copyOfRange(bytes, (int) offset, (int) Math.min(length, offset + 4));
                throw new InputTextException(source, line, notUtf8(offset, bad, bad.length));
            }
        }
        return text;
    }

    static String nul(long offset, String what) {
        return "byte " + offset + " is a NUL byte, which neither YAML nor JSON allows: this is not a text file; give "
                + what;
    }

    /** The message for a byte sequence that is not UTF-8 at an offset, quoting up to four of its bytes. */
    static String notUtf8(long offset, byte[] bad, int n) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < n; i++) {
            hex.append(hex.length() == 0 ? "" : " ").append(String.format("0x%02x", bad[i] & 0xff));
        }
        return "byte " + offset + " is not valid UTF-8 (" + hex + "); save the file as UTF-8 (e.g. iconv -f LATIN1 -t"
                + " UTF-8)";
    }

    /** The byte offset of the first sequence that is not UTF-8, or -1 when there is none. */
    private static long firstMalformed(byte[] bytes, int length) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
        CharBuffer out = CharBuffer.allocate(BLOCK);
        while (true) {
            CoderResult r = d.decode(in, out, true);
            if (r.isError()) {
                return in.position();
            }
            if (r.isUnderflow()) {
                return -1;
            }
            out.clear();
        }
    }
}
