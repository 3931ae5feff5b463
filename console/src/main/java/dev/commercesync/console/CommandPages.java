package dev.commercesync.console;

import dev.commercesync.console.BrowseViews.CommandPage;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.BadRequestException;
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
import jakarta.ws.rs.core.UriBuilder;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The command journal's pages (docs/console.md): newest first, one command, its resend. */
@Path("/console/commands")
@Produces(MediaType.TEXT_HTML)
public class CommandPages {
    /** Commands per page. */
    static final int PAGE = 50;

    private final CommandService commands;
    private final Template commandsPage;
    private final Template command;

    public CommandPages(CommandService commands, @Location("commands") Template commandsPage, Template command) {
        this.commands = commands;
        this.commandsPage = commandsPage;
        this.command = command;
    }

    @GET
    @Operation(hidden = true)
    public TemplateInstance list(
            @QueryParam("platform") String platform,
            @QueryParam("store") String store,
            @QueryParam("state") String state,
            @QueryParam("kind") String kind,
            @QueryParam("offset") @DefaultValue("0") int offset) {
        CommandJournalReader.Filter filter;
        try {
            filter = new CommandJournalReader.Filter(platform, store, state, kind);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        CommandPage page = null;
        String unavailable = null;
        try {
            page = commands.list(filter, PAGE, Math.max(0, offset));
        } catch (IllegalStateException e) {
            unavailable = e.getMessage();
        }
        return commandsPage
                .data("page", page)
                .data("unavailable", unavailable)
                .data("filter", filter)
                .data("states", CommandJournalReader.STATES.stream().sorted().toList());
    }

    @GET
    @Path("/{id}")
    @Operation(hidden = true)
    public TemplateInstance show(@PathParam("id") String id, @QueryParam("outcome") String outcome) {
        return command.data("detail", commands.show(id).orElseThrow(NotFoundException::new))
                .data("outcome", outcome);
    }

    @POST
    @Path("/{id}/resend")
    @Operation(hidden = true)
    public Response resend(@PathParam("id") String id) throws InterruptedException, ExecutionException {
        String outcome;
        try {
            outcome = "Resent as " + commands.resend(id).commandId();
        } catch (NoSuchElementException | CommandService.NotResendable e) {
            outcome = e.getMessage();
        }
        return Response.seeOther(UriBuilder.fromPath("/console/commands/{id}")
                        .queryParam("outcome", outcome)
                        .build(id))
                .build();
    }
}
