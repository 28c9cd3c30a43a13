package io.gridpush.server;

import io.gridpush.config.ConfigLoader;
import io.gridpush.config.ConfigLoader.ConfigError;
import io.gridpush.config.GatewayConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code gridpush [--config FILE] [--KEY=VALUE ...]}: runs a gateway until it is stopped. A bad setting or a
 * busy port ends with one line on stderr and exit code 2. {@code io.gridpush.Main} (the distribution) adds
 * the {@code bench} subcommand; tests and the load tool start child gateways with this class's {@link #main}.
 */
@Command(name = "gridpush", mixinStandardHelpOptions = true, versionProvider = GatewayCommand.Version.class,
    description = "Pushes Infinispan cache changes to browsers and Java programs over CometD (WebSocket, long polling).")
public final class GatewayCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayCommand.class);

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (HOCON); unset keys keep the embedded defaults.")
    Path config;

    @Unmatched
    List<String> overrides = new java.util.ArrayList<>();

    public static void main(String[] args) {
        run(new CommandLine(new GatewayCommand()), args);
    }

    /** Runs {@code command} as the process's command line; exits with its code unless that is 0 (the gateway's threads keep running). */
    public static void run(CommandLine command, String[] args) {
        command.getCommandSpec().usageMessage().footer(settingsHelp());
        // Infinispan's JGroups and some JDK parts log through java.util.logging: send that to SLF4J too.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        int code = command.execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws Exception {
        GatewayConfig loaded;
        try {
            loaded = ConfigLoader.load(config, parseOverrides(overrides));
        } catch (ConfigError x) {
            return fail("bad configuration: " + x.getMessage());
        }
        Gateway gateway = Gateway.create(loaded);
        try {
            gateway.start();
        } catch (Exception x) {
            stopQuietly(gateway);
            ConfigError configError = cause(x, ConfigError.class);
            if (configError != null) {
                return fail("bad configuration: " + configError.getMessage());
            }
            java.net.BindException bind = cause(x, java.net.BindException.class);
            if (bind != null) {
                return fail("cannot listen on " + loaded.http().host() + ":" + loaded.http().port() + " (" + bind.getMessage() +
                    "); choose another http.port, or 0 for a free one");
            }
            throw x;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                gateway.stop();
            } catch (Exception x) {
                LOG.warn("Error while stopping", x);
            }
        }, "gridpush-shutdown"));
        LOG.info("gridpush serving {} (Bayeux at {}, caches {})", gateway.uri(), gateway.cometdUrl(), loaded.caches().keySet());
        gateway.join();
        return 0;
    }

    /**
     * The --help footer: every setting with its embedded default, and the ways to override it. The list
     * comes from the embedded gridpush.conf, so it cannot fall out of date.
     */
    static String[] settingsHelp() {
        java.util.List<String> lines = new java.util.ArrayList<>(java.util.List.of("",
            "Settings (the embedded defaults of config/gridpush.conf, where each is explained). Override each as",
            "  --KEY=VALUE on the command line (lists as a,b or [a, b]), in a --config FILE (HOCON), or in the",
            "  environment as CONFIG_FORCE_KEY with each '.' written '_' (CONFIG_FORCE_http_port=8081).",
            "  The command line wins over the environment, which wins over the file.", ""));
        ConfigLoader.defaults().forEach((key, value) -> lines.add("  " + key + " = " + value));
        return lines.toArray(new String[0]);
    }

    /** {@code --version}: gridpush's version (from the build), and those of the parts it runs on. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws Exception {
            java.util.Properties build = new java.util.Properties();
            try (java.io.InputStream in = GatewayCommand.class.getClassLoader().getResourceAsStream("gridpush-version.properties")) {
                if (in != null) {
                    build.load(in);
                }
            }
            return new String[]{"gridpush " + build.getProperty("version", "(unknown build)"),
                "Jetty " + org.eclipse.jetty.util.Jetty.VERSION + ", Infinispan " + org.infinispan.commons.util.Version.getVersion() +
                    ", Java " + Runtime.version()};
        }
    }

    private static int fail(String message) {
        System.err.println("gridpush: " + message);
        return 2;
    }

    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    private static void stopQuietly(Gateway gateway) {
        try {
            gateway.stop();
        } catch (Exception x) {
            LOG.debug("Error while stopping a gateway that failed to start", x);
        }
    }

    static Map<String, String> parseOverrides(List<String> args) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 3) {
                throw new ConfigError("'" + arg + "' is not an option; override settings as --KEY=VALUE, for example --http.port=0");
            }
            result.put(arg.substring(2, equals), arg.substring(equals + 1));
        }
        return result;
    }
}
