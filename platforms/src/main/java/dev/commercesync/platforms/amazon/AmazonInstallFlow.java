package dev.commercesync.platforms.amazon;

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

/**
 * The SP-API website authorization workflow
 * (https://developer-docs.amazon.com/sp-api/docs/website-authorization-workflow), Login with Amazon underneath:
 *
 * <ol>
 *   <li>the seller's browser goes to Seller Central's {@code /apps/authorize/consent?application_id&state&
 *       redirect_uri} ({@code sellercentral.amazon.com} for North America, {@code sellercentral-europe.amazon.com},
 *       {@code sellercentral.amazon.co.jp} for the Far East), {@code application_id} being the SP-API application's
 *       id ({@link App#applicationId()}), not the LWA client id;
 *   <li>Amazon sends the browser to {@code redirect_uri} with {@code state}, {@code selling_partner_id} (the seller:
 *       the store id) and {@code spapi_oauth_code} (valid five minutes); nothing is signed: the state nonce, issued
 *       for that seller, and the code, which only the app's secret exchanges, bind it;
 *   <li>{@code POST https://api.amazon.com/auth/o2/token} with {@code grant_type=authorization_code, code,
 *       redirect_uri, client_id, client_secret} answers {@code {"access_token", "refresh_token", "expires_in": 3600}}.
 * </ol>
 *
 * The store keeps the refresh token (with the app's LWA client); {@link LwaAccessTokens} exchanges it for hour-long
 * access tokens. SP-API has no OAuth scopes (the app's roles decide what it may call) and sends the app nothing when
 * a seller revokes it: the refresh is then answered {@code invalid_grant}.
 *
 * <p>Regions: the merchant names the seller's marketplace (id or country code) or region at the start ({@code
 * region}, {@link AmazonMarketplaces}); it picks the SP-API endpoint ({@code sellingpartnerapi-na|eu|fe.amazon.com})
 * the store is registered with and the Seller Central the consent is asked in (the marketplace's, else the region's).
 * None named: North America. One installed store is one seller in one region; a seller in two regions is two
 * installs (its selling partner id is the store id in both, so one of them at a time).
 */
final class AmazonInstallFlow implements InstallFlow {
    static final String CONSENT_PATH = "/apps/authorize/consent";

    /** The North American SP-API endpoint: where a seller's API is called when no region is named. */
    static final URI NORTH_AMERICA = AmazonMarketplaces.Region.NA.endpoint;

    private final AmazonAdapter adapter;

    AmazonInstallFlow(AmazonAdapter adapter) {
        this.adapter = adapter;
    }

    /** SP-API authorizes by the application's roles, not by scopes. */
    @Override
    public Set<String> defaultScopes() {
        return Set.of();
    }

    @Override
    public URI storeBaseUrl(String storeId) {
        return storeBaseUrl(storeId, Optional.empty());
    }

    /** The SP-API endpoint of the named marketplace's or region's ({@link AmazonMarketplaces#choice}). */
    @Override
    public URI storeBaseUrl(String storeId, Optional<String> region) {
        if (!adapter.isValidStoreId(storeId)) {
            throw new IllegalArgumentException("not a selling partner id");
        }
        return AmazonMarketplaces.choice(region).region().endpoint;
    }

    @Override
    public URI authorizationUrl(URI storeBaseUrl, App app, Set<String> scopes, URI redirectUri, String state) {
        return authorizationUrl(storeBaseUrl, Optional.empty(), app, scopes, redirectUri, state);
    }

    @Override
    public URI authorizationUrl(
            URI storeBaseUrl, Optional<String> region, App app, Set<String> scopes, URI redirectUri, String state) {
        if (app.applicationId() == null || app.applicationId().isBlank()) {
            throw new IllegalStateException("Amazon's consent needs the SP-API application id (application-id)");
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("application_id", app.applicationId());
        query.put("state", state);
        query.put("redirect_uri", redirectUri.toString());
        return URI.create(consentEndpoint(storeBaseUrl, region) + "?" + TokenRequests.form(query));
    }

    /**
     * Seller Central of the named marketplace (else of the SP-API endpoint's region); a simulated store answers under
     * its base URL.
     */
    static String consentEndpoint(URI storeBaseUrl, Optional<String> region) {
        String host = storeBaseUrl.getHost() == null ? "" : storeBaseUrl.getHost();
        Optional<AmazonMarketplaces.Region> endpointRegion = AmazonMarketplaces.regionOfEndpoint(host);
        if (endpointRegion.isEmpty()) {
            return storeBaseUrl.toString().replaceAll("/+$", "") + CONSENT_PATH;
        }
        AmazonMarketplaces.Choice choice = AmazonMarketplaces.choice(region);
        return (choice.region() == endpointRegion.get() ? choice.sellerCentral() : endpointRegion.get().sellerCentral)
                + CONSENT_PATH;
    }

    @Override
    public Callback verifyCallback(Map<String, String> query, App app, Clock clock, Duration maxAge)
            throws RejectedCallbackException {
        String code = query.get("spapi_oauth_code");
        String state = query.get("state");
        String seller = query.getOrDefault("selling_partner_id", "");
        if (code == null || code.isBlank() || state == null || state.isBlank()) {
            throw new RejectedCallbackException("the callback has no spapi_oauth_code or no state");
        }
        if (!adapter.isValidStoreId(seller)) {
            throw new RejectedCallbackException("the callback's selling_partner_id is not a seller id");
        }
        return new Callback(seller, code, state);
    }

    @Override
    public Grant exchangeCode(URI storeBaseUrl, App app, Callback callback, URI redirectUri, Duration timeout)
            throws PlatformApiException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", callback.code());
        form.put("redirect_uri", redirectUri.toString());
        form.put("client_id", app.clientId());
        form.put("client_secret", app.clientSecret());
        String description = "Login with Amazon authorization code exchange";
        JsonNode json = TokenRequests.postForm(LwaAccessTokens.tokenEndpoint(storeBaseUrl), form, timeout, description);
        return new Grant(TokenRequests.refreshTokenOf(json, app.clientId(), app.clientSecret(), description), Set.of());
    }

    @Override
    public boolean revocationNotified() {
        return false;
    }

    @Override
    public Optional<Set<String>> grantedScopes(ApiConnection connection) {
        return Optional.empty();
    }

    @Override
    public Set<String> missingScopes(Set<String> granted, Set<String> requested) {
        return Set.of();
    }
}
