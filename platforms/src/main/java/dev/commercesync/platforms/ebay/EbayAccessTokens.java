package dev.commercesync.platforms.ebay;

import dev.commercesync.platforms.shared.ApiHttp;
import dev.commercesync.platforms.shared.RefreshedAccessTokens;
import dev.commercesync.platforms.shared.TokenRequests;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.PlatformApiException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * eBay user access tokens (https://developer.ebay.com/api-docs/static/oauth-refresh-token-request.html): a seller's
 * refresh token (about 18 months) exchanged at {@code POST <api>/identity/v1/oauth2/token} with the app's {@code
 * client_id:client_secret} as HTTP Basic, {@code grant_type=refresh_token} and the install's scopes, for a user access
 * token of two hours ({@code expires_in: 7200}), sent as {@code Authorization: Bearer}; reused and renewed before it
 * expires by {@link RefreshedAccessTokens}. A revoked or expired refresh token is answered {@code 400 invalid_grant}:
 * AUTH, which the poller takes as a revocation once confirmed. The same endpoint exchanges the install's code ({@link
 * EbayInstallFlow}).
 */
final class EbayAccessTokens {
    static final String TOKEN_PATH = "/identity/v1/oauth2/token";

    /** What an application token (client-credentials grant) is asked for: the public scope, all eBay grants one. */
    static final String APPLICATION_SCOPE = "https://api.ebay.com/oauth/api_scope";

    private final RefreshedAccessTokens tokens;
    private final RefreshedAccessTokens applicationTokens;

    EbayAccessTokens(Clock clock) {
        this.tokens = new RefreshedAccessTokens(clock, "eBay user token refresh", EbayAccessTokens::request);
        this.applicationTokens = new RefreshedAccessTokens(
                clock, "eBay application token (client credentials grant)", EbayAccessTokens::applicationRequest);
    }

    /** The token endpoint answers on the API's own host ({@code api.ebay.com}, {@code api.sandbox.ebay.com}). */
    static URI tokenEndpoint(URI apiBaseUrl) {
        return URI.create(apiBaseUrl.toString().replaceAll("/+$", "") + TOKEN_PATH);
    }

    /**
     * The user access token to send: the stored one for {@link ApiCredentials.AccessToken} (a token someone else keeps
     * fresh), a cached or renewed one for {@link ApiCredentials.RefreshToken} (an install's).
     */
    String accessToken(ApiConnection connection, ApiHttp http) throws PlatformApiException {
        return tokens.accessToken(connection, tokenEndpoint(connection.baseUrl()), http);
    }

    /**
     * An application access token of the app that installed the store ({@code grant_type=client_credentials}, the
     * app's Basic credentials, {@value #APPLICATION_SCOPE}; two hours), for the Notification API's application
     * resources (destinations, application-scoped topics). Only an install's credentials carry the app's client.
     *
     * @throws PlatformApiException CLIENT (status 0) for a store registered with a bare user token
     */
    String applicationToken(ApiConnection connection, ApiHttp http) throws PlatformApiException {
        if (!(connection.credentials() instanceof ApiCredentials.RefreshToken refresh)) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.CLIENT,
                    0,
                    "eBay's notification destinations need the app's client credentials: connect the seller through"
                            + " the install flow");
        }
        return applicationTokens.accessToken(tokenEndpoint(connection.baseUrl()), refresh, http);
    }

    /** Forgets a store's application token after the API refused it. */
    void invalidateApplicationToken(ApiConnection connection) {
        applicationTokens.invalidate(connection, tokenEndpoint(connection.baseUrl()));
    }

    /** Forgets a store's token after the API refused it (401): the next call renews it. */
    void invalidate(ApiConnection connection) {
        tokens.invalidate(connection, tokenEndpoint(connection.baseUrl()));
    }

    private static HttpRequest.Builder request(HttpRequest.Builder request, ApiCredentials.RefreshToken refresh) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refresh.refreshToken());
        // eBay asks for the scopes again: those of the consent (the adapter's), or a subset of them.
        form.put("scope", String.join(" ", EbayInstallFlow.SCOPES));
        return request.header(
                        "Authorization", TokenRequests.basicAuthorization(refresh.clientId(), refresh.clientSecret()))
                .POST(HttpRequest.BodyPublishers.ofString(TokenRequests.form(form)));
    }

    private static HttpRequest.Builder applicationRequest(
            HttpRequest.Builder request, ApiCredentials.RefreshToken refresh) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("scope", APPLICATION_SCOPE);
        return request.header(
                        "Authorization", TokenRequests.basicAuthorization(refresh.clientId(), refresh.clientSecret()))
                .POST(HttpRequest.BodyPublishers.ofString(TokenRequests.form(form)));
    }
}
