package dev.commercesync.poller.status;

import dev.commercesync.poller.StoreKey;
import dev.commercesync.poller.StoreSettings;
import dev.commercesync.poller.polling.Checkpoints;
import dev.commercesync.poller.status.StoreStatusBoard.LastError;
import dev.commercesync.poller.status.StoreStatusBoard.ResourceState;
import dev.commercesync.poller.status.StoreStatusBoard.StoreState;
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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@code GET /status/stores}: per store, what is failing and why, and how far each resource's checkpoint is. */
@Path("/status/stores")
public class StoreStatusResource {

    /** @param retrying true when it will be retried without anyone acting */
    public record ErrorView(String errorClass, String message, Instant at, boolean retrying) {
        static ErrorView of(LastError e) {
            return e == null ? null : new ErrorView(e.errorClass().label(), e.message(), e.at(), e.retrying());
        }
    }

    public record ResourceView(
            String entityType, Instant lastSuccessAt, Instant cursor, Long cursorAgeSeconds, ErrorView lastError) {}

    /** @param state OK, RETRYING or NEEDS_ATTENTION (waiting for a person) */
    public record StoreStatusView(
            String platform,
            String store,
            boolean enabled,
            String state,
            boolean waitingForPerson,
            ErrorView lastError,
            List<ResourceView> resources) {}

    private final StoreRegistry stores;
    private final StoreStatusBoard board;
    private final Checkpoints checkpoints;
    private final StoreSettings settings;
    private final Clock clock = Clock.systemUTC();

    public StoreStatusResource(
            StoreRegistry stores, StoreStatusBoard board, Checkpoints checkpoints, StoreSettings settings) {
        this.stores = stores;
        this.board = board;
        this.checkpoints = checkpoints;
        this.settings = settings;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<StoreStatusView> stores() {
        List<StoreStatusView> result = new ArrayList<>();
        List<StoreRegistry.UnreadableStore> unreadable = new ArrayList<>();
        for (StoreView store : stores.list(unreadable::add)) {
            result.add(view(store.platform(), store.storeId(), store.enabled()));
        }
        // A store whose secrets do not decrypt is listed too, as needing attention; it does not hide the others.
        for (StoreRegistry.UnreadableStore store : unreadable) {
            board.secretsUnreadable(new StoreKey(store.platform(), store.storeId()));
            result.add(view(store.platform(), store.storeId(), store.enabled()));
        }
        return result;
    }

    private StoreStatusView view(String platform, String storeId, boolean enabled) {
        Instant now = clock.instant();
        StoreKey key = new StoreKey(platform, storeId);
        for (Checkpoints.Checkpoint c : checkpoints.forStore(key)) {
            board.checkpointSeen(key, c.entityType(), c.cursor(), c.lastSuccessAt());
        }
        StoreState state = board.store(key);
        Map<EntityType, ResourceState> resources = new TreeMap<>(state.resources());
        Set<EntityType> types = new LinkedHashSet<>(settings.resources(key));
        types.addAll(settings.snapshotResources(key));
        types.addAll(resources.keySet());
        List<ResourceView> views = new ArrayList<>();
        for (EntityType type : types) {
            ResourceState r = resources.get(type);
            Instant cursor = r == null ? null : r.cursor().orElse(null);
            views.add(new ResourceView(
                    type.name(),
                    r == null ? null : r.lastSuccessAt().orElse(null),
                    cursor,
                    cursor == null ? null : Duration.between(cursor, now).toSeconds(),
                    r == null ? null : ErrorView.of(r.lastError().orElse(null))));
        }
        StoreStatusBoard.Health health = state.health();
        return new StoreStatusView(
                platform,
                storeId,
                enabled,
                health.name(),
                health == StoreStatusBoard.Health.NEEDS_ATTENTION,
                ErrorView.of(state.lastError().orElse(null)),
                views);
    }
}
