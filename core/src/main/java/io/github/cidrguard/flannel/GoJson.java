package io.github.cidrguard.flannel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of Go's {@code encoding/json} (v1, Go 1.25) that flanneld's config and lease decoding inherit, on UTF-8
 * bytes.
 *
 * <p>Why not Jackson: flannel's address fields implement {@code UnmarshalJSON} and receive the <em>raw token</em>
 * (quotes and escapes included, then {@code bytes.Trim(token, "\"")}); Jackson decodes escapes and never shows the
 * raw token. Go also matches keys case-insensitively with Unicode simple folding (so U+212A KELVIN SIGN matches
 * {@code k}), lets the last duplicate win, validates the whole input's syntax before decoding anything (so a syntax
 * error anywhere beats a type error earlier in the text), keeps decoding after a type error and reports the first
 * one, and words its errors its own way. flannel's error text is our contract, so this class mirrors Go:
 * <ul>
 *   <li>{@link #checkValid} is Go's scanner ({@code checkValid}) with its messages, byte for byte;</li>
 *   <li>{@link #members} splits a valid object into keys (unquoted the Go way) and raw value spans;</li>
 *   <li>{@link Struct} decodes struct fields with Go's type rules and error texts
 *       ({@code json: cannot unmarshal string into Go struct field Config.SubnetLen of type uint}).</li>
 * </ul>
 * Everything here is iterative, so a value nested 10 000 deep (Go's limit) cannot overflow the stack.
 */
final class GoJson {
    /** Go's {@code maxNestingDepth}. */
    static final int MAX_DEPTH = 10000;

    private GoJson() {
    }

    /** A JSON value's kind, from its first byte. */
    enum Kind {
        OBJECT, ARRAY, STRING, NUMBER, BOOL, NULL;

        /** The word Go's {@code UnmarshalTypeError} uses for a value of this kind. */
        String goWord() {
            switch (this) {
                case OBJECT:
                    return "object";
                case ARRAY:
                    return "array";
                case STRING:
                    return "string";
                case BOOL:
                    return "bool";
                case NUMBER:
                    return "number";
                default:
                    return "null";
            }
        }
    }

    /** A valid JSON value's exact bytes, {@code data[start, end)}. */
    record Raw(byte[] data, int start, int end) {
        Kind kind() {
            switch (data[start]) {
                case '{':
                    return Kind.OBJECT;
                case '[':
                    return Kind.ARRAY;
                case '"':
                    return Kind.STRING;
                case 't':
                case 'f':
                    return Kind.BOOL;
                case 'n':
                    return Kind.NULL;
                default:
                    return Kind.NUMBER;
            }
        }

        /** The raw token as text (what Go's {@code string(token)} holds; invalid UTF-8 shows as U+FFFD). */
        String text() {
            return new String(data, start, end - start, StandardCharsets.UTF_8);
        }

        /** The raw token with every leading and trailing {@code "} removed: {@code bytes.Trim(token, "\"")}. */
        String trimQuotes() {
            int s = start;
            int e = end;
            while (s < e && data[s] == '"') {
                s++;
            }
            while (e > s && data[e - 1] == '"') {
                e--;
            }
            return new String(data, s, e - s, StandardCharsets.UTF_8);
        }

        /** A string token's value, unquoted as Go's {@code unquote} does. */
        String unquoted() {
            return unquote(data, start, end);
        }

        byte[] bytes() {
            byte[] b = new byte[end - start];
            System.arraycopy(data, start, b, 0, b.length);
            return b;
        }
    }

    /** One object member: the key as Go decodes it, the raw key token, and the raw value. */
    record Member(String key, Raw rawKey, Raw value) {
    }

    /** Go's {@code *json.SyntaxError} or {@code *json.UnmarshalTypeError} (or an Unmarshaler's error): the text. */
    static final class GoJsonException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GoJsonException(String goMessage) {
            super(goMessage, null, false, false);
        }
    }

    // ---------------------------------------------------------------- scanner

    /** The whole input as flannel receives it (UTF-8). */
    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Go's {@code checkValid}: throws with Go's {@code SyntaxError} text when the bytes are not exactly one JSON
     * value (surrounded by optional JSON whitespace).
     */
    static void checkValid(byte[] data) {
        Scanner s = new Scanner();
        for (byte b : data) {
            s.step(b & 0xFF);
        }
        s.eof();
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Go's {@code quoteChar}: how the scanner names an offending byte. */
    static String quoteChar(int c) {
        if (c == '\'') {
            return "'\\''";
        }
        if (c == '"') {
            return "'\"'";
        }
        // strconv.Quote(string(rune(c))) without its quotes; a byte >= 0x80 is taken as the rune U+0080..U+00FF.
        StringBuilder sb = new StringBuilder("'");
        switch (c) {
            case 7:
                sb.append("\\a");
                break;
            case '\b':
                sb.append("\\b");
                break;
            case '\f':
                sb.append("\\f");
                break;
            case '\n':
                sb.append("\\n");
                break;
            case '\r':
                sb.append("\\r");
                break;
            case '\t':
                sb.append("\\t");
                break;
            case 11:
                sb.append("\\v");
                break;
            case '\\':
                sb.append("\\\\");
                break;
            default:
                if (c < ' ' || c == 0x7F) {
                    sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
                } else if (c < 0x7F || (c >= 0xA1 && c != 0xAD)) {
                    sb.append((char) c); // printable per Go's strconv.IsPrint
                } else {
                    sb.append(String.format("\\u%04x", c));
                }
        }
        return sb.append('\'').toString();
    }

    /** Go's scanner state machine (encoding/json/scanner.go), one byte at a time. */
    private static final class Scanner {
        private static final int BEGIN_VALUE = 0;
        private static final int BEGIN_VALUE_OR_EMPTY = 1;
        private static final int BEGIN_STRING_OR_EMPTY = 2;
        private static final int BEGIN_STRING = 3;
        private static final int IN_STRING = 4;
        private static final int IN_STRING_ESC = 5;
        private static final int ESC_U = 6;
        private static final int ESC_U1 = 7;
        private static final int ESC_U12 = 8;
        private static final int ESC_U123 = 9;
        private static final int NEG = 10;
        private static final int ZERO = 11;
        private static final int ONE = 12;
        private static final int DOT = 13;
        private static final int DOT0 = 14;
        private static final int E = 15;
        private static final int E_SIGN = 16;
        private static final int E0 = 17;
        private static final int END_VALUE = 18;
        private static final int END_TOP = 19;
        // literal states: index into LITERALS
        private static final int LIT = 100;
        private static final String[] LITERALS = {"true", "false", "null"};

        private static final byte OBJECT_KEY = 0;
        private static final byte OBJECT_VALUE = 1;
        private static final byte ARRAY_VALUE = 2;

        private int state = BEGIN_VALUE;
        private byte[] stack = new byte[16];
        private int depth;
        private boolean endTop;
        // for literal states: which literal and how many of its bytes were seen
        private int literal;
        private int literalPos;

        private void fail(int c, String context) {
            throw new GoJsonException("invalid character " + quoteChar(c) + " " + context);
        }

        private void push(int c, byte parseState) {
            if (depth == stack.length) {
                stack = java.util.Arrays.copyOf(stack, depth * 2);
            }
            stack[depth++] = parseState;
            if (depth > MAX_DEPTH) {
                fail(c, "exceeded max depth");
            }
        }

        private void pop() {
            depth--;
            if (depth == 0) {
                state = END_TOP;
                endTop = true;
            } else {
                state = END_VALUE;
            }
        }

        void eof() {
            if (endTop) {
                return;
            }
            step(' ');
            if (endTop) {
                return;
            }
            throw new GoJsonException("unexpected end of JSON input");
        }

        void step(int c) {
            switch (state) {
                case BEGIN_VALUE_OR_EMPTY:
                    if (isSpace(c)) {
                        return;
                    }
                    if (c == ']') {
                        endValue(c);
                        return;
                    }
                    beginValue(c);
                    return;
                case BEGIN_VALUE:
                    beginValue(c);
                    return;
                case BEGIN_STRING_OR_EMPTY:
                    if (isSpace(c)) {
                        return;
                    }
                    if (c == '}') {
                        stack[depth - 1] = OBJECT_VALUE;
                        endValue(c);
                        return;
                    }
                    beginString(c);
                    return;
                case BEGIN_STRING:
                    beginString(c);
                    return;
                case IN_STRING:
                    if (c == '"') {
                        state = END_VALUE;
                    } else if (c == '\\') {
                        state = IN_STRING_ESC;
                    } else if (c < 0x20) {
                        fail(c, "in string literal");
                    }
                    return;
                case IN_STRING_ESC:
                    switch (c) {
                        case 'b':
                        case 'f':
                        case 'n':
                        case 'r':
                        case 't':
                        case '\\':
                        case '/':
                        case '"':
                            state = IN_STRING;
                            return;
                        case 'u':
                            state = ESC_U;
                            return;
                        default:
                            fail(c, "in string escape code");
                            return;
                    }
                case ESC_U:
                case ESC_U1:
                case ESC_U12:
                case ESC_U123:
                    if (!isHex(c)) {
                        fail(c, "in \\u hexadecimal character escape");
                    }
                    state = state == ESC_U123 ? IN_STRING : state + 1;
                    return;
                case NEG:
                    if (c == '0') {
                        state = ZERO;
                    } else if (c >= '1' && c <= '9') {
                        state = ONE;
                    } else {
                        fail(c, "in numeric literal");
                    }
                    return;
                case ONE:
                    if (c >= '0' && c <= '9') {
                        return;
                    }
                    zero(c);
                    return;
                case ZERO:
                    zero(c);
                    return;
                case DOT:
                    if (c >= '0' && c <= '9') {
                        state = DOT0;
                        return;
                    }
                    fail(c, "after decimal point in numeric literal");
                    return;
                case DOT0:
                    if (c >= '0' && c <= '9') {
                        return;
                    }
                    if (c == 'e' || c == 'E') {
                        state = E;
                        return;
                    }
                    endValue(c);
                    return;
                case E:
                    if (c == '+' || c == '-') {
                        state = E_SIGN;
                        return;
                    }
                    eSign(c);
                    return;
                case E_SIGN:
                    eSign(c);
                    return;
                case E0:
                    if (c >= '0' && c <= '9') {
                        return;
                    }
                    endValue(c);
                    return;
                case END_VALUE:
                    endValue(c);
                    return;
                case END_TOP:
                    if (!isSpace(c)) {
                        fail(c, "after top-level value");
                    }
                    return;
                case LIT: {
                    String lit = LITERALS[literal];
                    char want = lit.charAt(literalPos);
                    if (c != want) {
                        fail(c, "in literal " + lit + " (expecting '" + want + "')");
                    }
                    literalPos++;
                    if (literalPos == lit.length()) {
                        state = END_VALUE;
                    }
                    return;
                }
                default:
                    throw new IllegalStateException("scanner state " + state);
            }
        }

        private void zero(int c) {
            if (c == '.') {
                state = DOT;
            } else if (c == 'e' || c == 'E') {
                state = E;
            } else {
                endValue(c);
            }
        }

        private void eSign(int c) {
            if (c >= '0' && c <= '9') {
                state = E0;
                return;
            }
            fail(c, "in exponent of numeric literal");
        }

        private void beginString(int c) {
            if (isSpace(c)) {
                state = BEGIN_STRING;
                return;
            }
            if (c == '"') {
                state = IN_STRING;
                return;
            }
            fail(c, "looking for beginning of object key string");
        }

        private void beginValue(int c) {
            if (isSpace(c)) {
                state = BEGIN_VALUE;
                return;
            }
            switch (c) {
                case '{':
                    state = BEGIN_STRING_OR_EMPTY;
                    push(c, OBJECT_KEY);
                    return;
                case '[':
                    state = BEGIN_VALUE_OR_EMPTY;
                    push(c, ARRAY_VALUE);
                    return;
                case '"':
                    state = IN_STRING;
                    return;
                case '-':
                    state = NEG;
                    return;
                case '0':
                    state = ZERO;
                    return;
                case 't':
                    startLiteral(0);
                    return;
                case 'f':
                    startLiteral(1);
                    return;
                case 'n':
                    startLiteral(2);
                    return;
                default:
                    if (c >= '1' && c <= '9') {
                        state = ONE;
                        return;
                    }
                    fail(c, "looking for beginning of value");
            }
        }

        private void startLiteral(int which) {
            state = LIT;
            literal = which;
            literalPos = 1;
        }

        private void endValue(int c) {
            if (depth == 0) {
                state = END_TOP;
                endTop = true;
                step(c);
                return;
            }
            if (isSpace(c)) {
                state = END_VALUE;
                return;
            }
            byte ps = stack[depth - 1];
            if (ps == OBJECT_KEY) {
                if (c == ':') {
                    stack[depth - 1] = OBJECT_VALUE;
                    state = BEGIN_VALUE;
                    return;
                }
                fail(c, "after object key");
            } else if (ps == OBJECT_VALUE) {
                if (c == ',') {
                    stack[depth - 1] = OBJECT_KEY;
                    state = BEGIN_STRING;
                    return;
                }
                if (c == '}') {
                    pop();
                    return;
                }
                fail(c, "after object key:value pair");
            } else {
                if (c == ',') {
                    state = BEGIN_VALUE;
                    return;
                }
                if (c == ']') {
                    pop();
                    return;
                }
                fail(c, "after array element");
            }
        }
    }

    // ---------------------------------------------------------------- walking valid JSON

    /** The index of the first non-whitespace byte at or after {@code i}. */
    static int skipSpace(byte[] d, int i) {
        while (i < d.length && isSpace(d[i])) {
            i++;
        }
        return i;
    }

    /** The single top-level value of input that passed {@link #checkValid}. */
    static Raw topLevel(byte[] d) {
        int s = skipSpace(d, 0);
        return new Raw(d, s, skipValue(d, s));
    }

    /** The index just past the valid value that starts at {@code i}; iterative, so any depth is fine. */
    static int skipValue(byte[] d, int i) {
        int depth = 0;
        do {
            byte c = d[i];
            if (c == '"') {
                i = skipString(d, i);
            } else if (c == '{' || c == '[') {
                depth++;
                i++;
            } else if (c == '}' || c == ']') {
                depth--;
                i++;
            } else if (c == ',' || c == ':' || isSpace(c)) {
                i++;
            } else {
                while (i < d.length && !isDelimiter(d[i])) {
                    i++;
                }
            }
        } while (depth > 0);
        return i;
    }

    private static boolean isDelimiter(byte c) {
        return c == ',' || c == '}' || c == ']' || c == ':' || isSpace(c);
    }

    private static int skipString(byte[] d, int i) {
        i++;
        while (d[i] != '"') {
            i += d[i] == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    /** The members of the valid object that starts at {@code obj.start()}, in order (duplicates kept). */
    static List<Member> members(Raw obj) {
        byte[] d = obj.data();
        List<Member> out = new ArrayList<>();
        int i = skipSpace(d, obj.start() + 1);
        if (d[i] == '}') {
            return out;
        }
        while (true) {
            int ks = i;
            int ke = skipString(d, i);
            Raw key = new Raw(d, ks, ke);
            i = skipSpace(d, ke) + 1; // ':'
            int vs = skipSpace(d, i);
            int ve = skipValue(d, vs);
            out.add(new Member(key.unquoted(), key, new Raw(d, vs, ve)));
            i = skipSpace(d, ve);
            if (d[i] == '}') {
                return out;
            }
            i = skipSpace(d, i + 1); // ','
        }
    }

    // ---------------------------------------------------------------- strings

    /**
     * Go's {@code unquote} of a valid string token {@code d[start, end)}: escapes decoded, an unpaired surrogate
     * escape and every invalid UTF-8 byte become U+FFFD.
     */
    static String unquote(byte[] d, int start, int end) {
        StringBuilder sb = new StringBuilder(end - start);
        int i = start + 1;
        int stop = end - 1;
        while (i < stop) {
            int c = d[i] & 0xFF;
            if (c == '\\') {
                int e = d[i + 1];
                switch (e) {
                    case 'b':
                        sb.append('\b');
                        break;
                    case 'f':
                        sb.append('\f');
                        break;
                    case 'n':
                        sb.append('\n');
                        break;
                    case 'r':
                        sb.append('\r');
                        break;
                    case 't':
                        sb.append('\t');
                        break;
                    case 'u': {
                        int r = hex4(d, i + 2);
                        i += 6;
                        if (r >= 0xD800 && r < 0xE000) {
                            if (r < 0xDC00 && i + 6 <= stop && d[i] == '\\' && d[i + 1] == 'u') {
                                int r2 = hex4(d, i + 2);
                                if (r2 >= 0xDC00 && r2 < 0xE000) {
                                    sb.append((char) r).append((char) r2);
                                    i += 6;
                                    continue;
                                }
                            }
                            sb.append('\uFFFD');
                        } else {
                            sb.append((char) r);
                        }
                        continue;
                    }
                    default: // '"', '\\', '/'
                        sb.append((char) e);
                }
                i += 2;
            } else if (c < 0x80) {
                sb.append((char) c);
                i++;
            } else {
                int[] rn = decodeRune(d, i, stop);
                sb.appendCodePoint(rn[0]);
                i += rn[1];
            }
        }
        return sb.toString();
    }

    private static int hex4(byte[] d, int i) {
        return Integer.parseInt(new String(d, i, 4, StandardCharsets.US_ASCII), 16);
    }

    /** Go's {@code utf8.DecodeRune}: {rune, size}; anything not shortest-form valid UTF-8 is (U+FFFD, 1). */
    static int[] decodeRune(byte[] d, int i, int end) {
        int b0 = d[i] & 0xFF;
        int need;
        int min;
        int r;
        if (b0 < 0x80) {
            return new int[] {b0, 1};
        } else if (b0 >= 0xC2 && b0 <= 0xDF) {
            need = 1;
            min = 0x80;
            r = b0 & 0x1F;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            need = 2;
            min = 0x800;
            r = b0 & 0x0F;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            need = 3;
            min = 0x10000;
            r = b0 & 0x07;
        } else {
            return new int[] {0xFFFD, 1};
        }
        for (int k = 1; k <= need; k++) {
            if (i + k >= end) {
                return new int[] {0xFFFD, 1};
            }
            int b = d[i + k] & 0xFF;
            if ((b & 0xC0) != 0x80) {
                return new int[] {0xFFFD, 1};
            }
            r = (r << 6) | (b & 0x3F);
        }
        if (r < min || r > 0x10FFFF || (r >= 0xD800 && r < 0xE000)) {
            return new int[] {0xFFFD, 1};
        }
        return new int[] {r, need + 1};
    }

    /**
     * Whether a decoded key selects the field with the given (ASCII) name: exactly, or under Go's
     * {@code foldName} (ASCII case folding plus Unicode simple folding; the only non-ASCII code points that fold
     * onto ASCII letters are U+212A KELVIN SIGN, onto K, and U+017F LATIN SMALL LETTER LONG S, onto S).
     */
    static boolean foldEquals(String key, String asciiName) {
        int n = asciiName.length();
        int i = 0;
        int k = 0;
        while (i < key.length()) {
            if (k >= n) {
                return false;
            }
            int cp = key.codePointAt(i);
            i += Character.charCount(cp);
            int f;
            if (cp < 0x80) {
                f = cp >= 'a' && cp <= 'z' ? cp - 32 : cp;
            } else if (cp == 0x212A) {
                f = 'K';
            } else if (cp == 0x017F) {
                f = 'S';
            } else {
                return false;
            }
            int want = asciiName.charAt(k++);
            if (want >= 'a' && want <= 'z') {
                want -= 32;
            }
            if (f != want) {
                return false;
            }
        }
        return k == n;
    }

    /** Go's field lookup: an exact name first, else the first field whose name folds equal; null if none. */
    static String field(String key, List<String> names) {
        for (String n : names) {
            if (n.equals(key)) {
                return n;
            }
        }
        for (String n : names) {
            if (foldEquals(key, n)) {
                return n;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- struct decoding

    /**
     * Decoding into one Go struct value: Go saves the first {@code UnmarshalTypeError}, keeps going, and reports it
     * at the end; an {@code UnmarshalJSON} error (an address field) stops decoding at once.
     */
    static final class Struct {
        private final String structName;
        private final String goTypeForTopLevel;
        private GoJsonException saved;

        /**
         * @param structName the struct type's name as Go's {@code reflect.Type.Name()} gives it ("" when anonymous)
         * @param goType the struct type as Go prints it, for a non-object top-level value
         */
        Struct(String structName, String goType) {
            this.structName = structName;
            this.goTypeForTopLevel = goType;
        }

        /** The members of the top-level value, or null after a type error (non-object) or for {@code null}. */
        List<Member> open(Raw top) {
            Kind k = top.kind();
            if (k == Kind.OBJECT) {
                return members(top);
            }
            if (k != Kind.NULL) {
                save(new GoJsonException("json: cannot unmarshal " + k.goWord() + " into Go value of type "
                        + goTypeForTopLevel));
            }
            return null;
        }

        private void save(GoJsonException e) {
            if (saved == null) {
                saved = e;
            }
        }

        void typeError(String value, String field, String goType) {
            save(new GoJsonException("json: cannot unmarshal " + value + " into Go struct field " + structName + "."
                    + field + " of type " + goType));
        }

        /** Throws the first saved type error, as Go's {@code Unmarshal} returns it at the end. */
        void finish() {
            if (saved != null) {
                throw saved;
            }
        }

        /** A Go {@code bool}; null when nothing was stored (JSON null, or a saved type error). */
        Boolean bool(Raw v, String field) {
            Kind k = v.kind();
            if (k == Kind.BOOL) {
                return v.data()[v.start()] == 't';
            }
            if (k != Kind.NULL) {
                typeError(k.goWord(), field, "bool");
            }
            return null;
        }

        /** A Go {@code uint}/{@code uint64} (64-bit), as an unsigned long; null when nothing was stored. */
        Long uint64(Raw v, String field, String goType) {
            Kind k = v.kind();
            if (k == Kind.NUMBER) {
                String s = v.text();
                try {
                    if (s.startsWith("-") || s.startsWith("+")) {
                        throw new NumberFormatException(s);
                    }
                    return Long.parseUnsignedLong(s);
                } catch (NumberFormatException e) {
                    typeError("number " + s, field, goType);
                    return null;
                }
            }
            if (k != Kind.NULL) {
                typeError(k.goWord(), field, goType);
            }
            return null;
        }

        /** A Go signed integer of the given bit size; null when nothing was stored. */
        Long int64(Raw v, String field, String goType, int bits) {
            Kind k = v.kind();
            if (k == Kind.NUMBER) {
                String s = v.text();
                try {
                    long n = Long.parseLong(s);
                    if (bits < 64 && (n < -(1L << (bits - 1)) || n >= (1L << (bits - 1)))) {
                        throw new NumberFormatException(s);
                    }
                    return n;
                } catch (NumberFormatException e) {
                    typeError("number " + s, field, goType);
                    return null;
                }
            }
            if (k != Kind.NULL) {
                typeError(k.goWord(), field, goType);
            }
            return null;
        }

        /** A Go {@code string}; null when nothing was stored. */
        String string(Raw v, String field) {
            return string(v, field, "string");
        }

        /** A Go type of kind string, named {@code goType} in errors; null when nothing was stored. */
        String string(Raw v, String field, String goType) {
            Kind k = v.kind();
            if (k == Kind.STRING) {
                return v.unquoted();
            }
            if (k != Kind.NULL) {
                typeError(k.goWord(), field, goType);
            }
            return null;
        }
    }
}
