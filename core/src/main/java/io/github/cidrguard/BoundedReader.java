package io.github.cidrguard;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The streaming form of {@link InputText#read}: UTF-8 decoded block by block with the same limits and messages — the
 * size ({@link InputText#maxBytes()}), a NUL byte, a byte that is not UTF-8 (with its offset and line) — and, once the
 * first character that is not white space shows the text is YAML (it is not {@code {} or {@code [}), the length of a
 * YAML line. Errors are {@link InputTextException}s thrown from {@code read}, so a parser reading through this passes
 * them on unchanged. Only one block of bytes and the parser's own buffer are held, never the whole text.
 */
final class BoundedReader extends Reader {
    private static final int BLOCK = 1 << 16;

    private final InputStream in;
    private final String source;
    private final String what;
    private final long max;
    private final int maxYamlLine;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(BLOCK).flip();
    /** The offset in the input of {@code bytes}' first byte. */
    private long base;
    private long total;
    private boolean eof;
    private boolean flushed;
    private int line = 1;
    private int lineLength;
    /** 0 until the first character that is not white space, then 1 for JSON, 2 for YAML. */
    private int kind;

    BoundedReader(InputStream in, String source, String what) {
        this.in = in;
        this.source = source;
        this.what = what;
        this.max = InputText.maxBytes();
        this.maxYamlLine = InputText.maxYamlLine();
    }

    @Override
    public int read(char[] cbuf, int off, int len) {
        if (len == 0) {
            return 0;
        }
        CharBuffer out = CharBuffer.wrap(cbuf, off, len);
        while (out.position() == off) {
            if (!eof && bytes.remaining() < 4) {
                fill();
            }
            CoderResult r = decoder.decode(bytes, out, eof);
            if (r.isError()) {
                long offset = base + bytes.position();
                byte[] bad = new byte[Math.min(4, bytes.remaining())];
                bytes.get(bytes.position(), bad);
                lines(cbuf, off, out.position());
                throw new InputTextException(source, line, InputText.notUtf8(offset, bad, bad.length));
            }
            if (eof && r.isUnderflow()) {
                if (!flushed) {
                    decoder.flush(out);
                    flushed = true;
                }
                if (out.position() == off) {
                    return -1;
                }
            } else if (r.isUnderflow() && out.position() == off) {
                fill();
            }
        }
        lines(cbuf, off, out.position());
        return out.position() - off;
    }

    /** Counts lines (for the line of a bad byte) and bounds the length of a YAML line. */
    private void lines(char[] c, int from, int to) {
        for (int i = from; i < to; i++) {
            char ch = c[i];
            if (kind == 0 && !Character.isWhitespace(ch)) {
                kind = ch == '{' || ch == '[' ? 1 : 2;
            }
            if (ch == '\n') {
                line++;
                lineLength = 0;
            } else if (kind == 2 && ++lineLength > maxYamlLine) {
                throw new InputTextException(source, line, InputText.yamlLineTooLong());
            }
        }
    }

    private void fill() {
        base += bytes.position();
        bytes.compact();
        try {
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) {
                eof = true;
            } else {
                byte[] a = bytes.array();
                for (int i = bytes.position(); i < bytes.position() + n; i++) {
                    if (a[i] == 0) {
                        long offset = total + i - bytes.position();
                        throw new InputTextException(source, 0, InputText.nul(offset, what));
                    }
                }
                total += n;
                if (total > max) {
                    throw new InputTextException(source, 0, InputText.tooLarge("the input is more than " + max
                            + " bytes"));
                }
                bytes.position(bytes.position() + n);
            }
        } catch (IOException e) {
            throw new InputTextException(source, 0, InputText.cannotRead(what, e), e);
        } finally {
            bytes.flip();
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
