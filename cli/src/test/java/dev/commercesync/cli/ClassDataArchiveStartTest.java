package dev.commercesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.commercesync.devstack.ClassDataArchive;
import dev.commercesync.devstack.DevStack;
import dev.commercesync.devstack.RepoRoot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With class-data archives on (as for {@code synctl up} and the demo), a start writes the archives
 * of the broker and of the registry (a Quarkus fast-jar application started as the services are) once ready, and the
 * next start maps them and works as before. Here rather than in devstack: the JDK archives classes from jars only, and
 * devstack's own tests run it from a folder of classes.
 */
class ClassDataArchiveStartTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void clearProperty() {
        System.clearProperty(ClassDataArchive.PROPERTY);
    }

    @Test
    void theNextStartMapsTheArchivesTheFirstWrote(@TempDir Path first, @TempDir Path second) throws Exception {
        assumeTrue(
                Files.isRegularFile(Path.of(DevStack.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())),
                "devstack runs from its jar (./mvnw verify; not mvn test, which runs it from target/classes)");
        System.setProperty(ClassDataArchive.PROPERTY, "true");
        try (DevStack stack = DevStack.start(DevStack.Options.ephemeral(first), line -> {})) {
            assertTrue(ClassDataArchive.awaitPending(), "the archives of a recording start were written");
        }
        Path kafkaArchives = RepoRoot.find().resolve("devstack/target/synctl-cds");
        Path registryArchives = RepoRoot.find().resolve("dev-registry/target/synctl-cds");
        try (DevStack stack = DevStack.start(DevStack.Options.ephemeral(second), line -> {})) {
            assertTrue(maps(stack.kafka().pid(), kafkaArchives), "the broker maps its archive");
            assertTrue(maps(stack.registry().pid(), registryArchives), "the registry maps its archive");
            HttpResponse<String> subjects = http.send(
                    HttpRequest.newBuilder(URI.create(stack.endpoints().registryUrl() + "/apis/ccompat/v7/subjects"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, subjects.statusCode(), subjects.body());
            assertTrue(ClassDataArchive.awaitPending(), "nothing left to write");
        }
    }

    /** Whether the process has an archive of {@code folder} mapped (Linux: /proc/<pid>/maps). */
    private static boolean maps(long pid, Path folder) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/maps")).stream()
                .anyMatch(line -> line.contains(folder.toString() + "/") && line.endsWith(".jsa"));
    }
}
