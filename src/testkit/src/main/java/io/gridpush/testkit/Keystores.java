package io.gridpush.testkit;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A self-signed PKCS12 keystore for 127.0.0.1 and localhost (password "changeit"), made by the JDK's keytool. */
public final class Keystores {
    public static final String PASSWORD = "changeit";

    private Keystores() {
    }

    public static Path selfSigned(Path dir) throws Exception {
        Path keystore = dir.resolve("gateway.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process generate = new ProcessBuilder(keytool, "-genkeypair", "-alias", "gridpush", "-keyalg", "RSA", "-keysize", "2048",
            "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
            "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD).inheritIO().start();
        if (!generate.waitFor(60, TimeUnit.SECONDS) || generate.exitValue() != 0) {
            throw new IllegalStateException("keytool could not generate " + keystore);
        }
        return keystore;
    }
}
