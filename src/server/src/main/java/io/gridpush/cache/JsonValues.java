package io.gridpush.cache;

import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.GridpushException;
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

    /** Validates a value parsed from JSON (maps, lists or arrays, strings, numbers, booleans) and returns its JSON text. */
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

    private static void check(Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw GridpushException.badRequest("value is nested deeper than " + MAX_DEPTH + " levels");
        }
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long ||
            value instanceof Integer || value instanceof Short || value instanceof Byte ||
            value instanceof java.math.BigInteger || value instanceof java.math.BigDecimal) {
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
                if (!(entry.getKey() instanceof String)) {
                    throw GridpushException.badRequest("object keys must be strings");
                }
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
        if (value instanceof Object[] array) {
            for (Object item : array) {
                check(item, depth + 1);
            }
            return;
        }
        throw GridpushException.badRequest("value of type " + value.getClass().getSimpleName() + " is not JSON");
    }
}
