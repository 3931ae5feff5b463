package dev.commercesync.cli;

import dev.commercesync.devstack.Endpoints;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** One synctl command run in-process against a devstack's Kafka and registry: its exit code and what it printed. */
record SynctlRun(int exit, String out) {

    /** Runs {@code args} with {@code --bootstrap}, {@code --registry} and {@code --topic-suffix} of the test's stack. */
    static SynctlRun on(Endpoints stack, String topicSuffix, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(
                "--bootstrap",
                stack.kafkaBootstrap(),
                "--registry",
                stack.registryUrl(),
                "--topic-suffix",
                topicSuffix));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Synctl.commandLine()
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(all.toArray(String[]::new));
        return new SynctlRun(exit, out + err.toString());
    }
}
