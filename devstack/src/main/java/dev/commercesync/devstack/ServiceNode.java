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
import java.util.List;
import java.util.Map;

/**
 * One commerce-sync service (a built Quarkus application, {@code <module>/target/quarkus-app}) in a child JVM,
 * configured to use a stack's endpoints, and ready once {@code /q/health/ready} answers 200.
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
        List<String> jvm =
                new ArrayList<>(List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        stack.quarkusConfig().forEach((k, v) -> jvm.add("-D" + k + "=" + v));
        config.forEach((k, v) -> jvm.add("-D" + k + "=" + v));
        jvm.add("-Dquarkus.http.port=" + port);
        jvm.add("-Dquarkus.http.host=127.0.0.1");
        jvm.addAll(jvmOptions);
        ChildProcess process = ChildProcess.startJava(
                module,
                List.of(ChildProcess.ownClasspathEntry(), runner.toString()),
                jvm,
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
        return node;
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
