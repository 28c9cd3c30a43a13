package io.gridpush.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** A real nginx from Debian, on a free loopback port, proxying to a gateway. Started and stopped by the test. */
public final class Nginx implements AutoCloseable {
    public static final Path NGINX = Path.of("/usr/sbin/nginx");
    private final Process process;
    private final Path dir;
    private final int port;

    private Nginx(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /**
     * Starts nginx in front of {@code upstreamPort}. {@code proxySettings} go in the proxied location,
     * for example headers that strip the WebSocket upgrade or a short read timeout.
     */
    public static Nginx start(int upstreamPort, String proxySettings) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(NGINX), "SKIPPED proxy test: nginx is not installed (apt-get install nginx-light; .ci/run does this)");
        int port = freePort();
        Path dir = Files.createTempDirectory("gridpush-nginx-");
        Files.createDirectories(dir.resolve("logs"));
        String config = """
            worker_processes 1;
            pid %1$s/nginx.pid;
            error_log %1$s/logs/error.log warn;
            events { worker_connections 1024; }
            http {
              access_log off;
              client_body_temp_path %1$s/body;
              proxy_temp_path %1$s/proxy;
              fastcgi_temp_path %1$s/fastcgi;
              uwsgi_temp_path %1$s/uwsgi;
              scgi_temp_path %1$s/scgi;
              map $http_upgrade $connection_upgrade { default upgrade; '' close; }
              server {
                listen 127.0.0.1:%2$d;
                location / {
                  proxy_pass http://127.0.0.1:%3$d;
                  proxy_http_version 1.1;
                  %4$s
                  %5$s
                }
              }
            }
            """.formatted(dir, port, upstreamPort, proxySettings,
                // Unbuffered unless the test asks for a buffering proxy (nginx refuses a directive given twice).
                proxySettings.contains("proxy_buffering") ? "" : "proxy_buffering off;");
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, config);
        Process process = new ProcessBuilder(NGINX.toString(), "-c", file.toString(), "-p", dir.toString(), "-g", "daemon off;")
            .redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
        Nginx nginx = new Nginx(process, dir, port);
        nginx.awaitListening();
        return nginx;
    }

    public int port() {
        return port;
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Events.WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited: " + Files.readString(dir.resolve("logs/stdout.log")) +
                    Files.readString(dir.resolve("logs/error.log")));
            }
            try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException x) {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
        throw new IllegalStateException("nginx is not listening on " + port);
    }

    /** A port that was free a moment ago (nginx cannot listen on port 0 and report it). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
