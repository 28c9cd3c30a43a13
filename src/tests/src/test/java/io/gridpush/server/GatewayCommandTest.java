package io.gridpush.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.testkit.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Start-up failures end with one line that names the problem and the fix, and exit code 2; no stack trace. */
class GatewayCommandTest {
    @Test
    void aBadSettingOrABusyPortIsOneLine() throws Exception {
        String unknown = run("--htp.port=1");
        assertTrue(unknown.startsWith("gridpush: bad configuration: unknown setting 'htp.port'"), unknown);
        String notAnOption = run("http.port=1");
        assertTrue(notAnOption.contains("override settings as --KEY=VALUE"), notAnOption);
        String badKey = run("--security.jwt.rsaPublicKey=-----BEGIN PUBLIC KEY-----not a key-----END PUBLIC KEY-----");
        assertTrue(badKey.startsWith("gridpush: bad configuration: security.jwt.rsaPublicKey is not an RSA public key in PEM"), badKey);
        String missing = run("--infinispan.config=infinispan-cluster.xml");
        assertTrue(missing.contains("embedded:infinispan-cluster.xml"), "names the jar's copy instead of using it silently: " + missing);
        try (TestGateway busy = TestGateway.start()) {
            String taken = run("--http.port=" + busy.gateway().uri().getPort(), "--demo.feeder=false");
            assertTrue(taken.startsWith("gridpush: cannot listen on 127.0.0.1:" + busy.gateway().uri().getPort()), taken);
            assertTrue(taken.contains("choose another http.port"), taken);
        }
    }

    @Test
    void theEnvironmentOverridesSettingsAndAMistypedOneIsOneLine() throws Exception {
        ProcessBuilder child = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), "io.gridpush.server.GatewayCommand").redirectErrorStream(true);
        child.environment().put("CONFIG_FORCE_htp_port", "1");
        Process process = child.start();
        assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(2, process.exitValue(), output);
        assertEquals("gridpush: bad configuration: unknown setting 'htp.port' in the environment (CONFIG_FORCE_...); " +
            "the settings are listed in config/gridpush.conf", output);
    }

    @Test
    void versionAndHelpNameTheBuildAndEverySetting() {
        java.io.StringWriter version = new java.io.StringWriter();
        CommandLine command = new CommandLine(new GatewayCommand());
        command.setOut(new java.io.PrintWriter(version));
        assertEquals(0, command.execute("--version"));
        assertTrue(version.toString().matches("(?s)gridpush \\d+\\.\\d+\\.\\d+.*Jetty 12\\..*Infinispan 16\\..*"), version.toString());
        String help = String.join("\n", GatewayCommand.settingsHelp());
        for (String setting : io.gridpush.config.ConfigLoader.defaults().keySet()) {
            assertTrue(help.contains("  " + setting + " = "), setting + " listed in --help");
        }
        assertTrue(help.contains("CONFIG_FORCE_"), help);
    }

    private static String run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int code;
        // GatewayCommand writes its one line to System.err; this test class runs alone in its thread.
        synchronized (GatewayCommandTest.class) {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            try {
                code = new CommandLine(new GatewayCommand()).execute(args);
            } finally {
                System.setErr(saved);
            }
        }
        String text = err.toString(StandardCharsets.UTF_8).strip();
        // Exit code 2 is GatewayCommand's own answer; an exception escaping to picocli would give 1 and a stack trace.
        assertEquals(2, code, text);
        // Other test classes run meanwhile and may write to System.err too: keep its lines only.
        java.util.List<String> ours = text.lines().filter(line -> line.startsWith("gridpush: ")).toList();
        assertEquals(1, ours.size(), text);
        assertFalse(text.contains("at io.gridpush.server.GatewayCommand"), "no stack trace: " + text);
        return ours.get(0);
    }
}
