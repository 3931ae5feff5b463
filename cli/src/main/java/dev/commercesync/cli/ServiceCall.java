package dev.commercesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** One HTTP call of a command to a service, with the bearer token that service's endpoint needs (docs/auth.md). */
final class ServiceCall {
    private ServiceCall() {}

    /**
     * Sends the request with the token; null (after saying why on {@code err}) when the service is unreachable.
     *
     * @param service how to name the service in a message, e.g. "the poller"
     */
    static HttpResponse<String> send(
            HttpRequest.Builder request,
            ServiceToken token,
            Path secretsFile,
            String service,
            URI url,
            PrintWriter err) {
        token.find(secretsFile).ifPresent(t -> request.header("Authorization", "Bearer " + t));
        try {
            return HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build()
                    .send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("cannot reach " + service + " at " + url + ": "
                    + e.getClass().getSimpleName());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Reports a refusal (401/503 for the token, other 4xx/5xx but 404 with the answer's message); true if one. */
    static boolean refused(HttpResponse<String> response, ServiceToken token, PrintWriter err) {
        JsonNode answer = CommandCommand.parse(response.body());
        int status = response.statusCode();
        if (status == 401
                || status == 503
                        && "auth_not_configured".equals(answer.path("error").asText())) {
            err.println("refused (HTTP " + status + ", " + answer.path("error").asText() + "): set " + token.variable
                    + " or --secrets-file (docs/auth.md)");
            return true;
        }
        if (status >= 400 && status != 404) {
            err.println(
                    "refused (HTTP " + status + "): " + answer.path("message").asText(response.body()));
            return true;
        }
        return false;
    }
}
