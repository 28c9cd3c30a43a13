package io.gridpush.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.scope.AuditSink;
import io.gridpush.scope.LogAuditSink;
import io.gridpush.testkit.RawSession;
import io.gridpush.testkit.TestGateway;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A caller without rights cannot forge an audit line: the key (line breaks, quotes, a fake
 * {@code outcome=ok}) stays inside its quoted field, and the entry records the refusal.
 */
class AuditForgeryTest {
    private static final List<String> LINES = Collections.synchronizedList(new ArrayList<>());

    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of("caches.default.write", "[alice]"), new AbstractModule() {
        @Override
        protected void configure() {
            // The real log format, kept in memory instead of the logger.
            bind(AuditSink.class).toInstance(entry -> LINES.add(LogAuditSink.line(entry)));
        }
    });

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aForgedKeyStaysInsideItsFieldAndTheRefusalIsRecorded(Transport transport) {
        String forged = "k\\n2026-01-01 INFO gridpush.audit identity=\\\"alice\\\" op=\\\"put\\\" keys=[\\\"k\\\"] outcome=\\\"ok\\\"\\r\\u2028" + transport;
        try (RawSession raw = RawSession.open(transport, gateway.url())) {
            raw.handshake();
            RawSession.Answer answer = raw.call("put", "{\"cache\":\"default\",\"key\":\"" + forged + "\",\"value\":1}");
            assertTrue(answer.body().contains("\"error\":\"forbidden\""), answer.wire());
        }
        List<String> mine;
        synchronized (LINES) {
            mine = LINES.stream().filter(line -> line.contains(transport.toString())).toList();
        }
        assertEquals(1, mine.size(), "one entry for the refused write: " + mine);
        String line = mine.get(0);
        assertFalse(line.contains("\n") || line.contains("\r") || line.contains("\u2028"), "one line: " + line);
        assertTrue(line.startsWith("identity=\"anonymous\" "), line);
        assertTrue(line.endsWith(" outcome=\"forbidden\""), line);
        assertTrue(line.contains("keys=[\"k\\u000a2026-01-01 INFO gridpush.audit identity=\\\"alice\\\""), "the key is escaped: " + line);
    }
}
