package io.gridpush.http;

/** The one home of the HTTP API's entity tags: an entry's version in quotes ({@code "12"}), compared strongly. */
final class ETags {
    private ETags() {
    }

    static String of(long version) {
        return "\"" + version + "\"";
    }

    /** The version one entity tag names ({@code "12"}, {@code W/"12"}, or a bare 12), or null when it names none. */
    static Long parse(String tag) {
        String text = tag.trim();
        if (text.startsWith("W/")) {
            text = text.substring(2);
        }
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(Character::isDigit)) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException x) {
            return null;
        }
    }

    /** Whether an {@code If-None-Match} list ({@code *}, or tags separated by commas) names {@code version}. */
    static boolean matchesAny(String list, long version) {
        for (String tag : list.split(",")) {
            Long named = tag.trim().equals("*") ? Long.valueOf(version) : parse(tag);
            if (named != null && named == version) {
                return true;
            }
        }
        return false;
    }
}
