package io.gridpush.cache;

import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.GridpushException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.ajax.JSON;

/**
 * The one home of value rules: a value is any JSON value but {@code null}, kept as its JSON text,
 * at most {@code limits.valueBytes} UTF-8 bytes.
 *
 * <p>Values are stored and pushed as text: an event carries the stored text as a
 * {@link JSON.Literal}, so CometD writes it into the message verbatim instead of parsing and
 * re-generating it for every event.</p>
 */
public final class JsonValues {
    /** Deeper values are refused: nothing a cache of scores or prices needs, and recursion stays bounded. */
    public static final int MAX_DEPTH = 64;
    private static final JSON JSON_TEXT = new JSON();
    private final int maxBytes;

    public JsonValues(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Validates a value parsed from JSON (maps, lists, strings, numbers, booleans) and returns its JSON text.
     * Numbers are kept exactly or refused: integers up to 64 bits, and decimals a double holds exactly.
     */
    public String toJson(Object value) {
        if (value == null) {
            throw GridpushException.badRequest("value must not be null: remove the key instead");
        }
        check(value, 0);
        String json = JSON_TEXT.toJSON(value);
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw new GridpushException(ErrorCode.TOO_LARGE, "value is " + bytes + " bytes of JSON, over the limit of " + maxBytes);
        }
        return json;
    }

    /** The stored JSON text as an object that CometD's JSON generator writes verbatim. */
    public static Object literal(String json) {
        return new JSON.Literal(json);
    }

    /** Parses stored JSON text back into maps, arrays and scalars, for Java code that embeds gridpush. */
    public static Object parse(String json) {
        return JSON_TEXT.fromJSON(json);
    }

    /**
     * A string must be Unicode: a lone surrogate (which JSON's \\u escapes can spell) has no UTF-8 form
     * and would be stored as "?", so a value holding one is refused rather than changed.
     */
    public static void checkText(String text) {
        for (int i = 0; i < text.length(); ++i) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                ++i;
            } else if (Character.isSurrogate(c)) {
                throw GridpushException.badRequest("a string holds a lone surrogate (\\u" + Integer.toHexString(c) + "), which is not Unicode");
            }
        }
    }

    private static String shorten(Number number) {
        String text = number.toString();
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    private static void check(Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw GridpushException.badRequest("value is nested deeper than " + MAX_DEPTH + " levels");
        }
        if (value == null || value instanceof Boolean || value instanceof Long ||
            value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return;
        }
        if (value instanceof String text) {
            checkText(text);
            return;
        }
        if (value instanceof BigInteger big) {
            if (big.bitLength() >= 64) {
                throw GridpushException.badRequest("value holds an integer beyond 64 bits, which cannot be kept exactly: " + shorten(big));
            }
            return;
        }
        if (value instanceof BigDecimal decimal) {
            double d = decimal.doubleValue();
            if (!Double.isFinite(d) || new BigDecimal(Double.toString(d)).compareTo(decimal) != 0) {
                throw GridpushException.badRequest("value holds a number that a double cannot hold exactly: " + shorten(decimal));
            }
            return;
        }
        if (value instanceof Double || value instanceof Float) {
            if (!Double.isFinite(((Number)value).doubleValue())) {
                throw GridpushException.badRequest("value holds a number JSON cannot represent: " + value);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String name)) {
                    throw GridpushException.badRequest("object keys must be strings");
                }
                checkText(name);
                check(entry.getValue(), depth + 1);
            }
            return;
        }
        if (value instanceof List<?> list) {
            for (Object item : list) {
                check(item, depth + 1);
            }
            return;
        }
        throw GridpushException.badRequest("value of type " + value.getClass().getSimpleName() + " is not JSON");
    }
}
