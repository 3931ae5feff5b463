package dev.commercesync.poller.status;

import dev.commercesync.opstate.Operation;
import dev.commercesync.opstate.OperationRecord;
import dev.commercesync.opstate.OperationState;
import dev.commercesync.opstate.OperationalStates;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.spi.ApiDeprecation;
import dev.commercesync.platforms.spi.ApiVersions;
import dev.commercesync.poller.PollerConfig;
import dev.commercesync.poller.StoreKey;
import dev.commercesync.poller.StoreSettings;
import dev.commercesync.poller.polling.Checkpoints;
import dev.commercesync.poller.status.StoreStatusBoard.LastError;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /status/stores}: per store, what is failing and why, and how far each resource's checkpoint is. Answered
 * from PostgreSQL — the operational state ({@code poller.operational_state}) and the checkpoints — so every replica
 * answers the same and a restart forgets nothing; only "its secrets do not decrypt", which each request reads from the
 * store registry itself, is not stored.
 */
@Path("/status/stores")
public class StoreStatusResource {

    /**
     * @param at when it failed
     * @param retrying true when it will be retried without anyone acting
     */
    public record ErrorView(String errorClass, String message, Instant at, boolean retrying) {
        static ErrorView of(LastError e) {
            return e == null ? null : new ErrorView(e.errorClass().label(), e.message(), e.at(), e.retrying());
        }

        /** The row's failure; null when its last attempt succeeded. */
        static ErrorView of(OperationRecord row) {
            return row == null || row.errorClass() == null
                    ? null
                    : new ErrorView(
                            row.errorClass().label(),
                            row.lastError(),
                            row.lastFailureAt(),
                            row.state() == OperationState.RETRYING);
        }
    }

    /**
     * One store × resource: its checkpoint and the state of its polling (null fields before its first run).
     *
     * @param state OK, RETRYING or WAITING_FOR_PERSON, since {@code since}
     */
    public record ResourceView(
            String entityType,
            Instant lastSuccessAt,
            Instant cursor,
            Long cursorAgeSeconds,
            ErrorView lastError,
            String state,
            Instant since,
            Instant lastAttemptAt,
            Integer consecutiveFailures) {}

    /** One row of the operational state: the last outcome of one operation on the store (and entity type). */
    public record OperationView(
            String operation,
            String entityType,
            String state,
            Instant since,
            Instant lastAttemptAt,
            Instant lastSuccessAt,
            String errorClass,
            String lastError,
            Instant lastFailureAt,
            int consecutiveFailures) {
        static OperationView of(OperationRecord row) {
            return new OperationView(
                    row.operation().name(),
                    row.entityType(),
                    row.state().name(),
                    row.since(),
                    row.lastAttemptAt(),
                    row.lastSuccessAt(),
                    row.errorClass() == null ? null : row.errorClass().label(),
                    row.lastError(),
                    row.lastFailureAt(),
                    row.consecutiveFailures());
        }
    }

    /**
     * The platform API version the store is called with and what the platform says about it.
     *
     * @param version the version called (configured, else the adapter's default)
     * @param supported the versions the adapter supports, oldest first
     * @param sunset the day the platform stops serving {@code version}, when announced
     * @param warning set when {@code version} is within {@code api.sunset-warning} of its sunset, or past it, or is
     *     configured but not supported
     * @param deprecations the platform's latest deprecation notices for this store's calls (this replica's, since
     *     its start)
     */
    public record ApiView(
            String version,
            List<String> supported,
            LocalDate sunset,
            String warning,
            List<ApiDeprecation> deprecations) {}

    /**
     * @param state OK, RETRYING or NEEDS_ATTENTION (waiting for a person): the worst of its operations
     * @param operations every operation's last outcome (polls, fetches, subscriptions, commands)
     */
    public record StoreStatusView(
            String platform,
            String store,
            boolean enabled,
            String state,
            boolean waitingForPerson,
            ErrorView lastError,
            List<ResourceView> resources,
            List<OperationView> operations,
            ApiView api) {}

    private final StoreRegistry stores;
    private final StoreStatusBoard board;
    private final Checkpoints checkpoints;
    private final StoreSettings settings;
    private final OperationalStates states;
    private final PlatformRegistry platforms;
    private final PollerConfig config;
    private final Clock clock = Clock.systemUTC();

    public StoreStatusResource(
            StoreRegistry stores,
            StoreStatusBoard board,
            Checkpoints checkpoints,
            StoreSettings settings,
            OperationalStates states,
            PlatformRegistry platforms,
            PollerConfig config) {
        this.platforms = platforms;
        this.config = config;
        this.stores = stores;
        this.board = board;
        this.checkpoints = checkpoints;
        this.settings = settings;
        this.states = states;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<StoreStatusView> stores() {
        List<StoreStatusView> result = new ArrayList<>();
        List<StoreRegistry.UnreadableStore> unreadable = new ArrayList<>();
        for (StoreView store : stores.list(unreadable::add)) {
            result.add(view(store.platform(), store.storeId(), store.enabled(), false));
        }
        // A store whose secrets do not decrypt is listed too, as needing attention; it does not hide the others.
        for (StoreRegistry.UnreadableStore store : unreadable) {
            board.secretsUnreadable(new StoreKey(store.platform(), store.storeId()));
            result.add(view(store.platform(), store.storeId(), store.enabled(), true));
        }
        return result;
    }

    private StoreStatusView view(String platform, String storeId, boolean enabled, boolean secretsUnreadable) {
        Instant now = clock.instant();
        StoreKey key = new StoreKey(platform, storeId);
        Map<EntityType, Checkpoints.Checkpoint> checkpointOf = new EnumMap<>(EntityType.class);
        for (Checkpoints.Checkpoint c : checkpoints.forStore(key)) {
            board.checkpointSeen(key, c.entityType(), c.cursor(), c.lastSuccessAt());
            checkpointOf.put(c.entityType(), c);
        }
        List<OperationRecord> rows = states.forStore(platform, storeId);
        Map<EntityType, OperationRecord> pollOf = new EnumMap<>(EntityType.class);
        for (OperationRecord row : rows) {
            if (row.operation() == Operation.POLL) {
                entityType(row).ifPresent(type -> pollOf.put(type, row));
            }
        }
        Set<EntityType> types = new LinkedHashSet<>(settings.resources(key));
        types.addAll(settings.snapshotResources(key));
        types.addAll(pollOf.keySet());
        types.addAll(checkpointOf.keySet());
        List<ResourceView> resources = new ArrayList<>();
        for (EntityType type : types) {
            OperationRecord poll = pollOf.get(type);
            Checkpoints.Checkpoint checkpoint = checkpointOf.get(type);
            Instant cursor = checkpoint == null ? null : checkpoint.cursor();
            Instant lastSuccess = poll != null && poll.lastSuccessAt() != null
                    ? poll.lastSuccessAt()
                    : checkpoint == null ? null : checkpoint.lastSuccessAt();
            resources.add(new ResourceView(
                    type.name(),
                    lastSuccess,
                    cursor,
                    cursor == null ? null : Duration.between(cursor, now).toSeconds(),
                    ErrorView.of(poll),
                    poll == null ? null : poll.state().name(),
                    poll == null ? null : poll.since(),
                    poll == null ? null : poll.lastAttemptAt(),
                    poll == null ? null : poll.consecutiveFailures()));
        }
        // The store's state is its worst operation's; its last error that operation's (the most recent among equals).
        Optional<OperationRecord> worst = rows.stream()
                .filter(row -> row.state() != OperationState.OK)
                .max(Comparator.comparing(OperationRecord::state).thenComparing(OperationRecord::lastAttemptAt));
        String state;
        ErrorView lastError;
        if (secretsUnreadable) {
            state = "NEEDS_ATTENTION";
            lastError = ErrorView.of(board.store(key).lastError().orElse(null));
        } else {
            state = worst.map(row -> row.state() == OperationState.WAITING_FOR_PERSON ? "NEEDS_ATTENTION" : "RETRYING")
                    .orElse("OK");
            lastError = worst.map(ErrorView::of).orElse(null);
        }
        return new StoreStatusView(
                platform,
                storeId,
                enabled,
                state,
                state.equals("NEEDS_ATTENTION"),
                lastError,
                resources,
                rows.stream().map(OperationView::of).toList(),
                api(key));
    }

    private ApiView api(StoreKey key) {
        ApiVersions versions = platforms.get(key.platform()).apiVersions();
        List<String> supported =
                versions.supported().stream().map(ApiVersions.ApiVersion::name).toList();
        List<ApiDeprecation> deprecations = board.find(key)
                .map(StoreStatusBoard.StoreState::apiDeprecations)
                .orElse(List.of());
        try {
            ApiVersions.ApiVersion version = settings.apiVersion(key);
            String warning = versions.sunsetWarning(
                            version,
                            LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC),
                            config.api().sunsetWarning().toDays())
                    .orElse(null);
            return new ApiView(version.name(), supported, version.sunset().orElse(null), warning, deprecations);
        } catch (IllegalArgumentException e) {
            return new ApiView(null, supported, null, e.getMessage(), deprecations);
        }
    }

    private static Optional<EntityType> entityType(OperationRecord row) {
        try {
            return Optional.ofNullable(row.entityType()).map(EntityType::valueOf);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a type a newer poller wrote
        }
    }
}
