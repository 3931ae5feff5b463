package dev.commercesync.platforms.ebay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.TokenRequests;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.InstallFlow;
import dev.commercesync.platforms.spi.PlatformApiException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * eBay's authorization-code grant for a seller's consent
 * (https://developer.ebay.com/api-docs/static/oauth-authorization-code-grant.html):
 *
 * <ol>
 *   <li>the seller's browser goes to {@code https://auth.ebay.com/oauth2/authorize?client_id&redirect_uri&
 *       response_type=code&scope&state} ({@code auth.sandbox.ebay.com} for the sandbox), {@code redirect_uri} being
 *       the app's RuName (its redirect URL's registered name, {@link App#redirectName()}), {@code scope} the scopes
 *       separated by spaces;
 *   <li>eBay sends the browser to the RuName's accepted URL with {@code code}, {@code state} and {@code expires_in}
 *       (the code's life, 299 s); nothing in it is signed and it does not name the seller: the state nonce names the
 *       store, and the code, which only the app's secret exchanges, binds it;
 *   <li>{@code POST https://api.ebay.com/identity/v1/oauth2/token} with {@code Authorization: Basic
 *       base64(client_id:client_secret)} and {@code grant_type=authorization_code, code, redirect_uri=<RuName>}
 *       answers {@code {"access_token", "expires_in": 7200, "refresh_token", "refresh_token_expires_in": 47304000}}.
 * </ol>
 *
 * The store keeps the refresh token (with the app's client) and {@link EbayAccessTokens} renews the two-hour access
 * token with it. eBay's consent is all or nothing (no scope is granted alone) and its answer lists none. eBay tells the
 * app nothing when a seller revokes its consent: the refresh is then answered {@code invalid_grant}.
 */
final class EbayInstallFlow implements InstallFlow {
    /** Production API host; its consent page is on {@link #AUTH_HOST}. */
    static final String API_HOST = "api.ebay.com";

    static final String AUTH_HOST = "auth.ebay.com";
    static final String SANDBOX_API_HOST = "api.sandbox.ebay.com";
    static final String SANDBOX_AUTH_HOST = "auth.sandbox.ebay.com";
    static final String AUTHORIZE_PATH = "/oauth2/authorize";

    /** What the adapter reads and writes: orders and shipping fulfillments, inventory items and offers. */
    static final Set<String> SCOPES = new TreeSet<>(Set.of(
            "https://api.ebay.com/oauth/api_scope",
            "https://api.ebay.com/oauth/api_scope/sell.fulfillment",
            "https://api.ebay.com/oauth/api_scope/sell.inventory"));

    @Override
    public Set<String> defaultScopes() {
        return new TreeSet<>(SCOPES);
    }

    /** One API for every seller. */
    @Override
    public URI storeBaseUrl(String storeId) {
        return URI.create("https://" + API_HOST);
    }

    @Override
    public URI authorizationUrl(URI storeBaseUrl, App app, Set<String> scopes, URI redirectUri, String state) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("client_id", app.clientId());
        query.put("redirect_uri", ruName(app));
        query.put("response_type", "code");
        query.put("scope", String.join(" ", new TreeSet<>(scopes)));
        query.put("state", state);
        return URI.create(authorizeEndpoint(storeBaseUrl) + "?" + TokenRequests.form(query));
    }

    /** eBay's consent host beside its API host; a simulated store answers under its base URL. */
    static String authorizeEndpoint(URI storeBaseUrl) {
        String host = storeBaseUrl.getHost() == null ? "" : storeBaseUrl.getHost();
        return switch (host) {
            case API_HOST -> "https://" + AUTH_HOST + AUTHORIZE_PATH;
            case SANDBOX_API_HOST -> "https://" + SANDBOX_AUTH_HOST + AUTHORIZE_PATH;
            default -> storeBaseUrl.toString().replaceAll("/+$", "") + AUTHORIZE_PATH;
        };
    }

    private static String ruName(App app) {
        if (app.redirectName() == null || app.redirectName().isBlank()) {
            throw new IllegalStateException("eBay's authorization needs the app's RuName (its redirect-name)");
        }
        return app.redirectName();
    }

    /** {@code code} and {@code state}; a declined consent comes back with {@code error} instead. */
    @Override
    public Callback verifyCallback(Map<String, String> query, App app, Clock clock, Duration maxAge)
            throws RejectedCallbackException {
        if (query.containsKey("error")) {
            throw new RejectedCallbackException("the seller did not grant the consent");
        }
        String code = query.get("code");
        String state = query.get("state");
        if (code == null || code.isBlank() || state == null || state.isBlank()) {
            throw new RejectedCallbackException("the callback has no code or no state");
        }
        return new Callback(null, code, state);
    }

    @Override
    public Grant exchangeCode(URI storeBaseUrl, App app, Callback callback, URI redirectUri, Duration timeout)
            throws PlatformApiException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", callback.code());
        form.put("redirect_uri", ruName(app));
        String description = "eBay authorization code grant";
        JsonNode json = TokenRequests.postForm(
                EbayAccessTokens.tokenEndpoint(storeBaseUrl),
                Map.of("Authorization", TokenRequests.basicAuthorization(app.clientId(), app.clientSecret())),
                form,
                timeout,
                description);
        return new Grant(
                TokenRequests.refreshTokenOf(json, app.clientId(), app.clientSecret(), description), defaultScopes());
    }

    @Override
    public boolean callbackNamesStore() {
        return false;
    }

    @Override
    public boolean revocationNotified() {
        return false;
    }

    /**
     * The store's secret as {@link EbayStoreSecret} reads it: the Notification API beside the store's API, and — where
     * the ingest's public URL is known — the store's endpoint with its verification token (derived from the app's
     * secret, so a re-install keeps it), with which the ingest answers eBay's endpoint challenge when the install
     * creates the store's destination ({@link EbayNotificationApi}). It holds no application token: notifications are
     * verified once the operator adds one ({@code app_token}, docs/install.md).
     */
    @Override
    public String webhookSecret(App app, URI storeBaseUrl, Optional<URI> webhookAddress) {
        com.fasterxml.jackson.databind.node.ObjectNode secret =
                dev.commercesync.platforms.shared.Json.MAPPER.createObjectNode();
        secret.put("notification_api", storeBaseUrl.toString());
        webhookAddress.ifPresent(address -> {
            secret.put("verification_token", EbayNotificationApi.derivedVerificationToken(app.clientSecret(), address));
            secret.put("endpoint", address.toString());
        });
        return dev.commercesync.platforms.shared.Json.encode(secret);
    }

    /** eBay has no endpoint that lists a user token's scopes. */
    @Override
    public Optional<Set<String>> grantedScopes(ApiConnection connection) {
        return Optional.empty();
    }

    /** The consent grants every requested scope or none: nothing can be missing after an exchange. */
    @Override
    public Set<String> missingScopes(Set<String> granted, Set<String> requested) {
        return Set.of();
    }
}
