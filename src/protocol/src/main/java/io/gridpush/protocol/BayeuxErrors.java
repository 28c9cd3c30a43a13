package io.gridpush.protocol;

/**
 * The one home of the contract's Bayeux-level errors: the {@code error} field of a refused
 * {@code /meta/handshake}, {@code /meta/subscribe} or publish ({@code "code::reason"}), and how a client
 * reads one back as an {@link ErrorCode}.
 */
public final class BayeuxErrors {
    /** A malformed name under {@code /cache/} on {@code /meta/subscribe}. */
    public static final String BAD_CHANNEL = "400::bad_channel";
    /** Any other refused subscription: wider wildcards, unknown caches, no {@code read} right, channels outside {@code /cache/}. */
    public static final String SUBSCRIBE_DENIED = "403::subscribe_denied";
    /** A client's publish anywhere but {@code /service/**}. */
    public static final String PUBLISH_DENIED = "403::publish_denied";
    /** A refused handshake (bad or missing token, no anonymous access, too many sessions); sent with advice {@code reconnect: none}. */
    public static final String HANDSHAKE_DENIED = "403::handshake_denied";
    /**
     * A handshake whose token verifies but has expired (its {@code exp} plus the allowed clock skew is past);
     * sent with advice {@code reconnect: none}: a client that can get a fresh token handshakes again with it,
     * one that cannot must not retry with the same token.
     */
    public static final String HANDSHAKE_TOKEN_EXPIRED = "403::token_expired";
    /**
     * Any message of a live session whose token has expired since its handshake. On {@code /meta/connect} it
     * comes with advice {@code reconnect: handshake}, so CometD clients handshake again (our clients with a
     * fresh token from their token provider); nothing the message asked for was done.
     */
    public static final String TOKEN_EXPIRED = "401::token_expired";

    private BayeuxErrors() {
    }

    /**
     * What a Bayeux error means to a caller: {@code 400::...} is {@link ErrorCode#BAD_REQUEST}, {@code 403::...}
     * {@link ErrorCode#FORBIDDEN} (both final: asking again gives the same answer); anything else, such as
     * {@code 402::session_unknown}, {@code 401::token_expired} (nothing was done; retry once re-authenticated),
     * a transport failure or no error at all, is {@link ErrorCode#UNAVAILABLE},
     * safe to retry once connected.
     */
    public static ErrorCode classify(Object error) {
        String text = String.valueOf(error);
        if (text.startsWith("400::")) {
            return ErrorCode.BAD_REQUEST;
        }
        if (text.startsWith("403::")) {
            return ErrorCode.FORBIDDEN;
        }
        return ErrorCode.UNAVAILABLE;
    }

    /** Whether {@code error} says the session's token expired ({@link #TOKEN_EXPIRED} or {@link #HANDSHAKE_TOKEN_EXPIRED}). */
    public static boolean isTokenExpired(Object error) {
        return TOKEN_EXPIRED.equals(error) || HANDSHAKE_TOKEN_EXPIRED.equals(error);
    }

    /** Whether retrying cannot help: the gateway refused, it did not merely fail to answer. */
    public static boolean isRefusal(Object error) {
        return classify(error) != ErrorCode.UNAVAILABLE;
    }
}
