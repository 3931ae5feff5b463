package dev.commercesync.cli;

import dev.commercesync.devstack.DevStack;
import dev.commercesync.devstack.Endpoints;
import dev.commercesync.devstack.ServiceNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = {
            "Start Kafka (KRaft), the schema registry and PostgreSQL on 127.0.0.1, then the six services (those that",
            "are built), and keep them running until Ctrl-C.",
            "Data lives in .synctl/ (kept across runs; './synctl clean' removes it)."
        })
final class UpCommand implements Callable<Integer> {

    @Option(
            names = "--kafka-port",
            defaultValue = "9092",
            description = "Kafka listener port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(
            names = "--kafka-controller-port",
            defaultValue = "9093",
            description = "KRaft controller port (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(
            names = "--registry-port",
            defaultValue = "8081",
            description = "Schema registry HTTP port (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(
            names = "--postgres-port",
            defaultValue = "5432",
            description = "PostgreSQL port (default: ${DEFAULT-VALUE}).")
    int postgresPort;

    @Option(
            names = "--timeout",
            defaultValue = "120",
            description = "Seconds to wait for each component (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--no-services", description = "Start only Kafka, the registry and PostgreSQL, not the services.")
    boolean noServices;

    @Override
    public Integer call() throws Exception {
        Path dataDir = LocalStack.dataDir();
        if (DevStack.running(dataDir).isPresent()) {
            System.err.println("A stack is already running from " + dataDir + " (see "
                    + dataDir.resolve(DevStack.STATE_FILE) + ").");
            return 1;
        }
        System.out.println("Starting Kafka, the schema registry and PostgreSQL (data in " + dataDir + ") ...");
        long t0 = System.nanoTime();
        DevStack stack;
        try {
            stack = DevStack.start(
                    new DevStack.Options(
                            dataDir,
                            kafkaPort,
                            controllerPort,
                            registryPort,
                            postgresPort,
                            true,
                            Duration.ofSeconds(timeoutSeconds)),
                    line -> System.out.println("  " + line));
        } catch (Exception e) {
            System.err.println("synctl up failed: " + e.getMessage());
            System.err.println("Logs: " + dataDir.resolve("logs"));
            return 1;
        }
        LocalServices services = null;
        if (!noServices) {
            List<String> built = LocalServices.built();
            if (built.isEmpty()) {
                System.out.println("  (no service is built: ./mvnw package -DskipTests builds them)");
            } else {
                System.out.println("Starting " + String.join(", ", built) + " ...");
                try {
                    services = LocalServices.start(
                            stack.endpoints(),
                            dataDir,
                            Duration.ofSeconds(timeoutSeconds),
                            line -> System.out.println("  " + line));
                } catch (RuntimeException e) {
                    System.err.println("synctl up failed: " + e.getMessage());
                    System.err.println("Logs: " + dataDir.resolve("logs"));
                    stack.close();
                    return 1;
                }
            }
        }
        LocalServices running = services;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("\nStopping ...");
                            if (running != null) {
                                running.close();
                            }
                            stack.close();
                            System.out.println("Stopped. Data kept in " + dataDir + " ('./synctl clean' removes it).");
                            stopped.countDown();
                        },
                        "synctl-stop"));
        Endpoints e = stack.endpoints();
        System.out.printf(
                "%nUp in %.1f s:%n"
                        + "  Kafka bootstrap      %s%n"
                        + "  Schema registry      %s  (Confluent API %s, Apicurio API %s)%n"
                        + "  PostgreSQL           %s  (user %s, no password)%n"
                        + "  Logs                 %s%n"
                        + "%s"
                        + "Press Ctrl-C to stop.%n",
                (System.nanoTime() - t0) / 1e9,
                e.kafkaBootstrap(),
                e.registryUrl(),
                e.registryCcompatUrl(),
                e.registryApiUrl(),
                e.jdbcUrl(),
                e.jdbcUser(),
                dataDir.resolve("logs"),
                servicesSummary(running, dataDir));
        stopped.await();
        return 0;
    }

    private static String servicesSummary(LocalServices services, Path dataDir) {
        if (services == null || services.nodes().isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (ServiceNode node : services.nodes()) {
            b.append(String.format("  %-20s %s%n", node.name(), node.baseUrl()));
        }
        b.append(String.format(
                "  Tokens               in %s: commercesync.admin.token (webhook-ingest /admin API),%n"
                        + "                       commercesync.internal.token (status, platform view, reconciliation,"
                        + " metrics; docs/auth.md)%n",
                dataDir.resolve("local-secrets.properties")));
        services.consoleLine(dataDir)
                .ifPresent(line -> b.append("  ").append(line).append(System.lineSeparator()));
        return b.toString();
    }
}
