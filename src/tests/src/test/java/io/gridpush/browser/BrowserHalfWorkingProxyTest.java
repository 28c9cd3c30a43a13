package io.gridpush.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.Browser;
import io.gridpush.testkit.TestGateway;
import io.gridpush.testkit.UpgradeTrapProxy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Behind a proxy that answers a WebSocket upgrade with 101 and then passes nothing, or closes at once,
 * the page notices (the WebSocket never completes a /meta/connect), falls back to long polling, works,
 * and stays on long polling for the page's life.
 */
class BrowserHalfWorkingProxyTest {
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of();

    @BeforeAll
    static void chromium() {
        Browser.assumeInstalled();
    }

    @ParameterizedTest
    @EnumSource(UpgradeTrapProxy.Mode.class)
    void thePageFallsBackToLongPollingAndStaysThere(UpgradeTrapProxy.Mode mode) throws Exception {
        String key = "trap-" + mode;
        try (UpgradeTrapProxy proxy = new UpgradeTrapProxy(gateway.gateway().uri().getPort(), mode);
             Browser browser = Browser.open(1200, 800)) {
            long start = System.nanoTime();
            browser.get("http://127.0.0.1:" + proxy.port() + "/");
            browser.await(d -> browser.text("status").equals("connected") && browser.text("transport").equals("long-polling"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("BrowserHalfWorkingProxyTest " + mode + ": long polling after " + millis + " ms");
            assertTrue(proxy.upgrades() > 0, "the page tried WebSocket first");

            long version = Await.result(gateway.shared(Transport.WEBSOCKET).cache("demo").put(key, "through the trap")).version();
            browser.await(d -> browser.row(key) != null && String.valueOf(version).equals(browser.row(key).get("version")));
            assertEquals(Boolean.FALSE, browser.script("return !!window.gridpushDemo.cache.cometd.findTransport('websocket')"),
                "WebSocket is dropped for the page's life");
            int upgrades = proxy.upgrades();
            browser.script("window.gridpushDemo.cache.put(arguments[0], 'from the page')", key);
            browser.await(d -> browser.row(key) != null && "\"from the page\"".equals(browser.row(key).get("value")));
            assertEquals(upgrades, proxy.upgrades(), "no WebSocket attempt after the fallback");
            assertEquals("long-polling", browser.text("transport"));
            browser.screenshot("half-working-proxy-" + mode);
        }
    }
}
