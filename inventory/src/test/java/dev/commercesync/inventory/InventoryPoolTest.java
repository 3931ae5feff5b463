package dev.commercesync.inventory;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.OrderStatus;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.SetInventoryLevel;
import dev.commercesync.stores.Merchant.PhysicalMode;
import dev.commercesync.stores.MerchantRegistry;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.testsupport.KafkaTestClient;
import dev.commercesync.testsupport.ServiceReadinessContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * The service on the real stack (Kafka, registry, PostgreSQL): a merchant of three stores registered in the store
 * registry, canonical events published with the registry's serdes, SetInventoryLevel commands read back from
 * commerce.commands.v1 and the pool answered by {@code GET /pools/{merchant}}.
 */
@QuarkusTest
@WithTestResource(InventoryTestResource.class)
class InventoryPoolTest {
    @Inject
    StoreRegistry stores;

    @Inject
    MerchantRegistry merchants;

    @Inject
    MerchantConfigCache configs;

    @Inject
    KafkaStreams streams;

    @Test
    void salesOnOneChannelAreWrittenToTheOthersAndShownByTheRestView() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String merchant = "it-" + run;
        String src = "shopify/src-" + run + ".myshopify.com";
        String woo = "woocommerce/woo-" + run + ".example.com";
        String big = "bigcommerce/big-" + run;
        merchants.create(merchant, "Integration");
        for (String channel : new String[] {src, woo, big}) {
            stores.add(AvroEvents.platform(channel), AvroEvents.store(channel), channel, null, "secret-" + run, null);
            merchants.attach(merchant, AvroEvents.platform(channel), AvroEvents.store(channel));
        }
        merchants.setPhysical(merchant, "shopify", AvroEvents.store(src), PhysicalMode.LOCATION, "L1");
        configs.refresh();
        // Kafka Streams starts once its input topics exist; the records below would wait for it anyway.
        await().atMost(Duration.ofSeconds(30)).until(() -> streams.state() == KafkaStreams.State.RUNNING);

        String sku = "SKU-" + run;
        Instant t = Instant.now();
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            String topic = CommerceTopic.INVENTORY.topicName();
            kafka.send(topic, "k1", AvroEvents.level(src, "src-item", "L1", sku, 10, t, null));
            kafka.send(topic, "k2", AvroEvents.level(woo, "woo-item", null, sku, 10, t, null));
            kafka.send(topic, "k3", AvroEvents.level(big, "big-item", null, sku, 10, t, null));
            kafka.send(
                    CommerceTopic.ORDERS.topicName(),
                    "k4",
                    AvroEvents.order(woo, "o-1", OrderStatus.PROCESSING, t, t, sku, 3));

            Map<String, Long> written = new TreeMap<>();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(300))
                    .untilAsserted(() -> {
                        written.clear();
                        for (var r : kafka.read(
                                CommerceTopic.COMMANDS.topicName(), Command.class, KafkaTestClient.COMMITTED)) {
                            Command c = r.value();
                            if (c.getMetadata().getStore().contains(run)) {
                                written.put(
                                        c.getMetadata().getPlatform() + "/"
                                                + c.getMetadata().getStore(),
                                        ((SetInventoryLevel) c.getAction()).getQuantity());
                            }
                        }
                        assertEquals(7L, written.get(src), written.toString());
                        assertEquals(7L, written.get(big), written.toString());
                    });
        }

        given().header("Authorization", ServiceReadinessContract.INTERNAL_AUTH)
                .get("/pools/" + merchant + "/" + sku)
                .then()
                .statusCode(200)
                .body("sku", equalTo(sku))
                .body("available", equalTo(7))
                .body("reserved", equalTo(3))
                .body("physical", equalTo(10))
                .body("channels.find { it.channel == '" + big + "' }.inflight.quantity", equalTo(7))
                .body("channels.find { it.channel == '" + big + "' }.behind_since", notNullValue());
        given().header("Authorization", ServiceReadinessContract.INTERNAL_AUTH)
                .get("/pools/" + merchant)
                .then()
                .statusCode(200)
                .body("pools.size()", equalTo(1));
        given().get("/pools/" + merchant).then().statusCode(401);
    }
}
