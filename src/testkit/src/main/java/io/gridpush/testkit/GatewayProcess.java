package io.gridpush.testkit;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A gateway in a process of its own (this JVM's classpath), which a test can kill -9 and restart. */
public final class GatewayProcess implements AutoCloseable {
    private final List<String> command;
    private Process process;

    public GatewayProcess(List<String> jvmArgs, List<String> args) {
        command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.gridpush.server.GatewayCommand");
        command.addAll(args);
    }

    /** Starts the process and waits (bounded) for its "serving" log line. */
    public GatewayProcess start() throws Exception {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Void> serving = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.contains("gridpush serving")) {
                        serving.complete(null);
                    }
                }
            } catch (Exception ignored) {
                // The process ended.
            }
            serving.completeExceptionally(new IllegalStateException("the gateway process exited before serving"));
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
                process.destroyForcibly();
            }
        }
    }
}
