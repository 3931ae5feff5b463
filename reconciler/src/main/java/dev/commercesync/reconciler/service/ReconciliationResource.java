package dev.commercesync.reconciler.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.commercesync.reconciler.core.StoreRef;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.stores.StoreRegistry;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** On-demand runs and the per-store summary (docs/reconciler.md, REST). */
@Path("/reconciliation")
@Produces(MediaType.APPLICATION_JSON)
public class ReconciliationResource {

    /** Body of POST /reconciliation/run. */
    public record RunRequest(
            String platform, String store, @JsonProperty("entity_type") String entityType, Boolean full) {}

    private final ReconciliationService service;
    private final StoreRegistry registry;

    public ReconciliationResource(ReconciliationService service, StoreRegistry registry) {
        this.service = service;
        this.registry = registry;
    }

    /**
     * Runs a pass now and answers with its findings and cost: 200 when every type was compared, 502 when the platform
     * view or the target failed for every type (the report names the error), 400 for a bad request, 404 for a store
     * the store registry does not have (nothing is run or remembered for it: only registered stores get state).
     */
    @POST
    @Path("/run")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response run(RunRequest request) {
        if (request == null || blank(request.platform()) || blank(request.store())) {
            return error(400, "platform and store are required");
        }
        List<EntityType> types = new ArrayList<>();
        if (!blank(request.entityType())) {
            try {
                types.add(EntityType.valueOf(request.entityType().trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                return error(400, "unknown entity_type; one of " + List.of(EntityType.values()));
            }
        }
        StoreRef store = new StoreRef(request.platform().trim(), request.store().trim());
        if (!registry.exists(store.platform(), store.store())) {
            return error(404, "unknown store");
        }
        RunReport report = service.run(store, types, Boolean.TRUE.equals(request.full()));
        boolean allFailed = report.types().stream().allMatch(t -> t.error() != null);
        return Response.status(allFailed ? 502 : 200).entity(report).build();
    }

    /** The last pass per store and entity type. */
    @GET
    @Path("/stores")
    public Map<String, Map<EntityType, ReconciliationService.StoreTypeSummary>> stores() {
        return service.summaries();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static Response error(int status, String message) {
        return Response.status(status).entity(Map.of("error", message)).build();
    }
}
