package io.gridpush.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.protocol.KeySegments;
import io.gridpush.testkit.TestGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The npm package of the browser client (webapp/package/) as an app uses it: {@code npm pack} builds the
 * tarball, the TypeScript sample project (src/tests/src/test/npm-sample, esbuild and TypeScript pinned in
 * its lock file) installs it, type-checks sample.ts strictly, bundles it, and runs the bundle under Node.js
 * against a real gateway. It needs nothing but Node.js and npm (the npm registry, or its cache).
 */
class NpmPackageTest {
    static final Path PACKAGE = Path.of("webapp/package");
    static final Path SAMPLE_SOURCE = Path.of("src/tests/src/test/npm-sample");
    static final Path WORK = Path.of("src/tests/target/npm-package");
    static final Path SAMPLE = WORK.resolve("sample");
    static final Path ADAPTER = Path.of("webapp/node_modules/cometd-nodejs-client/cometd-nodejs-client.js");

    @RegisterExtension
    static final TestGateway gateway = TestGateway.of();

    @BeforeAll
    static void packInstallAndBundle() throws Exception {
        assertTrue(Files.isRegularFile(ADAPTER), "webapp/node_modules is missing: the Maven build runs `npm ci` in webapp/ (needs Node.js and npm)");
        deleteTree(WORK);
        Path tarballs = Files.createDirectories(WORK.resolve("tarball"));
        run(PACKAGE, "npm", "pack", "--pack-destination", tarballs.toAbsolutePath().toString());
        Path tarball;
        try (Stream<Path> files = Files.list(tarballs)) {
            tarball = files.filter(f -> f.toString().endsWith(".tgz")).findFirst().orElseThrow(() -> new AssertionError("npm pack made no tarball"));
        }
        copyTree(SAMPLE_SOURCE, SAMPLE);
        Files.writeString(SAMPLE.resolve("readme-example.ts"), readmeExample());
        // Scripts off: esbuild's postinstall only checks its binary, which its bin script finds by itself.
        run(SAMPLE, "npm", "ci", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts");
        run(SAMPLE, "npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts",
            tarball.toAbsolutePath().toString());
        run(SAMPLE, "node", "node_modules/esbuild/bin/esbuild", "sample.ts", "--bundle", "--format=esm", "--platform=browser",
            "--target=es2022", "--outfile=dist/sample.js", "--metafile=dist/meta.json");
    }

    @Test
    void theTarballShipsTheClientWithLinkImportingTheCometDDependency() throws Exception {
        Path installed = SAMPLE.resolve("node_modules/gridpush-client");
        for (String file : List.of("gridpush.js", "link.js", "version-gate.js", "gridpush.d.ts", "version-gate.d.ts")) {
            assertTrue(Files.isRegularFile(installed.resolve(file)), file + " is not in the tarball");
        }
        assertTrue(Files.notExists(installed.resolve("build.mjs")), "build.mjs is shipped");
        String link = Files.readString(installed.resolve("link.js"));
        assertTrue(link.contains("import { CometD, AckExtension } from \"cometd\";") && !link.contains("./cometd/"),
            link.lines().limit(20).toList().toString());
        Map<?, ?> cometd = (Map<?, ?>)new JSON().fromJSON(Files.readString(SAMPLE.resolve("node_modules/cometd/package.json")));
        assertEquals("9.0.0", cometd.get("version"), "the cometd that gridpush-client depends on");
    }

    @Test
    void theSampleAndTheReadmeExampleTypeCheckStrictlyAndEveryMisuseIsRefused() throws Exception {
        // The sample's @ts-expect-error lines make tsc fail when a declaration lets a misuse through.
        String output = run(SAMPLE, "node", "node_modules/typescript/bin/tsc", "-p", "tsconfig.json");
        assertEquals("", output.strip());
        // The same for an app that Node.js resolves (the package's "exports" and their "types").
        output = run(SAMPLE, "node", "node_modules/typescript/bin/tsc", "-p", "tsconfig.json", "--module", "nodenext", "--moduleResolution", "nodenext");
        assertEquals("", output.strip());
    }

    @Test
    void theBundleHoldsTheClientAndCometDFromThePackage() throws Exception {
        Map<?, ?> meta = (Map<?, ?>)new JSON().fromJSON(Files.readString(SAMPLE.resolve("dist/meta.json")));
        Map<?, ?> inputs = (Map<?, ?>)meta.get("inputs");
        for (String input : List.of("node_modules/gridpush-client/gridpush.js", "node_modules/gridpush-client/link.js",
            "node_modules/gridpush-client/version-gate.js", "node_modules/cometd/cometd.js", "node_modules/cometd/WebSocketTransport.js")) {
            assertTrue(inputs.containsKey(input), input + " is not bundled: " + inputs.keySet());
        }
    }

    @Test
    void theBundledSampleWritesAndReadsBackThroughAGatewayOnBothTransports() throws Exception {
        long home = ThreadLocalRandom.current().nextInt(1000);
        long away = ThreadLocalRandom.current().nextInt(1000);
        String score = "{\"home\":" + home + ",\"away\":" + away + "}";
        String output = run(SAMPLE, Map.of("GRIDPUSH_URL", gateway.url(), "GRIDPUSH_SCORE", score,
            "GRIDPUSH_ADAPTER", ADAPTER.toAbsolutePath().toString()), "node", "run.mjs");
        List<Map<?, ?>> reports = new ArrayList<>();
        output.lines().filter(line -> line.startsWith("{")).forEach(line -> reports.add((Map<?, ?>)new JSON().fromJSON(line)));
        assertEquals(2, reports.size(), output);
        for (int i = 0; i < 2; i++) {
            Map<?, ?> report = reports.get(i);
            String transport = i == 0 ? "websocket" : "long-polling";
            String key = "npm-sample:" + transport;
            assertEquals(transport, report.get("transport"), output);
            assertEquals(KeySegments.encode(key), report.get("segment"), output);
            assertEquals(Map.of("home", home, "away", away), report.get("pushed"), output);
            assertEquals(Map.of("home", home, "away", away), report.get("read"), output);
            // close() ends with "disconnected".
            assertEquals(List.of("connecting", "connected", "disconnected"), List.of((Object[])report.get("statuses")), output);
            assertEquals(List.of("snapshot", "created"), List.of((Object[])report.get("notified")), output);
            assertEquals("unknown_cache", report.get("error"), output);
            // What the bundle wrote is in the gateway, at the version it was told.
            Entry entry = gateway.shared(Transport.WEBSOCKET).cache("default").get(key).get(15, TimeUnit.SECONDS);
            assertEquals(Map.of("home", home, "away", away), entry.value());
            assertEquals(((Number)report.get("put")).longValue(), entry.version());
        }
    }

    /** README's TypeScript example, with the page functions it calls, type-checked with the sample (tsconfig includes *.ts). */
    private static String readmeExample() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("\n## npm package and TypeScript\n");
        assertTrue(section >= 0, "README.md has no section \"npm package and TypeScript\"");
        int start = readme.indexOf("```ts\n", section) + "```ts\n".length();
        int end = readme.indexOf("```", start);
        return readme.substring(start, end)
            + "declare function show(key: string, value: Score): void;\n"
            + "declare function hide(key: string): void;\n";
    }

    private static String run(Path directory, String... command) throws Exception {
        return run(directory, Map.of(), command);
    }

    /** Runs a command to its end (2 minutes at most) and returns its output; fails unless it exits with 0. */
    private static String run(Path directory, Map<String, String> environment, String... command) throws Exception {
        Path log = Files.createTempFile("gridpush-npm-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        boolean finished = process.waitFor(2, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        assertTrue(finished, String.join(" ", command) + " did not finish within 2 minutes:\n" + output);
        assertEquals(0, process.exitValue(), String.join(" ", command) + " in " + directory + ":\n" + output);
        return output;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(f -> !f.toString().contains("node_modules") && !f.toString().contains("dist")).toList()) {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }
}
