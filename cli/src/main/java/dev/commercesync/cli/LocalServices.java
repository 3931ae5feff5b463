package dev.commercesync.cli;

import dev.commercesync.devstack.DevStack;
import dev.commercesync.devstack.Endpoints;
import dev.commercesync.devstack.RepoRoot;
import dev.commercesync.devstack.ServiceNode;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The services of a local run, started as child JVMs against a running stack. Each listens on its documented
 * port; they share a secrets key, an admin token and an internal token generated once per data folder (kept in
 * {@code .synctl/local-secrets.properties}, readable by the owner only), never a built-in default. Secrets reach the
 * processes as environment variables, never on their command lines ({@link ServiceNode.Launch}).
 */
public final class LocalServices implements AutoCloseable {
    /**
     * module → port, in start order (consumers before producers, so nothing waits on an absent consumer; those after
     * the poller stop before it): the inventory pool after the poller, which executes the pool's commands; the
     * console, which only reads, last.
     */
    public static final Map<String, Integer> PORTS = ports();

    private final List<ServiceNode> started = new ArrayList<>();

    private static Map<String, Integer> ports() {
        Map<String, Integer> p = new LinkedHashMap<>();
        p.put("normalizer", 8083);
        p.put("sync-writer", 8084);
        p.put("poller", 8082);
        p.put("inventory", 8086);
        p.put("webhook-ingest", 8080);
        p.put("reconciler", 8085);
        p.put("console", 8087);
        return p;
    }

    /** module → a distinct port free on 127.0.0.1 right now, for a run beside others (the demo, tests, benchmarks). */
    public static Map<String, Integer> freePorts() throws IOException {
        List<Integer> free = DevStack.freePorts(PORTS.size());
        Map<String, Integer> ports = new LinkedHashMap<>();
        int i = 0;
        for (String module : PORTS.keySet()) {
            ports.put(module, free.get(i++));
        }
        return ports;
    }

    /** The modules whose applications are built. */
    public static List<String> built() {
        Path root = RepoRoot.find();
        return PORTS.keySet().stream().filter(m -> ServiceNode.isBuilt(root, m)).toList();
    }

    /** Starts the built services on their documented ports. */
    static LocalServices start(Endpoints stack, Path dataDir, Duration timeout, Consumer<String> progress) {
        return start(stack, dataDir, timeout, progress, PORTS, Map.of());
    }

    /**
     * Starts the built services in parallel on the given ports; on any failure stops what started and throws.
     *
     * @param extraConfig configuration every service gets on top of the stack's (e.g. faster schedules for the demo)
     */
    static LocalServices start(
            Endpoints stack,
            Path dataDir,
            Duration timeout,
            Consumer<String> progress,
            Map<String, Integer> ports,
            Map<String, String> extraConfig) {
        return start(stack, dataDir, timeout, progress, ports, extraConfig, built(), module -> List.of());
    }

    /**
     * Starts the given services in parallel; on any failure stops what started and throws.
     *
     * @param ports module → port for every service (those not started too: the others' URLs are derived from them)
     * @param jvmOptions per module, JVM options on top of the defaults (benchmarks: full JIT, flight recordings)
     */
    public static LocalServices start(
            Endpoints stack,
            Path dataDir,
            Duration timeout,
            Consumer<String> progress,
            Map<String, Integer> ports,
            Map<String, String> extraConfig,
            List<String> modules,
            java.util.function.Function<String, List<String>> jvmOptions) {
        return start(RepoRoot.find(), stack, dataDir, timeout, progress, ports, extraConfig, modules, jvmOptions);
    }

    /**
     * As {@link #start(Endpoints, Path, Duration, Consumer, Map, Map, List, java.util.function.Function)}, with the
     * services' applications ({@code <module>/target/quarkus-app}) taken from the checkout {@code root}: a benchmark
     * comparing another build of a service (e.g. {@code git worktree add} of an older commit).
     */
    public static LocalServices start(
            Path root,
            Endpoints stack,
            Path dataDir,
            Duration timeout,
            Consumer<String> progress,
            Map<String, Integer> ports,
            Map<String, String> extraConfig,
            List<String> modules,
            java.util.function.Function<String, List<String>> jvmOptions) {
        Map<String, String> config = new LinkedHashMap<>(secrets(dataDir));
        // Where the services find each other: the poller registers webhooks at the ingest, the reconciler asks the
        // poller for the platforms' view.
        config.put("commercesync.poller.webhooks.public-url", "http://127.0.0.1:" + ports.get("webhook-ingest"));
        config.put("commercesync.reconciler.poller-url", "http://127.0.0.1:" + ports.get("poller"));
        // The console's store actions: disable, enable, rotate at the ingest's admin API, a pass at the reconciler.
        config.put("commercesync.console.webhook-ingest-url", "http://127.0.0.1:" + ports.get("webhook-ingest"));
        config.put("commercesync.console.reconciler-url", "http://127.0.0.1:" + ports.get("reconciler"));
        // Local runs register simulated stores at http://127.0.0.1 API URLs, which production refuses.
        config.put("commercesync.admin.allow-insecure-api-urls", "true");
        // The console is plain HTTP on 127.0.0.1 here: its session cookie cannot be Secure (docs/console.md).
        config.put("commercesync.console.secure-cookie", "false");
        // The Kafka Streams state (normalizer, inventory: one sub-folder per application id) belongs to this data
        // folder, not to a folder every stack on the machine shares (two stacks' normalizers in one state folder
        // corrupt each other's tasks).
        config.put(
                "kafka-streams.state.dir",
                dataDir.resolve("kafka-streams").toAbsolutePath().toString());
        // Readable logs for people running the stack locally; deployments keep the prod profile's JSON lines
        // (docs/observability.md).
        config.put("quarkus.log.console.json.enabled", "false");
        config.putAll(extraConfig);
        SchemaCatalogue.register(stack, progress);
        LocalServices services = new LocalServices();
        long t0 = System.nanoTime();
        List<CompletableFuture<ServiceNode>> starting = new ArrayList<>();
        for (String module : modules) {
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    ServiceNode node = ServiceNode.start(
                            root,
                            module,
                            ports.get(module),
                            stack,
                            config,
                            jvmOptions.apply(module),
                            dataDir.resolve("logs"),
                            timeout);
                    progress.accept(String.format(
                            "%-16s %-48s ready after %.1f s", module, node.baseUrl(), (System.nanoTime() - t0) / 1e9));
                    return node;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }));
        }
        RuntimeException failure = null;
        for (CompletableFuture<ServiceNode> f : starting) {
            try {
                services.started.add(f.join());
            } catch (CompletionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        }
        if (failure != null) {
            services.close();
            throw failure;
        }
        return services;
    }

    public List<ServiceNode> nodes() {
        return List.copyOf(started);
    }

    /** The console's pages and how to log in, or empty when the console is not running (not built). */
    public java.util.Optional<String> consoleLine(Path dataDir) {
        return started.stream()
                .filter(n -> n.name().equals("console"))
                .findFirst()
                .map(console -> "Console: " + console.baseUrl() + "/console  (log in with the admin token,"
                        + " commercesync.admin.token in " + dataDir.resolve("local-secrets.properties") + ")");
    }

    /** The base URL of a started service. */
    public String url(String module) {
        return node(module).baseUrl();
    }

    /** A started service (e.g. to kill and restart it). */
    public ServiceNode node(String module) {
        return started.stream()
                .filter(n -> n.name().equals(module))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(module + " is not running"));
    }

    /** The admin token of this data folder's services (for the CLI's own calls and to show the user). */
    public static String adminToken(Path dataDir) {
        return secrets(dataDir).get("commercesync.admin.token");
    }

    /** The internal token of this data folder's services: status, platform view, reconciliation, metrics. */
    public static String internalToken(Path dataDir) {
        return secrets(dataDir).get("commercesync.internal.token");
    }

    /** Reads the data folder's secrets, generating the missing ones (a folder from before a secret existed). */
    private static synchronized Map<String, String> secrets(Path dataDir) {
        Path file = dataDir.resolve("local-secrets.properties");
        Properties p = new Properties();
        try {
            if (Files.isRegularFile(file)) {
                try (Reader in = Files.newBufferedReader(file)) {
                    p.load(in);
                }
            }
            SecureRandom random = new SecureRandom();
            boolean generated = false;
            for (String key :
                    List.of("commercesync.secrets.key", "commercesync.admin.token", "commercesync.internal.token")) {
                if (p.getProperty(key, "").isBlank()) {
                    byte[] bytes = new byte[key.equals("commercesync.secrets.key") ? 32 : 24];
                    random.nextBytes(bytes);
                    p.setProperty(
                            key,
                            key.equals("commercesync.secrets.key")
                                    ? Base64.getEncoder().encodeToString(bytes)
                                    : Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
                    generated = true;
                }
            }
            if (generated) {
                Files.createDirectories(dataDir);
                if (!Files.exists(file)) {
                    Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                }
                try (Writer out = Files.newBufferedWriter(file)) {
                    p.store(out, "generated by synctl for this data folder; './synctl clean' removes it");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
        Map<String, String> m = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }

    /**
     * Stops the services in two waves, each side by side: first those started after the poller (the inventory pool,
     * whose commands the poller executes, the ingest and the reconciler), then the poller and the consumers started
     * before it. The poller outlives the pool, as it did when they stopped one by one in reverse start order, and a
     * stop takes the slowest service of each wave (the reconciler waits for a running pass, the poller for its Kafka
     * consumers), not the sum of all six.
     */
    @Override
    public void close() {
        List<String> order = List.copyOf(PORTS.keySet());
        int poller = order.indexOf("poller");
        stopSideBySide(started.stream()
                .filter(node -> order.indexOf(node.name()) > poller)
                .toList());
        stopSideBySide(started.stream()
                .filter(node -> order.indexOf(node.name()) <= poller)
                .toList());
        started.clear();
    }

    /**
     * Kills every service at once (SIGKILL, as a crash would: no drain, no shutdown hook), for a run whose outcome is
     * taken and whose services' unfinished work nobody needs: the end of a bounded demo. A graceful {@link #close()}
     * takes 13-26 s there (the poller drains its consumers' unprocessed records, the reconciler waits for a pass whose
     * calls fail once the simulated stores are gone). The services are crash-safe (docs/reliability.md): the stack's
     * data stays consistent, and their logs stay.
     */
    public void discard() {
        started.forEach(ServiceNode::kill);
        started.clear();
    }

    private static void stopSideBySide(List<ServiceNode> nodes) {
        nodes.stream()
                .map(node -> CompletableFuture.runAsync(
                        node::close, task -> new Thread(task, "stop-" + node.name()).start()))
                .toList()
                .forEach(CompletableFuture::join);
    }
}
