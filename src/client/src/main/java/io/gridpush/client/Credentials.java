package io.gridpush.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The token a {@link GridpushClient} presents: a fixed one, or one from a provider that is asked at every
 * handshake, before the token expires (in-band refresh) and once more after the gateway refused a token as
 * expired. A provider that answers with the token just refused is not asked again, and neither is one whose
 * fresh tokens were refused as expired three times in a row: the client then stops instead of hammering.
 *
 * <p>Threads: CometD's client threads (handshakes) and the refresh timer; the provider may be called on
 * either, never twice at once from here.</p>
 */
final class Credentials {
    private static final Pattern EXP = Pattern.compile("\"exp\"\\s*:\\s*(\\d+)");
    private static final Duration MAX_MARGIN = Duration.ofSeconds(30);
    private static final int EXPIRED_IN_A_ROW = 3;
    private final String fixed;
    private final Supplier<String> provider;
    private String pending;
    private String lastSent;
    private int expiredInARow;

    Credentials(String fixed, Supplier<String> provider) {
        this.fixed = fixed;
        this.provider = provider;
    }

    boolean refreshable() {
        return provider != null;
    }

    /** The token for the handshake about to be sent; null for none (anonymous). */
    synchronized String forHandshake() {
        String token;
        try {
            token = pending != null ? pending : provider != null ? provider.get() : fixed;
        } catch (RuntimeException x) {
            // The provider failed: the last token, which the gateway accepts or refuses with a clear error.
            token = lastSent;
        }
        pending = null;
        lastSent = token;
        return token;
    }

    synchronized String lastSent() {
        return lastSent;
    }

    /** A fresh token for an in-band refresh, from the provider. */
    synchronized String fresh() {
        return provider.get();
    }

    synchronized void handshaken() {
        expiredInARow = 0;
    }

    /**
     * The gateway refused the last handshake's token as expired: whether to handshake again, with a token
     * the provider gives now (kept for that handshake).
     */
    synchronized boolean retryAfterExpired() {
        if (provider == null || ++expiredInARow >= EXPIRED_IN_A_ROW) {
            return false;
        }
        String next;
        try {
            next = provider.get();
        } catch (RuntimeException x) {
            return false;
        }
        if (next == null || next.equals(lastSent)) {
            return false;
        }
        pending = next;
        return true;
    }

    /**
     * When to refresh {@code token} in band: a margin before its {@code exp} (a quarter of what is left, at
     * most 30 s), or null when it is no JWT with an {@code exp}. The payload is read, not verified: only the
     * gateway can verify it, and a wrong guess only moves the refresh.
     */
    static Instant refreshTime(String token, Instant now) {
        Instant expiry = expiryOf(token);
        if (expiry == null) {
            return null;
        }
        Duration left = Duration.between(now, expiry);
        Duration margin = left.dividedBy(4);
        return expiry.minus(margin.compareTo(MAX_MARGIN) > 0 ? MAX_MARGIN : margin.isNegative() ? Duration.ZERO : margin);
    }

    static Instant expiryOf(String token) {
        String[] parts = token == null ? new String[0] : token.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            Matcher exp = EXP.matcher(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            return exp.find() ? Instant.ofEpochSecond(Long.parseLong(exp.group(1))) : null;
        } catch (IllegalArgumentException x) {
            return null;
        }
    }
}
