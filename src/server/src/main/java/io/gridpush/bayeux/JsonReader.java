package io.gridpush.bayeux;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one parser of incoming JSON, for both transports, so that they cannot disagree on what a message
 * holds. Jetty's parsers silently wrap integers past 64 bits and give arrays as {@code Object[]} on one
 * transport and {@code List} on the other; this one gives:
 * objects as {@link LinkedHashMap} (field order kept, duplicate fields refused), arrays as {@link List},
 * integers as {@link Long} (or {@link BigInteger} past 64 bits), other numbers as {@link Double} when the
 * double reads back as the same number (else {@link BigDecimal}), and strings as written, lone surrogates
 * included: whoever stores a value decides what it may hold ({@code JsonValues}).
 *
 * <p>Iterative, so nesting costs heap, not stack, and is bounded by {@code maxDepth}. Not thread-safe;
 * one instance per text.</p>
 */
public final class JsonReader {
    /** Past this exponent no double is exact (or finite), so the comparison need not be made. */
    private static final int MAX_EXACT_EXPONENT = 400;
    private final String text;
    private final int maxDepth;
    private int pos;

    private JsonReader(String text, int maxDepth) {
        this.text = text;
        this.maxDepth = maxDepth;
    }

    /** Parses one JSON text; throws {@link BadJson} with a plain reason for anything else. */
    public static Object parse(String text, int maxDepth) {
        return new JsonReader(text, maxDepth).document();
    }

    /** Unparseable or refused JSON; the message is plain text, fit for the wire. */
    public static final class BadJson extends IllegalArgumentException {
        BadJson(String reason) {
            super(reason);
        }
    }

    private Object document() {
        List<Object> open = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        while (true) {
            Object value;
            skipSpace();
            char c = peek();
            if (c == '{' || c == '[') {
                ++pos;
                skipSpace();
                boolean object = c == '{';
                if (peek() == (object ? '}' : ']')) {
                    ++pos;
                    value = object ? new LinkedHashMap<String, Object>() : new ArrayList<>();
                } else {
                    if (open.size() >= maxDepth) {
                        throw new BadJson("JSON nested deeper than " + maxDepth + " levels");
                    }
                    open.add(object ? new LinkedHashMap<String, Object>() : new ArrayList<>());
                    keys.add(object ? key() : null);
                    continue;
                }
            } else {
                value = scalar(c);
            }
            // A value is complete: add it to its container, then close every container that ends here.
            while (true) {
                if (open.isEmpty()) {
                    skipSpace();
                    if (pos != text.length()) {
                        throw bad("unexpected text after the JSON value");
                    }
                    return value;
                }
                int top = open.size() - 1;
                add(open.get(top), keys.get(top), value);
                skipSpace();
                char next = next();
                boolean object = open.get(top) instanceof Map;
                if (next == ',') {
                    keys.set(top, object ? key() : null);
                    break;
                }
                if (next != (object ? '}' : ']')) {
                    throw bad(object ? "expected , or }" : "expected , or ]");
                }
                value = open.remove(top);
                keys.remove(top);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void add(Object container, String key, Object value) {
        if (container instanceof List<?> list) {
            ((List<Object>)list).add(value);
            return;
        }
        Map<String, Object> map = (Map<String, Object>)container;
        // Two "channel" (or "key") fields would mean one thing to us and another to whoever reads it next.
        if (map.containsKey(key)) {
            throw bad("duplicate field \"" + key + "\"");
        }
        map.put(key, value);
    }

    private String key() {
        skipSpace();
        if (next() != '"') {
            throw bad("expected a field name in double quotes");
        }
        String key = string();
        skipSpace();
        if (next() != ':') {
            throw bad("expected : after a field name");
        }
        return key;
    }

    private Object scalar(char c) {
        if (c == '"') {
            ++pos;
            return string();
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        if (text.startsWith("true", pos)) {
            pos += 4;
            return Boolean.TRUE;
        }
        if (text.startsWith("false", pos)) {
            pos += 5;
            return Boolean.FALSE;
        }
        if (text.startsWith("null", pos)) {
            pos += 4;
            return null;
        }
        throw bad("expected a JSON value");
    }

    private String string() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                return text.substring(start, pos++);
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
            ++pos;
        }
        StringBuilder out = new StringBuilder(text.substring(start, pos));
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw bad("control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(hex4());
                default -> throw bad("bad escape \\" + e);
            }
        }
    }

    private char hex4() {
        if (pos + 4 > text.length()) {
            throw bad("truncated \\u escape");
        }
        int value = 0;
        for (int i = 0; i < 4; ++i) {
            int digit = Character.digit(text.charAt(pos++), 16);
            if (digit < 0) {
                throw bad("bad \\u escape");
            }
            value = value * 16 + digit;
        }
        return (char)value;
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            ++pos;
        }
        int digits = digits();
        if (digits == 0 || (digits > 1 && text.charAt(pos - digits) == '0')) {
            throw bad("bad number");
        }
        boolean integer = true;
        if (pos < text.length() && text.charAt(pos) == '.') {
            ++pos;
            integer = false;
            if (digits() == 0) {
                throw bad("bad number");
            }
        }
        int exponent = 0;
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            ++pos;
            integer = false;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                ++pos;
            }
            int expStart = pos;
            if (digits() == 0) {
                throw bad("bad number");
            }
            exponent = pos - expStart > 6 ? Integer.MAX_VALUE : Math.abs(Integer.parseInt(text.substring(expStart, pos)));
        }
        String token = text.substring(start, pos);
        if (integer) {
            if (digits <= 18) {
                return Long.parseLong(token);
            }
            BigInteger big = new BigInteger(token);
            return big.bitLength() < 64 ? (Object)big.longValue() : big;
        }
        double d = Double.parseDouble(token);
        if (Double.isFinite(d) && exponent <= MAX_EXACT_EXPONENT
            && new BigDecimal(Double.toString(d)).compareTo(new BigDecimal(token)) == 0) {
            return d;
        }
        try {
            return new BigDecimal(token);
        } catch (NumberFormatException x) {
            throw bad("number out of range");
        }
    }

    private int digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            ++pos;
        }
        return pos - start;
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            ++pos;
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw bad("unexpected end of JSON");
        }
        return text.charAt(pos);
    }

    private char next() {
        char c = peek();
        ++pos;
        return c;
    }

    private BadJson bad(String reason) {
        return new BadJson("malformed JSON at character " + pos + ": " + reason);
    }
}
