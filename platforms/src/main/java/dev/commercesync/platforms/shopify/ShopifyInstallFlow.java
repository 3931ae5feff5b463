package dev.commercesync.platforms.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.HmacSignatures;
import dev.commercesync.platforms.shared.TokenRequests;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.InstallFlow;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.WebhookSecret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Shopify's authorization-code grant for an app's install
 * (https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant):
 *
 * <ol>
 *   <li>the merchant's browser goes to {@code https://<shop>/admin/oauth/authorize?client_id&scope&redirect_uri&state}
 *       (no {@code grant_options[]=per-user}: an offline token, which does not expire with a user's session);
 *   <li>Shopify redirects back with {@code code, hmac, host, shop, state, timestamp}; {@code hmac} is the hex
 *       HMAC-SHA256, with the app's client secret, of every other query parameter sorted by name and joined as {@code
 *       name=value} with {@code &};
 *   <li>{@code POST https://<shop>/admin/oauth/access_token} with {@code client_id, client_secret, code} answers {@code
 *       {"access_token", "scope"}} (scopes comma-separated).
 * </ol>
 *
 * A {@code write_x} scope implies {@code read_x}. The shop's webhooks are signed with the app's client secret, and
 * {@code app/uninstalled} tells that the merchant removed the app (its token is revoked by then).
 */
final class ShopifyInstallFlow implements InstallFlow {
    static final String UNINSTALL_TOPIC = "app/uninstalled";

    /**
     * What the adapter's client and writer use: orders (with their refunds and fulfillments), products and inventory
     * (listing and the price and stock commands), customers, locations, and fulfillment orders (shipments).
     */
    static final Set<String> SCOPES = Set.of(
            "read_customers",
            "read_locations",
            "write_inventory",
            "write_merchant_managed_fulfillment_orders",
            "write_orders",
            "write_products");

    private final ShopifyAdapter adapter;

    ShopifyInstallFlow(ShopifyAdapter adapter) {
        this.adapter = adapter;
    }

    @Override
    public Set<String> defaultScopes() {
        return new TreeSet<>(SCOPES);
    }

    @Override
    public URI storeBaseUrl(String storeId) {
        if (!adapter.isValidStoreId(storeId)) {
            throw new IllegalArgumentException("not a <shop>.myshopify.com domain");
        }
        return URI.create("https://" + storeId);
    }

    @Override
    public URI authorizationUrl(URI storeBaseUrl, App app, Set<String> scopes, URI redirectUri, String state) {
        Map<String, String> query = new java.util.LinkedHashMap<>();
        query.put("client_id", app.clientId());
        query.put("scope", String.join(",", new TreeSet<>(scopes)));
        query.put("redirect_uri", redirectUri.toString());
        query.put("state", state);
        String base = storeBaseUrl.toString().replaceAll("/+$", "");
        return URI.create(base + "/admin/oauth/authorize?" + TokenRequests.form(query));
    }

    @Override
    public Callback verifyCallback(Map<String, String> query, App app, Clock clock, Duration maxAge)
            throws RejectedCallbackException {
        String hmac = query.get("hmac");
        if (hmac == null || hmac.isBlank()) {
            throw new RejectedCallbackException("the callback is not signed (no hmac)");
        }
        byte[] presented;
        try {
            presented = HexFormat.of().parseHex(hmac.trim());
        } catch (IllegalArgumentException e) {
            throw new RejectedCallbackException("the callback's hmac is not hex");
        }
        byte[] expected = HmacSignatures.hmacSha256(
                WebhookSecret.of(app.clientSecret()), signedQuery(query).getBytes(StandardCharsets.UTF_8));
        if (!MessageDigest.isEqual(presented, expected)) {
            throw new RejectedCallbackException("the callback's hmac does not match the app's secret");
        }
        String shop = query.getOrDefault("shop", "");
        if (!adapter.isValidStoreId(shop)) {
            throw new RejectedCallbackException("the callback's shop is not a <shop>.myshopify.com domain");
        }
        String code = query.get("code");
        String state = query.get("state");
        if (code == null || code.isBlank() || state == null || state.isBlank()) {
            throw new RejectedCallbackException("the callback has no code or no state");
        }
        Instant signedAt;
        try {
            signedAt = Instant.ofEpochSecond(Long.parseLong(query.getOrDefault("timestamp", "")));
        } catch (NumberFormatException e) {
            throw new RejectedCallbackException("the callback's timestamp is not a number of seconds");
        }
        Duration age = Duration.between(signedAt, clock.instant());
        if (age.compareTo(maxAge) > 0 || age.compareTo(Duration.ofMinutes(-1)) < 0) {
            throw new RejectedCallbackException("the callback's timestamp is outside the accepted window");
        }
        return new Callback(shop, code, state);
    }

    /** Every parameter but {@code hmac}, sorted by name, as {@code name=value} joined with {@code &}. */
    static String signedQuery(Map<String, String> query) {
        return new TreeMap<>(query)
                .entrySet().stream()
                        .filter(e -> !e.getKey().equals("hmac"))
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("&"));
    }

    /** The callback's hex signature of {@code query} (what Shopify and the simulated store compute). */
    static String sign(Map<String, String> query, String clientSecret) {
        return HexFormat.of()
                .formatHex(HmacSignatures.hmacSha256(
                        WebhookSecret.of(clientSecret), signedQuery(query).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public Grant exchangeCode(URI storeBaseUrl, App app, Callback callback, URI redirectUri, Duration timeout)
            throws PlatformApiException {
        Map<String, String> body = new java.util.LinkedHashMap<>();
        body.put("client_id", app.clientId());
        body.put("client_secret", app.clientSecret());
        body.put("code", callback.code());
        String description = "Shopify access token request";
        JsonNode json = TokenRequests.postForm(
                URI.create(storeBaseUrl.toString().replaceAll("/+$", "") + "/admin/oauth/access_token"),
                body,
                timeout,
                description);
        String token = json.path("access_token").asText("");
        if (token.isBlank()) {
            throw new PlatformApiException(PlatformApiException.Kind.SERVER, 200, description + " returned no token");
        }
        return new Grant(
                new ApiCredentials.AccessToken(token), scopes(json.path("scope").asText("")));
    }

    @Override
    public Optional<Set<String>> grantedScopes(ApiConnection connection) throws PlatformApiException {
        ShopifyApiClient client = (ShopifyApiClient) adapter.apiClient(connection);
        JsonNode json = client.accessScopes();
        Set<String> scopes = new TreeSet<>();
        for (JsonNode scope : json.path("access_scopes")) {
            scopes.add(scope.path("handle").asText());
        }
        return Optional.of(scopes);
    }

    @Override
    public Set<String> missingScopes(Set<String> granted, Set<String> requested) {
        Set<String> missing = new TreeSet<>();
        for (String scope : requested) {
            boolean covered = granted.contains(scope)
                    || (scope.startsWith("read_") && granted.contains("write_" + scope.substring("read_".length())));
            if (!covered) {
                missing.add(scope);
            }
        }
        return missing;
    }

    @Override
    public Optional<String> uninstallTopic() {
        return Optional.of(UNINSTALL_TOPIC);
    }

    static Set<String> scopes(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
