package io.gridpush.testkit;

import io.gridpush.server.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy that a benchmark or a test can freeze (it stops reading from the server, so the server's writes
 * back up as they would to a client that stops reading) and cut (every connection dropped at once).
 */
public final class FreezingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile boolean frozen;
    private volatile boolean closed;

    public FreezingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** The gateway's Bayeux URL through this proxy. */
    public String cometdUrl() {
        return "http://127.0.0.1:" + port() + HttpServer.COMETD_PATH;
    }

    /** Stops reading from the server: its replies and events pile up behind a full TCP window. */
    public void freeze() {
        frozen = true;
    }

    public void thaw() {
        synchronized (gate) {
            frozen = false;
            gate.notifyAll();
        }
    }

    /** Drops every open connection, as a network outage would. New connections are accepted. */
    public void cut() {
        for (Socket socket : sockets) {
            Sockets.closeQuietly(socket);
        }
        sockets.clear();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                // Small buffers, so that a frozen proxy backs the server up quickly.
                server.setReceiveBufferSize(16 * 1024);
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
                sockets.add(client);
                sockets.add(server);
                if (closed) {
                    // Accepted while closing: this pair must not outlive the proxy.
                    Sockets.closeQuietly(client);
                    Sockets.closeQuietly(server);
                    return;
                }
                pump(client, server, false);
                pump(server, client, true);
            } catch (IOException x) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean freezable) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                while (true) {
                    if (freezable) {
                        synchronized (gate) {
                            while (frozen && !closed) {
                                gate.wait(1000);
                            }
                        }
                    }
                    int read = in.read(buffer);
                    if (read < 0) {
                        break;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException | InterruptedException x) {
                // The other side went away, or the test cut the connection.
            } finally {
                Sockets.closeQuietly(from);
                Sockets.closeQuietly(to);
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        thaw();
        listener.close();
        cut();
    }
}
