package dev.commercesync.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code synctl}: the commerce-sync operator CLI. */
@Command(
        name = "synctl",
        mixinStandardHelpOptions = true,
        version = "synctl 0.1.0",
        description = "Operate commerce-sync: run the local stack, inspect and repair the pipeline.",
        footer = "Benchmarks: ./synctl bench --help (the bench module, bench/README.md).",
        subcommands = {
            UpCommand.class,
            DemoCommand.class,
            ChaosCommand.class,
            CleanCommand.class,
            NormalizeCommand.class,
            ReconcileCommand.class,
            ReplayCommand.class,
            QuarantineCommand.class,
            CommandCommand.class,
            MerchantCommand.class,
            StoresCommand.class,
            DlqCommand.class,
            TraceCommand.class,
            PrivacyCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Synctl {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Synctl()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
