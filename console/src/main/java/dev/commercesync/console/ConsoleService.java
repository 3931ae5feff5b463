package dev.commercesync.console;

import dev.commercesync.console.ConsoleViews.Health;
import dev.commercesync.console.ConsoleViews.OperationView;
import dev.commercesync.console.ConsoleViews.Overview;
import dev.commercesync.console.ConsoleViews.QuarantineItem;
import dev.commercesync.console.ConsoleViews.RetryResult;
import dev.commercesync.console.ConsoleViews.StoreDetail;
import dev.commercesync.console.ConsoleViews.StoreSummary;
import dev.commercesync.kafka.PipelineKafka;
import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.kafka.Quarantine;
import dev.commercesync.kafka.TopicNames;
import dev.commercesync.opstate.OperationalStates;
import dev.commercesync.schemas.envelope.QuarantineRecord;
import dev.commercesync.schemas.envelope.RawRecordRef;
import dev.commercesync.stores.Store;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * What the console knows: the store registry ({@code stores.store}, never its secrets), the operational state of each
 * component that records one (its own schema's {@code operational_state}, through {@link OperationalStates}), and the
 * quarantine (through {@link Quarantine}, the same code as {@code synctl quarantine}) and the count of the sync dead
 * letters waiting (through {@link DeadLetterService}).
 */
@ApplicationScoped
public class ConsoleService {
    private static final Logger LOG = Logger.getLogger(ConsoleService.class);

    private static final Comparator<StoreSummary> NEEDS_ATTENTION_FIRST = Comparator.comparing(StoreSummary::health)
            .thenComparing(StoreSummary::since, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(StoreSummary::platform)
            .thenComparing(StoreSummary::store);

    private final Map<String, OperationalStates> states = new LinkedHashMap<>();
    private final String bootstrap;
    private final String registryUrl;
    private final TopicNames topics;
    private final String topicSuffix;
    /** The service's kafka.* settings: SCRAM/TLS on Kubernetes (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_JAAS_CONFIG). */
    private final Map<String, Object> kafkaConfig;

    private final DeadLetterService deadLetters;

    public ConsoleService(
            AgroalDataSource dataSource,
            MeterRegistry meters,
            @ConfigProperty(name = "commercesync.console.operational-state-schemas") List<String> schemas,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
            @ConfigProperty(name = "commercesync.registry.url") String registryUrl,
            @ConfigProperty(name = "commercesync.console.topic-suffix", defaultValue = "") Optional<String> suffix,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            DeadLetterService deadLetters) {
        for (String schema : schemas) {
            states.put(schema, new OperationalStates(dataSource, schema, meters));
        }
        this.bootstrap = bootstrap;
        this.registryUrl = registryUrl;
        this.topics = TopicNames.withSuffix(suffix.orElse(""));
        this.topicSuffix = suffix.orElse("");
        this.kafkaConfig = kafkaConfig;
        this.deadLetters = deadLetters;
    }

    /**
     * Every store, the ones that need attention first. Only the store registry's read is in a transaction: the
     * quarantine's Kafka reads take seconds and hold no database connection.
     */
    public Overview overview() {
        List<String> unavailable = new ArrayList<>();
        Map<String, List<OperationView>> operations = new LinkedHashMap<>();
        states.forEach((source, table) -> {
            try {
                table.all().forEach(r -> operations
                        .computeIfAbsent(PipelineRecords.storeKey(r.platform(), r.storeId()), k -> new ArrayList<>())
                        .add(OperationView.of(source, r)));
            } catch (IllegalStateException e) {
                unavailable.add(source);
                LOG.warnf("the operational state of %s could not be read: %s", source, e.getMessage());
            }
        });
        Map<String, Long> quarantined = quarantine(null, null, false).stream()
                .collect(Collectors.groupingBy(
                        q -> PipelineRecords.storeKey(q.platform(), q.store()), Collectors.counting()));
        Map<String, Long> deadLettered = deadLetters.waitingPerStore();

        Map<String, StoreSummary> stores = new LinkedHashMap<>();
        for (Store s : QuarkusTransaction.joiningExisting().call(Store::listOrdered)) {
            String key = PipelineRecords.storeKey(s.platform, s.storeId);
            stores.put(
                    key,
                    summary(
                            s.platform,
                            s.storeId,
                            s.displayName,
                            true,
                            s.enabled,
                            operations,
                            quarantined,
                            deadLettered));
        }
        for (Map<String, ?> known : List.of(operations, quarantined, deadLettered)) {
            known.keySet()
                    .forEach(key ->
                            stores.computeIfAbsent(key, k -> unregistered(k, operations, quarantined, deadLettered)));
        }
        return new Overview(
                stores.values().stream().sorted(NEEDS_ATTENTION_FIRST).toList(), unavailable);
    }

    /** One store: every operation's state, worst first, and its records waiting in the quarantine. */
    public Optional<StoreDetail> store(String platform, String storeId) {
        Optional<Store> registered =
                QuarkusTransaction.joiningExisting().call(() -> Store.findByKey(platform, storeId));
        List<OperationView> operations = new ArrayList<>();
        states.forEach((source, table) -> {
            try {
                table.forStore(platform, storeId).forEach(r -> operations.add(OperationView.of(source, r)));
            } catch (IllegalStateException e) {
                LOG.warnf("the operational state of %s could not be read: %s", source, e.getMessage());
            }
        });
        List<QuarantineItem> quarantine = quarantine(platform, storeId, false);
        int deadLettered = deadLetters
                .list(new DeadLetterService.Filter(platform, storeId, null), false)
                .size();
        if (registered.isEmpty() && operations.isEmpty() && quarantine.isEmpty() && deadLettered == 0) {
            return Optional.empty();
        }
        operations.sort(Comparator.comparing(OperationView::health)
                .thenComparing(OperationView::operation)
                .thenComparing(OperationView::entityType, Comparator.nullsFirst(Comparator.naturalOrder())));
        String key = PipelineRecords.storeKey(platform, storeId);
        StoreSummary summary = summary(
                platform,
                storeId,
                registered.map(s -> s.displayName).orElse(null),
                registered.isPresent(),
                registered.map(s -> s.enabled).orElse(false),
                Map.of(key, operations),
                Map.of(key, (long) quarantine.size()),
                Map.of(key, (long) deadLettered));
        return Optional.of(new StoreDetail(summary, operations, quarantine));
    }

    /**
     * Quarantined records, oldest first.
     *
     * @param platform only this platform, or null
     * @param storeId only this store, or null
     * @param includeResubmitted also the records already re-submitted (retried)
     */
    public List<QuarantineItem> quarantine(String platform, String storeId, boolean includeResubmitted) {
        try (PipelineKafka kafka = kafka()) {
            Quarantine quarantine = new Quarantine(kafka, topics);
            List<QuarantineRecord> records = quarantine.all().values().stream()
                    .filter(q -> platform == null || platform.equals(q.getPlatform()))
                    .filter(q -> storeId == null || storeId.equals(q.getStore()))
                    .toList();
            if (records.isEmpty()) {
                return List.of();
            }
            Instant oldest = records.stream()
                    .map(QuarantineRecord::getQuarantinedAt)
                    .min(Comparator.naturalOrder())
                    .orElseThrow();
            Map<String, RawRecordRef> resubmitted = quarantine.resubmissions(oldest);
            return records.stream()
                    .map(q -> QuarantineItem.of(q, resubmitted.get(q.getQuarantineId())))
                    .filter(q -> includeResubmitted || q.resubmittedAs() == null)
                    .toList();
        }
    }

    /** Re-submits a quarantined record (see {@link Quarantine#retry}). */
    public RetryResult retry(String id) throws InterruptedException, ExecutionException {
        try (PipelineKafka kafka = kafka()) {
            RetryResult result = RetryResult.of(new Quarantine(kafka, topics).retry(id));
            LOG.infof(
                    "quarantined record %s re-submitted as %s (retry %d)",
                    id, result.resubmittedAs(), result.retryCount());
            return result;
        }
    }

    /** A Kafka client for one task (also {@link TraceService}'s and the store actions' replay); it holds no database
     * connection. Close it after use. */
    PipelineKafka kafka() {
        return new PipelineKafka(bootstrap, registryUrl, "console", kafkaConfig);
    }

    /** Appended to every topic name ({@code commercesync.console.topic-suffix}; "" in production). */
    String topicSuffix() {
        return topicSuffix;
    }

    /** The topic names with that suffix. */
    TopicNames topics() {
        return topics;
    }

    private static StoreSummary unregistered(
            String key,
            Map<String, List<OperationView>> operations,
            Map<String, Long> quarantined,
            Map<String, Long> deadLettered) {
        int slash = key.indexOf('/');
        return summary(
                key.substring(0, slash),
                key.substring(slash + 1),
                null,
                false,
                false,
                operations,
                quarantined,
                deadLettered);
    }

    private static StoreSummary summary(
            String platform,
            String storeId,
            String displayName,
            boolean registered,
            boolean enabled,
            Map<String, List<OperationView>> operations,
            Map<String, Long> quarantined,
            Map<String, Long> deadLettered) {
        String key = PipelineRecords.storeKey(platform, storeId);
        List<OperationView> ops = operations.getOrDefault(key, List.of());
        int waiting = quarantined.getOrDefault(key, 0L).intValue();
        int refused = deadLettered.getOrDefault(key, 0L).intValue();
        List<OperationView> failing =
                ops.stream().filter(o -> o.health() != Health.OK).toList();
        Optional<OperationView> worst = failing.stream()
                .min(Comparator.comparing(OperationView::health)
                        .thenComparing(OperationView::since, Comparator.nullsLast(Comparator.naturalOrder())));
        Health health = worst.map(OperationView::health)
                .orElse(waiting > 0 ? Health.QUARANTINED : refused > 0 ? Health.DEAD_LETTERS : Health.OK);
        return new StoreSummary(
                platform,
                storeId,
                displayName,
                registered,
                enabled,
                health,
                worst.map(OperationView::since).orElse(null),
                ops.size(),
                failing.size(),
                waiting,
                refused);
    }
}
