package io.gridpush.protocol;

import java.util.Locale;

/** The error codes of the contract, the one place they are named. */
public enum ErrorCode {
    BAD_REQUEST, UNKNOWN_CACHE, FORBIDDEN, TOO_LARGE, RATE_LIMITED, UNAVAILABLE, INTERNAL;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The code as it appears in an error reply's {@code error} field. */
    public String wire() {
        return wire;
    }

    /** Maps a wire code back; unknown codes (from a newer server) become {@link #INTERNAL}. */
    public static ErrorCode fromWire(Object code) {
        for (ErrorCode value : values()) {
            if (value.wire.equals(code)) {
                return value;
            }
        }
        return INTERNAL;
    }
}
