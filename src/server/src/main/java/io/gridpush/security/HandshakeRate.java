package io.gridpush.security;

import io.gridpush.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * {@code limits.handshakesPerSecondPerAddress}, counted at the Bayeux handshake itself, so every way of
 * opening a session counts: a long-polling POST to any path, a WebSocket upgrade, a re-handshake on a
 * WebSocket already open. Buckets per address ({@link KeyedRates}). Thread-safe.
 */
@Singleton
public final class HandshakeRate {
    private final KeyedRates rates;

    @Inject
    public HandshakeRate(GatewayConfig config) {
        this.rates = new KeyedRates(config.limits().handshakesPerSecondPerAddress());
    }

    /** Takes one handshake from {@code address}'s bucket; false when the address is over its rate. */
    boolean admits(String address) {
        return GatewayConfig.Limits.unlimited(rates.perSecond()) || rates.of(address).tryAcquire();
    }

    int perSecond() {
        return rates.perSecond();
    }

    /**
     * A handshake over the rate: the transport answers HTTP 429 or closes the WebSocket with 1013 (try
     * again later), rather than {@code 403::handshake_denied}, whose {@code reconnect: none} would make a
     * client behind a busy shared address give up for good.
     */
    public static final class TooManyHandshakes extends RuntimeException {
        TooManyHandshakes(String message) {
            super(message, null, false, false);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
