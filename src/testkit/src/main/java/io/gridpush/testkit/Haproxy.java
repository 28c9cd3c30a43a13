package io.gridpush.testkit;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The shipped config/haproxy.cfg in front of gateway nodes on loopback, as a process of its own. */
public final class Haproxy implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/haproxy");
    private final Process process;
    private final int port;

    private Haproxy(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts haproxy on a free port with the three backends {@code ports}, and waits (bounded) until it listens. */
    public static Haproxy start(Path dir, int... ports) throws Exception {
        int front = Nginx.freePort();
        String config = Files.readString(Path.of("config/haproxy.cfg"))
            .replace("127.0.0.1:8000", "127.0.0.1:" + front)
            .replace("127.0.0.1:8081", "127.0.0.1:" + ports[0])
            .replace("127.0.0.1:8082", "127.0.0.1:" + ports[1])
            .replace("127.0.0.1:8083", "127.0.0.1:" + ports[2]);
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, config);
        Process process = new ProcessBuilder(BINARY.toString(), "-db", "-f", file.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", front)) {
                // Health checks need a moment to mark the nodes up.
                process.waitFor(3, TimeUnit.SECONDS);
                return new Haproxy(process, front);
            } catch (java.io.IOException x) {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("haproxy is not listening: " + Files.readString(dir.resolve("haproxy.log")));
    }

    /** The Bayeux URL through the balancer. */
    public String cometdUrl() {
        return "http://127.0.0.1:" + port + "/cometd";
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
