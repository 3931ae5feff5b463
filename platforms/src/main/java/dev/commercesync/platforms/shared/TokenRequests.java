package dev.commercesync.platforms.shared;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.PlatformApiException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The OAuth token requests of an app install (OAuth 2.0: a {@code POST} of a form, a JSON answer; OAuth 1.0a: a
 * signed {@code POST}, a form-encoded answer), which platforms' install flows share. Redirects are not followed; failures name the request and the status, never the body (it may echo the
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
        return postForm(endpoint, Map.of(), form, timeout, description);
    }

    /** As {@link #postForm(URI, Map, Duration, String)}, with {@code headers} (an {@code Authorization: Basic}). */
    public static JsonNode postForm(
            URI endpoint, Map<String, String> headers, Map<String, String> form, Duration timeout, String description)
            throws PlatformApiException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)));
        headers.forEach(request::header);
        return ApiHttp.json(send(request.build(), description), description);
    }

    /**
     * The credentials a code exchange's answer gives where the store keeps a refresh token (eBay, Login with Amazon):
     * the app's client with the answer's {@code refresh_token}.
     *
     * @throws PlatformApiException SERVER when the answer has no refresh token
     */
    public static ApiCredentials.RefreshToken refreshTokenOf(
            JsonNode answer, String clientId, String clientSecret, String description) throws PlatformApiException {
        String refreshToken = answer.path("refresh_token").asText("");
        if (refreshToken.isBlank()) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.SERVER, 200, description + " returned no refresh token");
        }
        return new ApiCredentials.RefreshToken(clientId, clientSecret, refreshToken);
    }

    /** The {@code Authorization} value of HTTP Basic with the client's id and secret (RFC 6749 section 2.3.1). */
    public static String basicAuthorization(String clientId, String clientSecret) {
        return "Basic "
                + java.util.Base64.getEncoder()
                        .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Posts an empty body to an OAuth 1.0a token endpoint with its signed {@code Authorization} header; a 200
     * answer's {@code application/x-www-form-urlencoded} fields ({@code oauth_token}, {@code oauth_token_secret}),
     * else AUTH (4xx) or SERVER (5xx).
     */
    public static Map<String, String> postSigned(
            URI endpoint, String authorization, Duration timeout, String description) throws PlatformApiException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        String body = new String(send(request, description).body(), StandardCharsets.UTF_8).strip();
        Map<String, String> fields = new LinkedHashMap<>();
        OAuth1Signatures.decodePairs(body).forEach(e -> fields.putIfAbsent(e.getKey(), e.getValue()));
        return fields;
    }

    private static HttpResponse<byte[]> send(HttpRequest request, String description) throws PlatformApiException {
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
        return response;
    }

    /** {@code values} as {@code application/x-www-form-urlencoded} (also a query string). */
    public static String form(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
