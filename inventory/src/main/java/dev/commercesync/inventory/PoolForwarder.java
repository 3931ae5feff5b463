package dev.commercesync.inventory;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks the replica that holds a merchant's pool (its advertised {@code application.server}) and returns its answer as
 * it is. The request carries the internal token and {@link #FORWARDED}, so the other replica answers from its own
 * stores and never forwards again. A replica that does not answer within 5 s is a 503 naming it, never a wrong answer.
 */
final class PoolForwarder {
    /** Marks a forwarded request: it is answered where it lands, never forwarded again. */
    static final String FORWARDED = "X-Commercesync-Forwarded";

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Optional<String> internalToken;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    PoolForwarder(Optional<String> internalToken) {
        this.internalToken = internalToken;
    }

    Response forward(HostInfo host, String path) {
        URI target = URI.create("http://" + host.host() + ":" + host.port()).resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(TIMEOUT)
                .header(FORWARDED, "1")
                .GET();
        internalToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
        String who = host.host() + ":" + host.port();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return Response.status(response.statusCode())
                    .type(MediaType.APPLICATION_JSON)
                    .entity(response.body())
                    .build();
        } catch (IOException e) {
            return PoolResource.notReady("the replica holding this merchant's pool (" + who + ") did not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PoolResource.notReady("interrupted while asking the replica holding this merchant's pool");
        }
    }
}
