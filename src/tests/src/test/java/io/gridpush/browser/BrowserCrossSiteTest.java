package io.gridpush.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridpush.testkit.Await;
import io.gridpush.testkit.Browser;
import io.gridpush.testkit.Nginx;
import io.gridpush.testkit.TestGateway;
import io.gridpush.client.GridpushClient.Transport;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A page of another site (http://localhost on another port, allowed in security.origins) that uses the
 * gateway at http://127.0.0.1: its browser does not send the gateway's SameSite=Lax BAYEUX_BROWSER cookie
 * on these cross-site requests, so over long polling the session is proven by the handshake's secret
 * instead. Both transports read, write and get pushed changes.
 */
class BrowserCrossSiteTest {
    @org.junit.jupiter.api.extension.RegisterExtension
    static final TestGateway gateway = TestGateway.of();

    @BeforeAll
    static void chromium() {
        Browser.assumeInstalled();
    }

    @ParameterizedTest
    @ValueSource(strings = {"long-polling", "websocket"})
    void aPageOfAnotherSiteWorks(String transport) throws Exception {
        String key = "cross-site-" + transport;
        try (Nginx site = Nginx.start(gateway.gateway().uri().getPort(), "");
             Browser browser = Browser.open(1200, 800)) {
            gateway.gateway().grid().cache("demo").put("before-" + key, "there", -1, -1);
            browser.get("http://localhost:" + site.port() + "/?transport=" + transport + "&gateway=" + gateway.url());
            browser.await(d -> browser.text("status").equals("connected") && browser.text("transport").equals(transport));
            browser.await(d -> "\"there\"".equals(value(browser, "before-" + key)));

            browser.script("window.gridpushDemo.cache.put(arguments[0], 'from the page')", key);
            browser.await(d -> "\"from the page\"".equals(value(browser, key)));
            long version = Await.result(gateway.shared(Transport.WEBSOCKET).cache("demo").put(key, "from Java")).version();
            browser.await(d -> String.valueOf(version).equals(row(browser, key).get("version")));
            assertEquals("\"from Java\"", value(browser, key));
            // Still connected: no 402::session_unknown loop of handshakes.
            assertEquals("connected", browser.text("status"));
            browser.screenshot("cross-site-" + transport);
        }
    }

    /**
     * The same over TLS: the gateway at https://127.0.0.1 (a self-signed certificate that this Chromium is
     * told to accept), the page at http://localhost. The BAYEUX_BROWSER cookie is then Secure and still
     * SameSite=Lax, so it is not sent cross-site either: long polling rests on the handshake's secret.
     */
    @ParameterizedTest
    @ValueSource(strings = {"long-polling", "websocket"})
    void aPageOfAnotherSiteWorksWithTheGatewayOnTls(String transport, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path keystore = io.gridpush.testkit.Keystores.selfSigned(dir);
        int tlsPort = Nginx.freePort();
        String key = "cross-site-tls-" + transport;
        try (TestGateway secure = TestGateway.start(Map.of("tls.enabled", "true", "tls.port", String.valueOf(tlsPort),
                "tls.keystore", keystore.toString(), "tls.keystorePassword", io.gridpush.testkit.Keystores.PASSWORD, "tls.plainHttp", "serve"));
             Nginx site = Nginx.start(gateway.gateway().uri().getPort(), "");
             Browser browser = Browser.open(1200, 800, "--ignore-certificate-errors")) {
            secure.gateway().grid().cache("demo").put("before-" + key, "there");
            browser.get("http://localhost:" + site.port() + "/?transport=" + transport + "&gateway=" + secure.url());
            browser.await(d -> browser.text("status").equals("connected") && browser.text("transport").equals(transport));
            browser.await(d -> "\"there\"".equals(value(browser, "before-" + key)));
            browser.script("window.gridpushDemo.cache.put(arguments[0], 'from the page')", key);
            browser.await(d -> "\"from the page\"".equals(value(browser, key)));
            secure.gateway().grid().cache("demo").put(key, "from Java");
            browser.await(d -> "\"from Java\"".equals(value(browser, key)));
            assertEquals("connected", browser.text("status"), "no 402::session_unknown loop of handshakes");
            assertEquals(true, secure.url().startsWith("https://"), secure.url());
        }
    }

    private static Map<String, String> row(Browser browser, String key) {
        Map<String, String> row = browser.row(key);
        return row == null ? Map.of() : row;
    }

    private static String value(Browser browser, String key) {
        return row(browser, key).get("value");
    }
}
