package dev.commercesync.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code synctl bench <name>}: the benchmarks of bench/README.md, the {@code bench} module's entry point ({@code
 * ./synctl bench} starts it). Each prints its figures as it goes, writes
 * bench/results/&lt;name&gt;.{json,md,png} and runs on a private stack (free ports, .synctl/bench/&lt;name&gt;), never as part of
 * {@code ./mvnw verify}.
 */
@Command(
        name = "synctl bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure commerce-sync on this machine; results go to bench/results/ (see bench/README.md).",
            "Each benchmark starts its own Kafka, registry, PostgreSQL and services on free ports."
        },
        subcommands = {
            IngestBench.class,
            EndToEndBench.class,
            ReconcileBench.class,
            ReplayBench.class,
            FootprintBench.class,
            CommandsBench.class,
            MultichannelBench.class,
            WriterBench.class
        })
public final class BenchCommand {

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args));
    }
}
