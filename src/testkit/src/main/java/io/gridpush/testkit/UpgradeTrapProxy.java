package io.gridpush.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback proxy that half-works, as some corporate proxies and middleboxes do: plain HTTP requests
 * pass to the gateway, but a WebSocket upgrade gets a valid {@code 101 Switching Protocols} from the proxy
 * itself, after which it either passes nothing either way ({@link Mode#BLACK_HOLE}) or closes the
 * connection at once ({@link Mode#CLOSE}).
 */
public final class UpgradeTrapProxy implements AutoCloseable {
    /** What happens to a WebSocket after the 101. */
    public enum Mode { BLACK_HOLE, CLOSE }

    private static final Pattern KEY = Pattern.compile("(?im)^sec-websocket-key:\\s*(\\S+)\\s*$");
    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private final ServerSocket listener;
    private final int targetPort;
    private final Mode mode;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile int upgrades;
    private volatile boolean closed;

    public UpgradeTrapProxy(int targetPort, Mode mode) throws IOException {
        this.targetPort = targetPort;
        this.mode = mode;
        this.listener = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "trap-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** WebSocket upgrades trapped so far. */
    public int upgrades() {
        return upgrades;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                sockets.add(client);
                Thread thread = new Thread(() -> serve(client), "trap-connection");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException x) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serve(Socket client) {
        try {
            byte[] head = readHead(client.getInputStream());
            String text = new String(head, StandardCharsets.ISO_8859_1);
            Matcher key = KEY.matcher(text);
            if (text.toLowerCase(Locale.ROOT).contains("upgrade: websocket") && key.find()) {
                ++upgrades;
                OutputStream out = client.getOutputStream();
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                    "Sec-WebSocket-Accept: " + accept(key.group(1)) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (mode == Mode.CLOSE) {
                    Sockets.closeQuietly(client);
                    return;
                }
                // The black hole: read and drop whatever the client sends, answer nothing, never close.
                client.getInputStream().transferTo(OutputStream.nullOutputStream());
                return;
            }
            Socket server = new Socket();
            server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
            sockets.add(server);
            server.getOutputStream().write(head);
            Sockets.pump(server, client, "trap-pump");
            Sockets.pump(client, server, "trap-pump");
        } catch (IOException x) {
            Sockets.closeQuietly(client);
        }
    }

    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the request head ended");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }

    private static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException x) {
            throw new IllegalStateException("SHA-1 is part of every JDK", x);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        for (Socket socket : sockets) {
            Sockets.closeQuietly(socket);
        }
    }
}
