package io.gridpush.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one home of the key rules of the wire contract: what a valid key is, and how a key is
 * carried as exactly one channel segment ("Keys in channel names" in the protocol).
 *
 * <p>Decoding accepts only the canonical form, so every key has exactly one channel and no
 * client can reach a key (or a wildcard) through an alternative spelling.</p>
 */
public final class KeySegments {
    /** The longest key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 256;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private KeySegments() {
    }

    /** Returns the canonical segment of {@code key}, or throws {@link IllegalArgumentException} for an invalid key. */
    public static String encode(String key) {
        byte[] bytes = utf8(key);
        StringBuilder segment = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (isLiteral(c)) {
                segment.append((char)c);
            } else {
                segment.append('$').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return segment.toString();
    }

    /** Returns the key of a canonical segment, or throws {@link IllegalArgumentException} naming what is wrong. */
    public static String decode(String segment) {
        if (segment.isEmpty()) {
            throw new IllegalArgumentException("empty key segment");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); ++i) {
            char c = segment.charAt(i);
            if (c == '$') {
                if (i + 2 >= segment.length()) {
                    throw new IllegalArgumentException("truncated escape at " + i);
                }
                int b = (hex(segment.charAt(i + 1)) << 4) | hex(segment.charAt(i + 2));
                if (isLiteral(b)) {
                    throw new IllegalArgumentException("escape of literal byte at " + i + " is not canonical");
                }
                bytes.write(b);
                i += 2;
            } else if (c < 0x80 && isLiteral(c)) {
                bytes.write(c);
            } else {
                throw new IllegalArgumentException("character '" + c + "' at " + i + " must be escaped");
            }
        }
        String key;
        try {
            key = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes.toByteArray()))
                .toString();
        } catch (CharacterCodingException x) {
            throw new IllegalArgumentException("escaped bytes are not valid UTF-8");
        }
        validate(key);
        return key;
    }

    /** Throws {@link IllegalArgumentException} unless {@code key} is a valid key. */
    public static void validate(String key) {
        utf8(key);
    }

    private static byte[] utf8(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must be a non-empty string");
        }
        ByteBuffer encoded;
        try {
            // REPORT rejects lone surrogates, which getBytes() would silently turn into '?'.
            encoded = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .encode(CharBuffer.wrap(key));
        } catch (CharacterCodingException x) {
            throw new IllegalArgumentException("key is not valid Unicode");
        }
        if (encoded.remaining() > MAX_KEY_BYTES) {
            throw new KeyTooLongException(encoded.remaining());
        }
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return bytes;
    }

    private static boolean isLiteral(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '.' || c == '_' || c == '~' || c == '!' || c == '(' || c == ')' || c == '@' || c == '+';
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        throw new IllegalArgumentException("'" + c + "' is not an uppercase hexadecimal digit");
    }

    /** A key over {@link #MAX_KEY_BYTES}: the contract answers {@code too_large} rather than {@code bad_request}. */
    public static final class KeyTooLongException extends IllegalArgumentException {
        public KeyTooLongException(int bytes) {
            super("key is " + bytes + " UTF-8 bytes, over the limit of " + MAX_KEY_BYTES);
        }
    }
}
