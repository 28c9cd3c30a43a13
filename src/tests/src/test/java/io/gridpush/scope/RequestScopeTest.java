package io.gridpush.scope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.TestGateway;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The per-message Guice request scope, seen through the audit records that the request-scoped
 * services produce: one {@link Caller} per message, shared by every service of that message, a new
 * one for the next message, on both transports, and never another session's.
 */
class RequestScopeTest {
    private static final List<AuditEntry> AUDIT = Collections.synchronizedList(new ArrayList<>());

    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of("security.tokens", "{ bob-token = bob }"), new AbstractModule() {
        @Override
        protected void configure() {
            bind(AuditSink.class).toInstance(AUDIT::add);
        }
    });

    @ParameterizedTest
    @EnumSource(Transport.class)
    void oneCallerPerMessageSharedByItsServicesAndNewForTheNext(Transport transport) {
        GridpushClient client = gateway.client(TestGateway.options(transport).withToken("bob-token"));
        String key = "scoped-" + transport;
        Await.result(client.cache("default").put(key, 1));
        Await.result(client.cache("default").get(key));
        Await.result(client.cache("default").put(key, 2));

        List<AuditEntry> mine = entriesFor(key);
        assertEquals(2, mine.size(), "one audit record per write message, none for the read: " + mine);
        for (AuditEntry entry : mine) {
            assertSame(entry.caller(), entry.checkedBy(), "the access check and the audit saw the same Caller");
            assertEquals("bob", entry.caller().identity().name());
            assertEquals(client.bayeux().getId(), entry.caller().clientId());
            assertEquals(client.transport(), entry.caller().transport());
            assertTrue(entry.caller().remoteAddress().contains("127.0.0.1"), entry.caller().remoteAddress());
            assertEquals("ok", entry.outcome());
        }
        assertNotSame(mine.get(0).caller(), mine.get(1).caller(), "the next message gets a new Caller");
    }

    @Test
    void concurrentSessionsNeverSeeEachOthersCaller() {
        List<GridpushClient> clients = new ArrayList<>();
        for (int i = 0; i < 6; ++i) {
            clients.add(gateway.client(i % 2 == 0 ? Transport.WEBSOCKET : Transport.LONG_POLLING));
        }
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (int round = 0; round < 30; ++round) {
            for (GridpushClient client : clients) {
                writes.add(client.cache("default").put("concurrent-" + client.bayeux().getId() + "-" + round, round));
            }
        }
        writes.forEach(Await::result);

        Set<Caller> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        for (GridpushClient client : clients) {
            String prefix = "concurrent-" + client.bayeux().getId() + "-";
            List<AuditEntry> entries;
            synchronized (AUDIT) {
                entries = AUDIT.stream().filter(e -> e.keys().get(0).startsWith(prefix)).toList();
            }
            assertEquals(30, entries.size());
            for (AuditEntry entry : entries) {
                assertEquals(client.bayeux().getId(), entry.caller().clientId(), "a write is attributed to its own session");
                assertEquals(client.transport(), entry.caller().transport());
                assertSame(entry.caller(), entry.checkedBy());
                distinct.add(entry.caller());
            }
        }
        assertEquals(180, distinct.size(), "every message had its own Caller");
    }

    private static List<AuditEntry> entriesFor(String key) {
        synchronized (AUDIT) {
            return AUDIT.stream().filter(e -> e.keys().equals(List.of(key))).toList();
        }
    }
}
