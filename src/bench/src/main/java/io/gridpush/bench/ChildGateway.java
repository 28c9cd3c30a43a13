package io.gridpush.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A gateway in a child JVM (same jar, default configuration with the per-address limits lifted), so that
 * its heap holds nothing of the load clients; heap is read after full GCs requested with jcmd.
 */
final class ChildGateway implements AutoCloseable {
    private final Process process;
    private final String url;
    private final URI metrics;
    private final URI health;
    /** One client for every scrape and health poll (each new HttpClient starts its own selector thread). */
    private final HttpClient http = HttpClient.newHttpClient();

    private ChildGateway(Process process, String url) {
        this.process = process;
        this.url = url;
        this.metrics = URI.create(url.replace("/cometd", "/metrics"));
        this.health = URI.create(url.replace("/cometd", "/health"));
    }

    static ChildGateway start(String heap, String... settings) throws Exception {
        return start(List.of("-Xmx" + heap), settings);
    }

    /** A child gateway with these JVM options (heap, collector) and these settings. */
    static ChildGateway start(List<String> jvm, String... settings) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(jvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
            "io.gridpush.server.GatewayCommand", "--http.port=0", "--demo.feeder=false", "--limits.sessionsPerAddress=-1",
            "--limits.handshakesPerSecondPerAddress=-1", "--limits.operationsPerSecond=-1"));
        command.addAll(List.of(settings));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            return new ChildGateway(process, awaitUrl(process));
        } catch (Exception x) {
            process.destroy();
            throw x;
        }
    }

    String url() {
        return url;
    }

    /** Heap in use (bytes) right after a full GC of the gateway process. */
    double heapAfterGc() throws Exception {
        for (int i = 0; i < 2; ++i) {
            jcmd("GC.run");
        }
        String text = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
        double used = 0;
        Matcher matcher = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\",[^}]*\\} (\\S+)$").matcher(text);
        while (matcher.find()) {
            used += Double.parseDouble(matcher.group(1));
        }
        return used;
    }

    /** One gauge or counter of /metrics (the sum of its series), or NaN. */
    double metric(String name) throws Exception {
        String text = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$").matcher(text);
        double sum = Double.NaN;
        while (matcher.find()) {
            sum = (Double.isNaN(sum) ? 0 : sum) + Double.parseDouble(matcher.group(2));
        }
        return sum;
    }

    /**
     * Committed KB of each area of Native Memory Tracking (Java Heap, Thread, Code, ...), or nothing when the
     * gateway's JVM does not track (-XX:NativeMemoryTracking=summary).
     */
    Map<String, Long> nativeMemoryKb() throws Exception {
        String text = jcmd("VM.native_memory", "summary");
        Map<String, Long> areas = new LinkedHashMap<>();
        Matcher matcher = Pattern.compile("(?m)^-\\s+(\\S[^(]*?) \\(reserved=\\d+KB, committed=(\\d+)KB").matcher(text);
        while (matcher.find()) {
            areas.put(matcher.group(1).trim(), Long.parseLong(matcher.group(2)));
        }
        return areas;
    }

    /** Runs a jcmd command against the gateway process and returns what it printed. */
    private String jcmd(String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
            String.valueOf(process.pid())));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String text = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(60, TimeUnit.SECONDS);
        return text;
    }

    /**
     * CPU seconds the gateway process has used so far, user and system (fields 14 and 15 of
     * /proc/PID/stat, in clock ticks; 100 per second on Linux).
     */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count from after it.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (java.io.IOException x) {
            throw new java.io.UncheckedIOException(x);
        }
    }

    /** The gateway's /health status code: 200 once it serves (a cluster node: once it holds its share). */
    int health() throws Exception {
        return http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    double rssMegabytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return -1;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    private static String awaitUrl(Process gateway) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
        Pattern serving = Pattern.compile("Bayeux at (\\S+),");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        StringBuilder said = new StringBuilder();
        while (System.nanoTime() < deadline && (line = reader.readLine()) != null) {
            if (said.length() < 4000) {
                said.append(line).append('\n');
            }
            Matcher matcher = serving.matcher(line);
            if (matcher.find()) {
                Thread drain = new Thread(() -> reader.lines()
                    .filter(l -> l.contains("Exception") || l.contains("WARN") || l.contains("ERROR")).limit(20)
                    .forEach(l -> System.err.println("gateway: " + l)), "gateway-output");
                drain.setDaemon(true);
                drain.start();
                return matcher.group(1);
            }
        }
        throw new IllegalStateException("the gateway process did not start:\n" + said);
    }
}
