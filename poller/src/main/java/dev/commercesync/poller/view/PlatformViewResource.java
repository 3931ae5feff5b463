package dev.commercesync.poller.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.opstate.ErrorClass;
import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.RawEnvelopes;
import dev.commercesync.platforms.spi.ApiResponse;
import dev.commercesync.platforms.spi.ChangeCount;
import dev.commercesync.platforms.spi.ChangedEntity;
import dev.commercesync.platforms.spi.ChangedPage;
import dev.commercesync.platforms.spi.ListChangedRequest;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.RateLimitedException;
import dev.commercesync.poller.StoreKey;
import dev.commercesync.poller.api.PlatformCalls;
import dev.commercesync.poller.status.PlatformErrors;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.content.CanonicalEvents;
import dev.commercesync.schemas.content.ContentFingerprint;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * The platforms' view for the reconciler (contract in docs/reconciler.md): how many entities of a type changed in an
 * updated-at range, and which. Every request goes through {@link PlatformCalls}, so the store's rate limiter and retry
 * policy hold for reconciliation exactly as for polling. Read-only: nothing is published.
 */
@Path("/platform-view/{platform}")
@Produces(MediaType.APPLICATION_JSON)
public class PlatformViewResource {
    private static final int PAGE_SIZE = 100;
    /** Snapshot pages as large as a platform allows (the client caps it): the listing costs one request per page. */
    private static final int SNAPSHOT_PAGE_SIZE = 1000;

    public record CountAnswer(long count, @JsonProperty("api_calls") int apiCalls) {}

    /** @param parentId the owning entity (a refund's order) when fetching the entity by id needs it, else null */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entity(
            String id, @JsonProperty("updated_at") Instant updatedAt, @JsonProperty("parent_id") String parentId) {}

    public record ListAnswer(List<Entity> entities, @JsonProperty("api_calls") int apiCalls) {}

    /**
     * One entity of a snapshot listing: its id and the {@link ContentFingerprint} of the canonical entity it maps to,
     * null when it does not map (the normalizer would quarantine it too).
     */
    public record SnapshotEntity(String id, Long fingerprint) {}

    public record SnapshotAnswer(List<SnapshotEntity> entities, @JsonProperty("api_calls") int apiCalls) {}

    private record Query(StoreView store, EntityType type, Instant from, Instant to) {}

    private final StoreRegistry stores;
    private final PlatformRegistry platforms;
    private final PlatformCalls calls;
    private final Normalization normalization;

    public PlatformViewResource(StoreRegistry stores, PlatformRegistry platforms, PlatformCalls calls) {
        this.stores = stores;
        this.platforms = platforms;
        this.calls = calls;
        this.normalization = new Normalization(platforms);
    }

    /**
     * What the platform's adapter can list ({@code PlatformAdapter#capabilities()}): the reconciler's default types,
     * and those it cannot count (the reconciler lists them instead). No store, no platform request.
     */
    public record CapabilitiesAnswer(
            @JsonProperty("listed_by_updated_at") List<EntityType> listedByUpdatedAt,
            @JsonProperty("listed_as_snapshot") List<EntityType> listedAsSnapshot,
            @JsonProperty("listed_without_count") List<EntityType> listedWithoutCount) {}

    @GET
    @Path("/capabilities")
    public Response capabilities(@PathParam("platform") String platform) {
        return platforms
                .find(platform)
                .map(adapter -> Response.ok(new CapabilitiesAnswer(
                                List.copyOf(adapter.capabilities().listedByUpdatedAt()),
                                List.copyOf(adapter.capabilities().listedAsSnapshot()),
                                List.copyOf(adapter.capabilities().listedWithoutCount())))
                        .build())
                .orElseGet(() -> error(404, "unknown_platform"));
    }

    @GET
    @Path("/count")
    public Response count(
            @PathParam("platform") String platform,
            @QueryParam("store") String store,
            @QueryParam("type") String type,
            @QueryParam("from") String from,
            @QueryParam("to") String to) {
        return answer(platform, store, type, from, to, true, q -> {
            ApiResponse<ChangeCount> counted =
                    calls.call(q.store(), client -> client.countChanged(q.type(), q.from(), q.to()));
            return new CountAnswer(counted.value().count(), counted.value().apiCalls());
        });
    }

    @GET
    @Path("/list")
    public Response list(
            @PathParam("platform") String platform,
            @QueryParam("store") String store,
            @QueryParam("type") String type,
            @QueryParam("from") String from,
            @QueryParam("to") String to) {
        return answer(platform, store, type, from, to, true, q -> {
            List<Entity> entities = new ArrayList<>();
            int apiCalls = 0;
            ListChangedRequest request = new ListChangedRequest(q.type(), q.from(), null, PAGE_SIZE, q.to());
            while (true) {
                ListChangedRequest page = request;
                ChangedPage answer = calls.call(q.store(), client -> client.listChanged(page))
                        .value();
                apiCalls++;
                for (ChangedEntity e : answer.entities()) {
                    // Platforms filter by updated-at with their own precision: keep the contract's [from, to).
                    if (!e.updatedAt().isBefore(q.from()) && e.updatedAt().isBefore(q.to())) {
                        entities.add(new Entity(e.id(), e.updatedAt(), e.parentId()));
                    }
                }
                Optional<String> next = answer.nextPageCursor();
                if (next.isEmpty()) {
                    break;
                }
                request = request.atPage(next.get());
            }
            return new ListAnswer(entities, apiCalls);
        });
    }

    /**
     * Every entity of a type as the platform holds it now, for a type listed without updated-at (BigCommerce inventory
     * levels): ids and the fingerprint of each one's canonical content, mapped by the adapter exactly as the
     * normalizer maps a fetched entity, so the reconciler can compare it with the fingerprint the sync-writer stored.
     * Costs one platform request per page, whatever changed.
     */
    @GET
    @Path("/snapshot")
    public Response snapshot(
            @PathParam("platform") String platform,
            @QueryParam("store") String store,
            @QueryParam("type") String type) {
        return answer(platform, store, type, null, null, false, q -> {
            List<SnapshotEntity> entities = new ArrayList<>();
            int apiCalls = 0;
            String cursor = null;
            Instant now = Instant.now();
            do {
                String page = cursor;
                ChangedPage answer = calls.call(
                                q.store(), client -> client.listSnapshot(q.type(), page, SNAPSHOT_PAGE_SIZE))
                        .value();
                apiCalls++;
                for (ChangedEntity e : answer.entities()) {
                    entities.add(new SnapshotEntity(
                            e.id(),
                            e.body().map(body -> fingerprint(q, body, now)).orElse(null)));
                }
                cursor = answer.nextPageCursor().orElse(null);
            } while (cursor != null);
            return new SnapshotAnswer(entities, apiCalls);
        });
    }

    /** The fingerprint of the canonical entity a body maps to, or null when it maps to none. */
    private Long fingerprint(Query q, JsonNode body, Instant now) {
        RawEnvelope envelope = RawEnvelopes.fromApi(
                q.store().platform(),
                q.store().storeId(),
                q.type(),
                body,
                EventSource.RECONCILE,
                now,
                null,
                calls.apiVersion(StoreKey.of(q.store())));
        if (normalization.normalize(envelope) instanceof NormalizationOutcome.Events events) {
            for (SpecificRecord event : events.canonicalEvents()) {
                SpecificRecord entity = CanonicalEvents.entity(event);
                if (CanonicalEvents.metadata(event).getEntityType() == q.type() && entity != null) {
                    return ContentFingerprint.of(entity);
                }
            }
        }
        return null;
    }

    @FunctionalInterface
    private interface ViewCall {
        Object call(Query query) throws PlatformApiException, PlatformCalls.StoreNeedsAttentionException;
    }

    /** @param ranged whether the call takes the {@code [from, to)} range (counts and listings) or none (snapshots) */
    private Response answer(
            String platform, String storeId, String type, String from, String to, boolean ranged, ViewCall call) {
        if (platforms.find(platform).isEmpty()) {
            return error(404, "unknown_platform");
        }
        if (storeId == null || type == null || (ranged && (from == null || to == null))) {
            return error(400, "bad_request");
        }
        Optional<StoreView> store = stores.find(platform, storeId);
        if (store.isEmpty()) {
            return error(404, "unknown_store");
        }
        EntityType entityType;
        Instant fromInstant;
        Instant toInstant;
        try {
            entityType = EntityType.valueOf(type.trim().toUpperCase(Locale.ROOT));
            fromInstant = ranged ? Instant.parse(from) : null;
            toInstant = ranged ? Instant.parse(to) : null;
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return error(400, "bad_request");
        }
        if (ranged && !toInstant.isAfter(fromInstant)) {
            return error(400, "bad_request");
        }
        try {
            return Response.ok(call.call(new Query(store.get(), entityType, fromInstant, toInstant)))
                    .build();
        } catch (RateLimitedException e) {
            return Response.status(503)
                    .header(
                            "Retry-After",
                            Math.max(1, calls.pause(StoreKey.of(store.get()), e).toSeconds()))
                    .entity(Map.of("error", "rate_limited"))
                    .build();
        } catch (PlatformApiException e) {
            return e.kind() == PlatformApiException.Kind.CLIENT && e.httpStatus() == 0
                    ? error(400, "not_listable")
                    : platformError(PlatformErrors.classOf(e));
        } catch (PlatformCalls.StoreNeedsAttentionException e) {
            return platformError(ErrorClass.AUTH);
        } catch (IllegalArgumentException e) {
            return error(400, "not_listable");
        }
    }

    /** The platform failed or refused: 502 with the error class, so the reconciler records what the poller saw. */
    private static Response platformError(ErrorClass errorClass) {
        return Response.status(502)
                .entity(Map.of("error", "platform_error", "error_class", errorClass.label()))
                .build();
    }

    private static Response error(int status, String code) {
        return Response.status(status).entity(Map.of("error", code)).build();
    }
}
