package io.gridpush.http;

import io.gridpush.config.GatewayConfig;
import io.gridpush.operations.OperationBudget;
import io.gridpush.security.Authenticator;
import io.gridpush.security.Identity;
import io.gridpush.security.KeyedRates;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;

/**
 * Who an HTTP API request is, and the rate it is held to. The identity comes from
 * {@code Authorization: Bearer <token>}, checked by the same {@link Authenticator} as a Bayeux handshake
 * (static tokens and JWTs); no header is the anonymous identity when configuration allows it. The rate
 * is {@code limits.operationsPerSecond}, as for a Bayeux session, per identity and address (HTTP has no
 * session), and an HTTP batch costs one operation per item.
 */
@Singleton
final class ApiCallers {
    private static final String BEARER = "bearer ";
    private final Authenticator authenticator;
    private final KeyedRates rates;

    @Inject
    ApiCallers(Authenticator authenticator, GatewayConfig config) {
        this.authenticator = authenticator;
        this.rates = new KeyedRates(config.limits().operationsPerSecond());
    }

    /** The request's identity, or why there is none (no token where one is needed, a bad one, an expired one). */
    Authenticator.Outcome authenticate(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null) {
            return authenticator.check(null);
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Authenticator.Outcome.DENIED;
        }
        String token = header.substring(BEARER.length()).trim();
        return token.isEmpty() ? Authenticator.Outcome.DENIED : authenticator.check(token);
    }

    /**
     * The 401 of a refused request, with the RFC 6750 challenge. An expired token is told apart
     * ({@code token_expired}, as a Bayeux session is told), so that a client fetches a fresh one instead of
     * taking its credentials for wrong.
     */
    static ApiReply refusal(HttpServletRequest request, Authenticator.Outcome outcome) {
        if (outcome.expired()) {
            return ApiReply.error(401, ApiReply.TOKEN_EXPIRED, "the bearer token has expired; get a fresh one and retry")
                .with("WWW-Authenticate", "Bearer realm=\"gridpush\", error=\"invalid_token\", error_description=\"the token expired\"");
        }
        String header = request.getHeader("Authorization");
        String why = header == null ? "a bearer token is required (Authorization: Bearer <token>)"
            : header.toLowerCase(Locale.ROOT).startsWith(BEARER) ? "the bearer token is not valid (unknown or badly signed)"
            : "the Authorization header must be 'Bearer <token>'";
        return ApiReply.error(401, ApiReply.UNAUTHORIZED, why).with("WWW-Authenticate", header == null ? "Bearer realm=\"gridpush\""
            : "Bearer realm=\"gridpush\", error=\"invalid_token\"");
    }

    OperationBudget budget(Identity identity, String address) {
        return new OperationBudget() {
            @Override
            public boolean tryTake() {
                return GatewayConfig.Limits.unlimited(rates.perSecond()) || rates.of(identity.name() + "@" + address).tryAcquire();
            }

            @Override
            public void charge(long operations) {
                if (!GatewayConfig.Limits.unlimited(rates.perSecond()) && operations > 0) {
                    rates.of(identity.name() + "@" + address).charge(operations);
                }
            }

            @Override
            public int perSecond() {
                return rates.perSecond();
            }
        };
    }
}
