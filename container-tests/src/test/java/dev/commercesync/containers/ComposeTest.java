package dev.commercesync.containers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.Simulator;
import dev.commercesync.simulator.StoreSnapshot;
import dev.commercesync.simulator.StoreSpec;
import dev.commercesync.simulator.webhooks.DeliveryListener;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.DockerClientFactory;

/**
 * docker-compose.yml on a real container engine, as a user with Docker runs it: images built, the project up and
 * healthy, a store registered through the admin API, signed webhooks to the published ingest port turned into
 * canonical events on Kafka and rows in PostgreSQL (both read from the host), a service and the broker killed under
 * traffic with nothing lost, {@code down}/{@code up} keeping schema ids, rows and topics, and a service started while
 * PostgreSQL is away waiting for it instead of dying.
 *
 * <p>The steps build on each other (one project, started once). Skipped when no engine is reachable: {@code ./mvnw
 * verify} needs no Docker; CI runs them with {@code deploy/docker/ci-compose-test.sh}. The compose files come from
 * {@code -Dcontainer-tests.compose-files} (CI adds {@code docker-compose.local.yml}, the local stand-ins of the public
 * images). Host ports are free ones picked at start, bound to 127.0.0.1.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeTest {
    private static final Path ROOT = Path.of(System.getProperty("commercesync.root", ".."))
            .toAbsolutePath()
            .normalize();
    private static final Path OUT = ROOT.resolve("container-tests/target/compose-test");
    private static final String PROJECT = "cscomposetest";
    private static final List<String> SERVICES = List.of(
            "kafka",
            "postgres",
            "registry",
            "webhook-ingest",
            "poller",
            "normalizer",
            "sync-writer",
            "inventory",
            "reconciler",
            "console");
    private static final List<String> TOPICS = List.of(
            "commerce.raw.v1",
            "commerce.orders.v1",
            "commerce.products.v1",
            "commerce.inventory.v1",
            "commerce.customers.v1",
            "commerce.shipments.v1",
            "commerce.refunds.v1",
            "commerce.fetch-requests.v1",
            "commerce.fetch-dlq.v1",
            "commerce.quarantine.v1",
            "commerce.sync-dlq.v1",
            "commerce.applied.v1",
            "commerce.reconciliation.v1",
            "commerce.commands.v1",
            "commerce.command-results.v1");
    private static final Duration SETTLE = Duration.ofMinutes(4);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Compose compose;
    private static DockerClient docker;
    private static Map<String, Integer> ports;
    private static Map<String, String> env;
    private static Simulator simulator;
    private static SimulatedStore store;
    /** Every entity a webhook the ingest accepted (2xx) was about. */
    private static final Set<String> delivered = ConcurrentHashMap.newKeySet();

    private static final AtomicInteger refused = new AtomicInteger();

    @BeforeAll
    static void up() throws Exception {
        skipUnless(
                DockerClientFactory.instance().isDockerAvailable(),
                "No container engine reachable: the compose tests are skipped (CI runs them with"
                        + " deploy/docker/ci-compose-test.sh, which installs and starts one)");
        skipUnless(Compose.installed(), "No docker-compose command: the compose tests are skipped");
        docker = DockerClientFactory.instance().client();
        Files.createDirectories(OUT);
        ports = new LinkedHashMap<>();
        for (String name : List.of(
                "INGEST_PORT",
                "REGISTRY_PORT",
                "POLLER_PORT",
                "NORMALIZER_PORT",
                "SYNC_WRITER_PORT",
                "RECONCILER_PORT",
                "INVENTORY_PORT",
                "CONSOLE_PORT",
                "POSTGRES_PORT",
                "KAFKA_PORT")) {
            ports.put(name, freePort());
        }
        env = new LinkedHashMap<>();
        env.put("COMMERCESYNC_SECRETS_KEY", randomBase64(32));
        env.put("COMMERCESYNC_ADMIN_TOKEN", randomBase64(24));
        env.put("COMMERCESYNC_INTERNAL_TOKEN", randomBase64(24));
        env.put("POSTGRES_PASSWORD", randomBase64(24));
        env.put("COMMERCESYNC_PUBLIC_URL", "");
        env.put("COMMERCESYNC_BIND", "127.0.0.1");
        env.put("KAFKA_HOST_ADVERTISED", "127.0.0.1");
        // The simulated store's API is on this machine's bridge address, http: allowed for this test only.
        env.put("COMMERCESYNC_ALLOW_INSECURE_API_URLS", "true");
        ports.forEach((k, v) -> env.put(k, Integer.toString(v)));
        Path envFile = OUT.resolve("test.env");
        StringBuilder text = new StringBuilder();
        env.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(envFile, text.toString(), StandardCharsets.UTF_8);
        envFile.toFile().setReadable(false, false);
        envFile.toFile().setReadable(true, true);

        List<String> files = Arrays.asList(System.getProperty("container-tests.compose-files", "docker-compose.yml")
                .split(","));
        Path log = OUT.resolve("compose.log");
        Files.deleteIfExists(log);
        compose = new Compose(ROOT, PROJECT, files, envFile, log);
        compose.run(Duration.ofMinutes(2), "down", "-v", "--remove-orphans"); // a previous run's leftovers
        timed("build", () -> compose.run(Duration.ofMinutes(10), "build"));
        timed("up", () -> compose.run(Duration.ofMinutes(10), "up", "-d"));
        timed("healthy", ComposeTest::awaitHealthy);

        String gateway = docker.inspectNetworkCmd()
                .withNetworkId(PROJECT + "_default")
                .exec()
                .getIpam()
                .getConfig()
                .get(0)
                .getGateway();
        simulator = Simulator.start(new InetSocketAddress(gateway, 0));
        store = simulator.addStore(StoreSpec.builder("shopify", "compose")
                .catalog(5, 5)
                .rateLimits(false)
                .build());
        store.onDelivery(ComposeTest::record);
    }

    @AfterAll
    static void down() throws Exception {
        if (simulator != null) {
            simulator.close();
        }
        if (compose != null) {
            Files.writeString(
                    OUT.resolve("services.log"),
                    compose.run(Duration.ofMinutes(2), "logs", "--no-color", "--timestamps"),
                    StandardCharsets.UTF_8);
            compose.run(Duration.ofMinutes(3), "down", "-v", "--remove-orphans");
        }
    }

    @Test
    @Order(1)
    void everyServiceIsHealthyAndEveryTopicExists() throws Exception {
        for (String service : SERVICES) {
            assertEquals("healthy", health(service), service);
        }
        InspectContainerResponse topics =
                docker.inspectContainerCmd(containerId("kafka-topics")).exec();
        assertEquals(0L, topics.getState().getExitCodeLong(), "kafka-topics created the topics");
        assertTrue(topicsFromHost().containsAll(TOPICS), "topics seen from the host: " + topicsFromHost());
    }

    @Test
    @Order(2)
    void aSignedWebhookBecomesACanonicalEventOnKafkaAndARowInPostgres() throws Exception {
        store.registerWithIngest(ingestUrl(), env.get("COMMERCESYNC_ADMIN_TOKEN"));
        store.subscribeAll(ingestUrl().resolve("/webhooks/shopify"));
        store.step(3);
        assertTrue(store.awaitDeliveries(SETTLE), "the store delivered its webhooks");
        assertTrue(!delivered.isEmpty(), "the ingest accepted webhooks");

        Map<String, String> seen = canonicalEventsOfTheStore(Duration.ofMinutes(2));
        assertTrue(!seen.isEmpty(), "canonical events of the store on Kafka, read from the host");
        seen.forEach((key, store) -> assertEquals(ComposeTest.store.storeId(), store, key));
        awaitEveryDeliveredEntityInTheTarget();

        // The console sees the registered store (its registry, read from PostgreSQL) behind the internal token.
        HttpResponse<String> console = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get("CONSOLE_PORT")
                                + "/api/stores/shopify/" + store.storeId()))
                        .header("Authorization", "Bearer " + env.get("COMMERCESYNC_INTERNAL_TOKEN"))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, console.statusCode(), console.body());
        JsonNode summary = JSON.readTree(console.body()).path("summary");
        assertEquals(store.storeId(), summary.path("store").asText(), console.body());
        assertTrue(summary.path("registered").asBoolean(), console.body());
    }

    @Test
    @Order(3)
    void aKilledServiceAndAKilledBrokerLoseNothing() throws Exception {
        int before = delivered.size();
        kill("normalizer");
        store.step(5);
        assertTrue(store.awaitDeliveries(SETTLE), "delivered while the normalizer was down");
        compose.run(Duration.ofMinutes(2), "start", "normalizer");

        int refusedBefore = refused.get();
        kill("kafka");
        store.step(5);
        await("the ingest refuses webhooks while the broker is down")
                .atMost(Duration.ofMinutes(1))
                .until(() -> refused.get() > refusedBefore);
        compose.run(Duration.ofMinutes(2), "start", "kafka");
        assertTrue(store.awaitDeliveries(SETTLE), "every webhook was delivered after the broker came back");
        assertTrue(delivered.size() > before, "more entities were delivered");
        awaitHealthy();
        awaitEveryDeliveredEntityInTheTarget();
    }

    @Test
    @Order(4)
    void downAndUpKeepSchemaIdsRowsAndTopics() throws Exception {
        Map<String, Integer> schemaIds = schemaIds();
        assertTrue(!schemaIds.isEmpty(), "the registry holds schemas");
        int rows = targetRows();
        assertTrue(rows > 0, "the target holds rows");

        timed("down", () -> compose.run(Duration.ofMinutes(3), "down"));
        timed("up again", () -> compose.run(Duration.ofMinutes(10), "up", "-d"));
        awaitHealthy();

        assertEquals(schemaIds, schemaIds(), "every schema keeps its id");
        assertEquals(rows, targetRows(), "the target keeps its rows");
        assertTrue(topicsFromHost().containsAll(TOPICS), "the topics are kept");
        // The store registry was kept too: new webhooks still verify against its stored secret and arrive.
        store.step(2);
        assertTrue(store.awaitDeliveries(SETTLE), "delivered after down/up");
        awaitEveryDeliveredEntityInTheTarget();
    }

    @Test
    @Order(5)
    void aServiceStartingBeforePostgresWaitsForItInsteadOfDying() throws Exception {
        compose.run(Duration.ofMinutes(2), "stop", "postgres");
        compose.run(Duration.ofMinutes(2), "restart", "webhook-ingest");
        String id = containerId("webhook-ingest");
        InspectContainerResponse started = docker.inspectContainerCmd(id).exec();
        await("webhook-ingest's Flyway retries the connection")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> compose.run(Duration.ofMinutes(1), "logs", "--no-color", "webhook-ingest")
                        .contains("Retrying in"));
        compose.run(Duration.ofMinutes(2), "start", "postgres");
        awaitHealthy();
        InspectContainerResponse after = docker.inspectContainerCmd(id).exec();
        assertEquals(started.getState().getStartedAt(), after.getState().getStartedAt(), "the same process");
        assertEquals(started.getRestartCount(), after.getRestartCount(), "never restarted by the engine");
    }

    /** A JUnit assumption whose message also reaches the build's output (Surefire does not print it). */
    private static void skipUnless(boolean condition, String message) {
        if (!condition) {
            System.out.println("[compose-test] SKIPPED: " + message);
        }
        assumeTrue(condition, message);
    }

    private static void record(DeliveryListener.Attempt attempt) {
        if (attempt.delivered()) {
            delivered.add(
                    attempt.message().entityType() + "/" + attempt.message().entityId());
        } else {
            refused.incrementAndGet();
        }
    }

    private static void kill(String service) throws IOException, InterruptedException {
        String id = containerId(service);
        docker.killContainerCmd(id).exec();
        await(service + " stopped")
                .atMost(Duration.ofMinutes(1))
                .until(() -> !Boolean.TRUE.equals(
                        docker.inspectContainerCmd(id).exec().getState().getRunning()));
    }

    /** The id of a service's container (running or not), by compose's labels: quicker than docker-compose ps. */
    private static String containerId(String service) {
        List<com.github.dockerjava.api.model.Container> found = docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(
                        "com.docker.compose.project", PROJECT,
                        "com.docker.compose.service", service))
                .exec();
        assertEquals(1, found.size(), "containers of service " + service);
        return found.get(0).getId();
    }

    private static void awaitHealthy() {
        await("every service healthy")
                .atMost(Duration.ofMinutes(6))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> {
                    for (String service : SERVICES) {
                        if (!"healthy".equals(health(service))) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    private static String health(String service) throws IOException, InterruptedException {
        InspectContainerResponse.ContainerState state =
                docker.inspectContainerCmd(containerId(service)).exec().getState();
        return state.getHealth() == null ? "none" : state.getHealth().getStatus();
    }

    /** Waits until every entity an accepted webhook was about is in the target at the store's current version. */
    private static void awaitEveryDeliveredEntityInTheTarget() {
        await("every delivered entity in the target at its current version")
                .atMost(SETTLE)
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> missingFromTheTarget().isEmpty());
    }

    private static List<String> missingFromTheTarget() throws SQLException {
        StoreSnapshot snapshot = store.snapshot();
        Map<String, Instant> target = new HashMap<>();
        try (Connection c = database();
                PreparedStatement st = c.prepareStatement("select entity_type, entity_id, source_updated_at"
                        + " from target.entity_versions where platform = ? and store = ? and not deleted")) {
            st.setString(1, store.platform());
            st.setString(2, store.storeId());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Timestamp updated = rs.getTimestamp(3);
                    target.put(rs.getString(1) + "/" + rs.getString(2), updated == null ? null : updated.toInstant());
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (String entity : delivered) {
            String[] typeAndId = entity.split("/", 2);
            StoreSnapshot.EntityVersion current = snapshot.find(EntityType.valueOf(typeAndId[0]), typeAndId[1])
                    .orElse(null);
            if (current == null) {
                continue; // deleted in the store since
            }
            Instant applied = target.get(entity);
            if (!target.containsKey(entity)
                    || (applied != null && current.updatedAt() != null && applied.isBefore(current.updatedAt()))) {
                missing.add(entity);
            }
        }
        return missing;
    }

    private static int targetRows() throws SQLException {
        try (Connection c = database();
                PreparedStatement st = c.prepareStatement("select count(*) from target.entity_versions");
                ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Connection database() throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + ports.get("POSTGRES_PORT") + "/commercesync",
                "postgres",
                env.get("POSTGRES_PASSWORD"));
    }

    /** The canonical events of the store, read from the host's listener and decoded through the registry. */
    private static Map<String, String> canonicalEventsOfTheStore(Duration timeout) {
        Map<String, String> stores = new TreeMap<>();
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "compose-test-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed");
        try (KafkaConsumer<String, byte[]> consumer =
                        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
                AvroKafkaDeserializer<GenericRecord> avro = new AvroKafkaDeserializer<>()) {
            avro.configure(Map.of("apicurio.registry.url", registryUrl() + "/apis/registry/v2"), false);
            consumer.subscribe(TOPICS.subList(1, 7));
            String prefix = store.platform() + "/" + store.storeId() + "/";
            long deadline = System.nanoTime() + timeout.toNanos();
            while (stores.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    if (record.key() != null && record.key().startsWith(prefix)) {
                        GenericRecord value = avro.deserialize(record.topic(), record.headers(), record.value());
                        GenericRecord metadata = (GenericRecord) value.get("metadata");
                        stores.put(record.key(), String.valueOf(metadata.get("store")));
                    }
                }
            }
        }
        return stores;
    }

    private static Set<String> topicsFromHost() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap()))) {
            return new TreeSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
        }
    }

    /** Subject to id of its latest version, through the registry's Confluent API on the host. */
    private static Map<String, Integer> schemaIds() throws IOException, InterruptedException {
        Map<String, Integer> ids = new TreeMap<>();
        for (JsonNode subject : get("/apis/ccompat/v7/subjects")) {
            JsonNode latest = get("/apis/ccompat/v7/subjects/" + subject.asText() + "/versions/latest");
            ids.put(subject.asText(), latest.get("id").asInt());
        }
        return ids;
    }

    private static JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(registryUrl() + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static URI ingestUrl() {
        return URI.create("http://127.0.0.1:" + ports.get("INGEST_PORT"));
    }

    private static String registryUrl() {
        return "http://127.0.0.1:" + ports.get("REGISTRY_PORT");
    }

    private static String kafkaBootstrap() {
        return "127.0.0.1:" + ports.get("KAFKA_PORT");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String randomBase64(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private static void timed(String name, Step step) throws Exception {
        long started = System.nanoTime();
        step.run();
        System.out.printf(
                "[compose-test] %s took %d s%n", name, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }
}
