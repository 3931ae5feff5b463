package dev.commercesync.platforms.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.commercesync.platforms.shared.EventKeys;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.CommandKind;
import dev.commercesync.platforms.spi.WriteCost;
import dev.commercesync.platforms.spi.WriteOutcome;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandMetadata;
import dev.commercesync.schemas.command.CommandResultReason;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Canned answers of a {@link CannedHttpServer} by method and path (the query is not matched): what a write test
 * serves. A request without an answer gets HTTP 501, which no test expects.
 */
public final class CannedRoutes implements HttpHandler {
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    /** An answer: status, extra headers, JSON body. */
    public record Answer(int status, Map<String, String> headers, String body) {}

    /** Answers {@code method path} with the status and JSON body. */
    public CannedRoutes on(String method, String path, int status, String body) {
        return on(method, path, status, Map.of(), body);
    }

    public CannedRoutes on(String method, String path, int status, Map<String, String> headers, String body) {
        answers.put(method + " " + path, new Answer(status, headers, body));
        return this;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Answer answer = answers.get(
                exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
        if (answer == null) {
            CannedHttpServer.respond(exchange, 501, Map.of(), "{\"message\":\"no canned answer\"}");
            return;
        }
        CannedHttpServer.respond(exchange, answer.status(), answer.headers(), answer.body());
    }

    /** A command of the action's kind for {@code entityId} of a test store, its deadline an hour ahead. */
    public static Command command(String platform, String entityId, Object action) {
        return command(platform, entityId, action, Instant.now().plus(Duration.ofHours(1)));
    }

    public static Command command(String platform, String entityId, Object action, Instant deadline) {
        EntityType type = kindOf(action).entityType();
        return new Command(
                CommandMetadata.newBuilder()
                        .setCommandId("cmd-" + platform + "-" + entityId)
                        .setPlatform(platform)
                        .setStore("write-test-store")
                        .setEntityType(type)
                        .setEntityId(entityId)
                        .setCommandKey(EventKeys.entityKey(platform, "write-test-store", type, entityId))
                        .setIssuedAt(Instant.parse("2026-12-06T10:00:00Z"))
                        .setDeadline(deadline)
                        .build(),
                action);
    }

    /** Asserts a recorded request: method, path, and JSON body (null: no body) sent as application/json. */
    public static void assertRequest(CannedHttpServer.Recorded request, String method, String path, String json)
            throws IOException {
        assertEquals(method, request.method());
        assertEquals(path, request.uri().getRawPath());
        if (json == null) {
            assertTrue(request.body().isEmpty(), "no body");
        } else {
            assertEquals(Json.MAPPER.readTree(json), Json.MAPPER.readTree(request.body()));
            assertEquals("application/json", request.header("Content-Type"));
        }
    }

    /** Asserts that a call sent as many requests as its writer declares for it ({@code applyCost}, {@code readBackCost}). */
    public static void assertSentAsDeclared(WriteCost declared, List<CannedHttpServer.Recorded> sent) {
        assertEquals(
                declared.requests(),
                sent.size(),
                () -> "declared " + declared + ", sent "
                        + sent.stream()
                                .map(r -> r.method() + " " + r.uri().getRawPath())
                                .toList());
    }

    /** Asserts a rejection with the reason, and returns it. */
    public static WriteOutcome.Rejected assertRejected(CommandResultReason reason, WriteOutcome outcome) {
        WriteOutcome.Rejected rejected = assertInstanceOf(WriteOutcome.Rejected.class, outcome);
        assertEquals(reason, rejected.reason(), rejected.platformError());
        return rejected;
    }

    private static CommandKind kindOf(Object action) {
        for (CommandKind kind : CommandKind.values()) {
            if (kind.actionType().isInstance(action)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("not a command action: " + action);
    }
}
