package dev.commercesync.devstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Kafka, the schema registry and PostgreSQL, started together as real processes on 127.0.0.1. Used by
 * {@code ./synctl up} (fixed ports, data kept under {@code .synctl/}) and by the tests (free ports, throw-away data).
 */
public final class DevStack implements AutoCloseable {
    public static final String STATE_FILE = "stack.properties";

    /** How to start a stack. A port of 0 picks a free one. */
    public record Options(
            Path dataDir,
            int kafkaPort,
            int kafkaControllerPort,
            int registryPort,
            int postgresPort,
            boolean keepData,
            Duration timeout) {

        public static Options ephemeral(Path dataDir) {
            return new Options(dataDir, 0, 0, 0, 0, false, Duration.ofSeconds(90));
        }
    }

    private final Path dataDir;
    private final boolean keepData;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private Endpoints endpoints;
    private KafkaNode kafka;
    private RegistryNode registry;
    private PostgresNode postgres;

    private DevStack(Path dataDir, boolean keepData) {
        this.dataDir = dataDir;
        this.keepData = keepData;
    }

    /** Starts all three components in parallel; on any failure stops what started and throws. */
    public static DevStack start(Options options, Consumer<String> progress) throws IOException {
        Path root = RepoRoot.find();
        Path dataDir = options.dataDir().toAbsolutePath();
        Files.createDirectories(dataDir);
        List<Integer> free = freePorts(4);
        int kafkaPort = portOrFree(options.kafkaPort(), free.get(0));
        int controllerPort = portOrFree(options.kafkaControllerPort(), free.get(1));
        int registryPort = portOrFree(options.registryPort(), free.get(2));
        int postgresPort = portOrFree(options.postgresPort(), free.get(3));
        DevStack stack = new DevStack(dataDir, options.keepData());

        long t0 = System.nanoTime();
        var postgres = CompletableFuture.supplyAsync(() -> {
            try {
                PostgresNode node = PostgresNode.start(dataDir, postgresPort, options.keepData(), options.timeout());
                progress.accept(ready("PostgreSQL", node.jdbcUrl(), t0));
                return node;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        var registry = CompletableFuture.supplyAsync(() -> {
            try {
                RegistryNode node = RegistryNode.start(root, dataDir, registryPort, options.timeout());
                progress.accept(ready("Schema registry", node.baseUrl(), t0));
                return node;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        KafkaNode kafka = null;
        RuntimeException failure = null;
        try {
            kafka = KafkaNode.start(root, dataDir, kafkaPort, controllerPort, options.timeout());
            progress.accept(ready("Kafka", kafka.bootstrap(), t0));
        } catch (RuntimeException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new IllegalStateException(e);
        }
        if (kafka != null) {
            stack.started.push(kafka);
        }
        PostgresNode pg = join(postgres, stack);
        RegistryNode reg = join(registry, stack);
        if (failure == null && (pg == null || reg == null)) {
            failure = firstFailure(postgres, registry);
        }
        if (failure != null) {
            stack.close();
            throw failure;
        }
        stack.kafka = kafka;
        stack.registry = reg;
        stack.postgres = pg;
        stack.endpoints = new Endpoints(
                kafka.bootstrap(),
                reg.baseUrl(),
                pg.jdbcUrl(),
                PostgresNode.USER,
                ProcessHandle.current().pid());
        stack.endpoints.write(dataDir.resolve(STATE_FILE));
        return stack;
    }

    /**
     * The endpoints of a stack another process started in {@code dataDir} (e.g. {@code ./synctl up}), if its owner is
     * alive and its components answer.
     */
    public static Optional<Endpoints> running(Path dataDir) {
        Path file = dataDir.resolve(STATE_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Endpoints e = Endpoints.read(file);
            boolean ownerAlive =
                    ProcessHandle.of(e.ownerPid()).map(ProcessHandle::isAlive).orElse(false);
            if (ownerAlive && answers(e.kafkaBootstrap()) && answers(e.registryUrl()) && answers(e.jdbcUrl())) {
                return Optional.of(e);
            }
        } catch (IOException | RuntimeException ignored) {
            // an unreadable or stale state file means no usable stack
        }
        return Optional.empty();
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The broker, to {@link KafkaNode#pause() pause} it in fault tests. */
    public KafkaNode kafka() {
        return kafka;
    }

    /** The schema registry, to {@link RegistryNode#restart() restart} it in fault tests. */
    public RegistryNode registry() {
        return registry;
    }

    /** The database, to {@link PostgresNode#pause() hang} it in fault tests. */
    public PostgresNode postgres() {
        return postgres;
    }

    @Override
    public synchronized void close() {
        try {
            Files.deleteIfExists(dataDir.resolve(STATE_FILE));
        } catch (IOException ignored) {
            // best effort: a stale file is detected by its dead owner pid
        }
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("stopping a stack component failed: " + e);
            }
        }
        if (!keepData) {
            deleteRecursively(dataDir);
        }
    }

    /** Removes a data folder and everything in it. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static <T extends AutoCloseable> T join(CompletableFuture<T> future, DevStack stack) {
        try {
            T node = future.join();
            stack.started.push(node);
            return node;
        } catch (CompletionException e) {
            return null;
        }
    }

    private static RuntimeException firstFailure(CompletableFuture<?>... futures) {
        for (CompletableFuture<?> f : futures) {
            try {
                f.join();
            } catch (CompletionException e) {
                return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        return new IllegalStateException("a stack component failed to start");
    }

    private static String ready(String what, String where, long t0) {
        return String.format("%-16s %-48s ready after %.1f s", what, where, (System.nanoTime() - t0) / 1e9);
    }

    private static int portOrFree(int port, int free) throws IOException {
        if (port > 0) {
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException e) {
                throw new IOException("port " + port + " on 127.0.0.1 is already in use", e);
            }
        }
        return free;
    }

    /** A port free on 127.0.0.1 right now. */
    public static int freePort() throws IOException {
        return freePorts(1).get(0);
    }

    /** The lowest port {@link #freePorts} chooses; it chooses below the kernel's ephemeral range. */
    static final int LOWEST_PORT = 10000;

    /**
     * {@code n} distinct ports free on 127.0.0.1 right now. Each is held until all are chosen: ports asked for one
     * after the other may come back the same (two services of one demo were given one port and the second failed).
     * They are chosen at random below the kernel's ephemeral range ({@link #ephemeralPortsFrom()}), where no outgoing
     * connection takes one in the minute before its service binds it: a demo's inventory once found its port, chosen
     * by the kernel from that range, taken (two demos and other builds starting at once).
     */
    public static List<Integer> freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int above = ephemeralPortsFrom() - LOWEST_PORT;
            for (int attempt = 0; held.size() < n; attempt++) {
                if (above < 1000 || attempt >= 10_000) {
                    // no range to choose from, or nearly all of it taken: the kernel's choice
                    held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
                    continue;
                }
                int port = LOWEST_PORT + ThreadLocalRandom.current().nextInt(above);
                try {
                    held.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
                } catch (IOException taken) {
                    // in use: another
                }
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }

    /**
     * The first port of the kernel's ephemeral range (Linux: {@code /proc/sys/net/ipv4/ip_local_port_range}, usually
     * 32768), from which it takes the local ports of outgoing connections; 32768 where it cannot be read (macOS and
     * Windows start theirs higher).
     */
    static int ephemeralPortsFrom() {
        // by line: Files.readString returned only "3" of this file (Java 17), whose size reads as 0
        try (BufferedReader reader = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            return Integer.parseInt(reader.readLine().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    /** Whether something listens at the host:port inside a bootstrap list, an http URL or a JDBC URL. */
    private static boolean answers(String address) {
        String hostPort = address.replaceFirst("^[a-z:]+//", "").replaceFirst("/.*$", "");
        int colon = hostPort.lastIndexOf(':');
        try (var socket = new java.net.Socket()) {
            socket.connect(
                    new java.net.InetSocketAddress(
                            hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))),
                    1000);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
