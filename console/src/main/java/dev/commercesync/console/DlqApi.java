package dev.commercesync.console;

import dev.commercesync.console.BrowseViews.BulkRetry;
import dev.commercesync.console.BrowseViews.DeadLetterDetail;
import dev.commercesync.console.BrowseViews.DeadLetterItem;
import dev.commercesync.kafka.SyncDeadLetters;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The sync dead letters in the operations API (docs/console.md), behind the internal token like all of {@code /api}. */
@Path("/api/dlq")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "operations")
@SecurityRequirement(name = "internal-token")
public class DlqApi {
    private final DeadLetterService deadLetters;

    public DlqApi(DeadLetterService deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GET
    @Operation(
            summary = "Sync dead letters, oldest first",
            description = "The canonical events the sync-writer's target refused and will not retry"
                    + " (commerce.sync-dlq.v1): why, which entity, which event, how often it was dead-lettered;"
                    + " never the event. Only those not retried yet, unless include_retried.")
    @APIResponse(responseCode = "400", description = "Unknown error class")
    public Response list(
            @QueryParam("platform") String platform,
            @QueryParam("store") String store,
            @Parameter(description = "VALIDATION, CONFLICT, UNDECODABLE, ...") @QueryParam("error_class")
                    String errorClass,
            @Parameter(description = "Also the dead letters already retried")
                    @QueryParam("include_retried")
                    @DefaultValue("false")
                    boolean includeRetried) {
        DeadLetterService.Filter filter;
        try {
            filter = new DeadLetterService.Filter(platform, store, errorClass);
        } catch (IllegalArgumentException e) {
            return OpsApi.error(400, "invalid_filter", e.getMessage());
        }
        List<DeadLetterItem> items = deadLetters.list(filter, includeRetried);
        return Response.ok(items).build();
    }

    @GET
    @Path("/{id}")
    @Operation(
            summary = "One dead letter",
            description = "Its error (class, reason, exception, SQLSTATE), entity, event id, where the event is, the"
                    + " ids of every dead letter of the same event (attempts) and where its latest retry went.")
    @APIResponse(responseCode = "404", description = "No dead letter with this id")
    public DeadLetterDetail show(@PathParam("id") String id) {
        return deadLetters.show(id).orElseThrow(() -> new NotFoundException("No dead letter with id " + id));
    }

    @POST
    @Path("/{id}/retry")
    @Operation(
            summary = "Retry a dead letter",
            description = "Produces its original canonical event again to its topic (same key, retry header); the"
                    + " sync-writer applies it version-guarded, or dead-letters it again under a new id.")
    @APIResponse(responseCode = "202", description = "Re-submitted")
    @APIResponse(responseCode = "404", description = "No dead letter with this id")
    @APIResponse(responseCode = "409", description = "Not retryable: undecodable, or no longer retained")
    public Response retry(@PathParam("id") String id) throws InterruptedException, ExecutionException {
        try {
            return Response.accepted(deadLetters.retry(id)).build();
        } catch (NoSuchElementException e) {
            return OpsApi.error(404, "not_found", e.getMessage());
        } catch (SyncDeadLetters.NotRetryable e) {
            return OpsApi.error(409, "not_retryable", e.getMessage());
        }
    }

    @POST
    @Path("/retry")
    @Operation(
            summary = "Retry every waiting dead letter of a filter",
            description = "Each dead letter of the filter not retried yet is retried; one that cannot be is answered"
                    + " with its reason and the others are still retried. Without any filter, all=true is required.")
    @APIResponse(responseCode = "200", description = "How many were re-submitted, their ids, and each outcome")
    @APIResponse(responseCode = "400", description = "No filter and not all=true, or an unknown error class")
    public Response retryAll(
            @QueryParam("platform") String platform,
            @QueryParam("store") String store,
            @QueryParam("error_class") String errorClass,
            @Parameter(description = "Retry the whole dead-letter topic (required when no filter is given)")
                    @QueryParam("all")
                    @DefaultValue("false")
                    boolean all)
            throws InterruptedException {
        DeadLetterService.Filter filter;
        try {
            filter = new DeadLetterService.Filter(platform, store, errorClass);
        } catch (IllegalArgumentException e) {
            return OpsApi.error(400, "invalid_filter", e.getMessage());
        }
        if (filter.isEmpty() && !all) {
            return OpsApi.error(400, "no_filter", "give platform, store or error_class, or all=true");
        }
        BulkRetry bulk = deadLetters.retryAll(filter);
        return Response.ok(bulk).build();
    }
}
