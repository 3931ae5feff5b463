package dev.commercesync.console;

import dev.commercesync.kafka.EntityTrace.Trace;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The entity trace as JSON (docs/console.md): behind the internal token like the rest of {@code /api}. */
@Path("/api/trace")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "operations")
@SecurityRequirement(name = "internal-token")
public class TraceApi {
    private final TraceService traces;

    public TraceApi(TraceService traces) {
        this.traces = traces;
    }

    /** The ids of the orders a number or email search found. */
    public record FoundOrders(List<String> entityIds) {}

    @GET
    @Operation(
            summary = "Every record about one entity, in time order",
            description = "Webhook deliveries and polled reads, canonical events, quarantine records, fetch requests,"
                    + " applied changes, sync dead letters, reconciliation findings, commands and their results of"
                    + " the entity since `since`, oldest first, each with its latency from the first (latency_millis)."
                    + " Ids, versions, statuses and reasons only: never a payload.")
    @APIResponse(
            responseCode = "200",
            description = "The trace (steps empty when nothing was found)",
            content = @Content(schema = @Schema(implementation = Trace.class)))
    @APIResponse(responseCode = "400", description = "A missing parameter, an unknown entity_type or a bad since")
    public Response trace(
            @Parameter(description = "Platform adapter name", required = true) @QueryParam("platform") String platform,
            @Parameter(description = "Store id as the platform names it", required = true) @QueryParam("store")
                    String store,
            @Parameter(description = "The platform's id of the entity", required = true) @QueryParam("entity_id")
                    String entityId,
            @Parameter(description = "Only this entity type (ORDER, PRODUCT, ...); default every type")
                    @QueryParam("entity_type")
                    String entityType,
            @Parameter(description = "Start of the window: an age (90m, 24h, 7d) or an ISO-8601 instant; default 24h")
                    @QueryParam("since")
                    String since) {
        TraceService.Query query;
        try {
            query = TraceService.Query.parse(platform, store, entityId, entityType, since);
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage());
        }
        return Response.ok(traces.trace(query)).build();
    }

    @GET
    @Path("/orders")
    @Operation(
            summary = "Find orders by number or customer email",
            description = "The ids of the store's orders whose canonical events since `since` carry this order number"
                    + " (#1001 or 1001) or customer email (case-insensitive); trace each with GET /api/trace.")
    @APIResponse(
            responseCode = "200",
            description = "The matching order ids",
            content = @Content(schema = @Schema(implementation = FoundOrders.class)))
    @APIResponse(responseCode = "400", description = "A missing parameter or a bad since")
    public Response orders(
            @Parameter(required = true) @QueryParam("platform") String platform,
            @Parameter(required = true) @QueryParam("store") String store,
            @Parameter(description = "An order number or a customer email", required = true) @QueryParam("q") String q,
            @Parameter(description = "As for GET /api/trace") @QueryParam("since") String since) {
        TraceService.Query query;
        try {
            query = TraceService.Query.parse(platform, store, q, null, since);
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage().replace("entity_id", "q"));
        }
        return Response.ok(new FoundOrders(traces.findOrders(query))).build();
    }

    private static Response badRequest(String message) {
        return Response.status(400)
                .entity(Map.of("error", "bad_request", "message", message))
                .type(MediaType.APPLICATION_JSON)
                .build();
    }
}
