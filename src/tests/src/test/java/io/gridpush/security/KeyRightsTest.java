package io.gridpush.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.CacheEvent;
import io.gridpush.client.Entry;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.Page;
import io.gridpush.client.RemoteCache;
import io.gridpush.config.ConfigLoader;
import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.EventType;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.Events;
import io.gridpush.testkit.Raw;
import io.gridpush.testkit.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.cometd.bayeux.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Per-key rights: each user reads and writes its own {@code user:{sub}:*} keys, everyone reads
 * {@code public:*}, the admin holds the whole cache; a JWT adds keys of its own. The same rules hold for
 * operations, key subscriptions, wildcard snapshots, live wildcard deliveries and pages of entries.
 */
class KeyRightsTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-keys-secret";
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of(
        "security.anonymous", "false",
        "security.tokens", "{ alice-token = alice, bob-token = bob, admin-token = admin }",
        "security.jwt.hmacSecret", SECRET,
        "caches.default.read", "[admin]",
        "caches.default.write", "[admin]",
        "caches.default.keys", "[{ match = \"user:{sub}:*\", read = [\"*\"], write = [\"*\"] }, { match = \"public:*\", read = [\"*\"] }]",
        "caches.demo.read", "[admin]",
        "caches.demo.write", "[admin]"));

    private static GridpushClient as(String token, Transport transport) {
        return gateway.client(TestGateway.options(transport).withToken(token));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void operationsFollowTheKeyRules(Transport transport) {
        RemoteCache alice = as("alice-token", transport).cache("default");
        RemoteCache admin = as("admin-token", transport).cache("default");
        String own = "user:alice:ops-" + transport;
        String bobs = "user:bob:ops-" + transport;
        String news = "public:ops-" + transport;
        Await.result(admin.put(bobs, "bob's"));
        Await.result(admin.put(news, "news"));

        assertTrue(Await.result(alice.put(own, "mine")).version() > 0);
        assertEquals("mine", Await.result(alice.get(own)).value());
        assertEquals("news", Await.result(alice.get(news)).value());
        assertEquals(ErrorCode.FORBIDDEN, Await.error(alice.get(bobs)).code());
        assertEquals(ErrorCode.FORBIDDEN, Await.error(alice.put(bobs, "alice's")).code());
        assertEquals(ErrorCode.FORBIDDEN, Await.error(alice.remove(bobs)).code());
        assertEquals(ErrorCode.FORBIDDEN, Await.error(alice.put(news, "forged news")).code());
        assertEquals(ErrorCode.FORBIDDEN, Await.error(alice.getAll(List.of(own, bobs))).code(), "one foreign key refuses the whole getAll");
        List<Entry> both = Await.result(alice.getAll(List.of(own, news)));
        assertEquals(List.of("mine", "news"), both.stream().map(Entry::value).toList());
        // A key that only looks like alice's: the identity in the pattern is matched as a whole segment start.
        assertEquals(ErrorCode.FORBIDDEN, Await.error(alice.put("user:alicex:" + transport, "x")).code());
        assertEquals(ErrorCode.FORBIDDEN, Await.error(alice.put("user:*:" + transport, "x")).code());

        // Nothing refused was applied.
        assertEquals("bob's", Await.result(admin.get(bobs)).value());
        assertEquals("news", Await.result(admin.get(news)).value());
        assertFalse(Await.result(admin.get("user:alicex:" + transport)).found());
        // A cache without rules for alice stays closed to her.
        assertEquals(ErrorCode.FORBIDDEN, Await.error(as("alice-token", transport).cache("demo").get("k")).code());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void keySubscriptionsFollowTheKeyRules(Transport transport) throws Exception {
        GridpushClient alice = as("alice-token", transport);
        Message bobs = Raw.subscribe(alice, io.gridpush.protocol.ChannelNames.keyChannel("default", "user:bob:sub-" + transport), (c, m) -> { });
        assertFalse(bobs.isSuccessful());
        assertEquals("403::subscribe_denied", bobs.get(Message.ERROR_FIELD));
        Message demo = Raw.subscribe(alice, "/cache/demo/*", (c, m) -> { });
        assertEquals("403::subscribe_denied", demo.get(Message.ERROR_FIELD), "no rule gives alice any key of demo");

        Events events = new Events();
        String news = "public:sub-" + transport;
        Await.result(alice.cache("default").watch(news, events).ready());
        assertEquals(EventType.SNAPSHOT, events.next().type());
        Await.result(as("admin-token", transport).cache("default").put(news, "extra"));
        CacheEvent created = events.next();
        assertEquals(EventType.CREATED, created.type());
        assertEquals("extra", created.value());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aWildcardSeesOnlyTheKeysItsIdentityMayRead(Transport transport) throws Exception {
        String tag = "wild-" + transport;
        RemoteCache admin = as("admin-token", transport).cache("default");
        for (String key : List.of("user:alice:" + tag, "user:bob:" + tag, "public:" + tag, "secret:" + tag)) {
            Await.result(admin.put(key, key));
        }
        GridpushClient alice = as("alice-token", transport);
        Events seen = new Events();
        Await.result(alice.cache("default").watchAll(seen).ready());
        Set<String> snapshot = new TreeSet<>();
        CacheEvent end = seen.until(event -> {
            if (event.type() == EventType.SNAPSHOT) {
                snapshot.add(event.key());
            }
            return event.type() == EventType.SNAPSHOT_END;
        });
        assertTrue(snapshot.containsAll(List.of("user:alice:" + tag, "public:" + tag)), snapshot::toString);
        assertTrue(snapshot.stream().allMatch(key -> key.startsWith("user:alice:") || key.startsWith("public:")), snapshot::toString);
        assertEquals(snapshot.size(), end.count(), "snapshot-end counts what was sent");

        // An admin watcher of the whole cache proves each change was published before alice's view is checked.
        Events all = new Events();
        Await.result(admin.watchAll(all).ready());
        all.next(EventType.SNAPSHOT_END);
        List<String> changed = List.of("user:bob:" + tag, "secret:" + tag, "user:alice:" + tag, "public:" + tag);
        for (String key : changed) {
            Await.result(admin.put(key, key + " v2"));
        }
        Await.result(admin.remove("user:bob:" + tag));
        // Keys are published on different lanes, so their events may arrive in any order.
        Set<String> seenByAdmin = new TreeSet<>();
        all.until(event -> {
            if (event.type() == EventType.MODIFIED && changed.contains(event.key())) {
                seenByAdmin.add(event.key());
            } else if (event.type() == EventType.REMOVED && ("user:bob:" + tag).equals(event.key())) {
                seenByAdmin.add("removed");
            }
            return seenByAdmin.size() == changed.size() + 1;
        });
        // Other tests write to this cache meanwhile: only this test's keys count.
        List<String> aliceGot = new ArrayList<>();
        for (int i = 0; i < 2; ++i) {
            CacheEvent event = seen.until(e -> e.key() != null && e.key().endsWith(tag));
            assertEquals(EventType.MODIFIED, event.type(), event::toString);
            assertEquals(event.key() + " v2", event.value());
            aliceGot.add(event.key());
        }
        assertEquals(Set.of("user:alice:" + tag, "public:" + tag), Set.copyOf(aliceGot));
        for (CacheEvent late = seen.poll(500); late != null; late = seen.poll(500)) {
            assertTrue(late.key() == null || late.key().startsWith("user:alice:") || late.key().startsWith("public:"),
                () -> "alice must not see " + seen.snapshot());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aPageOfEntriesHoldsOnlyReadableKeys(Transport transport) {
        String tag = "page-" + transport;
        RemoteCache admin = as("admin-token", transport).cache("default");
        for (int i = 0; i < 5; ++i) {
            Await.result(admin.put("user:alice:" + tag + i, i));
            Await.result(admin.put("user:bob:" + tag + i, i));
        }
        RemoteCache bob = as("bob-token", transport).cache("default");
        Set<String> keys = new TreeSet<>();
        String after = null;
        for (int pages = 0; pages < 1000; ++pages) {
            Page page = Await.result(bob.entries(after, 3));
            page.entries().forEach(entry -> keys.add(entry.key()));
            after = page.next();
            if (after == null) {
                break;
            }
        }
        assertNull(after, "paging ends");
        assertTrue(keys.stream().allMatch(key -> key.startsWith("user:bob:") || key.startsWith("public:")), keys::toString);
        for (int i = 0; i < 5; ++i) {
            assertTrue(keys.contains("user:bob:" + tag + i), keys::toString);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aJwtGrantsKeysOfItsOwn(Transport transport) throws Exception {
        String token = JwtTest.token(SECRET, "carol", "", "", 60_000,
            Map.of("read", List.of("default/shared:*"), "write", List.of("default/shared:carol:*")));
        RemoteCache carol = gateway.client(TestGateway.options(transport).withToken(token)).cache("default");
        RemoteCache admin = as("admin-token", transport).cache("default");
        Await.result(admin.put("shared:" + transport, "hello"));
        assertEquals("hello", Await.result(carol.get("shared:" + transport)).value());
        assertEquals(ErrorCode.FORBIDDEN, Await.error(carol.put("shared:" + transport, "carol's")).code());
        assertTrue(Await.result(carol.put("shared:carol:" + transport, "carol's")).version() > 0);
        assertEquals(ErrorCode.FORBIDDEN, Await.error(carol.get("other:" + transport)).code());
        assertEquals("hello", Await.result(admin.get("shared:" + transport)).value());
    }

    @Test
    void aBadKeyPatternStopsTheStartWithOneLine() {
        ConfigLoader.ConfigError error = assertThrows(ConfigLoader.ConfigError.class, () -> ConfigLoader.load(null,
            Map.of("caches.default.keys", "[{ match = \"user:{id}:*\", read = [\"*\"] }]")));
        assertTrue(error.getMessage().startsWith("caches.default.keys[0].match"), error.getMessage());
        assertFalse(error.getMessage().contains("\n"), error.getMessage());
    }
}
