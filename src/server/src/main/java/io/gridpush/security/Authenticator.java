package io.gridpush.security;

import io.gridpush.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Turns a token (the handshake's {@code ext.auth.token}, a refresh's, a bearer token) into an
 * {@link Identity}, or refuses it. Thread-safe.
 */
@Singleton
public final class Authenticator {
    private final GatewayConfig.Security security;
    private final JwtVerifier jwt;

    @Inject
    public Authenticator(GatewayConfig config) {
        this.security = config.security();
        this.jwt = security.jwt().enabled() ? new JwtVerifier(security.jwt()) : null;
    }

    /** The identity {@code token} proves, or null when it proves none (including an expired token). */
    public Identity authenticate(Object token) {
        return check(token).identity();
    }

    /** The identity {@code token} proves, or why it proves none. */
    public Outcome check(Object token) {
        if (token == null) {
            return security.anonymous() ? Outcome.of(Identity.ANONYMOUS) : Outcome.DENIED;
        }
        if (!(token instanceof String text)) {
            return Outcome.DENIED;
        }
        String name = security.tokens().get(text);
        if (name != null) {
            return Outcome.of(new Identity(name));
        }
        return jwt != null && JwtVerifier.looksLikeJwt(text) ? jwt.verify(text) : Outcome.DENIED;
    }

    /** An identity, or none: then {@code expired} tells a token that verified but has expired from any other refusal. */
    public record Outcome(Identity identity, boolean expired) {
        public static final Outcome DENIED = new Outcome(null, false);
        public static final Outcome EXPIRED = new Outcome(null, true);

        static Outcome of(Identity identity) {
            return new Outcome(identity, false);
        }
    }
}
