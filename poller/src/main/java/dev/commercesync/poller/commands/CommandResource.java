package dev.commercesync.poller.commands;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.poller.PollerConfig;
import dev.commercesync.poller.commands.CommandJournal.Entry;
import dev.commercesync.poller.kafka.RawPublisher;
import dev.commercesync.poller.kafka.RawPublisher.NotStoredException;
import dev.commercesync.schemas.command.Command;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * The way in for those who do not speak Kafka (docs/commands.md, "REST endpoint"): {@code POST /commands} validates a
 * command and publishes it to {@code commerce.commands.v1} (channel {@code commands-out}: acks=all, idempotent
 * producer), answering 202 with its status URL; {@code GET /commands/{id}} answers its journal row. Behind the internal
 * token like every non-health path of the poller (docs/auth.md).
 */
@Path("/commands")
@Produces(MediaType.APPLICATION_JSON)
public class CommandResource {

    /** A journal row as {@code GET /commands/{id}} shows it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(
            String commandId,
            String platform,
            String store,
            String commandKey,
            String kind,
            String state,
            boolean finalState,
            int attempts,
            Instant deadline,
            List<String> platformRequestIds,
            String reason,
            String errorClass,
            String error,
            JsonNode resultingState,
            boolean resultPublished,
            Instant receivedAt,
            Instant updatedAt,
            Instant completedAt,
            JsonNode command) {}

    /** The answer to a POST. */
    public record Accepted(String commandId, String statusUrl, String state) {}

    public record Problem(String error, String message, List<String> problems) {}

    private final Emitter<Command> emitter;
    private final CommandJournal journal;
    private final PollerConfig config;
    private final Clock clock = Clock.systemUTC();

    public CommandResource(
            @Channel("commands-out") Emitter<Command> emitter, CommandJournal journal, PollerConfig config) {
        this.emitter = emitter;
        this.journal = journal;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response send(String body) {
        Instant now = clock.instant();
        Command command;
        try {
            command = CommandJson.fromRequest(Json.MAPPER.readTree(body == null ? "" : body), now);
        } catch (IOException e) {
            return invalid("the body is not JSON", List.of());
        } catch (CommandJson.InvalidCommandException e) {
            return invalid(e.getMessage(), List.of(e.getMessage()));
        }
        List<String> problems = new java.util.ArrayList<>(CommandChecks.problems(command));
        if (!command.getMetadata().getDeadline().isAfter(now)) {
            problems.add("deadline " + command.getMetadata().getDeadline() + " has passed");
        }
        if (!problems.isEmpty()) {
            return invalid(String.join("; ", problems), problems);
        }
        String id = command.getMetadata().getCommandId();
        String statusUrl = UriBuilder.fromPath("/commands/{id}").build(id).toString();
        String state = "SENT";
        try {
            var row = journal.find(id);
            if (row.isPresent()) {
                // Sent before: the executor has it; sending it again would change nothing.
                state = row.get().state().name();
            } else {
                RawPublisher.sendAll(
                        emitter,
                        command.getMetadata().getCommandKey(),
                        List.of(command),
                        config.polling().publishTimeout());
            }
        } catch (NotStoredException | IllegalStateException e) {
            return Response.status(503)
                    .header("Retry-After", "5")
                    .entity(new Problem(
                            "unavailable",
                            "the command was not stored (Kafka or PostgreSQL did not answer); send it again, with the"
                                    + " same command_id",
                            List.of()))
                    .build();
        }
        return Response.accepted(new Accepted(id, statusUrl, state))
                .header("Location", statusUrl)
                .build();
    }

    @GET
    @Path("/{id}")
    public Response status(@PathParam("id") String id) {
        return journal.find(id).map(row -> Response.ok(status(row)).build()).orElseGet(() -> Response.status(404)
                .entity(new Problem(
                        "not_found",
                        "command " + id + " is not in the journal (yet): the executor journals a command when"
                                + " it reads it from commerce.commands.v1, usually within a second of the 202",
                        List.of()))
                .build());
    }

    private static Status status(Entry row) {
        return new Status(
                row.commandId(),
                row.platform(),
                row.store(),
                row.commandKey(),
                row.kind(),
                row.state().name(),
                row.state().isFinal(),
                row.attempts(),
                row.deadline(),
                row.platformRequestIds(),
                row.reason(),
                row.lastErrorClass(),
                row.lastError(),
                row.resultingState() == null ? null : json(row.resultingState()),
                row.resultPublished(),
                row.receivedAt(),
                row.updatedAt(),
                row.completedAt(),
                json(row.command()));
    }

    /** JSON text as a tree; text that is not JSON as a string. */
    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            return Json.MAPPER.getNodeFactory().textNode(text);
        }
    }

    private static Response invalid(String message, List<String> problems) {
        return Response.status(400)
                .entity(new Problem("invalid_command", message, problems))
                .build();
    }
}
