package io.gridpush.security;

import io.gridpush.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** Turns the handshake's {@code ext.auth.token} into an {@link Identity}, or refuses it (null). */
@Singleton
public final class Authenticator {
    private final GatewayConfig.Security security;
    private final JwtVerifier jwt;

    @Inject
    public Authenticator(GatewayConfig config) {
        this.security = config.security();
        this.jwt = security.jwt().enabled() ? new JwtVerifier(security.jwt()) : null;
    }

    public Identity authenticate(Object token) {
        if (token == null) {
            return security.anonymous() ? Identity.ANONYMOUS : null;
        }
        if (!(token instanceof String text)) {
            return null;
        }
        String name = security.tokens().get(text);
        if (name != null) {
            return new Identity(name);
        }
        return jwt != null && JwtVerifier.looksLikeJwt(text) ? jwt.verify(text) : null;
    }
}
