package io.gridpush.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.protocol.BayeuxErrors;
import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.GridpushException;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.TestGateway;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Signing keys from a JWKS URL (a local key server that rotates): tokens are verified with the key their
 * {@code kid} names; a token naming a key the cached set lacks makes the gateway fetch the set again, so a new
 * key verifies at once and a removed one no longer does, although the cache would still be fresh.
 */
class JwksRotationTest {
    @ParameterizedTest
    @EnumSource(Transport.class)
    void tokensOfANewKeyVerifyAfterRotationAndTokensOfARemovedKeyAreRefused(Transport transport) throws Exception {
        RSAKey first = new RSAKeyGenerator(2048).keyID("2026-rsa").generate();
        ECKey second = new ECKeyGenerator(Curve.P_256).keyID("2027-ec").generate();
        AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(List.<JWK>of(first.toPublicJWK())));
        AtomicInteger fetches = new AtomicInteger();
        HttpServer keys = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        keys.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = published.get().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        keys.start();
        String url = "http://127.0.0.1:" + keys.getAddress().getPort() + "/jwks.json";
        try (TestGateway gateway = TestGateway.start(Map.of(
                "security.anonymous", "false",
                "security.jwt.jwksUrl", url,
                // An hour of cache: what follows can only be the refetch on an unknown kid.
                "security.jwt.jwksCacheTtl", "1h",
                "security.jwt.jwksMinRefetch", "0s",
                "caches.default.read", "[]",
                "caches.default.write", "[]"))) {
            String firstToken = token(new RSASSASigner(first), JWSAlgorithm.RS256, first.getKeyID());
            GridpushClient before = gateway.client(TestGateway.options(transport).withToken(firstToken));
            long version = Await.result(before.cache("default").put("rotated-" + transport, "before")).version();
            assertEquals(1, fetches.get(), "the set is fetched once and cached");

            published.set(new JWKSet(List.<JWK>of(second.toPublicJWK())));
            String secondToken = token(new ECDSASigner(second), JWSAlgorithm.ES256, second.getKeyID());
            GridpushClient after = gateway.client(TestGateway.options(transport).withToken(secondToken));
            assertEquals(version, Await.result(after.cache("default").get("rotated-" + transport)).version(), "the new key's token verifies");
            assertEquals(2, fetches.get(), "fetched again for the unknown kid");

            GridpushException refused = assertThrows(GridpushException.class, () -> gateway.client(TestGateway.options(transport)
                .withToken(token(new RSASSASigner(first), JWSAlgorithm.RS256, first.getKeyID()))));
            assertEquals(ErrorCode.FORBIDDEN, refused.code());
            assertTrue(refused.getMessage().contains(BayeuxErrors.HANDSHAKE_DENIED), "the removed key no longer verifies: " + refused.getMessage());

            RSAKey impostor = new RSAKeyGenerator(2048).keyID(second.getKeyID()).generate();
            GridpushException unnamed = assertThrows(GridpushException.class, () -> gateway.client(TestGateway.options(transport)
                .withToken(token(new RSASSASigner(impostor), JWSAlgorithm.RS256, second.getKeyID()))));
            assertTrue(unnamed.getMessage().contains(BayeuxErrors.HANDSHAKE_DENIED),
                "a token signed by another key under a published kid: " + unnamed.getMessage());
        } finally {
            keys.stop(0);
        }
    }

    private static String token(JWSSigner signer, JWSAlgorithm algorithm, String kid) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("kim").expirationTime(new Date(System.currentTimeMillis() + 60_000))
            .claim("gridpush", Map.of("read", List.of("default"), "write", List.of("default"))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(kid).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }
}
