package dev.commercesync.bench;

import dev.commercesync.cli.LocalServices;
import dev.commercesync.cli.LocalStack;
import dev.commercesync.devstack.DevStack;
import dev.commercesync.devstack.Endpoints;
import dev.commercesync.devstack.ServiceNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A private stack for one benchmark: Kafka, the registry and PostgreSQL on free ports with a fresh data folder under
 * {@code .synctl/bench/<name>}, plus the chosen services on free ports, each with the full JIT (the services run as
 * they would in production, not with the quick-start flags of {@code synctl up}) and, with {@code profile}, a JFR
 * recording summarized by {@link Profiles} when the stack closes. The folder is kept (logs, recordings) until the
 * same benchmark runs again. Nothing is shared with a running {@code synctl up}.
 */
public final class BenchStack implements AutoCloseable {
    /** JVM options of the services under benchmark, on top of ServiceNode's defaults. */
    public static final List<String> SERVICE_JVM = List.of("-XX:TieredStopAtLevel=4", "-Xmx512m");

    private final String name;
    private final Path dataDir;
    private final DevStack stack;
    private final Duration stackStartup;
    private final Map<String, Integer> ports;
    private final boolean profile;
    private LocalServices services;
    private Duration servicesStartup = Duration.ZERO;
    private Map<String, Map<String, String>> moduleConfig = Map.of();

    private BenchStack(
            String name,
            Path dataDir,
            DevStack stack,
            Duration stackStartup,
            Map<String, Integer> ports,
            boolean profile) {
        this.name = name;
        this.dataDir = dataDir;
        this.stack = stack;
        this.stackStartup = stackStartup;
        this.ports = ports;
        this.profile = profile;
    }

    /**
     * Starts the stack and then {@code modules} (in parallel).
     *
     * @param config configuration every service gets (e.g. faster schedules)
     */
    public static BenchStack start(
            String name, List<String> modules, Map<String, String> config, boolean profile, Consumer<String> progress)
            throws IOException {
        return start(name, modules, config, Map.of(), profile, progress);
    }

    /**
     * Starts the stack and then {@code modules} (in parallel).
     *
     * @param config configuration every service gets (e.g. faster schedules)
     * @param moduleConfig per module, configuration only that service gets (system properties after {@code config}:
     *     e.g. a channel setting that would break the services without that channel)
     */
    public static BenchStack start(
            String name,
            List<String> modules,
            Map<String, String> config,
            Map<String, Map<String, String>> moduleConfig,
            boolean profile,
            Consumer<String> progress)
            throws IOException {
        Path dataDir = LocalStack.dataDir().resolve("bench").resolve(name);
        DevStack.deleteRecursively(dataDir);
        Files.createDirectories(dataDir);
        long t0 = System.nanoTime();
        DevStack stack = DevStack.start(
                new DevStack.Options(dataDir, 0, 0, 0, 0, true, Duration.ofSeconds(180)),
                line -> progress.accept("  " + line));
        Duration stackStartup = Duration.ofNanos(System.nanoTime() - t0);
        Map<String, Integer> ports = LocalServices.freePorts();
        BenchStack bench = new BenchStack(name, dataDir, stack, stackStartup, ports, profile);
        bench.moduleConfig = Map.copyOf(moduleConfig);
        try {
            bench.startServices(modules, config, progress);
        } catch (RuntimeException e) {
            bench.close();
            throw e;
        }
        return bench;
    }

    private void startServices(List<String> modules, Map<String, String> config, Consumer<String> progress) {
        startServices(dev.commercesync.devstack.RepoRoot.find(), modules, config, progress);
    }

    /**
     * Starts {@code modules} (in parallel) on a stack started without services, their applications taken from the
     * checkout {@code root} ({@code <root>/<module>/target/quarkus-app}): this one, or another build of a service to
     * compare with (a {@code git worktree} of an older commit).
     */
    public void startServices(Path root, List<String> modules, Map<String, String> config, Consumer<String> progress) {
        if (modules.isEmpty()) {
            return;
        }
        if (services != null) {
            throw new IllegalStateException("the services of this stack are already running");
        }
        for (String module : modules) {
            if (!ServiceNode.isBuilt(root, module)) {
                throw new IllegalStateException(module + " is not built in " + root + ": ./mvnw -pl " + module
                        + " -am package -DskipTests (./synctl builds everything on first use)");
            }
        }
        long t0 = System.nanoTime();
        services = LocalServices.start(
                root,
                stack.endpoints(),
                dataDir,
                Duration.ofSeconds(180),
                line -> progress.accept("  " + line),
                ports,
                config,
                modules,
                this::jvmOptions);
        servicesStartup = Duration.ofNanos(System.nanoTime() - t0);
    }

    private List<String> jvmOptions(String module) {
        List<String> options = new ArrayList<>(SERVICE_JVM);
        moduleConfig.getOrDefault(module, Map.of()).forEach((k, v) -> options.add("-D" + k + "=" + v));
        if (profile) {
            try {
                // JFR does not create the folder: without it the service fails to start.
                Files.createDirectories(profileFile(module).getParent());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            options.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + profileFile(module).toAbsolutePath());
        }
        return options;
    }

    /** Where a profiled service's flight recording is written when it stops. */
    public Path profileFile(String module) {
        return dataDir.resolve("profiles").resolve(module + ".jfr");
    }

    public Endpoints endpoints() {
        return stack.endpoints();
    }

    public String url(String module) {
        return services.url(module);
    }

    public ServiceNode node(String module) {
        return services.nodes().stream()
                .filter(n -> n.name().equals(module))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(module + " is not running"));
    }

    public List<ServiceNode> nodes() {
        return services == null ? List.of() : services.nodes();
    }

    public Map<String, Integer> ports() {
        return Map.copyOf(ports);
    }

    public String adminToken() {
        return LocalServices.adminToken(dataDir);
    }

    /** The services' internal token (status, platform view, reconciliation, metrics). */
    public String internalToken() {
        return LocalServices.internalToken(dataDir);
    }

    public Path dataDir() {
        return dataDir;
    }

    public String name() {
        return name;
    }

    /** Wall time of Kafka + registry + PostgreSQL becoming ready (started in parallel). */
    public Duration stackStartup() {
        return stackStartup;
    }

    /** Wall time of the services becoming ready (started in parallel). */
    public Duration servicesStartup() {
        return servicesStartup;
    }

    /** Stops the services (writing their flight recordings when profiled), then the stack. */
    @Override
    public void close() {
        if (services != null) {
            services.close();
            services = null;
        }
        stack.close();
    }
}
