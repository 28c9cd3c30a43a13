package io.gridpush.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import io.gridpush.client.CacheEvent;
import io.gridpush.client.ConnectionListener;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.RemoteCache;
import io.gridpush.protocol.BayeuxErrors;
import io.gridpush.protocol.ChannelNames;
import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.EventType;
import io.gridpush.protocol.Fields;
import io.gridpush.protocol.GridpushException;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.Events;
import io.gridpush.testkit.RawSession;
import io.gridpush.testkit.TestGateway;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.client.ClientSessionChannel;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tokens that expire while their session lives: refreshed in band before expiry (the session and its
 * watches go on), or cut with {@code 401::token_expired} and re-authenticated with a fresh token from the
 * client's provider (the watch re-syncs and goes on), or, without a provider, told and stopped. Tokens last
 * a few seconds and no clock skew is allowed.
 */
class TokenLifecycleTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-test-secret";
    private static final Map<String, Object> RIGHTS = Map.of("read", List.of("default"), "write", List.of("default"));
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of(
        "security.anonymous", "false",
        "security.jwt.hmacSecret", SECRET,
        "security.jwt.clockSkew", "0s",
        "caches.default.read", "[]",
        "caches.default.write", "[]"));

    static String token(String subject, long expiresInMs) {
        try {
            return JwtTest.token(SECRET, subject, "https://login.example.com", "gridpush", expiresInMs, RIGHTS);
        } catch (Exception x) {
            throw new AssertionError(x);
        }
    }

    static Instant expiry(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant();
        } catch (java.text.ParseException x) {
            throw new AssertionError(x);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aTokenRefreshedBeforeItExpiresKeepsTheSessionAndItsWatch(Transport transport) throws Exception {
        List<String> issued = new java.util.concurrent.CopyOnWriteArrayList<>();
        GridpushClient client = gateway.client(TestGateway.options(transport).withTokenProvider(() -> {
            String token = token("ruth", 4000);
            issued.add(token);
            return token;
        }));
        String session = client.bayeux().getId();
        RemoteCache cache = client.cache("default");
        String key = "refreshed-" + transport;
        Events watcher = new Events();
        Await.result(cache.watch(key, watcher).ready());
        watcher.next(EventType.SNAPSHOT);
        Instant firstExpiry = expiry(issued.get(0));

        // Writes go on until the provider has been asked for two fresh tokens and the first one is past.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Events.WAIT_SECONDS);
        int n = 0;
        while (issued.size() < 3 || Instant.now().isBefore(firstExpiry.plusSeconds(1))) {
            assertTrue(System.nanoTime() < deadline, "the provider was asked " + issued.size() + " times in " + Events.WAIT_SECONDS + " s");
            long version = Await.result(cache.put(key, ++n)).version();
            CacheEvent change = watcher.next();
            assertEquals(List.of(n == 1 ? EventType.CREATED : EventType.MODIFIED, (long)n, version), List.of(change.type(), change.value(), change.version()));
            assertNull(watcher.poll(200), "each change once, and no re-sync");
        }
        assertEquals(session, client.bayeux().getId(), "one session all along: refreshed in band, never cut");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSessionWhoseTokenExpiresIsToldAndReauthenticatesWithAFreshTokenKeepingItsWatch(Transport transport) throws Exception {
        // A provider that renews its token only once it has expired: the in-band refresh has nothing newer to send.
        AtomicReference<String> current = new AtomicReference<>();
        AtomicInteger minted = new AtomicInteger();
        Supplier<String> lazy = () -> current.updateAndGet(t -> t != null && Instant.now().isBefore(expiry(t)) ? t : mint(minted, "sol"));
        GridpushClient client = gateway.client(TestGateway.options(transport).withTokenProvider(lazy));
        LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
        client.addConnectionListener((status, reason) -> heard.add(status + " " + reason));
        String before = client.bayeux().getId();
        RemoteCache cache = client.cache("default");
        String key = "expiring-" + transport;
        Events watcher = new Events();
        Await.result(cache.watch(key, watcher).ready());
        watcher.next(EventType.SNAPSHOT);
        long first = Await.result(cache.put(key, 1)).version();
        assertEquals(first, watcher.next().version());

        assertEquals("CONNECTED " + transport(client), Await.poll(heard));
        assertEquals("DISCONNECTED " + BayeuxErrors.TOKEN_EXPIRED, Await.poll(heard), "the live session is told why");
        long missed = gateway.gateway().grid().cache("default").put(key, 2, -1, -1).version();
        assertEquals("CONNECTED " + transport(client), Await.poll(heard), "and comes back by itself");
        assertNotEquals(before, client.bayeux().getId(), "a new session");
        assertTrue(minted.get() >= 2, "under a fresh token: " + minted.get());

        assertEquals(2L, watcher.until(e -> e.version() >= missed).value(), "the watch re-syncs to what was written meanwhile");
        long next = Await.result(cache.put(key, 3)).version();
        CacheEvent change = watcher.until(e -> e.version() >= next);
        assertEquals(List.of(EventType.MODIFIED, 3L, next), List.of(change.type(), change.value(), change.version()));
        assertNull(watcher.poll(300), "each change once");
    }

    private static String mint(AtomicInteger minted, String subject) {
        minted.incrementAndGet();
        return token(subject, 3000);
    }

    private static String transport(GridpushClient client) {
        return client.transport();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClientWithAFixedTokenIsToldItExpiredAndStopsWithoutHammering(Transport transport) throws Exception {
        GridpushClient client = gateway.client(TestGateway.options(transport).withToken(token("sam", 3000)));
        AtomicInteger handshakes = new AtomicInteger();
        client.bayeux().getChannel(Channel.META_HANDSHAKE).addListener((ClientSessionChannel.MessageListener)(channel, reply) -> handshakes.incrementAndGet());
        LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
        client.addConnectionListener((status, reason) -> heard.add(status + " " + reason));
        assertEquals(ConnectionListener.Status.CONNECTED.name(), Await.poll(heard).split(" ")[0]);
        assertEquals("DISCONNECTED " + BayeuxErrors.TOKEN_EXPIRED, Await.poll(heard));
        assertEquals("CLOSED " + BayeuxErrors.HANDSHAKE_TOKEN_EXPIRED, Await.poll(heard), "the one handshake again is refused, for good");
        assertEquals(ErrorCode.FORBIDDEN, BayeuxErrors.classify(BayeuxErrors.HANDSHAKE_TOKEN_EXPIRED));
        assertNull(heard.poll(2, TimeUnit.SECONDS), "nothing more");
        assertEquals(1, handshakes.get(), "one handshake after the expiry, no retries");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aHandshakeWithAnExpiredTokenIsRefusedAsExpiredWithAdviceNotToRetry(Transport transport) {
        GridpushException expired = assertThrows(GridpushException.class,
            () -> gateway.client(TestGateway.options(transport).withToken(token("tom", -5000))));
        assertEquals(ErrorCode.FORBIDDEN, expired.code());
        assertTrue(expired.getMessage().contains(BayeuxErrors.HANDSHAKE_TOKEN_EXPIRED), expired.getMessage());
        try (RawSession raw = RawSession.open(transport, gateway.url())) {
            String body = raw.handshake("{\"auth\":{\"token\":\"" + token("tom", -5000) + "\"}}").body();
            assertTrue(body.contains("\"error\":\"" + BayeuxErrors.HANDSHAKE_TOKEN_EXPIRED + "\"") && body.contains("\"reconnect\":\"none\""), body);
            String forged = JwtTest.token("another-secret-of-at-least-32-bytes!!", "tom", "i", "a", -5000, RIGHTS);
            body = raw.handshake("{\"auth\":{\"token\":\"" + forged + "\"}}").body();
            assertTrue(body.contains("\"error\":\"" + BayeuxErrors.HANDSHAKE_DENIED + "\""), "a forged token is denied, expired or not: " + body);
        } catch (Exception x) {
            throw new AssertionError(x);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anInBandRefreshMustProveTheSameIdentity(Transport transport) {
        GridpushClient client = gateway.client(TestGateway.options(transport).withToken(token("uma", 60_000)));
        Message other = refresh(client, token("vic", 60_000));
        assertEquals(false, other.isSuccessful());
        assertEquals(ErrorCode.FORBIDDEN.wire(), other.getDataAsMap().get(Fields.ERROR), String.valueOf(other));
        Message expired = refresh(client, token("uma", -5000));
        assertEquals(ErrorCode.FORBIDDEN.wire(), expired.getDataAsMap().get(Fields.ERROR), String.valueOf(expired));
        String fresh = token("uma", 120_000);
        Message same = refresh(client, fresh);
        assertTrue(same.isSuccessful(), String.valueOf(same));
        assertEquals(expiry(fresh).toEpochMilli(), ((Number)same.getDataAsMap().get(Fields.EXPIRES_AT)).longValue());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRefreshedTokenWithFewerRightsEndsTheWatchesItNoLongerAllows(Transport transport) throws Exception {
        GridpushClient client = gateway.client(TestGateway.options(transport).withToken(token("wes", 60_000)));
        String key = "narrowed-" + transport;
        Events watcher = new Events();
        Await.result(client.cache("default").watch(key, watcher).ready());
        watcher.next(EventType.SNAPSHOT);
        long version = gateway.gateway().grid().cache("default").put(key, 1, -1, -1).version();
        assertEquals(version, watcher.next().version(), "delivered while the token allows reading");

        String writeOnly = JwtTest.token(SECRET, "wes", "i", "a", 60_000, Map.of("write", List.of("default")));
        assertTrue(refresh(client, writeOnly).isSuccessful());
        gateway.gateway().grid().cache("default").put(key, 2, -1, -1);
        assertNull(watcher.poll(500), "the new identity may not read the cache: its watch was ended");
        assertEquals(ErrorCode.FORBIDDEN, Await.error(client.cache("default").get(key)).code(), "and operations follow the new rights");
    }

    private static Message refresh(GridpushClient client, String token) {
        CompletableFuture<Message> reply = new CompletableFuture<>();
        client.bayeux().remoteCall(ChannelNames.TOKEN_REFRESH_TARGET, Map.of(Fields.TOKEN, token), reply::complete);
        return Await.result(reply);
    }
}
