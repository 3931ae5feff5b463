package dev.commercesync.platforms.woocommerce;

import dev.commercesync.platforms.shared.SiteUrls;
import dev.commercesync.platforms.shared.TokenRequests;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.InstallFlow;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * WooCommerce's REST API key generation (https://woocommerce.github.io/woocommerce-rest-api-docs/#authentication,
 * "Generating API keys"):
 *
 * <ol>
 *   <li>the merchant's browser goes to {@code <site>/wc-auth/v1/authorize?app_name&scope&user_id&return_url
 *       &callback_url} ({@code scope} one of {@code read}, {@code write}, {@code read_write}; {@code callback_url}
 *       must be https); {@code user_id} is the app's own identifier of the request: here the state nonce;
 *   <li>after the merchant approves, the site POSTs JSON {@code {key_id, user_id, consumer_key, consumer_secret,
 *       key_permissions}} to {@code callback_url} (server to server, unsigned: the nonce in {@code user_id} is what
 *       binds it to the install) and then sends the browser to {@code return_url?success=1&user_id=...}.
 * </ol>
 *
 * The keys need {@code read_write}: the poller reads and the commands write. The merchant gives the site's URL; its
 * store id is the host (and port) and path ({@link WooCommerceAdapter#storeOfSiteUrl}), its API under {@code
 * https://<store id>/wp-json/wc/v3/}. WooCommerce sends nothing when the keys are revoked: the API answers 401 from then
 * on ({@link #revocationNotified()} false). The webhooks the poller subscribes are signed with the secret given on
 * each subscription: the app's configured secret.
 */
final class WooInstallFlow implements InstallFlow {
    static final String READ_WRITE = "read_write";

    private final WooCommerceAdapter adapter;

    WooInstallFlow(WooCommerceAdapter adapter) {
        this.adapter = adapter;
    }

    @Override
    public Set<String> defaultScopes() {
        return new TreeSet<>(Set.of(READ_WRITE));
    }

    /**
     * The store id of the site URL the merchant gave: only {@code https://host[:port][/path][/]}; anything the store
     * id would drop (userinfo, query, fragment, another scheme) is refused rather than ignored.
     */
    @Override
    public String storeIdOf(String siteUrl) {
        return SiteUrls.installStoreId(siteUrl, adapter::isValidStoreId);
    }

    @Override
    public URI storeBaseUrl(String storeId) {
        if (!adapter.isValidStoreId(storeId)) {
            throw new IllegalArgumentException("not a store id");
        }
        return URI.create("https://" + storeId.toLowerCase(Locale.ROOT));
    }

    @Override
    public URI authorizationUrl(URI storeBaseUrl, App app, Set<String> scopes, URI redirectUri, String state) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("app_name", app.clientId());
        query.put(
                "scope",
                scopes.contains(READ_WRITE) || scopes.size() > 1
                        ? READ_WRITE
                        : scopes.iterator().next());
        query.put("user_id", state);
        query.put("return_url", redirectUri.toString().replaceAll("/callback$", "/returned"));
        query.put("callback_url", redirectUri.toString());
        return URI.create(
                storeBaseUrl.toString().replaceAll("/+$", "") + "/wc-auth/v1/authorize?" + TokenRequests.form(query));
    }

    /** The POSTed keys: the store is the one the nonce ({@code user_id}) was issued for. */
    @Override
    public Callback verifyCallback(Map<String, String> body, App app, Clock clock, Duration maxAge)
            throws RejectedCallbackException {
        String nonce = body.getOrDefault("user_id", "");
        String key = body.getOrDefault("consumer_key", "");
        String secret = body.getOrDefault("consumer_secret", "");
        String permissions = body.getOrDefault("key_permissions", "");
        if (nonce.isBlank()) {
            throw new RejectedCallbackException("the key delivery has no user_id");
        }
        if (!key.startsWith("ck_") || !secret.startsWith("cs_") || permissions.isBlank()) {
            throw new RejectedCallbackException("the key delivery has no consumer key, secret or permissions");
        }
        return new Callback(
                null,
                null,
                nonce,
                Map.of("consumer_key", key, "consumer_secret", secret, "key_permissions", permissions));
    }

    @Override
    public boolean callbackNamesStore() {
        return false;
    }

    /** Nothing to exchange: the delivery carries the keys. */
    @Override
    public Grant exchangeCode(URI storeBaseUrl, App app, Callback callback, URI redirectUri, Duration timeout) {
        return new Grant(
                new ApiCredentials.KeyAndSecret(
                        callback.echo().get("consumer_key"), callback.echo().get("consumer_secret")),
                Set.of(callback.echo().get("key_permissions")));
    }

    /** WooCommerce does not report a key's permissions through the API: they are checked on the delivery. */
    @Override
    public Optional<Set<String>> grantedScopes(ApiConnection connection) {
        return Optional.empty();
    }

    /** {@code read_write} covers {@code read} and {@code write}. */
    @Override
    public Set<String> missingScopes(Set<String> granted, Set<String> requested) {
        Set<String> missing = new TreeSet<>();
        for (String scope : requested) {
            if (!granted.contains(scope) && !granted.contains(READ_WRITE)) {
                missing.add(scope);
            }
        }
        return missing;
    }

    @Override
    public boolean revocationNotified() {
        return false;
    }
}
