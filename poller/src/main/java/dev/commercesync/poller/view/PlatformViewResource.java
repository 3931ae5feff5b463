package dev.commercesync.poller.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.spi.ApiResponse;
import dev.commercesync.platforms.spi.ChangeCount;
import dev.commercesync.platforms.spi.ChangedEntity;
import dev.commercesync.platforms.spi.ChangedPage;
import dev.commercesync.platforms.spi.ListChangedRequest;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.RateLimitedException;
import dev.commercesync.poller.api.PlatformCalls;
import dev.commercesync.schemas.canonical.EntityType;
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

/**
 * The platforms' view for the reconciler (contract in docs/reconciler.md): how many entities of a type changed in an
 * updated-at range, and which. Every request goes through {@link PlatformCalls}, so the store's rate limiter and retry
 * policy hold for reconciliation exactly as for polling. Read-only: nothing is published.
 */
@Path("/platform-view/{platform}")
@Produces(MediaType.APPLICATION_JSON)
public class PlatformViewResource {
    private static final int PAGE_SIZE = 100;

    public record CountAnswer(long count, @JsonProperty("api_calls") int apiCalls) {}

    /** @param parentId the owning entity (a refund's order) when fetching the entity by id needs it, else null */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entity(
            String id, @JsonProperty("updated_at") Instant updatedAt, @JsonProperty("parent_id") String parentId) {}

    public record ListAnswer(List<Entity> entities, @JsonProperty("api_calls") int apiCalls) {}

    private record Query(StoreView store, EntityType type, Instant from, Instant to) {}

    private final StoreRegistry stores;
    private final PlatformRegistry platforms;
    private final PlatformCalls calls;

    public PlatformViewResource(StoreRegistry stores, PlatformRegistry platforms, PlatformCalls calls) {
        this.stores = stores;
        this.platforms = platforms;
        this.calls = calls;
    }

    @GET
    @Path("/count")
    public Response count(
            @PathParam("platform") String platform,
            @QueryParam("store") String store,
            @QueryParam("type") String type,
            @QueryParam("from") String from,
            @QueryParam("to") String to) {
        return answer(platform, store, type, from, to, q -> {
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
        return answer(platform, store, type, from, to, q -> {
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

    @FunctionalInterface
    private interface ViewCall {
        Object call(Query query) throws PlatformApiException, PlatformCalls.StoreNeedsAttentionException;
    }

    private Response answer(String platform, String storeId, String type, String from, String to, ViewCall call) {
        if (platforms.find(platform).isEmpty()) {
            return error(404, "unknown_platform");
        }
        if (storeId == null || type == null || from == null || to == null) {
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
            fromInstant = Instant.parse(from);
            toInstant = Instant.parse(to);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return error(400, "bad_request");
        }
        if (!toInstant.isAfter(fromInstant)) {
            return error(400, "bad_request");
        }
        try {
            return Response.ok(call.call(new Query(store.get(), entityType, fromInstant, toInstant)))
                    .build();
        } catch (RateLimitedException e) {
            return Response.status(503)
                    .header("Retry-After", Math.max(1, e.retryAfter().toSeconds()))
                    .entity(Map.of("error", "rate_limited"))
                    .build();
        } catch (PlatformApiException e) {
            return e.kind() == PlatformApiException.Kind.CLIENT && e.httpStatus() == 0
                    ? error(400, "not_listable")
                    : error(502, "platform_error");
        } catch (PlatformCalls.StoreNeedsAttentionException e) {
            return error(502, "platform_error");
        } catch (IllegalArgumentException e) {
            return error(400, "not_listable");
        }
    }

    private static Response error(int status, String code) {
        return Response.status(status).entity(Map.of("error", code)).build();
    }
}
