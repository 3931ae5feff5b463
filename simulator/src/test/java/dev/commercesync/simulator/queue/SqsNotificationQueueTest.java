package dev.commercesync.simulator.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.RawEnvelopes;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.QueuedNotifications;
import dev.commercesync.platforms.spi.WebhookDelivery;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.Simulator;
import dev.commercesync.simulator.StoreSpec;
import dev.commercesync.simulator.model.Change;
import dev.commercesync.simulator.model.Notification;
import dev.commercesync.simulator.model.Order;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The simulated Amazon seller sends an ORDER_CHANGE for each order it creates or changes to a real SQS-compatible
 * queue (ElasticMQ on 127.0.0.1), in the shape the amazon adapter reads: its seller, the order's id, a thin order.
 */
class SqsNotificationQueueTest {
    private static SQSRestServer server;
    private static URI endpoint;
    private static Simulator simulator;

    @BeforeAll
    static void start() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        server = SQSRestServerBuilder.withInterface("127.0.0.1")
                .withPort(port)
                .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
                .start();
        server.waitUntilStarted();
        endpoint = URI.create("http://127.0.0.1:" + port);
        simulator = Simulator.start(0);
    }

    @AfterAll
    static void stop() {
        if (simulator != null) {
            simulator.close();
        }
        if (server != null) {
            server.stopAndWait();
        }
    }

    @Test
    void everyOrderChangeReachesTheQueueAsTheAdapterReadsIt() throws Exception {
        PlatformAdapter adapter = PlatformRegistry.loadInstalled().get("amazon");
        QueuedNotifications notifications = adapter.queuedNotifications().orElseThrow();
        try (SqsClient sqs = client();
                SqsNotificationQueue queue = new SqsNotificationQueue(
                        endpoint,
                        sqs.createQueue(create -> create.queueName("seller-notifications"))
                                .queueUrl(),
                        "us-east-1")) {
            String queueUrl = sqs.getQueueUrl(get -> get.queueName("seller-notifications"))
                    .queueUrl();
            SimulatedStore store = simulator.addStore(
                    StoreSpec.builder("amazon", "queued").seed(7).build());
            store.notificationQueue(queue);

            Set<String> changedOrders = new LinkedHashSet<>();
            for (Change change : store.step(50)) {
                for (Notification notification : change.notifications()) {
                    if (notification.entity() instanceof Order order) {
                        changedOrders.add(order.id());
                    }
                }
            }
            assertFalse(changedOrders.isEmpty(), "50 changes touch some order");
            assertEquals(0, queue.failed());

            Set<String> notifiedOrders = new LinkedHashSet<>();
            List<String> notificationIds = new ArrayList<>();
            await("an ORDER_CHANGE for every changed order")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        for (Message message : sqs.receiveMessage(receive -> receive.queueUrl(queueUrl)
                                        .maxNumberOfMessages(10)
                                        .waitTimeSeconds(1))
                                .messages()) {
                            byte[] body = message.body().getBytes(StandardCharsets.UTF_8);
                            WebhookDelivery delivery = notifications.describe(body);
                            assertEquals(store.storeId(), delivery.store().orElseThrow());
                            assertEquals("ORDER_CHANGE", delivery.eventType().orElseThrow());
                            notificationIds.add(delivery.platformEventId().orElseThrow());
                            Classification.Classified thin = assertInstanceOf(
                                    Classification.Classified.class,
                                    adapter.classify(
                                            RawEnvelopes.fromQueue(adapter.name(), delivery, body, Instant.EPOCH),
                                            Json.parseObject(body)));
                            assertEquals(EntityType.ORDER, thin.entityType());
                            assertEquals(Classification.PayloadKind.THIN, thin.payloadKind());
                            notifiedOrders.add(thin.entityId());
                            sqs.deleteMessage(
                                    delete -> delete.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                        }
                        return notifiedOrders.containsAll(changedOrders);
                    });
            assertEquals(changedOrders, notifiedOrders, "no notification for an order that did not change");
            assertTrue(notificationIds.size() == Set.copyOf(notificationIds).size(), "each notification its own id");
        }
    }

    private static SqsClient client() {
        return SqsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(endpoint)
                .region(Region.of("us-east-1"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }
}
