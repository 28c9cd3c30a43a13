package io.gridpush.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gridpush.config.GatewayConfig;
import io.gridpush.config.KeyPattern;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies signed JWTs (nimbus-jose-jwt): the signature (HMAC, the configured RSA key, or a key of the
 * configured JWKS chosen by {@code kid}), the expiry ({@code exp} required, {@code nbf} honoured, both with
 * {@code clockSkew}), and the configured issuer and audience. The identity is {@code sub}; per-cache rights
 * come from the rights claim: {@code {"read": [caches], "write": [caches]}}. An identity expires at
 * {@code exp} plus the skew.
 *
 * <p>Threads: any; the JWKS source is thread-safe and fetches on the verifying thread (a handshake's), with
 * short timeouts, only when its cache is stale or lacks the token's key.</p>
 */
final class JwtVerifier {
    private static final int JWKS_TIMEOUT_MS = 3000;
    private static final int JWKS_SIZE_LIMIT = 512 * 1024;
    private final GatewayConfig.Jwt settings;
    private final JWSVerifier hmac;
    private final JWSVerifier rsa;
    private final JWSVerificationKeySelector<SecurityContext> jwks;

    JwtVerifier(GatewayConfig.Jwt settings) {
        this.settings = settings;
        try {
            this.hmac = settings.hmacSecret().isEmpty() ? null : new MACVerifier(settings.hmacSecret().getBytes(StandardCharsets.UTF_8));
            this.rsa = settings.rsaPublicKey() == null ? null : new RSASSAVerifier(settings.rsaPublicKey());
        } catch (JOSEException | IllegalArgumentException x) {
            throw new IllegalArgumentException("security.jwt: unusable key: " + x.getMessage(), x);
        }
        this.jwks = settings.jwksUrl() == null ? null : new JWSVerificationKeySelector<>(asymmetric(), jwkSource(settings));
    }

    private static JWKSource<SecurityContext> jwkSource(GatewayConfig.Jwt settings) {
        long ttl = settings.jwksCacheTtl().toMillis();
        long minRefetch = settings.jwksMinRefetch().toMillis();
        JWKSourceBuilder<SecurityContext> builder = JWKSourceBuilder.<SecurityContext>create(settings.jwksUrl(),
                new DefaultResourceRetriever(JWKS_TIMEOUT_MS, JWKS_TIMEOUT_MS, JWKS_SIZE_LIMIT))
            .cache(ttl, Math.min(ttl, JWKS_TIMEOUT_MS * 2L))
            .retrying(false);
        // The rate limit bounds the refetches that tokens with made-up kids can cause.
        return (minRefetch > 0 ? builder.rateLimited(minRefetch) : builder.rateLimited(false)).build();
    }

    private static Set<JWSAlgorithm> asymmetric() {
        Set<JWSAlgorithm> algorithms = new HashSet<>(JWSAlgorithm.Family.RSA);
        algorithms.addAll(JWSAlgorithm.Family.EC);
        return algorithms;
    }

    static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    /** The identity the token proves, or why not: it does not verify, or it verifies but has expired. */
    Authenticator.Outcome verify(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!signedByAKnownKey(jwt)) {
                return Authenticator.Outcome.DENIED;
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            long now = System.currentTimeMillis();
            long skew = settings.clockSkew().toMillis();
            Date expiry = claims.getExpirationTime();
            if (expiry == null) {
                return Authenticator.Outcome.DENIED;
            }
            if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().getTime() - skew > now) {
                return Authenticator.Outcome.DENIED;
            }
            if (!settings.issuer().isEmpty() && !settings.issuer().equals(claims.getIssuer())) {
                return Authenticator.Outcome.DENIED;
            }
            if (!settings.audience().isEmpty() && (claims.getAudience() == null || !claims.getAudience().contains(settings.audience()))) {
                return Authenticator.Outcome.DENIED;
            }
            if (claims.getSubject() == null || claims.getSubject().isBlank()) {
                return Authenticator.Outcome.DENIED;
            }
            Instant expiresAt = Instant.ofEpochMilli(expiry.getTime() + skew);
            if (!Instant.ofEpochMilli(now).isBefore(expiresAt)) {
                return Authenticator.Outcome.EXPIRED;
            }
            Map<String, Object> claim = claims.getJSONObjectClaim(settings.rightsClaim());
            return Authenticator.Outcome.of(new Identity(claims.getSubject(), grants(claim), keyGrants(claim), expiresAt));
        } catch (ParseException | JOSEException | RuntimeException x) {
            return Authenticator.Outcome.DENIED;
        }
    }

    private boolean signedByAKnownKey(SignedJWT jwt) throws JOSEException {
        JWSHeader header = jwt.getHeader();
        JWSAlgorithm algorithm = header.getAlgorithm();
        if (JWSAlgorithm.Family.HMAC_SHA.contains(algorithm)) {
            return hmac != null && jwt.verify(hmac);
        }
        if (jwks != null && jwks.isAllowed(algorithm)) {
            // The keys of the set that match the header (kid, algorithm); an unknown kid refetches the set.
            DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();
            for (Key key : jwks.selectJWSKeys(header, null)) {
                if (jwt.verify(verifiers.createJWSVerifier(header, key))) {
                    return true;
                }
            }
        }
        return rsa != null && JWSAlgorithm.Family.RSA.contains(algorithm) && jwt.verify(rsa);
    }

    private static Map<String, Set<Right>> grants(Map<String, Object> claim) {
        Map<String, Set<Right>> grants = new HashMap<>();
        if (claim == null) {
            return grants;
        }
        for (Right right : Right.values()) {
            if (claim.get(right.name().toLowerCase(java.util.Locale.ROOT)) instanceof List<?> caches) {
                for (Object cache : caches) {
                    if (cache instanceof String name && name.indexOf('/') < 0) {
                        grants.computeIfAbsent(name, n -> EnumSet.noneOf(Right.class)).add(right);
                    }
                }
            }
        }
        return grants;
    }

    /**
     * The per-key rights of the claim: an entry {@code "cache/pattern"} in the read or write list (cache
     * names hold no {@code /}), for example {@code "users/user:{sub}:*"}. An entry whose pattern does not
     * parse grants nothing.
     */
    private static List<Identity.KeyGrant> keyGrants(Map<String, Object> claim) {
        List<Identity.KeyGrant> grants = new ArrayList<>();
        if (claim == null) {
            return grants;
        }
        for (Right right : Right.values()) {
            if (claim.get(right.name().toLowerCase(java.util.Locale.ROOT)) instanceof List<?> entries) {
                for (Object entry : entries) {
                    int slash = entry instanceof String text ? text.indexOf('/') : -1;
                    if (slash > 0) {
                        String text = (String)entry;
                        try {
                            grants.add(new Identity.KeyGrant(text.substring(0, slash), KeyPattern.parse(text.substring(slash + 1)), right));
                        } catch (IllegalArgumentException x) {
                            // Not a pattern: no right. The token stays valid for what it grants otherwise.
                        }
                    }
                }
            }
        }
        return grants;
    }
}
