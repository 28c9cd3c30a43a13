package io.gridpush.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A key pattern of a per-key rule: literal text, {@code *} for any run of characters (also none), and
 * {@code {sub}} for the caller's identity, matched literally. {@code user:{sub}:*} matches every key of
 * the identity {@code alice} that starts with {@code user:alice:}; an identity named {@code *} matches only
 * the text {@code *}, never every key. Immutable and thread-safe.
 *
 * <p>A pattern cannot tell {@code alice} followed by {@code :x} from an identity {@code alice:x}: put the
 * {@code {sub}} before a separator that identities do not contain (JWT {@code sub} values and the configured
 * token identities are checked by the operator, not here).</p>
 */
public final class KeyPattern {
    /** The placeholder for the caller's identity. */
    public static final String SUBJECT = "{sub}";
    private static final int MAX_LENGTH = 512;
    private final String text;
    private final List<Object> parts;

    private KeyPattern(String text, List<Object> parts) {
        this.text = text;
        this.parts = parts;
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} with a plain reason when it is not a pattern. */
    public static KeyPattern parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a key pattern has 1 to " + MAX_LENGTH + " characters");
        }
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < text.length();) {
            if (text.startsWith(SUBJECT, i)) {
                flush(literal, parts);
                parts.add(Part.SUBJECT);
                i += SUBJECT.length();
            } else if (text.charAt(i) == '*') {
                flush(literal, parts);
                if (parts.isEmpty() || parts.get(parts.size() - 1) != Part.ANY) {
                    parts.add(Part.ANY);
                }
                ++i;
            } else if (text.charAt(i) == '{' || text.charAt(i) == '}') {
                throw new IllegalArgumentException("'" + text + "' has a brace outside " + SUBJECT + ", the only placeholder");
            } else {
                literal.append(text.charAt(i++));
            }
        }
        flush(literal, parts);
        return new KeyPattern(text, List.copyOf(parts));
    }

    private static void flush(StringBuilder literal, List<Object> parts) {
        if (!literal.isEmpty()) {
            parts.add(literal.toString());
            literal.setLength(0);
        }
    }

    /** Whether {@code key} matches for the caller {@code identity}. */
    public boolean matches(String key, String identity) {
        return match(key, 0, 0, identity);
    }


    // Glob matching with backtracking over '*'; patterns are short and hold few stars, so the cost is
    // about one pass over the key for the patterns this is meant for.
    private boolean match(String key, int at, int part, String identity) {
        if (part == parts.size()) {
            return at == key.length();
        }
        Object p = parts.get(part);
        if (p == Part.ANY) {
            if (part == parts.size() - 1) {
                return true;
            }
            for (int from = at; from <= key.length(); ++from) {
                if (match(key, from, part + 1, identity)) {
                    return true;
                }
            }
            return false;
        }
        String literal = p == Part.SUBJECT ? identity : (String)p;
        return key.startsWith(literal, at) && match(key, at + literal.length(), part + 1, identity);
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyPattern that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    private enum Part { SUBJECT, ANY }
}
