package dev.commercesync.normalizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.devstack.Endpoints;
import dev.commercesync.kafka.TopicNames;
import dev.commercesync.schemas.content.CanonicalEvents;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.schemas.envelope.RawRecordRef;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once under a crash: the normalizer runs in a child JVM, is killed with SIGKILL while it is working through
 * a batch (some outputs committed, the rest not), and a new instance with an empty state directory (so the dedup
 * store is restored from its changelog) finishes the work. Read with read_committed, every raw record has exactly one
 * canonical event, and a redelivery of an already processed event is still recognised as a duplicate.
 */
class ExactlyOnceAfterKillTest {
    private static final int RECORDS = 300;

    private final Endpoints stack = SharedStack.endpoints();

    @Test
    void killedMidBatchAndRestartedNeitherLosesNorDuplicates() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String suffix = ".eos-" + run;
        TopicNames topics = TopicNames.withSuffix(suffix);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            new TopicProvisioner(3, (short) 1, Duration.ofDays(30), Duration.ofDays(30), 16 * 1024 * 1024)
                    .ensure(admin, topics);
        }
        String store = "eos-" + run + ".myshopify.com";
        String orders = topics.canonical(dev.commercesync.schemas.canonical.EntityType.ORDER);
        try (KafkaTestClients kafka = new KafkaTestClients(stack)) {
            for (int i = 0; i < RECORDS; i++) {
                kafka.sendRaw(topics.raw(), Fixtures.shopifyOrder(store, "evt-" + i));
            }
            String appId = "normalizer-eos-" + run;
            Process first = start(suffix, appId, Files.createTempDirectory("eos-state-1"), 25, "first");
            int committedAtKill;
            try {
                committedAtKill = kafka.awaitCommitted(orders, key -> true, 40, Duration.ofSeconds(90), Duration.ZERO)
                        .size();
            } finally {
                first.destroyForcibly(); // SIGKILL: no close, no commit, the open transaction is left to abort
                first.waitFor();
            }
            assertTrue(
                    committedAtKill < RECORDS,
                    "the kill landed mid-batch (" + committedAtKill + " of " + RECORDS + " committed)");

            Process second = start(suffix, appId, Files.createTempDirectory("eos-state-2"), 0, "second");
            try {
                var events = kafka.awaitCommitted(
                        orders, key -> true, RECORDS, Duration.ofSeconds(90), Duration.ofSeconds(2));
                Map<Long, Long> perRawOffset = events.stream()
                        .map(r -> CanonicalEvents.metadata(r.value()).getRawRef())
                        .collect(Collectors.groupingBy(RawRecordRef::getOffset, Collectors.counting()));
                assertEquals(RECORDS, events.size(), "one committed event per raw record, no more");
                assertEquals(RECORDS, perRawOffset.size(), "every raw record has its event");
                assertTrue(perRawOffset.values().stream().allMatch(n -> n == 1), "no raw record has two events");

                // The dedup keys survived the kill (restored from the changelog into the new state dir).
                RawEnvelope redelivery = Fixtures.shopifyOrder(store, "evt-7");
                kafka.sendRaw(topics.raw(), redelivery);
                kafka.sendRaw(topics.raw(), Fixtures.shopifyOrder(store, "evt-sentinel"));
                var after = kafka.awaitCommitted(
                        orders, key -> true, RECORDS + 1, Duration.ofSeconds(60), Duration.ofSeconds(2));
                assertEquals(RECORDS + 1, after.size(), "the redelivered event is dropped, the new one is mapped");
                var ids = after.stream()
                        .map(r -> CanonicalEvents.metadata(r.value()).getEventId())
                        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
                assertEquals(RECORDS + 1, ids.size());
            } finally {
                second.destroy();
                second.waitFor();
            }
        }
    }

    private Process start(String suffix, String appId, Path stateDir, long delayMillis, String name)
            throws IOException {
        Path log = Path.of("target", "eos-" + name + "-" + appId + ".log");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                NormalizerChildProcess.class.getName(),
                stack.kafkaBootstrap(),
                stack.registryApiUrl(),
                suffix,
                appId,
                stateDir.toString(),
                Long.toString(delayMillis));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }
}
