package dev.commercesync.platforms.amazon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.ApiHttp;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.PlatformApiException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Login with Amazon access tokens: a store's refresh token (with the app's client id and secret) exchanged at the LWA
 * token endpoint ({@code POST /auth/o2/token}, {@code grant_type=refresh_token}) for an access token that lasts an
 * hour ({@code expires_in: 3600}), sent as {@code x-amz-access-token}. A token is reused until {@link #RENEW_BEFORE}
 * before it expires, then renewed, so no call goes out with a token about to lapse. One cache per adapter instance,
 * shared by every client of every store (the poller creates clients freely). Tokens are never logged and never part
 * of an exception message.
 */
final class LwaAccessTokens {
    /** Renewed this long before {@code expires_in} runs out: a token never lapses during a (slow) call. */
    static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

    /** Amazon's LWA token endpoint, for stores on Amazon's own SP-API hosts. */
    static final URI AMAZON_TOKEN_ENDPOINT = URI.create("https://api.amazon.com/auth/o2/token");

    private record Cached(String accessToken, Instant renewAt) {}

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Clock clock;

    LwaAccessTokens(Clock clock) {
        this.clock = clock;
    }

    /**
     * Where a store's refresh token is exchanged: Amazon's endpoint for Amazon's SP-API hosts ({@code
     * sellingpartnerapi-*.amazon.com} and their sandboxes); a simulated or test store answers {@code /auth/o2/token}
     * itself, under its base URL.
     */
    static URI tokenEndpoint(URI apiBaseUrl, ApiHttp http) {
        String host = apiBaseUrl.getHost() == null ? "" : apiBaseUrl.getHost();
        return host.endsWith(".amazon.com") ? AMAZON_TOKEN_ENDPOINT : http.resolve("/auth/o2/token");
    }

    /**
     * The access token to send: the stored one for {@link ApiCredentials.AccessToken} (a token someone else keeps
     * fresh), a cached or newly exchanged LWA token for {@link ApiCredentials.RefreshToken}.
     *
     * @throws PlatformApiException AUTH when LWA refuses the refresh token or client (400/401), else as {@link
     *     ApiHttp#send}
     */
    String accessToken(ApiConnection connection, ApiHttp http) throws PlatformApiException {
        if (connection.credentials() instanceof ApiCredentials.AccessToken token) {
            return token.token();
        }
        if (!(connection.credentials() instanceof ApiCredentials.RefreshToken refresh)) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.AUTH,
                    0,
                    "Amazon SP-API needs a Login with Amazon client id, client secret and refresh token");
        }
        URI endpoint = tokenEndpoint(connection.baseUrl(), http);
        String key = cacheKey(endpoint, refresh);
        Cached cached = cache.get(key);
        if (cached != null && clock.instant().isBefore(cached.renewAt())) {
            return cached.accessToken();
        }
        Cached fresh = exchange(endpoint, refresh, http);
        cache.put(key, fresh);
        return fresh.accessToken();
    }

    /** Forgets a store's token after the API refused it (401/403): the next call exchanges a new one. */
    void invalidate(ApiConnection connection, ApiHttp http) {
        if (connection.credentials() instanceof ApiCredentials.RefreshToken refresh) {
            cache.remove(cacheKey(tokenEndpoint(connection.baseUrl(), http), refresh));
        }
    }

    private Cached exchange(URI endpoint, ApiCredentials.RefreshToken refresh, ApiHttp http)
            throws PlatformApiException {
        String form = "grant_type=refresh_token&refresh_token=" + encode(refresh.refreshToken()) + "&client_id="
                + encode(refresh.clientId()) + "&client_secret=" + encode(refresh.clientSecret());
        Instant requestedAt = clock.instant();
        HttpRequest request = http.request(endpoint)
                .header("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<byte[]> response = http.sendWrite(request, "Login with Amazon token exchange");
        if (response.statusCode() != 200) {
            // LWA answers invalid_grant / invalid_client with 400 or 401: the merchant must authorise again.
            throw new PlatformApiException(
                    PlatformApiException.Kind.AUTH,
                    response.statusCode(),
                    "Login with Amazon refused the refresh token (HTTP " + response.statusCode() + ")");
        }
        JsonNode body = ApiHttp.json(response, "Login with Amazon token exchange");
        String accessToken = body.path("access_token").asText("");
        long expiresIn = body.path("expires_in").asLong(0);
        if (accessToken.isEmpty() || expiresIn <= 0) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.SERVER,
                    response.statusCode(),
                    "Login with Amazon answered without access_token or expires_in");
        }
        Duration lifetime = Duration.ofSeconds(expiresIn);
        Duration reuse = lifetime.compareTo(RENEW_BEFORE.multipliedBy(2)) > 0
                ? lifetime.minus(RENEW_BEFORE)
                : lifetime.dividedBy(2);
        return new Cached(accessToken, requestedAt.plus(reuse));
    }

    /** Per endpoint, client and refresh token; hashed, so the map holds no refresh token as a key. */
    private static String cacheKey(URI endpoint, ApiCredentials.RefreshToken refresh) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(endpoint.toString().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(refresh.clientId().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(refresh.refreshToken().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
