package dev.commercesync.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.poller.polling.Checkpoints;
import dev.commercesync.poller.polling.PollScheduler;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.content.CanonicalEvents;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.simulator.IngestRegistration;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.Simulator;
import dev.commercesync.simulator.StoreSnapshot;
import dev.commercesync.simulator.StoreSpec;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Types a platform lists only as a whole (BigCommerce inventory levels, Adobe Commerce MSI source items: no
 * updated-at) are polled too: a new store's existing levels, never sent as webhooks, are published on its first run,
 * and listed again only after {@code polling.snapshot-interval} (PT5S in %test). Simulated stores, the real Kafka,
 * registry and PostgreSQL.
 */
@QuarkusTest
@WithTestResource(PollerTestResource.class)
class SnapshotPollingTest {
    private static final EntityType LEVEL = EntityType.INVENTORY_LEVEL;

    @Inject
    PollScheduler scheduler;

    @Inject
    StoreRegistry stores;

    @Inject
    StoreSettings settings;

    @Inject
    Checkpoints checkpoints;

    @Inject
    PlatformRegistry platforms;

    @BeforeAll
    static void topics() throws Exception {
        KafkaTestClients.ensureTopics();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bigcommerce", "magento2"})
    void aNewStoresLevelsArePublishedOnItsFirstRunAndListedAgainOnlyAfterTheInterval(String platform) throws Exception {
        try (Simulator simulator = Simulator.start(0)) {
            SimulatedStore shop = simulator.addStore(
                    StoreSpec.builder(platform, "snap-" + Instant.now().toEpochMilli())
                            .seed(7)
                            .catalog(12, 1)
                            .rateLimits(false)
                            .build());
            StoreView view = register(shop);
            StoreKey key = StoreKey.of(view);
            assertEquals(List.copyOf(platforms.get(platform).capabilities().listedAsSnapshot()), List.of(LEVEL));
            assertEquals(List.of(LEVEL), settings.snapshotResources(key), "the adapter's snapshot types, by default");
            Set<String> levels = shop.snapshot().of(LEVEL).stream()
                    .map(StoreSnapshot.EntityVersion::id)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertTrue(levels.size() > 5, "the store has levels over several pages of 5: " + levels.size());

            Instant firstRun = Instant.now();
            scheduler.runDue(view).get(60, TimeUnit.SECONDS);
            long requestsAfterFirstRun = shop.stats().apiRequests();
            // Within the interval: nothing is due (the incremental types' interval is 5 minutes), nothing is asked.
            scheduler.runDue(view).get(60, TimeUnit.SECONDS);
            assertEquals(requestsAfterFirstRun, shop.stats().apiRequests(), "a fresh snapshot is not listed again");

            List<ConsumerRecord<String, RawEnvelope>> first =
                    levelRecordsUntil(key, levels.size(), Duration.ofSeconds(30));
            assertEquals(levels.size(), first.size(), "every level of the store, once");
            assertEquals(levels, entityIds(first), "the store's levels");
            for (ConsumerRecord<String, RawEnvelope> record : first) {
                assertEquals(EventSource.POLL, record.value().getSource());
                assertFalse(
                        record.value().getReceivedAt().isBefore(firstRun), "received at the read, not at a default");
            }
            Checkpoints.Checkpoint checkpoint = checkpoints.find(key, LEVEL).orElseThrow();
            assertNull(checkpoint.cursor(), "a snapshot has no cursor");
            assertNotNull(checkpoint.lastSuccessAt(), "the complete listing is recorded");
            JsonPath status = PollingTest.statusOf(view);
            assertEquals("OK", status.getString("state"), status.prettify());
            assertNotNull(status.getString("resources.find { it.entity_type == 'INVENTORY_LEVEL' }.last_success_at"));

            // After the interval the store is listed again: every level a second time.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        scheduler.runDue(view).get(60, TimeUnit.SECONDS);
                        return shop.stats().apiRequests() > requestsAfterFirstRun;
                    });
            assertEquals(
                    2 * levels.size(),
                    levelRecordsUntil(key, 2 * levels.size(), Duration.ofSeconds(30))
                            .size());
            assertTrue(
                    checkpoints.find(key, LEVEL).orElseThrow().lastSuccessAt().isAfter(checkpoint.lastSuccessAt()));
        }
    }

    /** A platform whose adapter lists nothing as a snapshot gets no snapshot run: no call, no checkpoint, no error. */
    @Test
    void aPlatformWithoutSnapshotTypesMakesNoSnapshotCalls() throws Exception {
        try (FakeWooStore api = new FakeWooStore()) {
            StoreView store = TestStores.wooStore(stores, api);
            StoreKey key = StoreKey.of(store);
            assertEquals(List.of(), settings.snapshotResources(key));
            api.addOrder(1, Instant.now().minusSeconds(60));

            scheduler.runDue(store).get(60, TimeUnit.SECONDS);

            assertEquals(
                    List.of(EntityType.ORDER),
                    checkpoints.forStore(key).stream()
                            .map(Checkpoints.Checkpoint::entityType)
                            .toList(),
                    "only the polled type ran");
            assertTrue(
                    api.requests().stream().allMatch(r -> r.path().equals("/wp-json/wc/v3/orders")),
                    api.requests().toString());
            JsonPath status = PollingTest.statusOf(store);
            assertEquals("OK", status.getString("state"), status.prettify());
            assertEquals(List.of("ORDER"), status.getList("resources.entity_type"));
        }
    }

    private StoreView register(SimulatedStore shop) {
        IngestRegistration registration = shop.registration();
        return stores.add(
                registration.platform(),
                registration.storeId(),
                "simulated " + registration.platform(),
                registration.apiBaseUrl(),
                registration.webhookSecret(),
                registration.apiCredentials());
    }

    private static List<ConsumerRecord<String, RawEnvelope>> levelRecordsUntil(StoreKey key, int count, Duration wait) {
        return levels(
                KafkaTestClients.rawRecordsUntil(key.toString(), r -> levels(r).size() >= count, wait));
    }

    private static List<ConsumerRecord<String, RawEnvelope>> levels(List<ConsumerRecord<String, RawEnvelope>> all) {
        return all.stream().filter(r -> r.value().getEntityType() == LEVEL).toList();
    }

    /** The ids of the canonical levels the records map to, as the normalizer maps them. */
    private Set<String> entityIds(List<ConsumerRecord<String, RawEnvelope>> records) {
        Normalization normalization = new Normalization(platforms);
        Set<String> ids = new TreeSet<>();
        for (ConsumerRecord<String, RawEnvelope> record : records) {
            var outcome = assertInstanceOf(NormalizationOutcome.Events.class, normalization.normalize(record.value()));
            ids.add(CanonicalEvents.metadata(outcome.canonicalEvents().get(0)).getEntityId());
        }
        return ids;
    }
}
