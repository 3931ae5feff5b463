package dev.commercesync.console;

import dev.commercesync.console.ConsoleViews.Overview;
import dev.commercesync.console.ConsoleViews.QuarantineItem;
import dev.commercesync.console.ConsoleViews.RetryResult;
import dev.commercesync.console.ConsoleViews.StoreDetail;
import dev.commercesync.kafka.Quarantine;
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
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The operations API (docs/console.md): the internal token, like every service's non-webhook endpoint. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "operations")
@SecurityRequirement(name = "internal-token")
@SecurityScheme(
        securitySchemeName = "internal-token",
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        description = "The internal token (commercesync.internal.token, docs/auth.md)")
public class OpsApi {
    private final ConsoleService console;

    private final QuarantineBulkRetry bulkRetry;

    public OpsApi(ConsoleService console, QuarantineBulkRetry bulkRetry) {
        this.console = console;
        this.bulkRetry = bulkRetry;
    }

    @GET
    @Path("/stores")
    @Operation(
            summary = "Every store, needs attention first",
            description = "Per store: platform, registration, health (worst operation state, or quarantined records),"
                    + " since when, operations failing, records waiting in the quarantine.")
    public Overview stores() {
        return console.overview();
    }

    @GET
    @Path("/stores/{platform}/{store}")
    @Operation(
            summary = "One store",
            description = "Every operation's state per entity type (poller and reconciler), worst first, with its"
                    + " failure class, since when and last error; and its records waiting in the quarantine.")
    @APIResponse(responseCode = "404", description = "No such store")
    public StoreDetail store(@PathParam("platform") String platform, @PathParam("store") String store) {
        return console.store(platform, store)
                .orElseThrow(() -> new NotFoundException("no store " + platform + "/" + store));
    }

    @GET
    @Path("/quarantine")
    @Operation(
            summary = "Quarantined records, oldest first",
            description = "The raw records the normalizer could not map (never their payload), waiting for a retry.")
    public List<QuarantineItem> quarantine(
            @QueryParam("platform") String platform,
            @QueryParam("store") String store,
            @Parameter(description = "Also the records already re-submitted")
                    @QueryParam("include_resubmitted")
                    @DefaultValue("false")
                    boolean includeResubmitted) {
        return console.quarantine(platform, store, includeResubmitted);
    }

    @POST
    @Path("/quarantine/{id}/retry")
    @Operation(
            summary = "Retry a quarantined record",
            description = "Re-submits its raw envelope to the raw topic; the normalizer maps it like a new delivery"
                    + " and quarantines it again (retry count + 1) if it still fails.")
    @APIResponse(responseCode = "202", description = "Re-submitted")
    @APIResponse(responseCode = "404", description = "No quarantined record with this id")
    @APIResponse(responseCode = "409", description = "Not retryable: the raw record is not a readable envelope")
    public Response retry(@PathParam("id") String id) throws InterruptedException, ExecutionException {
        try {
            RetryResult result = console.retry(id);
            return Response.accepted(result).build();
        } catch (NoSuchElementException e) {
            return error(404, "not_found", e.getMessage());
        } catch (Quarantine.NotRetryable e) {
            return error(409, "not_retryable", e.getMessage());
        }
    }

    @POST
    @Path("/quarantine/retry")
    @Operation(
            summary = "Retry every waiting quarantined record of a filter",
            description = "Each record of the filter not re-submitted yet is retried like one; one that cannot be is"
                    + " answered with its reason and the others are still retried. Without any filter, all=true is"
                    + " required.")
    @APIResponse(responseCode = "200", description = "How many were re-submitted, their ids, and each outcome")
    @APIResponse(responseCode = "400", description = "No filter and not all=true, or an unknown error class")
    public Response retryAll(
            @QueryParam("platform") String platform,
            @QueryParam("store") String store,
            @Parameter(description = "UNKNOWN_EVENT_TYPE, MAPPING_ERROR, ...") @QueryParam("error_class")
                    String errorClass,
            @Parameter(description = "Retry the whole quarantine (required when no filter is given)")
                    @QueryParam("all")
                    @DefaultValue("false")
                    boolean all)
            throws InterruptedException {
        QuarantineBulkRetry.Filter filter;
        try {
            filter = new QuarantineBulkRetry.Filter(platform, store, errorClass);
        } catch (IllegalArgumentException e) {
            return error(400, "invalid_filter", e.getMessage());
        }
        if (filter.isEmpty() && !all) {
            return error(400, "no_filter", "give platform, store or error_class, or all=true");
        }
        return Response.ok(bulkRetry.retryAll(filter)).build();
    }

    static Response error(int status, String error, String message) {
        return Response.status(status)
                .entity(Map.of("error", error, "message", message))
                .type(MediaType.APPLICATION_JSON)
                .build();
    }
}
