package dev.commercesync.cli;

import dev.commercesync.devstack.DevStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
        name = "clean",
        mixinStandardHelpOptions = true,
        description = "Remove everything 'synctl up' stored (.synctl/): topics, database, logs.")
final class CleanCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        Path dataDir = LocalStack.dataDir();
        if (DevStack.running(dataDir).isPresent()) {
            System.err.println("The stack in " + dataDir + " is running: stop it (Ctrl-C in 'synctl up') first.");
            return 1;
        }
        if (!Files.exists(dataDir)) {
            System.out.println("Nothing to clean: " + dataDir + " does not exist.");
            return 0;
        }
        DevStack.deleteRecursively(dataDir);
        System.out.println("Removed " + dataDir);
        return 0;
    }
}
