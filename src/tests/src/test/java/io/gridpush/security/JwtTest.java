package io.gridpush.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.GridpushException;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.TestGateway;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Signed JWTs at handshake: identity from sub, rights from the claim; expired, forged and misaddressed tokens are refused. */
class JwtTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-test-secret";
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of(
        "security.anonymous", "false",
        "security.jwt.hmacSecret", SECRET,
        "security.jwt.issuer", "https://login.example.com",
        "security.jwt.audience", "gridpush",
        "caches.default.read", "[]",
        "caches.default.write", "[]"));

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aValidTokenProvesTheIdentityAndCarriesItsRights(Transport transport) throws Exception {
        String token = token(SECRET, "carol", "https://login.example.com", "gridpush", 60_000, Map.of("read", List.of("default"), "write", List.of("default")));
        GridpushClient carol = gateway.client(TestGateway.options(transport).withToken(token));
        long version = Await.result(carol.cache("default").put("jwt-" + transport, "carol's")).version();
        assertEquals(version, Await.result(carol.cache("default").get("jwt-" + transport)).version());

        String readOnly = token(SECRET, "dave", "https://login.example.com", "gridpush", 60_000, Map.of("read", List.of("default")));
        GridpushClient dave = gateway.client(TestGateway.options(transport).withToken(readOnly));
        assertEquals("carol's", Await.result(dave.cache("default").get("jwt-" + transport)).value());
        assertEquals(ErrorCode.FORBIDDEN, Await.error(dave.cache("default").put("jwt-" + transport, "dave's")).code());
        assertEquals("carol's", Await.result(dave.cache("default").get("jwt-" + transport)).value(), "the refused write is not applied");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void expiredForgedAndMisaddressedTokensAndNoTokenAreRefused(Transport transport) throws Exception {
        Map<String, Object> rights = Map.of("read", List.of("default"));
        String expired = token(SECRET, "eve", "https://login.example.com", "gridpush", -120_000, rights);
        GridpushException late = assertThrows(GridpushException.class, () -> gateway.client(TestGateway.options(transport).withToken(expired)));
        assertEquals(ErrorCode.FORBIDDEN, late.code());
        assertTrue(late.getMessage().contains("403::token_expired"), "an expired token is told apart: " + late.getMessage());
        for (String bad : List.of(
            token("another-secret-of-at-least-32-bytes!!", "eve", "https://login.example.com", "gridpush", 60_000, rights),
            token(SECRET, "eve", "https://login.example.com", "someone-else", 60_000, rights),
            token(SECRET, "eve", "https://evil.example.net", "gridpush", 60_000, rights),
            "not.a.jwt")) {
            GridpushException refused = assertThrows(GridpushException.class, () -> gateway.client(TestGateway.options(transport).withToken(bad)));
            assertEquals(ErrorCode.FORBIDDEN, refused.code());
            assertTrue(refused.getMessage().contains("403::handshake_denied"), refused.getMessage());
        }
        GridpushException anonymous = assertThrows(GridpushException.class, () -> gateway.client(TestGateway.options(transport)));
        assertTrue(anonymous.getMessage().contains("403::handshake_denied"), "anonymous access is off: " + anonymous.getMessage());
        assertFalse(gateway.gateway().grid().cache("default").get("jwt-eve") != null);
    }

    static String token(String secret, String subject, String issuer, String audience, long expiresInMs, Map<String, Object> rights) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).issuer(issuer).audience(audience)
            .expirationTime(new Date(System.currentTimeMillis() + expiresInMs)).claim("gridpush", rights).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
