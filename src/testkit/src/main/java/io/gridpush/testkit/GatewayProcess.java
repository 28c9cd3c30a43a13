package io.gridpush.testkit;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A gateway in a process of its own (this JVM's classpath), which a test can kill -9 and restart. It runs
 * with the shipped JVM options ({@code config/jvm.options}, as README's run command), then {@code jvmArgs}.
 */
public final class GatewayProcess implements AutoCloseable {
    private static final int TAIL_LINES = 60;
    private final List<String> command;
    private final String name;
    private Process process;

    public GatewayProcess(List<String> jvmArgs, List<String> args) {
        command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("@" + Path.of("config", "jvm.options").toAbsolutePath());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.gridpush.server.GatewayCommand");
        command.addAll(args);
        name = String.join(" ", args).replaceAll(".*--http\\.port[= ](\\d+).*", "port $1");
    }

    /** Starts the process and waits (bounded) for its "serving" log line. */
    public GatewayProcess start() throws Exception {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Void> serving = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            java.util.ArrayDeque<String> tail = new java.util.ArrayDeque<>();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                boolean echoing = false;
                while ((line = lines.readLine()) != null) {
                    if (!serving.isDone()) {
                        tail.addLast(line);
                        if (tail.size() > TAIL_LINES) {
                            tail.removeFirst();
                        }
                    }
                    if (line.contains("gridpush serving")) {
                        serving.complete(null);
                    }
                    // Warnings, errors and their stack traces reach the test's output, so that a failure seen
                    // only in CI can be explained from its log.
                    boolean continuation = echoing && (line.startsWith("\t") || line.startsWith("Caused by") || line.startsWith("\tat "));
                    echoing = continuation || line.contains(" WARN ") || line.contains(" ERROR ");
                    if (echoing) {
                        System.out.println("[gateway " + name + "] " + line);
                    }
                }
            } catch (Exception ignored) {
                // The process ended.
            }
            // The last lines before the exit say why (an INFO line may be the only one), also in CI.
            serving.completeExceptionally(new IllegalStateException("the gateway process " + name + " exited before serving; its last lines:\n"
                + String.join("\n", tail)));
        }, "gateway-process-output");
        reader.setDaemon(true);
        reader.start();
        serving.get(90, TimeUnit.SECONDS);
        return this;
    }

    /** kill -9. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                System.out.println("[gateway " + name + "] did not stop within 20 s of SIGTERM; killed");
                process.destroyForcibly();
                // Wait for the kill too: a restart on the same ports must not race the old process for them.
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
