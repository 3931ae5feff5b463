package dev.commercesync.console;

import dev.commercesync.console.BrowseViews.CommandDetail;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The poller's command journal in the operations API (docs/console.md): read, and resend a command not applied. */
@Path("/api/commands")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "operations")
@SecurityRequirement(name = "internal-token")
public class CommandsApi {
    /** The longest page. */
    static final int MAX_LIMIT = 500;

    private final CommandService commands;

    public CommandsApi(CommandService commands) {
        this.commands = commands;
    }

    @GET
    @Operation(
            summary = "Commands of the journal, newest first",
            description = "The poller's command journal (poller.command_journal): each command's target, kind,"
                    + " state, attempts, deadline, reason and error class; paged by limit and offset.")
    @APIResponse(responseCode = "400", description = "Unknown state, or limit/offset out of range")
    @APIResponse(responseCode = "503", description = "The journal could not be read")
    public Response list(
            @QueryParam("platform") String platform,
            @QueryParam("store") String store,
            @Parameter(description = "RECEIVED, IN_FLIGHT, AMBIGUOUS, APPLIED, REJECTED, EXPIRED, FAILED")
                    @QueryParam("state")
                    String state,
            @Parameter(description = "SET_INVENTORY_LEVEL, CREATE_SHIPMENT, CANCEL_ORDER, ...") @QueryParam("kind")
                    String kind,
            @QueryParam("limit") @DefaultValue("50") int limit,
            @QueryParam("offset") @DefaultValue("0") int offset) {
        if (limit < 1 || limit > MAX_LIMIT || offset < 0) {
            return OpsApi.error(400, "invalid_page", "limit must be 1 to " + MAX_LIMIT + ", offset 0 or more");
        }
        CommandJournalReader.Filter filter;
        try {
            filter = new CommandJournalReader.Filter(platform, store, state, kind);
        } catch (IllegalArgumentException e) {
            return OpsApi.error(400, "invalid_filter", e.getMessage());
        }
        try {
            return Response.ok(commands.list(filter, limit, offset)).build();
        } catch (IllegalStateException e) {
            return OpsApi.error(503, "unavailable", "the command journal could not be read: " + e.getMessage());
        }
    }

    @GET
    @Path("/{id}")
    @Operation(
            summary = "One command",
            description = "Its journal row (attempts, reason, last error, the platform's request ids) and the"
                    + " command as received, its action field by field.")
    @APIResponse(responseCode = "404", description = "Not in the journal")
    @APIResponse(responseCode = "503", description = "The journal could not be read")
    public Response show(@PathParam("id") String id) {
        Optional<CommandDetail> detail;
        try {
            detail = commands.show(id);
        } catch (IllegalStateException e) {
            return OpsApi.error(503, "unavailable", "the command journal could not be read: " + e.getMessage());
        }
        return detail.map(d -> Response.ok(d).build())
                .orElseGet(() -> OpsApi.error(404, "not_found", "No command " + id + " in the journal"));
    }

    @POST
    @Path("/{id}/resend")
    @Operation(
            summary = "Resend a command that was not applied",
            description = "A FAILED, EXPIRED or REJECTED command is published again to commerce.commands.v1 as a new"
                    + " command (a new command_id, issued now, the original's lifetime); answers the new id. The"
                    + " poller journals and executes it like any command.")
    @APIResponse(responseCode = "202", description = "Published; command_id is the new id")
    @APIResponse(responseCode = "404", description = "Not in the journal")
    @APIResponse(responseCode = "409", description = "Applied or still open, or its journal copy is unreadable")
    @APIResponse(responseCode = "503", description = "The journal could not be read")
    public Response resend(@PathParam("id") String id) throws InterruptedException, ExecutionException {
        try {
            return Response.accepted(commands.resend(id)).build();
        } catch (NoSuchElementException e) {
            return OpsApi.error(404, "not_found", e.getMessage());
        } catch (CommandService.NotResendable e) {
            return OpsApi.error(409, "not_resendable", e.getMessage());
        } catch (IllegalStateException e) {
            return OpsApi.error(503, "unavailable", "the command journal could not be read: " + e.getMessage());
        }
    }
}
