package io.gridpush.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** What the test kit's proxies share: copying one socket to another, and closing without caring how. */
final class Sockets {
    private Sockets() {
    }

    /** Copies {@code from} to {@code to} on a daemon thread until either side goes away, then closes both. */
    static void pump(Socket from, Socket to, String threadName) {
        Thread thread = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                byte[] buffer = new byte[8192];
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException x) {
                // One side went away.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
    }
}
