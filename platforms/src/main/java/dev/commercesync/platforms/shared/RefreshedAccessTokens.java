package dev.commercesync.platforms.shared;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.PlatformApiException;
import java.net.URI;
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
 * Short-lived OAuth 2.0 access tokens obtained with a store's long-lived refresh token ({@code
 * grant_type=refresh_token}, RFC 6749 section 6), shared by the platforms whose stores hold one (Login with Amazon,
 * eBay). The platform says how its token request looks ({@link RefreshRequest}); the answer is the standard {@code
 * {"access_token", "expires_in"}}. A token is reused until {@link #RENEW_BEFORE} before it expires (half its life
 * when that is short), then renewed, so no call goes out with a token about to lapse. One cache per adapter instance,
 * shared by every client of every store. Tokens are never logged and never part of an exception message.
 */
public final class RefreshedAccessTokens {
    /** Renewed this long before {@code expires_in} runs out: a token never lapses during a (slow) call. */
    public static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

    /** How a platform asks its token endpoint for an access token: headers and body of the POST. */
    @FunctionalInterface
    public interface RefreshRequest {
        HttpRequest.Builder build(HttpRequest.Builder request, ApiCredentials.RefreshToken refresh);
    }

    private record Cached(String accessToken, Instant renewAt) {}

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Object> renewals = new ConcurrentHashMap<>();
    private final Clock clock;
    private final String description;
    private final RefreshRequest refreshRequest;

    /**
     * @param description names the exchange in errors ({@code "Login with Amazon token exchange"})
     */
    public RefreshedAccessTokens(Clock clock, String description, RefreshRequest refreshRequest) {
        this.clock = clock;
        this.description = description;
        this.refreshRequest = refreshRequest;
    }

    /**
     * A cached or newly exchanged access token for {@code refresh} at {@code endpoint}.
     *
     * @throws PlatformApiException AUTH when the endpoint refuses the refresh token or the client (a 4xx answer:
     *     {@code invalid_grant} when the merchant revoked the app or the token expired), else as {@link
     *     ApiHttp#sendWrite}
     */
    public String accessToken(URI endpoint, ApiCredentials.RefreshToken refresh, ApiHttp http)
            throws PlatformApiException {
        String key = cacheKey(endpoint, refresh);
        Cached cached = cache.get(key);
        if (cached != null && clock.instant().isBefore(cached.renewAt())) {
            return cached.accessToken();
        }
        // One renewal per store at a time: the store's other calls (other resources polled in parallel) wait for it
        // and take its token instead of each asking for one.
        synchronized (renewals.computeIfAbsent(key, k -> new Object())) {
            cached = cache.get(key);
            if (cached != null && clock.instant().isBefore(cached.renewAt())) {
                return cached.accessToken();
            }
            Cached fresh = exchange(endpoint, refresh, http);
            cache.put(key, fresh);
            return fresh.accessToken();
        }
    }

    /**
     * The access token to send for a store: the stored one for {@link ApiCredentials.AccessToken} (a token someone else
     * keeps fresh), a cached or renewed one for {@link ApiCredentials.RefreshToken} (at {@code endpoint}).
     *
     * @throws PlatformApiException AUTH for other credentials, else as {@link #accessToken(URI,
     *     ApiCredentials.RefreshToken, ApiHttp)}
     */
    public String accessToken(ApiConnection connection, URI endpoint, ApiHttp http) throws PlatformApiException {
        if (connection.credentials() instanceof ApiCredentials.AccessToken token) {
            return token.token();
        }
        if (connection.credentials() instanceof ApiCredentials.RefreshToken refresh) {
            return accessToken(endpoint, refresh, http);
        }
        throw new PlatformApiException(
                PlatformApiException.Kind.AUTH,
                0,
                description
                        + ": the store's credentials are neither an access token nor a client with a refresh token");
    }

    /** Forgets a store's token after the API refused it (401/403): the next call exchanges a new one. */
    public void invalidate(URI endpoint, ApiCredentials.RefreshToken refresh) {
        cache.remove(cacheKey(endpoint, refresh));
    }

    /** As {@link #invalidate(URI, ApiCredentials.RefreshToken)}, for a store's connection (nothing to forget else). */
    public void invalidate(ApiConnection connection, URI endpoint) {
        if (connection.credentials() instanceof ApiCredentials.RefreshToken refresh) {
            invalidate(endpoint, refresh);
        }
    }

    private Cached exchange(URI endpoint, ApiCredentials.RefreshToken refresh, ApiHttp http)
            throws PlatformApiException {
        Instant requestedAt = clock.instant();
        HttpRequest request = refreshRequest
                .build(
                        http.request(endpoint)
                                .header("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8"),
                        refresh)
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.sendWrite(request, description);
        } catch (PlatformApiException e) {
            if (e.kind() == PlatformApiException.Kind.AUTH) {
                throw refused(e.httpStatus());
            }
            throw e;
        }
        if (response.statusCode() != 200) {
            // invalid_grant / invalid_client (400 or 401): the merchant must authorise the app again.
            throw refused(response.statusCode());
        }
        JsonNode body = ApiHttp.json(response, description);
        String accessToken = body.path("access_token").asText("");
        long expiresIn = body.path("expires_in").asLong(0);
        if (accessToken.isEmpty() || expiresIn <= 0) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.SERVER,
                    response.statusCode(),
                    description + " answered without access_token or expires_in");
        }
        Duration lifetime = Duration.ofSeconds(expiresIn);
        Duration reuse = lifetime.compareTo(RENEW_BEFORE.multipliedBy(2)) > 0
                ? lifetime.minus(RENEW_BEFORE)
                : lifetime.dividedBy(2);
        return new Cached(accessToken, requestedAt.plus(reuse));
    }

    private PlatformApiException refused(int status) {
        return new PlatformApiException(
                PlatformApiException.Kind.AUTH,
                status,
                description + " refused the refresh token (HTTP " + status + ")");
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
}
