package io.gridpush.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gridpush.config.GatewayConfig;
import io.gridpush.config.KeyPattern;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies signed JWTs (nimbus-jose-jwt): the signature (HMAC or RSA, as configured), the expiry
 * ({@code exp} required, {@code nbf} honoured), and the configured issuer and audience. The identity is
 * {@code sub}; per-cache rights come from the rights claim: {@code {"read": [caches], "write": [caches]}}.
 */
final class JwtVerifier {
    private static final long CLOCK_SKEW_MS = 30_000;
    private final GatewayConfig.Jwt settings;
    private final JWSVerifier hmac;
    private final JWSVerifier rsa;

    JwtVerifier(GatewayConfig.Jwt settings) {
        this.settings = settings;
        try {
            this.hmac = settings.hmacSecret().isEmpty() ? null : new MACVerifier(settings.hmacSecret().getBytes(StandardCharsets.UTF_8));
            this.rsa = settings.rsaPublicKey() == null ? null : new RSASSAVerifier(settings.rsaPublicKey());
        } catch (JOSEException | IllegalArgumentException x) {
            throw new IllegalArgumentException("security.jwt: unusable key: " + x.getMessage(), x);
        }
    }

    static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    /** The identity the token proves, or null when it does not verify. */
    Identity verify(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWSVerifier verifier = JWSAlgorithm.Family.HMAC_SHA.contains(jwt.getHeader().getAlgorithm()) ? hmac
                : JWSAlgorithm.Family.RSA.contains(jwt.getHeader().getAlgorithm()) ? rsa : null;
            if (verifier == null || !jwt.verify(verifier)) {
                return null;
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            long now = System.currentTimeMillis();
            Date expiry = claims.getExpirationTime();
            if (expiry == null || expiry.getTime() + CLOCK_SKEW_MS < now) {
                return null;
            }
            if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().getTime() - CLOCK_SKEW_MS > now) {
                return null;
            }
            if (!settings.issuer().isEmpty() && !settings.issuer().equals(claims.getIssuer())) {
                return null;
            }
            if (!settings.audience().isEmpty() && (claims.getAudience() == null || !claims.getAudience().contains(settings.audience()))) {
                return null;
            }
            if (claims.getSubject() == null || claims.getSubject().isBlank()) {
                return null;
            }
            Map<String, Object> claim = claims.getJSONObjectClaim(settings.rightsClaim());
            return new Identity(claims.getSubject(), grants(claim), keyGrants(claim));
        } catch (ParseException | JOSEException | RuntimeException x) {
            return null;
        }
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
