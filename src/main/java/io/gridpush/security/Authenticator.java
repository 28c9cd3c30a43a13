package io.gridpush.security;

import io.gridpush.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** Turns the handshake's {@code ext.auth.token} into an {@link Identity}, or refuses it (null). */
@Singleton
public final class Authenticator {
    private final GatewayConfig.Security security;

    @Inject
    public Authenticator(GatewayConfig config) {
        this.security = config.security();
    }

    public Identity authenticate(Object token) {
        if (token == null) {
            return security.anonymous() ? Identity.ANONYMOUS : null;
        }
        if (!(token instanceof String text)) {
            return null;
        }
        String name = security.tokens().get(text);
        return name == null ? null : new Identity(name);
    }
}
