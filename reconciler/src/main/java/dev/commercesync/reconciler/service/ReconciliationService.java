package dev.commercesync.reconciler.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.opstate.ErrorClass;
import dev.commercesync.opstate.Operation;
import dev.commercesync.opstate.OperationRecord;
import dev.commercesync.opstate.OperationalStates;
import dev.commercesync.reconciler.ReconcilerConfig;
import dev.commercesync.reconciler.core.BucketReconciler;
import dev.commercesync.reconciler.core.ChangeCoverage;
import dev.commercesync.reconciler.core.Finding;
import dev.commercesync.reconciler.core.PlatformView;
import dev.commercesync.reconciler.core.Range;
import dev.commercesync.reconciler.core.SnapshotReconciler;
import dev.commercesync.reconciler.core.StoreRef;
import dev.commercesync.reconciler.core.TargetView;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.envelope.FetchReason;
import dev.commercesync.schemas.envelope.FetchRequest;
import dev.commercesync.schemas.envelope.FindingKind;
import dev.commercesync.schemas.envelope.ReconciliationFinding;
import dev.commercesync.schemas.envelope.RepairAction;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * One reconciliation run of a store: per entity type, the bucket comparison, then the repairs (fetch requests) and the
 * findings on Kafka, the metrics, the memory that verifies the previous pass's repairs, and the outcome in the
 * operational state ({@code reconciler.operational_state}, operation RECONCILE), from which {@link #summaries()} reads.
 */
@ApplicationScoped
public class ReconciliationService {
    private static final Logger LOG = Logger.getLogger(ReconciliationService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PlatformView platform;
    private final TargetView target;
    private final KafkaPublisher publisher;
    private final ReconcilerMetrics metrics;
    private final ReconcilerConfig config;
    private final OperationalStates states;
    private final Clock clock = Clock.systemUTC();

    /** Per store and type, the findings of the last pass (kind/id → consecutive passes): what a repair must clear. */
    private final Map<String, Map<String, Integer>> lastFindings = new ConcurrentHashMap<>();
    /** Per store and type, up to when the changes were listed: what the next pass lists changes since. */
    private final ChangeCoverage coverage;
    /** The operational state's detail that records a type's {@link ChangeCoverage} (read back after a restart). */
    static final String COVERED_UNTIL = "changes_covered_until";

    /** The ids of one fetch request share its reason and parent. */
    private record RepairKey(FetchReason reason, String parentId) {}

    /**
     * The last pass of one store and type, for GET /reconciliation/stores, from the operational state.
     *
     * @param lastRunAt when the type's last pass ended
     * @param error the last pass's failure; null when it succeeded
     * @param state OK, RETRYING or WAITING_FOR_PERSON, since {@code since}
     * @param errorClass the last pass's error class (transient, quota, auth, validation, conflict); null when it
     *     succeeded
     * @param consecutiveFailures failed passes since the last successful one
     */
    public record StoreTypeSummary(
            Instant lastRunAt,
            boolean lastRunFull,
            int findings,
            Map<String, Integer> findingsByKind,
            int apiCalls,
            Instant lastCleanPassAt,
            String error,
            String state,
            Instant since,
            Instant lastSuccessAt,
            String errorClass,
            int consecutiveFailures) {}

    public ReconciliationService(
            PlatformView platform,
            TargetView target,
            KafkaPublisher publisher,
            ReconcilerMetrics metrics,
            ReconcilerConfig config,
            OperationalStates states) {
        this.platform = platform;
        this.target = target;
        this.publisher = publisher;
        this.metrics = metrics;
        this.config = config;
        this.states = states;
        this.coverage = new ChangeCoverage(this::recordedCoverage);
    }

    /**
     * Per store ({@code platform/store}) and entity type, the last pass as the operational state holds it: the same on
     * every replica, and after a restart.
     */
    public Map<String, Map<EntityType, StoreTypeSummary>> summaries() {
        return summaries(states);
    }

    /** The summaries as {@code from} reads them (a fresh reader over the same database answers the same). */
    public static Map<String, Map<EntityType, StoreTypeSummary>> summaries(OperationalStates from) {
        Map<String, Map<EntityType, StoreTypeSummary>> result = new TreeMap<>();
        for (OperationRecord row : from.forOperation(Operation.RECONCILE)) {
            EntityType type;
            try {
                type = EntityType.valueOf(row.entityType());
            } catch (IllegalArgumentException | NullPointerException e) {
                continue; // a type a newer reconciler wrote
            }
            JsonNode details = details(row.details());
            Map<String, Integer> byKind = new TreeMap<>();
            details.path("findings_by_kind")
                    .properties()
                    .forEach(e -> byKind.put(e.getKey(), e.getValue().asInt()));
            String clean = details.path("last_clean_pass_at").asText(null);
            result.computeIfAbsent(PipelineRecords.storeKey(row.platform(), row.storeId()), k -> new TreeMap<>())
                    .put(
                            type,
                            new StoreTypeSummary(
                                    row.lastAttemptAt(),
                                    details.path("last_run_full").asBoolean(false),
                                    details.path("findings").asInt(0),
                                    byKind,
                                    details.path("api_calls").asInt(0),
                                    clean == null ? null : Instant.parse(clean),
                                    row.errorClass() == null ? null : row.lastError(),
                                    row.state().name(),
                                    row.since(),
                                    row.lastSuccessAt(),
                                    row.errorClass() == null
                                            ? null
                                            : row.errorClass().label(),
                                    row.consecutiveFailures()));
        }
        return result;
    }

    private static JsonNode details(String json) {
        try {
            return json == null ? JSON.createObjectNode() : JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    /** Reconciles the store's entity types (the configured ones when {@code types} is empty). */
    public RunReport run(StoreRef store, Collection<EntityType> types, boolean full) {
        String runId = UUID.randomUUID().toString();
        Instant startedAt = clock.instant();
        Instant windowEnd = startedAt.minus(config.settle()).truncatedTo(ChronoUnit.SECONDS);
        Range window = new Range(config.windowStart().truncatedTo(ChronoUnit.SECONDS), windowEnd);
        List<RunReport.TypeReport> reports = new ArrayList<>();
        int apiCalls = 0;
        Plan plan;
        try {
            plan = plan(store, types);
        } catch (PlatformView.PlatformViewException e) {
            // Without the platform's types nothing can be compared: every named type fails (none named: no report).
            LOG.warnf("reconciling %s: its platform's listable types are unknown: %s", store.key(), e.getMessage());
            for (EntityType type : Set.copyOf(types)) {
                summarize(store, type, full, startedAt, List.of(), 0, e.getMessage(), e.errorClass(), null);
                reports.add(new RunReport.TypeReport(type.name(), 0, 0, 0, 0, 0, 0, 0, List.of(), e.getMessage()));
            }
            plan = new Plan(Set.of(), Set.of(), Set.of());
        }
        for (EntityType type : plan.types()) {
            RunReport.TypeReport report = runType(runId, store, type, plan, window, full, startedAt);
            apiCalls += report.apiCalls();
            reports.add(report);
        }
        reports.sort((a, b) -> a.entityType().compareTo(b.entityType()));
        return new RunReport(
                runId,
                store.platform(),
                store.store(),
                full,
                window.from(),
                window.to(),
                startedAt,
                clock.instant(),
                apiCalls,
                reports);
    }

    /**
     * The types of one run, which of them are compared by content, and which the platform cannot count (listed once
     * per pass instead of counted by buckets).
     */
    record Plan(Set<EntityType> types, Set<EntityType> snapshot, Set<EntityType> withoutCount) {}

    /**
     * The run's types (the named ones, else the store's, platform's or global configured list, else all its adapter
     * lists), the snapshot-compared ones (configured for the store or platform, else the adapter's) and those the
     * platform cannot count (the adapter's, whatever the configuration). The poller answers the adapter's
     * capabilities without a platform request.
     */
    Plan plan(StoreRef store, Collection<EntityType> named) throws PlatformView.PlatformViewException {
        Optional<Set<EntityType>> types = named.isEmpty()
                ? configured(store, ReconcilerConfig.PlatformSettings::entityTypes)
                        .or(config::entityTypes)
                : Optional.of(Set.copyOf(named));
        Optional<Set<EntityType>> snapshot = configured(store, ReconcilerConfig.PlatformSettings::snapshotEntityTypes);
        PlatformView.Listable listable = platform.listable(store.platform());
        Set<EntityType> runTypes = types.orElseGet(() -> {
            Set<EntityType> all = EnumSet.noneOf(EntityType.class);
            all.addAll(listable.byUpdatedAt());
            all.addAll(listable.asSnapshot());
            return all;
        });
        return new Plan(
                new TreeSet<>(runTypes), snapshot.orElseGet(() -> listable.asSnapshot()), listable.withoutCount());
    }

    private Optional<Set<EntityType>> configured(
            StoreRef store, Function<ReconcilerConfig.PlatformSettings, Optional<Set<EntityType>>> setting) {
        return Optional.ofNullable(config.store().get(store.key()))
                .flatMap(setting)
                .or(() -> Optional.ofNullable(config.platform().get(store.platform()))
                        .flatMap(setting));
    }

    private RunReport.TypeReport runType(
            String runId, StoreRef store, EntityType type, Plan plan, Range window, boolean full, Instant startedAt) {
        BucketReconciler.Outcome outcome;
        BucketReconciler.Options options = null;
        try {
            if (plan.snapshot().contains(type)) {
                outcome = new SnapshotReconciler(platform, target, store, type).reconcile();
            } else {
                options = coverage.nextPass(store, type, config.topBuckets(), config.fanout(), config.pageSize(), full);
                if (plan.withoutCount().contains(type)) {
                    options = options.uncounted();
                }
                outcome = new BucketReconciler(platform, target, store, type, options).reconcile(window);
            }
        } catch (PlatformView.PlatformViewException | RuntimeException e) {
            LOG.warnf("reconciling %s %s failed: %s", store.key(), type, e.getMessage());
            // The poller's answer says what failed; the target (SQL) failing is infrastructure: transient.
            ErrorClass errorClass =
                    e instanceof PlatformView.PlatformViewException view ? view.errorClass() : ErrorClass.TRANSIENT;
            summarize(store, type, full, startedAt, List.of(), 0, e.getMessage(), errorClass, null);
            return new RunReport.TypeReport(type.name(), 0, 0, 0, 0, 0, 0, 0, List.of(), e.getMessage());
        }

        // Verification: a finding of the last pass that this pass no longer sees was repaired.
        String memoryKey = store.key() + "|" + type;
        Map<String, Integer> previous = lastFindings.getOrDefault(memoryKey, Map.of());
        Map<String, Integer> current = new HashMap<>();
        for (Finding f : outcome.findings()) {
            String id = f.kind() + "/" + f.entityId();
            current.put(id, previous.getOrDefault(id, 0) + 1);
        }
        int verified = (int) previous.keySet().stream()
                .filter(id -> !current.containsKey(id) && !id.startsWith("DUPLICATE/"))
                .count();

        // One fetch request names ids of one reason and one parent (a refund is fetched through its order).
        Map<RepairKey, List<Finding>> byReason = new LinkedHashMap<>();
        for (Finding f : outcome.findings()) {
            FetchReason reason =
                    switch (f.kind()) {
                        case MISSING -> FetchReason.RECONCILE_MISSING;
                        case STALE -> FetchReason.RECONCILE_STALE;
                        case EXTRA -> FetchReason.RECONCILE_EXTRA;
                        case DUPLICATE -> null;
                    };
            if (reason != null) {
                byReason.computeIfAbsent(new RepairKey(reason, f.parentId()), r -> new ArrayList<>())
                        .add(f);
            }
        }
        List<FetchRequest> requests = new ArrayList<>();
        Map<String, String> requestOf = new HashMap<>();
        Map<FetchReason, Integer> repairsPerReason = new LinkedHashMap<>();
        for (Map.Entry<RepairKey, List<Finding>> e : byReason.entrySet()) {
            List<Finding> list = e.getValue();
            FetchReason reason = e.getKey().reason();
            String parent = e.getKey().parentId();
            for (int from = 0; from < list.size(); from += config.idsPerFetchRequest()) {
                List<Finding> chunk = list.subList(from, Math.min(list.size(), from + config.idsPerFetchRequest()));
                String requestId = deterministicId(
                        runId + "/" + type + "/" + reason + (parent == null ? "" : "/" + parent) + "/" + from);
                requests.add(FetchRequest.newBuilder()
                        .setRequestId(requestId)
                        .setPlatform(store.platform())
                        .setStore(store.store())
                        .setEntityType(type)
                        .setEntityIds(chunk.stream().map(Finding::entityId).toList())
                        .setParentId(parent)
                        .setReason(reason)
                        .setRequestedAt(startedAt)
                        .setRequestedBy("reconciler")
                        .setNotBefore(null)
                        .setCorrelationId(runId)
                        .setRawRef(null)
                        .setTraceContext(null)
                        .build());
                chunk.forEach(f -> requestOf.put(f.kind() + "/" + f.entityId(), requestId));
            }
            repairsPerReason.merge(reason, list.size(), Integer::sum);
        }
        repairsPerReason.forEach((reason, n) -> metrics.repairRequested(store, type, reason.name(), n));
        List<ReconciliationFinding> records = new ArrayList<>();
        List<RunReport.FindingView> views = new ArrayList<>();
        for (Finding f : outcome.findings()) {
            String id = f.kind() + "/" + f.entityId();
            RepairAction repair =
                    switch (f.kind()) {
                        case MISSING, STALE -> RepairAction.FETCH_REQUESTED;
                        case EXTRA -> RepairAction.CONFIRM_DELETION_REQUESTED;
                        case DUPLICATE -> RepairAction.NONE;
                    };
            records.add(ReconciliationFinding.newBuilder()
                    .setFindingId(deterministicId(runId + "/" + type + "/" + id))
                    .setRunId(runId)
                    .setPlatform(store.platform())
                    .setStore(store.store())
                    .setEntityType(type)
                    .setEntityId(f.entityId())
                    .setKind(FindingKind.valueOf(f.kind().name()))
                    .setRepair(repair)
                    .setFetchRequestId(requestOf.get(id))
                    .setPlatformUpdatedAt(f.platformUpdatedAt())
                    .setTargetUpdatedAt(f.targetUpdatedAt())
                    .setTargetSourceVersion(f.targetSourceVersion())
                    .setEntityKeys(f.entityKeys())
                    .setConsecutivePasses(current.get(id))
                    .setFoundAt(startedAt)
                    .build());
            views.add(new RunReport.FindingView(
                    f.kind().name(),
                    f.entityId(),
                    repair.name(),
                    requestOf.get(id),
                    f.platformUpdatedAt(),
                    f.targetUpdatedAt(),
                    f.entityKeys(),
                    current.get(id)));
        }
        try {
            publisher.publish(store.key(), requests, records);
        } catch (IllegalStateException e) {
            LOG.warnf("repairs of %s %s not published: %s", store.key(), type, e.getMessage());
            summarize(
                    store,
                    type,
                    full,
                    startedAt,
                    List.of(),
                    outcome.apiCalls(),
                    "findings and repairs not published: " + e.getMessage(),
                    ErrorClass.TRANSIENT,
                    null);
            return new RunReport.TypeReport(
                    type.name(),
                    outcome.apiCalls(),
                    outcome.countCalls(),
                    outcome.listCalls(),
                    outcome.bucketsCompared(),
                    outcome.bucketsListed(),
                    0,
                    0,
                    views,
                    "findings and repairs not published: " + e.getMessage());
        }
        lastFindings.put(memoryKey, current);
        metrics.passCompleted(store, type, outcome.findings().size(), outcome.apiCalls(), verified, startedAt);
        Instant coveredUntil = null;
        if (options != null) {
            coveredUntil = coverage.passed(
                            store, type, options, window, outcome.findings().isEmpty())
                    .orElse(null);
        }
        summarize(
                store,
                type,
                options == null ? full : options.full(),
                startedAt,
                outcome.findings(),
                outcome.apiCalls(),
                null,
                null,
                coveredUntil);
        LOG.infof(
                "reconciled %s %s: %d findings, %d platform API calls, %d repairs verified",
                store.key(), type, outcome.findings().size(), outcome.apiCalls(), verified);
        return new RunReport.TypeReport(
                type.name(),
                outcome.apiCalls(),
                outcome.countCalls(),
                outcome.listCalls(),
                outcome.bucketsCompared(),
                outcome.bucketsListed(),
                requests.size(),
                verified,
                views,
                null);
    }

    /**
     * The coverage an earlier process (or another replica) recorded in the operational state ({@code
     * changes_covered_until}); empty when none, or when it cannot be read (the pass then lists its whole window).
     */
    private Optional<Instant> recordedCoverage(StoreRef store, EntityType type) {
        try {
            for (OperationRecord row : states.forStore(store.platform(), store.store())) {
                if (row.operation() == Operation.RECONCILE && type.name().equals(row.entityType())) {
                    String at = details(row.details()).path(COVERED_UNTIL).asText(null);
                    return at == null ? Optional.empty() : Optional.of(Instant.parse(at));
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf(
                    "the recorded coverage of %s %s is unknown (%s): its pass lists its whole window",
                    store.key(), type, e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * Records the pass of one type as its operational state (RECONCILE): succeeded when {@code error} is null, else
     * failed with {@code errorClass} — retrying (the next scheduled pass) unless a person must act. The details keep
     * what GET /reconciliation/stores shows; {@code last_clean_pass_at} stays from the last clean pass.
     *
     * @param coveredUntil the type's coverage after the pass ({@link ChangeCoverage}), recorded when not null
     */
    private void summarize(
            StoreRef store,
            EntityType type,
            boolean full,
            Instant at,
            List<Finding> findings,
            int apiCalls,
            String error,
            ErrorClass errorClass,
            Instant coveredUntil) {
        Map<String, Integer> byKind = new LinkedHashMap<>();
        findings.forEach(f -> byKind.merge(f.kind().name(), 1, Integer::sum));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("last_run_full", full);
        details.put("findings", findings.size());
        details.put("findings_by_kind", byKind);
        details.put("api_calls", apiCalls);
        if (error == null && findings.isEmpty()) {
            details.put("last_clean_pass_at", at.toString());
        }
        if (coveredUntil != null) {
            details.put(COVERED_UNTIL, coveredUntil.toString());
        }
        String json;
        try {
            json = JSON.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        OperationalStates.Subject subject =
                new OperationalStates.Subject(store.platform(), store.store(), type.name(), Operation.RECONCILE);
        if (error == null) {
            states.succeeded(subject, json);
        } else {
            states.failed(subject, errorClass, error, !errorClass.needsPerson(), json);
        }
    }

    private static String deterministicId(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
