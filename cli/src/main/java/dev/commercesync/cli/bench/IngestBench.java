package dev.commercesync.cli.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// PLACEHOLDER: being written; replaced before this lands.
@Command(name = "ingest", description = "(being written)")
public final class IngestBench implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("not written yet");
        return 2;
    }
}
