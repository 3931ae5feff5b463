package dev.commercesync.ingest;

import dev.commercesync.devstack.DevStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A real SQS-compatible server (ElasticMQ, in this JVM, on 127.0.0.1) with the notification queue and its dead-letter
 * queue, and the ingest's queue consumer pointed at them: Amazon's SQS itself cannot be reached from here. Short
 * waits (1 s long polls, 2 s visibility timeout) so that a message left on the queue comes back within a test.
 */
public class ElasticMqTestResource implements QuarkusTestResourceLifecycleManager {
    static final String PLATFORM = "amazon";
    static final String REGION = "us-east-1";

    private SQSRestServer server;

    @Override
    public Map<String, String> start() {
        int port = freePort();
        server = SQSRestServerBuilder.withInterface("127.0.0.1")
                .withPort(port)
                .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
                .start();
        server.waitUntilStarted();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        try (SqsClient sqs = client(endpoint)) {
            String queue = sqs.createQueue(create -> create.queueName("sp-api-notifications"))
                    .queueUrl();
            String deadLetters = sqs.createQueue(create -> create.queueName("sp-api-notifications-dead-letters"))
                    .queueUrl();
            return Map.of(
                    "commercesync.ingest.queue.platform",
                    PLATFORM,
                    "commercesync.ingest.queue.url",
                    queue,
                    "commercesync.ingest.queue.dead-letter-url",
                    deadLetters,
                    "commercesync.ingest.queue.endpoint",
                    endpoint.toString(),
                    "commercesync.ingest.queue.region",
                    REGION,
                    "commercesync.ingest.queue.access-key-id",
                    "test-access-key",
                    "commercesync.ingest.queue.secret-access-key",
                    "test-secret-key",
                    "commercesync.ingest.queue.wait-time",
                    "1s",
                    "commercesync.ingest.queue.visibility-timeout",
                    "2s",
                    "commercesync.ingest.queue.retry-delay",
                    "500ms");
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stopAndWait();
        }
    }

    /** A client of the test server, as the test's own sender and inspector of the queues. */
    static SqsClient client(URI endpoint) {
        return SqsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("test-access-key", "test-secret-key")))
                .build();
    }

    private static int freePort() {
        try {
            return DevStack.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
