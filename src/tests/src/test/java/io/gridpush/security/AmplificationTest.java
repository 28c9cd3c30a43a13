package io.gridpush.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gridpush.cache.GridCache;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.Raw;
import io.gridpush.testkit.RawSession;
import io.gridpush.testkit.TestGateway;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.client.ClientSessionChannel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * Work a message causes beyond itself is budgeted like the message: wildcard snapshots and
 * {@code entries} scans are charged to the session's operations; and refused input costs the log one
 * short line, at a bounded rate, never a stack trace.
 */
class AmplificationTest {
    private static final int ENTRIES = 2000;

    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of("limits.operationsPerSecond", "50", "limits.snapshotEntries", "5000",
        "delivery.maxQueue", "7000"));

    @BeforeAll
    static void fill() {
        GridCache cache = gateway.gateway().grid().cache("demo");
        for (int i = 0; i < ENTRIES; ++i) {
            cache.put("k" + i, i, -1, -1);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSubscribeUnsubscribeLoopIsHeldToTheSessionsBudget(Transport transport) {
        GridpushClient client = gateway.client(transport);
        AtomicInteger snapshots = new AtomicInteger();
        ClientSessionChannel.MessageListener counter = (channel, message) -> snapshots.incrementAndGet();
        int refused = 0;
        for (int i = 0; i < 20; ++i) {
            Message reply = Raw.subscribe(client, "/cache/demo/*", counter);
            if (!reply.isSuccessful()) {
                assertEquals("403::subscribe_denied", reply.get(Message.ERROR_FIELD));
                ++refused;
                continue;
            }
            CompletableFuture<Message> unsubscribed = new CompletableFuture<>();
            client.bayeux().getChannel("/cache/demo/*").unsubscribe(counter, unsubscribed::complete);
            Await.result(unsubscribed);
        }
        assertTrue(refused >= 10, refused + " of 20 wildcard subscriptions refused while the snapshot is paid for");
        Object error = Raw.errorCode(Raw.call(client, "cache/get", Map.of("cache", "demo", "key", "k1")));
        assertTrue(error == null || "rate_limited".equals(error), "an operation meanwhile is rate limited or served: " + error);
        assertTrue(Await.result(gateway.client(transport).cache("demo").get("k1")).found(), "another session is not limited");
    }

    /**
     * An {@code entries} page costs what it reads: with the key index that is its page, not the cache (2,000
     * entries here). Small pages are cheap and served; pages of 1,000 are charged 10 operations each against
     * a budget of 50 a second, so a loop of them is rate limited.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void entriesPagesAreChargedByWhatTheyRead(Transport transport) {
        try (RawSession raw = RawSession.open(transport, gateway.url())) {
            raw.handshake();
            int smallLimited = 0;
            for (int i = 0; i < 10; ++i) {
                smallLimited += raw.call("entries", "{\"cache\":\"demo\",\"limit\":1}").body().contains("\"error\":\"rate_limited\"") ? 1 : 0;
            }
            assertEquals(0, smallLimited, "pages of one entry read one entry each, not the cache");
            int limited = 0;
            for (int i = 0; i < 10; ++i) {
                limited += raw.call("entries", "{\"cache\":\"demo\",\"limit\":1000}").body().contains("\"error\":\"rate_limited\"") ? 1 : 0;
            }
            assertTrue(limited >= 3, limited + " of 10 pages of 1,000 rate limited");
        }
    }

    @Test
    void refusedInputIsLoggedBrieflyAndAtABoundedRate() {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger)LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        try {
            for (Transport transport : Transport.values()) {
                for (int i = 0; i < 60; ++i) {
                    try (RawSession raw = RawSession.open(transport, gateway.url())) {
                        raw.send("[{\"channel\":\"/meta/x\",\"id\":{}}]");
                    }
                }
            }
        } finally {
            root.detachAppender(log);
        }
        List<ILoggingEvent> mine = log.list.stream()
            .filter(e -> e.getLoggerName().startsWith("org.cometd") || e.getLoggerName().startsWith("gridpush.badinput")).toList();
        assertTrue(mine.stream().noneMatch(e -> e.getThrowableProxy() != null), "no stack traces: " + mine);
        // At most 20 lines a minute (the window may turn over once during the test).
        assertTrue(mine.size() <= 42, mine.size() + " lines for 120 refusals");
    }
}
