package io.gridpush.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.Nginx;
import io.gridpush.testkit.RawHttp;
import io.gridpush.testkit.TestGateway;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.ee11.websocket.jakarta.client.JakartaWebSocketClientContainer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** https and wss from a PKCS12 keystore that the test generates; plain HTTP redirects; the session cookie is Secure. */
class TlsTest {
    @Test
    void bothTransportsRunOverTlsAndPlainHttpRedirects(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("gateway.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process generate = new ProcessBuilder(keytool, "-genkeypair", "-alias", "gridpush", "-keyalg", "RSA", "-keysize", "2048",
            "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
            "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit").inheritIO().start();
        assertTrue(generate.waitFor(60, TimeUnit.SECONDS) && generate.exitValue() == 0, "keytool generated the keystore");

        int tlsPort = Nginx.freePort();
        try (TestGateway gateway = TestGateway.start(Map.of("tls.enabled", "true", "tls.port", String.valueOf(tlsPort),
                "tls.keystore", keystore.toString(), "tls.keystorePassword", "changeit", "tls.plainHttp", "redirect"))) {
            assertTrue(gateway.url().startsWith("https://"), gateway.url());

            String plain = RawHttp.exchange(gateway.gateway().plainUri(), "GET /index.html HTTP/1.1", null);
            assertTrue(RawHttp.status(plain) == 301 || RawHttp.status(plain) == 302, plain);
            assertTrue(plain.contains("Location: https://127.0.0.1:" + tlsPort + "/index.html"), plain);

            // The test's certificate is self-signed: this client trusts it explicitly.
            HttpClient http = new HttpClient();
            http.setSslContextFactory(new SslContextFactory.Client(true));
            // As GridpushClient does with its own client: a loaded machine took over 5 s for a wss:// upgrade.
            http.setConnectTimeout(TestGateway.options(Transport.WEBSOCKET).timeout().toMillis());
            http.start();
            JakartaWebSocketClientContainer container = new JakartaWebSocketClientContainer(http);
            LifeCycle.start(container);
            try {
                for (Transport transport : Transport.values()) {
                    GridpushClient client = gateway.client(TestGateway.options(transport).withShared(http, container, null));
                    assertEquals(transport == Transport.WEBSOCKET ? "websocket" : "long-polling", client.transport());
                    long version = Await.result(client.cache("default").put("tls-" + transport, "secret")).version();
                    assertEquals(version, Await.result(client.cache("default").get("tls-" + transport)).version());
                }
                ContentResponse handshake = http.POST(gateway.url() + "/handshake")
                    .body(new StringRequestContent("application/json", RawHttp.HANDSHAKE)).timeout(20, TimeUnit.SECONDS).send();
                assertEquals(200, handshake.getStatus());
                String cookie = handshake.getHeaders().get(HttpHeader.SET_COOKIE);
                assertTrue(cookie.startsWith("BAYEUX_BROWSER="), cookie);
                assertTrue(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), cookie);
                assertEquals(java.net.http.HttpClient.Version.HTTP_2, h2Version(gateway.gateway().uri().resolve("/index.html")),
                    "browsers that offer h2 get it");
            } finally {
                LifeCycle.stop(container);
                http.stop();
            }
        }
    }

    /** The protocol version a client that offers h2 (ALPN) gets, trusting the test's self-signed certificate. */
    private static java.net.http.HttpClient.Version h2Version(java.net.URI uri) throws Exception {
        javax.net.ssl.SSLContext trustAll = javax.net.ssl.SSLContext.getInstance("TLS");
        trustAll.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String auth) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String auth) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(trustAll)
            .version(java.net.http.HttpClient.Version.HTTP_2).connectTimeout(java.time.Duration.ofSeconds(20)).build();
        java.net.http.HttpResponse<String> response = client.send(java.net.http.HttpRequest.newBuilder(uri)
            .timeout(java.time.Duration.ofSeconds(20)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return response.version();
    }
}
