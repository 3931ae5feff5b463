package dev.commercesync.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Apicurio Registry 2.4.2 (built by the dev-registry module) in a child JVM, its schemas in an H2 database file in the
 * stack's data folder ({@code registry/}), so they survive a restart and keep their ids.
 */
public final class RegistryNode implements AutoCloseable {
    private final Path runner;
    private final Path dataDir;
    private final int port;
    private final Duration timeout;
    private final String baseUrl;
    private ChildProcess process;

    private RegistryNode(Path runner, Path dataDir, int port, Duration timeout) {
        this.runner = runner;
        this.dataDir = dataDir;
        this.port = port;
        this.timeout = timeout;
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    static RegistryNode start(Path repoRoot, Path dataDir, int port, Duration timeout)
            throws IOException, InterruptedException {
        Path runner = repoRoot.resolve("dev-registry/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(runner)) {
            throw new IllegalStateException(
                    "The schema registry is not built (" + runner + "): run ./mvnw -pl dev-registry package");
        }
        RegistryNode node = new RegistryNode(runner, dataDir, port, timeout);
        node.launch();
        return node;
    }

    /** Stops the registry process (gracefully, then forcibly): clients get connection refused until {@link #start()}. */
    public synchronized void stop() {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    /** Starts a stopped registry again on the same port and waits until it answers. */
    public synchronized void start() {
        if (process != null) {
            return;
        }
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the registry", e);
        }
    }

    /** Stops and starts the registry process; its schemas (in the H2 file) keep their ids. */
    public synchronized void restart() {
        stop();
        start();
    }

    private void launch() throws IOException, InterruptedException {
        List<String> classPath = List.of(ChildProcess.ownClasspathEntry(), runner.toString());
        List<String> jvm = new ArrayList<>(List.of(
                "-Xms64m",
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                // The jar's prod profile keeps its schemas in memory (jdbc:h2:mem:); a file keeps them across
                // restarts. The key carries the profile so that it beats the profile's own setting.
                "-D%prod.quarkus.datasource.jdbc.url=jdbc:h2:file:"
                        + dataDir.toAbsolutePath().resolve("registry/registry_db")
                        // H2 waits 1 s for a table lock by default: too short for the services'
                        // concurrent first registrations on a busy machine (500 "Timeout trying to lock").
                        + ";LOCK_TIMEOUT=10000"));
        // quarkus-app/ is in dev-registry/target/: the archive is the registry build's.
        Optional<ClassDataArchive> archive = ClassDataArchive.of(
                runner.getParent().getParent(),
                "registry",
                classPath.stream().map(Path::of).toList(),
                List.of(runner.getParent(), Path.of(ChildProcess.ownClasspathEntry())),
                jvm);
        archive.ifPresent(a -> jvm.addAll(a.jvmOptions()));
        process = ChildProcess.startJava(
                "registry",
                classPath,
                jvm,
                "io.quarkus.bootstrap.runner.QuarkusEntryPoint",
                List.of(),
                dataDir.resolve("logs/registry.log"));
        try {
            awaitReady(timeout);
            createIdSequences(timeout);
        } catch (RuntimeException | InterruptedException e) {
            stop();
            throw e;
        }
        long pid = process.pid();
        archive.ifPresent(a -> a.createInBackground(pid));
    }

    /**
     * Registers one small schema of the stack's own, alone, before any client. Apicurio 2.4.2 on H2 creates its id
     * sequences ({@code globalId}, {@code contentId}) on the first registration; when several services register their
     * first schemas at the same moment, those inserts time out on each other's table locks and one stays locked for
     * good: every later registration then answers 500 ("Timeout trying to lock table", {@code MERGE INTO sequences}).
     * Once the sequences exist, concurrent registrations only update them.
     */
    private void createIdSequences(Duration timeout) throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest register = HttpRequest.newBuilder(URI.create(
                        baseUrl + "/apis/registry/v2/groups/commerce-sync.devstack/artifacts?ifExists=RETURN"))
                .header("Content-Type", "application/json")
                .header("X-Registry-ArtifactId", "id-sequences")
                .header("X-Registry-ArtifactType", "AVRO")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"type\": \"record\", \"name\": \"IdSequences\", \"namespace\": \"dev.commercesync.devstack\","
                                + " \"doc\": \"Registered alone at start-up so that the registry's id sequences exist\","
                                + " \"fields\": []}"))
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(register, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("The schema registry did not take its first schema within " + timeout + " ("
                + last + "); log: " + process.log() + "\n" + process.tail());
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl + "/apis/ccompat/v7/subjects"))
                .timeout(Duration.ofSeconds(2))
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
                last = "HTTP " + response.statusCode();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("The schema registry did not become ready within " + timeout + " (" + last
                + "); log: " + process.log() + "\n" + process.tail());
    }

    String baseUrl() {
        return baseUrl;
    }

    /** The registry's process id (e.g. to see what it has mapped). */
    public synchronized long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        stop();
    }
}
