package dev.commercesync.cli.bench;

import picocli.CommandLine.Command;

/**
 * {@code synctl bench <name>}: the benchmarks of bench/README.md. Each prints its figures as it goes, writes
 * bench/results/&lt;name&gt;.{json,md,png} and runs on a private stack (free ports, .synctl/bench/&lt;name&gt;), never as part of
 * {@code ./mvnw verify}.
 */
@Command(
        name = "bench",
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
            FootprintBench.class
        })
public final class BenchCommand {}
