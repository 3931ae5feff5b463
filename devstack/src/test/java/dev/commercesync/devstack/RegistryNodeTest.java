package dev.commercesync.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dev stack's registry keeps its schemas, and their ids, across a restart. */
class RegistryNodeTest {
    private static final String SCHEMA =
            "{\"schema\": \"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Probe\\\",\\\"fields\\\":[{\\\"name\\\":"
                    + "\\\"id\\\",\\\"type\\\":\\\"string\\\"}]}\"}";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aRegisteredSchemaResolvesByTheSameIdAfterARestart(@TempDir Path dataDir) throws Exception {
        try (RegistryNode registry =
                RegistryNode.start(RepoRoot.find(), dataDir, DevStack.freePort(), Duration.ofSeconds(90))) {
            HttpResponse<String> registered = http.send(
                    HttpRequest.newBuilder(
                                    URI.create(registry.baseUrl() + "/apis/ccompat/v7/subjects/probe-value/versions"))
                            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                            .POST(HttpRequest.BodyPublishers.ofString(SCHEMA))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, registered.statusCode(), registered.body());
            String id = registered.body().replaceAll("\\D", "");

            registry.restart();

            HttpResponse<String> resolved = http.send(
                    HttpRequest.newBuilder(URI.create(registry.baseUrl() + "/apis/ccompat/v7/schemas/ids/" + id))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, resolved.statusCode(), "schema id " + id + " after the restart: " + resolved.body());
            assertEquals(true, resolved.body().contains("Probe"), resolved.body());
        }
    }
}
