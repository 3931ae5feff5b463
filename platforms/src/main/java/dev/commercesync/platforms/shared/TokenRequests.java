package dev.commercesync.platforms.shared;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.spi.PlatformApiException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The OAuth token request of an app install ({@code POST} of a form, a JSON answer), which platforms' install flows
 * share. Redirects are not followed; failures name the request and the status, never the body (it may echo the
 * secret that was sent).
 */
public final class TokenRequests {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private TokenRequests() {}

    /** Posts {@code form} URL-encoded to {@code endpoint}; a 200 answer's JSON, else AUTH (4xx) or SERVER (5xx). */
    public static JsonNode postForm(URI endpoint, Map<String, String> form, Duration timeout, String description)
            throws PlatformApiException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new PlatformApiException(PlatformApiException.Kind.TRANSPORT, 0, description + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformApiException(PlatformApiException.Kind.TRANSPORT, 0, description + " interrupted");
        }
        if (response.statusCode() != 200) {
            throw new PlatformApiException(
                    response.statusCode() >= 500 ? PlatformApiException.Kind.SERVER : PlatformApiException.Kind.AUTH,
                    response.statusCode(),
                    description + " answered " + response.statusCode());
        }
        return ApiHttp.json(response, description);
    }

    /** {@code values} as {@code application/x-www-form-urlencoded} (also a query string). */
    public static String form(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
