package dev.commercesync.platforms.amazon;

import dev.commercesync.platforms.shared.ApiHttp;
import dev.commercesync.platforms.shared.RefreshedAccessTokens;
import dev.commercesync.platforms.shared.TokenRequests;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.PlatformApiException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Login with Amazon access tokens: a store's refresh token (with the app's client id and secret) exchanged at the LWA
 * token endpoint ({@code POST /auth/o2/token}, {@code grant_type=refresh_token}, the client's id and secret in the
 * form) for an access token that lasts an hour ({@code expires_in: 3600}), sent as {@code x-amz-access-token}; reused
 * and renewed before it expires by {@link RefreshedAccessTokens}. The same endpoint exchanges the install's {@code
 * spapi_oauth_code} ({@link AmazonInstallFlow}).
 */
final class LwaAccessTokens {
    /** Renewed this long before {@code expires_in} runs out. */
    static final Duration RENEW_BEFORE = RefreshedAccessTokens.RENEW_BEFORE;

    /** Amazon's LWA token endpoint, for stores on Amazon's own SP-API hosts. */
    static final URI AMAZON_TOKEN_ENDPOINT = URI.create("https://api.amazon.com/auth/o2/token");

    static final String TOKEN_PATH = "/auth/o2/token";

    private final RefreshedAccessTokens tokens;

    LwaAccessTokens(Clock clock) {
        this.tokens = new RefreshedAccessTokens(clock, "Login with Amazon token exchange", LwaAccessTokens::request);
    }

    /**
     * Where a store's codes and refresh tokens are exchanged: Amazon's endpoint for Amazon's SP-API hosts ({@code
     * sellingpartnerapi-*.amazon.com} and their sandboxes); a simulated or test store answers {@code /auth/o2/token}
     * itself, under its base URL.
     */
    static URI tokenEndpoint(URI apiBaseUrl) {
        String host = apiBaseUrl.getHost() == null ? "" : apiBaseUrl.getHost();
        return host.endsWith(".amazon.com")
                ? AMAZON_TOKEN_ENDPOINT
                : URI.create(apiBaseUrl.toString().replaceAll("/+$", "") + TOKEN_PATH);
    }

    /**
     * The access token to send: the stored one for {@link ApiCredentials.AccessToken} (a token someone else keeps
     * fresh), a cached or newly exchanged LWA token for {@link ApiCredentials.RefreshToken}.
     *
     * @throws PlatformApiException AUTH when LWA refuses the refresh token or client (400/401), else as {@link
     *     ApiHttp#send}
     */
    String accessToken(ApiConnection connection, ApiHttp http) throws PlatformApiException {
        return tokens.accessToken(connection, tokenEndpoint(connection.baseUrl()), http);
    }

    /** Forgets a store's token after the API refused it (401/403): the next call exchanges a new one. */
    void invalidate(ApiConnection connection, ApiHttp http) {
        tokens.invalidate(connection, tokenEndpoint(connection.baseUrl()));
    }

    /** LWA takes the client's id and secret in the form, not in an Authorization header. */
    private static HttpRequest.Builder request(HttpRequest.Builder request, ApiCredentials.RefreshToken refresh) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refresh.refreshToken());
        form.put("client_id", refresh.clientId());
        form.put("client_secret", refresh.clientSecret());
        return request.POST(HttpRequest.BodyPublishers.ofString(TokenRequests.form(form)));
    }
}
