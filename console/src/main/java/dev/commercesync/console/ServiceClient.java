package dev.commercesync.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * JSON POSTs from the console to another service's API with the bearer token that API needs (docs/auth.md): the
 * admin token for webhook-ingest's {@code /admin/stores}, the internal token for the reconciler. Neither the body (it
 * may hold a new secret) nor the token is ever logged or put into an exception's message.
 */
final class ServiceClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The service did not answer: not reachable, or not within the timeout. Names the service and URL only. */
    static final class Unreachable extends Exception {
        final boolean timedOut;

        Unreachable(String message, boolean timedOut) {
            super(message);
            this.timedOut = timedOut;
        }
    }

    /** @param body the JSON answer; a missing node when there was none or it was not JSON */
    record Answer(int status, JsonNode body) {
        /** The answer's message ("message", else "error"), for an operator. */
        String message() {
            return body.path("message").asText(body.path("error").asText("HTTP " + status));
        }
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String service;
    private final URI base;
    private final Optional<String> token;

    /**
     * @param service how messages name it ("webhook-ingest")
     * @param token the bearer token; empty when not configured (the service then answers 401 or 503)
     */
    ServiceClient(String service, URI base, Optional<String> token) {
        this.service = service;
        this.base = base;
        this.token = token.map(String::trim).filter(t -> !t.isBlank());
    }

    String service() {
        return service;
    }

    Answer post(String path, JsonNode body, Duration timeout) throws Unreachable, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new Unreachable(service + " did not answer within " + timeout, true);
        } catch (IOException e) {
            throw new Unreachable(
                    "cannot reach " + service + " at " + base + " ("
                            + e.getClass().getSimpleName() + ")",
                    false);
        }
        JsonNode answer;
        try {
            answer = response.body().isBlank() ? MissingNode.getInstance() : JSON.readTree(response.body());
        } catch (IOException e) {
            answer = MissingNode.getInstance();
        }
        return new Answer(response.statusCode(), answer);
    }

    private URI resolve(String path) {
        String root = base.toString().replaceAll("/+$", "");
        return URI.create(root + path);
    }
}
