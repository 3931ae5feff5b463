package dev.commercesync.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One commerce-sync service (a built Quarkus application, {@code <module>/target/quarkus-app}) in a child JVM,
 * configured to use a stack's endpoints, and ready once {@code /q/health/ready} answers 200. Its classes come from the
 * build's {@link ClassDataArchive class-data archive} once the first start of that build has written it.
 */
public final class ServiceNode implements AutoCloseable {
    private final String name;
    private final ChildProcess process;
    private final String baseUrl;

    private ServiceNode(String name, ChildProcess process, String baseUrl) {
        this.name = name;
        this.process = process;
        this.baseUrl = baseUrl;
    }

    /** Whether the module's application has been built (so it can be started). */
    public static boolean isBuilt(Path repoRoot, String module) {
        return Files.isRegularFile(runner(repoRoot, module));
    }

    /**
     * @param config extra configuration (system properties) on top of the stack's, e.g. service URLs
     */
    public static ServiceNode start(
            Path repoRoot,
            String module,
            int port,
            Endpoints stack,
            Map<String, String> config,
            Path logDir,
            Duration timeout)
            throws IOException, InterruptedException {
        return start(repoRoot, module, port, stack, config, List.of(), logDir, timeout);
    }

    /**
     * @param jvmOptions JVM options after the defaults (so they win), e.g. the full JIT or a flight recording for
     *     benchmarks
     */
    public static ServiceNode start(
            Path repoRoot,
            String module,
            int port,
            Endpoints stack,
            Map<String, String> config,
            List<String> jvmOptions,
            Path logDir,
            Duration timeout)
            throws IOException, InterruptedException {
        Path runner = runner(repoRoot, module);
        if (!Files.isRegularFile(runner)) {
            throw new IllegalStateException(
                    module + " is not built (" + runner + "): run ./mvnw -pl " + module + " -am package -DskipTests");
        }
        Map<String, String> all = new LinkedHashMap<>(stack.quarkusConfig());
        all.putAll(config);
        all.put("quarkus.http.port", Integer.toString(port));
        all.put("quarkus.http.host", "127.0.0.1");
        Launch launch = Launch.of(all);
        List<String> jvm =
                new ArrayList<>(List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        jvm.addAll(launch.systemProperties());
        jvm.addAll(jvmOptions);
        List<String> classPath = List.of(ChildProcess.ownClasspathEntry(), runner.toString());
        Optional<ClassDataArchive> archive = ClassDataArchive.of(
                repoRoot.resolve(module).resolve("target"),
                module,
                classPath.stream().map(Path::of).toList(),
                List.of(runner.getParent(), Path.of(ChildProcess.ownClasspathEntry())),
                jvm);
        archive.ifPresent(a -> jvm.addAll(a.jvmOptions()));
        ChildProcess process = ChildProcess.startJava(
                module,
                classPath,
                jvm,
                launch.environment(),
                "io.quarkus.bootstrap.runner.QuarkusEntryPoint",
                List.of(),
                logDir.resolve(module + ".log"));
        ServiceNode node = new ServiceNode(module, process, "http://127.0.0.1:" + port);
        try {
            node.awaitReady(timeout);
        } catch (RuntimeException | InterruptedException e) {
            node.close();
            throw e;
        }
        archive.ifPresent(a -> a.createInBackground(process.pid()));
        return node;
    }

    /**
     * How a service's configuration reaches its process: secret values as environment variables (readable only by the
     * process's owner in {@code /proc/<pid>/environ}), everything else as {@code -D} options (visible to anyone in
     * {@code ps}). A key is secret when its last segment ends with {@code token}, {@code password}, {@code secret} or
     * {@code key} ({@code commercesync.secrets.key}, {@code commercesync.admin.token}, any {@code *.internal-token}...),
     * so a new secret setting needs no change here. Quarkus reads {@code commercesync.admin.token} from {@code
     * COMMERCESYNC_ADMIN_TOKEN}: upper case, every character other than a letter or digit an underscore.
     */
    public record Launch(List<String> systemProperties, Map<String, String> environment) {
        private static final Pattern SECRET_KEY = Pattern.compile("(?i)(?:^|.*[.])[^.]*(?:token|password|secret|key)");

        public static Launch of(Map<String, String> config) {
            List<String> properties = new ArrayList<>();
            Map<String, String> environment = new LinkedHashMap<>();
            config.forEach((k, v) -> {
                if (isSecret(k)) {
                    environment.put(environmentName(k), v);
                } else {
                    properties.add("-D" + k + "=" + v);
                }
            });
            return new Launch(List.copyOf(properties), Map.copyOf(environment));
        }

        public static boolean isSecret(String key) {
            return SECRET_KEY.matcher(key).matches();
        }

        /** The environment variable MicroProfile Config maps to {@code key}. */
        public static String environmentName(String key) {
            return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
        }
    }

    private static Path runner(Path repoRoot, String module) {
        return repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready"))
                .timeout(Duration.ofSeconds(3))
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            process.ensureAlive();
            try {
                HttpResponse<String> response = http.send(probe, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException(name + " did not become ready within " + timeout + " (" + last + "); log: "
                + process.log() + "\n" + process.tail());
    }

    public String name() {
        return name;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Path log() {
        return process.log();
    }

    /** The service's process id (e.g. to read its resident memory). */
    public long pid() {
        return process.pid();
    }

    /** SIGKILL: the service dies at once, as in a crash; nothing is flushed or committed on the way out. */
    public void kill() {
        process.kill();
    }

    /** Starts the service again with the same configuration and port (after {@link #kill()}), returns once ready. */
    public void restart(Duration timeout) throws IOException, InterruptedException {
        process.restart();
        awaitReady(timeout);
    }

    @Override
    public void close() {
        process.close();
    }
}
