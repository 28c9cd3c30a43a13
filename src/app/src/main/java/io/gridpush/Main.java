package io.gridpush;

import io.gridpush.bench.BenchCommand;
import io.gridpush.server.GatewayCommand;
import picocli.CommandLine;

/**
 * {@code java -jar gridpush.jar [--config FILE] [--KEY=VALUE ...]} runs a gateway ({@link GatewayCommand});
 * {@code java -jar gridpush.jar bench ...} measures one ({@link BenchCommand}). The only class of the
 * distribution module, which puts the server and the load tool side by side.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        GatewayCommand.run(new CommandLine(new GatewayCommand()).addSubcommand(new BenchCommand()), args);
    }
}
