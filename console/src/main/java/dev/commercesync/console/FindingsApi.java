package dev.commercesync.console;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The reconciliation findings in the operations API (docs/console.md). */
@Path("/api/findings")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "operations")
@SecurityRequirement(name = "internal-token")
public class FindingsApi {
    private final FindingService findings;

    public FindingsApi(FindingService findings) {
        this.findings = findings;
    }

    @GET
    @Operation(
            summary = "Recent reconciliation findings, newest first",
            description = "The differences the reconciler found (commerce.reconciliation.v1) in the last hours:"
                    + " kind (MISSING, STALE, EXTRA, DUPLICATE), entity, the platform's and the target's versions,"
                    + " the repair asked for and whether one was, passes in a row that found it.")
    @APIResponse(responseCode = "400", description = "Unknown kind, or hours/limit out of range")
    public Response list(
            @QueryParam("platform") String platform,
            @QueryParam("store") String store,
            @Parameter(description = "MISSING, STALE, EXTRA, DUPLICATE, OTHER") @QueryParam("kind") String kind,
            @Parameter(description = "The window: the last hours, 1 to 168") @QueryParam("hours") @DefaultValue("24")
                    int hours,
            @QueryParam("limit") @DefaultValue("200") int limit) {
        if (limit < 1 || limit > CommandsApi.MAX_LIMIT) {
            return OpsApi.error(400, "invalid_page", "limit must be 1 to " + CommandsApi.MAX_LIMIT);
        }
        FindingService.Filter filter;
        try {
            filter = new FindingService.Filter(platform, store, kind, hours);
        } catch (IllegalArgumentException e) {
            return OpsApi.error(400, "invalid_filter", e.getMessage());
        }
        return Response.ok(findings.list(filter, limit)).build();
    }
}
