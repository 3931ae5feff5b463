package dev.commercesync.platforms.magento2;

import dev.commercesync.platforms.shared.OAuth1Signatures;
import dev.commercesync.platforms.shared.SiteUrls;
import dev.commercesync.platforms.shared.TokenRequests;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.InstallFlow;
import dev.commercesync.platforms.spi.PlatformApiException;
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
 * An Adobe Commerce integration (https://developer.adobe.com/commerce/webapi/get-started/authentication/gs-authentication-oauth/).
 * The merchant creates the integration in the store's Admin (System › Extensions › Integrations) with this service's
 * callback URL and the API resources it needs, then activates it; the install starts there, not here ({@link
 * #redirectsToAuthorize()} false).
 *
 * <ol>
 *   <li>On activation the store POSTs {@code oauth_consumer_key}, {@code oauth_consumer_secret}, {@code
 *       store_base_url} and {@code oauth_verifier} (form-encoded, unsigned) to the callback URL.
 *   <li>The app asks for a request token: {@code POST <store>/oauth/token/request}, OAuth 1.0a-signed with the
 *       consumer key and secret; the answer is form-encoded {@code oauth_token}, {@code oauth_token_secret}.
 *   <li>It exchanges it for the access token: {@code POST <store>/oauth/token/access}, signed with the consumer's and
 *       the request token's secrets, {@code oauth_verifier} among the protocol parameters; the answer again {@code
 *       oauth_token} and {@code oauth_token_secret}.
 * </ol>
 *
 * Signatures are HMAC-SHA256 ({@link OAuth1Signatures}); every API request is signed with the four values after that
 * ({@link ApiCredentials.OAuth1}, {@link Magento2ApiClient}). The simpler form: the merchant copies the activated
 * integration's values from the Admin and POSTs them ({@code store_base_url}, {@code access_token} and, for signed
 * requests, {@code consumer_key}, {@code consumer_secret}, {@code access_token_secret}; the token alone is sent as a
 * Bearer token, which Adobe Commerce 2.4.4+ accepts only when "Allow OAuth Access Tokens to be used as standalone
 * Bearer tokens" is on). Neither form is signed by the store, so the credentials must work at the store named before
 * anything is registered (the installer proves them).
 *
 * <p>Scopes are the integration's ACL resources. Adobe Commerce has no endpoint listing them, and it answers a
 * resource the integration may not use as it answers revoked credentials (401, "The consumer isn't authorized to
 * access %resources"): the granted ones are found by reading the first item of what each guards ({@link #PROBES}).
 * Revoked credentials show only as 401s ({@link #revocationNotified()} false). The store's webhook secret (the
 * registry keeps one per store; by default the app's client secret) verifies nothing: an installed store is polled, as
 * I/O Events deliveries name a store by its event provider id, not its site. The store id is the site's host and
 * path ({@code shop.example.com}, {@code example.com/shop}), its REST root {@code https://<store id>/rest}.
 */
final class Magento2InstallFlow implements InstallFlow {
    /** The ACL resources of the reads the poller cannot do without, each with a search it guards. */
    static final Map<String, String> PROBES = Map.of(
            "Magento_Sales::actions_view", "/V1/orders",
            "Magento_Catalog::products", "/V1/products",
            "Magento_Customer::customer", "/V1/customers/search");

    private static final String FIRST_ITEM = "?" + Magento2ApiClient.q("searchCriteria[pageSize]") + "=1";
    private static final long PROBE_MAX_RESPONSE_BYTES = ApiConnection.DEFAULT_MAX_RESPONSE_BYTES;

    private final Magento2Adapter adapter;
    private final Clock clock;

    Magento2InstallFlow(Magento2Adapter adapter, Clock clock) {
        this.adapter = adapter;
        this.clock = clock;
    }

    @Override
    public Set<String> defaultScopes() {
        return new TreeSet<>(PROBES.keySet());
    }

    /** The store id of the site's base URL ({@code https://host[:port][/path][/]} only). */
    @Override
    public String storeIdOf(String storeBaseUrl) {
        return SiteUrls.installStoreId(storeBaseUrl, adapter::isValidStoreId);
    }

    /** The store's REST root: the default store view's ({@code /rest/V1/...}). */
    @Override
    public URI storeBaseUrl(String storeId) {
        if (!adapter.isValidStoreId(storeId)) {
            throw new IllegalArgumentException("not a store id");
        }
        return URI.create("https://" + storeId.toLowerCase(Locale.ROOT) + "/rest");
    }

    /** The site root of a REST root: where {@code /oauth/token/*} answer. */
    static String siteRoot(URI restRoot) {
        return restRoot.toString().replaceAll("/+$", "").replaceAll("/rest(/[A-Za-z0-9_]+)?$", "");
    }

    /** The install starts in the store's Admin (activating the integration): there is no page to send a browser to. */
    @Override
    public boolean redirectsToAuthorize() {
        return false;
    }

    @Override
    public URI authorizationUrl(URI storeBaseUrl, App app, Set<String> scopes, URI redirectUri, String state) {
        throw new UnsupportedOperationException("an Adobe Commerce integration is activated in the store's Admin");
    }

    /**
     * The activation POST ({@code oauth_consumer_key}, {@code oauth_consumer_secret}, {@code store_base_url}, {@code
     * oauth_verifier}) or the pasted integration ({@code store_base_url}, {@code access_token}, optionally {@code
     * consumer_key}, {@code consumer_secret}, {@code access_token_secret}). Only the form is checked here: neither is
     * signed, the credentials are proven at the store.
     */
    @Override
    public Callback verifyCallback(Map<String, String> body, App app, Clock clock, Duration maxAge)
            throws RejectedCallbackException {
        String storeId;
        try {
            storeId = storeIdOf(body.getOrDefault("store_base_url", ""));
        } catch (IllegalArgumentException e) {
            throw new RejectedCallbackException("store_base_url is not the store's https base URL");
        }
        Map<String, String> echo = new LinkedHashMap<>();
        if (body.containsKey("oauth_verifier")) {
            for (String field : new String[] {"oauth_consumer_key", "oauth_consumer_secret", "oauth_verifier"}) {
                echo.put(field, required(body, field));
            }
            return new Callback(storeId, echo.get("oauth_verifier"), null, echo);
        }
        echo.put("access_token", required(body, "access_token"));
        String[] signing = {"consumer_key", "consumer_secret", "access_token_secret"};
        long given = java.util.Arrays.stream(signing)
                .filter(f -> !body.getOrDefault(f, "").isBlank())
                .count();
        if (given != 0 && given != signing.length) {
            throw new RejectedCallbackException(
                    "an integration's signing values are consumer_key, consumer_secret and access_token_secret, all"
                            + " three");
        }
        for (String field : signing) {
            if (given > 0) {
                echo.put(field, body.get(field).strip());
            }
        }
        return new Callback(storeId, null, null, echo);
    }

    private static String required(Map<String, String> body, String field) throws RejectedCallbackException {
        String value = body.getOrDefault(field, "").strip();
        if (value.isEmpty()) {
            throw new RejectedCallbackException("the integration's " + field + " is missing");
        }
        return value;
    }

    @Override
    public boolean callbackCarriesState() {
        return false;
    }

    /**
     * The activation's token exchange (request token, then access token), or the pasted values as they are; then the
     * ACL resources the credentials may read ({@link #grantedScopes}).
     */
    @Override
    public Grant exchangeCode(URI storeBaseUrl, App app, Callback callback, URI redirectUri, Duration timeout)
            throws PlatformApiException {
        Map<String, String> given = callback.echo();
        ApiCredentials credentials;
        if (callback.code() != null) {
            String root = siteRoot(storeBaseUrl);
            OAuth1Signatures.Keys consumer =
                    OAuth1Signatures.Keys.consumer(given.get("oauth_consumer_key"), given.get("oauth_consumer_secret"));
            URI requestEndpoint = URI.create(root + "/oauth/token/request");
            Map<String, String> request = TokenRequests.postSigned(
                    requestEndpoint,
                    OAuth1Signatures.authorization(
                            OAuth1Signatures.Method.HMAC_SHA256, "POST", requestEndpoint, consumer, Map.of(), clock),
                    timeout,
                    "the request token request");
            URI accessEndpoint = URI.create(root + "/oauth/token/access");
            Map<String, String> access = TokenRequests.postSigned(
                    accessEndpoint,
                    OAuth1Signatures.authorization(
                            OAuth1Signatures.Method.HMAC_SHA256,
                            "POST",
                            accessEndpoint,
                            new OAuth1Signatures.Keys(
                                    consumer.consumerKey(),
                                    consumer.consumerSecret(),
                                    token(request, "oauth_token"),
                                    token(request, "oauth_token_secret")),
                            Map.of("oauth_verifier", callback.code()),
                            clock),
                    timeout,
                    "the access token request");
            credentials = new ApiCredentials.OAuth1(
                    consumer.consumerKey(),
                    consumer.consumerSecret(),
                    token(access, "oauth_token"),
                    token(access, "oauth_token_secret"));
        } else if (given.containsKey("consumer_key")) {
            credentials = new ApiCredentials.OAuth1(
                    given.get("consumer_key"),
                    given.get("consumer_secret"),
                    given.get("access_token"),
                    given.get("access_token_secret"));
        } else {
            credentials = new ApiCredentials.AccessToken(given.get("access_token"));
        }
        Set<String> granted = grantedScopes(
                        new ApiConnection(storeBaseUrl, credentials, timeout, PROBE_MAX_RESPONSE_BYTES))
                .orElseThrow();
        return new Grant(credentials, granted);
    }

    private static String token(Map<String, String> answer, String field) throws PlatformApiException {
        String value = answer.getOrDefault(field, "");
        if (value.isEmpty()) {
            throw new PlatformApiException(PlatformApiException.Kind.SERVER, 200, "the token answer has no " + field);
        }
        return value;
    }

    /**
     * The {@link #PROBES} resources whose first item the credentials can read; 401 and 403 (the resource is not the
     * integration's, or the credentials are refused) leave a resource out, any other failure is thrown.
     */
    @Override
    public Optional<Set<String>> grantedScopes(ApiConnection connection) throws PlatformApiException {
        Magento2ApiClient client = new Magento2ApiClient(connection, clock);
        Set<String> granted = new TreeSet<>();
        for (Map.Entry<String, String> probe : PROBES.entrySet()) {
            try {
                client.get(probe.getValue() + FIRST_ITEM, "read the first item of " + probe.getValue());
                granted.add(probe.getKey());
            } catch (PlatformApiException e) {
                if (e.kind() != PlatformApiException.Kind.AUTH) {
                    throw e;
                }
            }
        }
        return Optional.of(granted);
    }

    @Override
    public Set<String> missingScopes(Set<String> granted, Set<String> requested) {
        Set<String> missing = new TreeSet<>(requested);
        missing.removeAll(granted);
        return missing;
    }

    @Override
    public boolean revocationNotified() {
        return false;
    }
}
