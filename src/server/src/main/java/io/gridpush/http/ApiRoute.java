package io.gridpush.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one home of the HTTP API's paths, under {@value #ROOT}:
 * {@code /caches/{cache}/keys} (a page), {@code /caches/{cache}/keys/{key}} (an entry),
 * {@code /caches/{cache}/keys/{key}/events} and {@code /caches/{cache}/events} (Server-Sent Events),
 * {@code /caches/{cache}/batch} (several writes) and {@code /openapi.json}.
 *
 * <p>Each segment is percent-decoded on its own, from the raw request path, so that a key may hold
 * {@code /} ({@code %2F}), {@code %} ({@code %25}) or any UTF-8 text; {@code +} is a plus, not a space.</p>
 */
record ApiRoute(Kind kind, String cache, String key) {
    static final String ROOT = "/api/v1";
    static final String OPENAPI = "openapi.json";

    enum Kind { OPENAPI, PAGE, ENTRY, KEY_EVENTS, CACHE_EVENTS, BATCH }

    /**
     * The route of a raw path below {@link #ROOT} (e.g. {@code /caches/scores/keys/match%2F1}), or null when
     * there is none; throws {@link IllegalArgumentException} for a segment that is not percent-encoded UTF-8.
     */
    static ApiRoute parse(String rawPath) {
        List<String> parts = new ArrayList<>();
        for (String raw : rawPath.split("/", -1)) {
            String part = decode(raw);
            if (part == null) {
                throw new IllegalArgumentException("the path segment '" + raw + "' is not percent-encoded UTF-8");
            }
            parts.add(part);
        }
        // A leading "/" gives an empty first part.
        if (parts.size() < 2 || !parts.get(0).isEmpty()) {
            return null;
        }
        List<String> p = parts.subList(1, parts.size());
        if (p.size() == 1 && p.get(0).equals(OPENAPI)) {
            return new ApiRoute(Kind.OPENAPI, null, null);
        }
        if (p.size() < 3 || !p.get(0).equals("caches") || p.get(1).isEmpty()) {
            return null;
        }
        String cache = p.get(1);
        if (p.size() == 3) {
            return switch (p.get(2)) {
                case "keys" -> new ApiRoute(Kind.PAGE, cache, null);
                case "events" -> new ApiRoute(Kind.CACHE_EVENTS, cache, null);
                case "batch" -> new ApiRoute(Kind.BATCH, cache, null);
                default -> null;
            };
        }
        if (p.get(2).equals("keys") && p.size() == 4) {
            return new ApiRoute(Kind.ENTRY, cache, p.get(3));
        }
        if (p.get(2).equals("keys") && p.size() == 5 && p.get(4).equals("events")) {
            return new ApiRoute(Kind.KEY_EVENTS, cache, p.get(3));
        }
        return null;
    }

    /** Percent-decodes one segment as UTF-8; null when it is not valid (a bad escape, a raw non-ASCII character, bytes that are not UTF-8). */
    static String decode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); ++i) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                // A URI is ASCII (RFC 3986): other text must be percent-encoded UTF-8.
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException x) {
            return null;
        }
    }
}
