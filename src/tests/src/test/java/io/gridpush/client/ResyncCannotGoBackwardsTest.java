package io.gridpush.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.cache.GridCache;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.protocol.EventType;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.Browser;
import io.gridpush.testkit.TestGateway;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * After a re-sync, a late event of the old connection must not bring back a key removed meanwhile. The
 * gateway's found: false snapshot carries the remove's version (the tombstone's), and both clients' version
 * gates record it; keys that a complete wildcard re-sync did not mention keep their last version.
 */
class ResyncCannotGoBackwardsTest {
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRemovedKeysSnapshotCarriesTheRemovesVersion(Transport transport) throws Exception {
        String key = "tomb-" + transport;
        GridCache cache = gateway.gateway().grid().cache("demo");
        long written = cache.put(key, "v", -1, -1).version();
        cache.remove(key, -1);
        BlockingQueue<CacheEvent> events = new LinkedBlockingQueue<>();
        gateway.shared(transport).cache("demo").watch(key, events::add);
        CacheEvent snapshot = Await.poll(events);
        assertEquals(EventType.SNAPSHOT, snapshot.type());
        assertFalse(snapshot.found());
        assertTrue(snapshot.version() > written, "the remove's version, above the last write's: " + snapshot);
    }

    @Test
    void theJavaGateRefusesALateEventAfterARemovedSnapshot() {
        VersionGate gate = new VersionGate();
        assertTrue(gate.admit(event(EventType.MODIFIED, 5, true)));
        gate.resync();
        assertTrue(gate.admit(event(EventType.SNAPSHOT, 7, false)), "the removal, at 7");
        assertFalse(gate.admit(event(EventType.MODIFIED, 6, true)), "a late event of the old connection");
        assertTrue(gate.admit(event(EventType.CREATED, 8, true)), "a re-create");
    }

    @Test
    void theJavaGateKeepsTheVersionOfAVanishedKey() {
        VersionGate gate = new VersionGate();
        assertTrue(gate.admit(event(EventType.MODIFIED, 5, true)));
        gate.resync();
        assertEquals(List.of("k"), gate.vanished());
        assertFalse(gate.admit(event(EventType.MODIFIED, 5, true)), "a late duplicate of the old connection");
        assertTrue(gate.admit(event(EventType.CREATED, 9, true)));
    }

    @Test
    void theBrowserGateDoesTheSame() throws Exception {
        try (Browser browser = Browser.open(800, 600)) {
            browser.get(gateway.gateway().uri().toString());
            Object result = ((org.openqa.selenium.JavascriptExecutor)browser.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import("/js/gridpush.js").then(({ VersionGate }) => {
                    const gate = new VersionGate();
                    const e = (type, version, found) => ({ cache: "demo", key: "k", type, version, found });
                    const seen = [gate.admit(e("modified", 5)), (gate.resync(), gate.admit(e("snapshot", 7, false))),
                        gate.admit(e("modified", 6)), gate.admit(e("created", 8))];
                    const vanishing = new VersionGate();
                    vanishing.admit(e("modified", 5));
                    vanishing.resync();
                    seen.push(vanishing.vanished().join(), vanishing.admit(e("modified", 5)), vanishing.admit(e("created", 9)));
                    done(seen);
                }, failure => done(String(failure)));
                """);
            assertEquals(List.of(true, true, false, true, "k", false, true), result);
        }
    }

    private static CacheEvent event(EventType type, long version, boolean found) {
        Object value = found ? "v" : null;
        return new CacheEvent("demo", "k", type, value, version, found, 0, false);
    }
}
