package io.gridpush.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.testkit.HttpApi;
import io.gridpush.testkit.TestGateway;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP API from the tools a backend in another language uses: curl, and a client in Python's
 * standard library ({@code src/test/resources/http/api_client.py}). Each runs against the real gateway
 * and the test checks what it observed.
 */
class HttpClientsTest {
    private static final long WAIT_SECONDS = 60;

    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of("security.anonymous", "false", "security.tokens", "{ svc-token = svc }"));

    private static String base() {
        return gateway.gateway().uri().toString();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPythonClientOfTheStandardLibraryReadsWritesPagesAndStreams() throws Exception {
        Path script = Path.of(HttpClientsTest.class.getResource("/http/api_client.py").toURI());
        String output = run(List.of("python3", script.toString(), base(), "svc-token", "py:key/1"));
        Map<String, Object> report = (Map<String, Object>)new JSON().fromJSON(output);

        Map<?, ?> created = (Map<?, ?>)report.get("created");
        assertEquals(201L, created.get("status"));
        assertEquals("\"" + created.get("version") + "\"", created.get("etag"));
        Map<?, ?> read = (Map<?, ?>)report.get("read");
        assertEquals(Map.of("from", "python", "n", 1L), read.get("value"));
        assertEquals(created.get("etag"), read.get("etag"));
        assertEquals(Map.of("status", 412L, "error", "precondition_failed"), report.get("stale"));
        assertEquals(200L, ((Map<?, ?>)report.get("replaced")).get("status"));

        Object[] events = (Object[])report.get("events");
        assertEquals(2, events.length, output);
        Map<?, ?> snapshot = (Map<?, ?>)events[0];
        Map<?, ?> modified = (Map<?, ?>)events[1];
        assertEquals("snapshot", snapshot.get("event"));
        assertEquals(Map.of("from", "python", "n", 2L), ((Map<?, ?>)snapshot.get("data")).get("value"));
        assertEquals("modified", modified.get("event"));
        assertEquals(Map.of("from", "python", "n", 3L), ((Map<?, ?>)modified.get("data")).get("value"));
        assertEquals(String.valueOf(((Map<?, ?>)modified.get("data")).get("version")), modified.get("id"));

        Object[] results = (Object[])((Map<?, ?>)report.get("batch")).get("results");
        assertEquals(3, results.length);
        assertEquals(false, ((Map<?, ?>)results[1]).get("stored"));
        assertEquals(false, ((Map<?, ?>)results[2]).get("removed"));
        assertEquals(List.of("py:key/1", "py:key/1-b1"), List.of((Object[])report.get("paged")));
        assertEquals(204L, report.get("deleted"));
        assertEquals(Map.of("status", 404L, "error", "not_found"), report.get("gone"));
        assertEquals(1L, new HttpApi(gateway.gateway().uri(), "svc-token").get(HttpApi.entry("default", "py:key/1-b1")).map().get("value"));
    }

    @Test
    void curlWritesConditionallyAndReadsTheStream() throws Exception {
        String entry = base() + "api/v1/caches/default/keys/curl%2Fkey";
        String auth = "Authorization: Bearer svc-token";
        String created = run(List.of("curl", "-s", "-i", "-X", "PUT", "-H", auth, "-H", "Content-Type: application/json", "--data", "{\"a\":1}", entry));
        assertTrue(created.startsWith("HTTP/1.1 201"), created);
        String etag = header(created, "ETag");

        String stale = run(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "-H", auth, "-H", "Content-Type: application/json",
            "-H", "If-Match: \"12\"", "--data", "2", entry));
        assertEquals("412", stale);
        String notModified = run(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", auth, "-H", "If-None-Match: " + etag, entry));
        assertEquals("304", notModified);
        String unauthorized = run(List.of("curl", "-s", "-w", "\n%{http_code}", entry));
        assertTrue(unauthorized.endsWith("\n401") && unauthorized.contains("\"error\":\"unauthorized\""), unauthorized);

        Process stream = new ProcessBuilder("curl", "-s", "-N", "--max-time", String.valueOf(WAIT_SECONDS), "-H", auth, entry + "/events")
            .redirectErrorStream(true).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> seen = new ArrayList<>();
            awaitLine(lines, "event: snapshot", seen);
            awaitLine(lines, "data: ", seen);
            String put = run(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "-H", auth, "-H", "Content-Type: application/json",
                "-H", "If-Match: " + etag, "--data", "{\"a\":2}", entry));
            assertEquals("200", put);
            awaitLine(lines, "event: modified", seen);
            String data = awaitLine(lines, "data: ", seen);
            assertTrue(data.contains("\"value\":{\"a\":2}") && data.contains("\"key\":\"curl/key\""), data);
        } finally {
            stream.destroy();
            stream.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String awaitLine(BufferedReader lines, String prefix, List<String> seen) throws IOException {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            seen.add(line);
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("the stream ended before a line starting '" + prefix + "'; seen " + seen);
    }

    private static String header(String response, String name) {
        for (String line : response.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new AssertionError("no " + name + " in " + response);
    }

    /** Runs a command to its end (bounded), returning its standard output; a non-zero exit fails with what it printed. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command.get(0) + " did not finish within " + WAIT_SECONDS + " s");
        }
        assertEquals(0, process.exitValue(), command + " failed: " + err);
        return new String(out, StandardCharsets.UTF_8).trim();
    }
}
