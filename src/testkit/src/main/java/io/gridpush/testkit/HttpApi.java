package io.gridpush.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.ajax.JSON;

/**
 * A plain HTTP client of the gateway's HTTP API (the JDK's {@link HttpClient}, nothing of gridpush), as a
 * service in any language would use it: requests with a bearer token, answers as status, headers and
 * parsed JSON, and Server-Sent Events read line by line. Every wait is bounded.
 */
public final class HttpApi {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI root;
    private final String token;

    public HttpApi(URI gatewayRoot, String token) {
        this.root = gatewayRoot.resolve("/api/v1/");
        this.token = token;
    }

    public HttpApi as(String otherToken) {
        return new HttpApi(root.resolve("/"), otherToken);
    }

    /** {@code caches/{cache}/keys/{key}}, the key percent-encoded as one segment. */
    public static String entry(String cache, String key) {
        return "caches/" + cache + "/keys/" + segment(key);
    }

    /** One path segment: percent-encoded UTF-8, and "." or ".." spelt %2E so that nothing on the way takes them for a step up. */
    public static String segment(String text) {
        String encoded = URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
        return encoded.chars().allMatch(c -> c == '.') ? encoded.replace(".", "%2E") : encoded;
    }

    /** An answer: status, headers (first value of each, lower-case names), and the body parsed as JSON (null when empty). */
    public record Answer(int status, Map<String, String> headers, String text) {
        public Object json() {
            return text.isEmpty() ? null : new JSON().fromJSON(text);
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> map() {
            return (Map<String, Object>)json();
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        public String error() {
            return String.valueOf(map().get("error"));
        }
    }

    public Answer get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    public Answer put(String path, String json, String... headers) {
        return send("PUT", path, json, with(headers, "Content-Type", "application/json"));
    }

    public Answer delete(String path, String... headers) {
        return send("DELETE", path, null, headers);
    }

    public Answer post(String path, String json, String... headers) {
        return send("POST", path, json, with(headers, "Content-Type", "application/json"));
    }

    /** Any request; {@code headers} are name, value pairs. */
    public Answer send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(root.resolve(path)).timeout(TIMEOUT)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> first = new LinkedHashMap<>();
            response.headers().map().forEach((name, values) -> first.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
            return new Answer(response.statusCode(), first, response.body());
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(x);
        }
    }

    private static String[] with(String[] headers, String name, String value) {
        List<String> all = new ArrayList<>(List.of(headers));
        all.add(name);
        all.add(value);
        return all.toArray(String[]::new);
    }

    /** One Server-Sent Event: its id (or null), its type, its data parsed as JSON. */
    public record Event(String id, String type, Map<String, Object> data) {
    }

    /** Opens an event stream ({@code headers}: e.g. Last-Event-ID); {@link Stream#close()} ends it. */
    public Stream events(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(root.resolve(path)).GET().header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            return new Stream(response);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(x);
        }
    }

    /** A stream of events, read on a thread of its own into a queue. */
    public static final class Stream implements AutoCloseable {
        private final HttpResponse<InputStream> response;
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final Thread reader;

        Stream(HttpResponse<InputStream> response) {
            this.response = response;
            this.reader = new Thread(this::read, "sse-reader");
            reader.setDaemon(true);
            if (response.statusCode() == 200) {
                reader.start();
            }
        }

        public int status() {
            return response.statusCode();
        }

        public String contentType() {
            return response.headers().firstValue("Content-Type").orElse("");
        }

        /** The next event, within 20 s, or an AssertionError. */
        public Event next() throws InterruptedException {
            Event event = events.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("no event within " + TIMEOUT.toSeconds() + " s");
            }
            return event;
        }

        /** The next event if one comes within {@code millis}, else null. */
        public Event poll(long millis) throws InterruptedException {
            return events.poll(millis, TimeUnit.MILLISECONDS);
        }

        @SuppressWarnings("unchecked")
        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String id = null;
                String type = null;
                StringBuilder data = new StringBuilder();
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.isEmpty()) {
                        if (type != null) {
                            events.add(new Event(id, type, (Map<String, Object>)new JSON().fromJSON(data.toString())));
                        }
                        id = null;
                        type = null;
                        data.setLength(0);
                    } else if (line.startsWith("id: ")) {
                        id = line.substring(4);
                    } else if (line.startsWith("event: ")) {
                        type = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        data.append(line.substring(6));
                    }
                }
            } catch (IOException x) {
                // Closed.
            }
        }

        @Override
        public void close() throws IOException {
            response.body().close();
        }
    }
}
