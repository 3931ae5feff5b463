package dev.commercesync.bench;

import picocli.CommandLine.Option;

/** Options every benchmark takes. */
public final class BenchOptions {
    @Option(
            names = "--runs",
            defaultValue = "3",
            description = "Repetitions of each measurement; results are their medians (default: ${DEFAULT-VALUE}).")
    public int runs;

    @Option(
            names = "--profile",
            description = "Record the services with JFR and print where their CPU went (slightly slower).")
    public boolean profile;
}
