package dev.commercesync.platforms.spi;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a merchant connects a store to commerce-sync by the platform's own app install (an OAuth authorization-code
 * grant, for Shopify), and how the platform says the app was removed. The services run the flow (state nonces,
 * registration, subscriptions, the first backfill); the platform's facts — URLs, parameter names, signatures, scope
 * rules, the uninstall topic — are here. Implementations are stateless and thread-safe. A platform without one has
 * {@link PlatformAdapter#installFlow()} empty: its stores are registered through the admin API.
 */
public interface InstallFlow {

    /**
     * The app's identity at the platform. {@link #toString()} hides the secret.
     *
     * @param applicationId the app's id where the platform's consent page takes one apart from the OAuth client id
     *     (Amazon's SP-API application id), else null
     * @param redirectName the name the platform knows the app's redirect URI by, where the authorization takes a name
     *     instead of the URI (eBay's RuName), else null
     */
    record App(String clientId, String clientSecret, String applicationId, String redirectName) {
        public App {
            if (clientId == null || clientId.isBlank() || clientSecret == null || clientSecret.isBlank()) {
                throw new IllegalArgumentException("an app needs a client id and a client secret");
            }
        }

        public App(String clientId, String clientSecret) {
            this(clientId, clientSecret, null, null);
        }

        @Override
        public String toString() {
            return "App[" + clientId + ", secret=***]";
        }
    }

    /**
     * A callback the platform signed (or, where it signs none, whose code only the app's secret can exchange): the
     * store it names, the one-time code to exchange, the state nonce it carries (null where the platform carries none,
     * see {@link #callbackCarriesState()}) and the parameters the token request must echo (BigCommerce: {@code scope},
     * {@code context}).
     */
    record Callback(String storeId, String code, String state, Map<String, String> echo) {
        public Callback {
            echo = echo == null ? Map.of() : Map.copyOf(echo);
        }

        public Callback(String storeId, String code, String state) {
            this(storeId, code, state, Map.of());
        }

        @Override
        public String toString() {
            return "Callback[" + storeId + "]";
        }
    }

    /** What the token exchange granted. {@link #toString()} hides the credentials. */
    record Grant(ApiCredentials credentials, Set<String> scopes) {
        @Override
        public String toString() {
            return "Grant[scopes=" + scopes + "]";
        }
    }

    /** What a signed notice of the platform's (not an install callback) says happened to the app at a store. */
    enum NoticeKind {
        /** A user opened the app in the store's control panel. */
        LOAD,
        /** The merchant removed the app: disable the store, destroy its credentials. */
        UNINSTALL
    }

    /** A verified notice: what happened and at which store. */
    record Notice(NoticeKind kind, String storeId) {}

    /** Why a callback was refused; messages never contain a secret or a signature. */
    final class RejectedCallbackException extends Exception {
        public RejectedCallbackException(String message) {
            super(message);
        }
    }

    /** The scopes the app asks for by default: what the adapter's client and writer need. */
    Set<String> defaultScopes();

    /** The store's own base URL, where its authorization and token endpoints and its API answer. */
    URI storeBaseUrl(String storeId);

    /**
     * The store's base URL where the platform serves stores from several regions and the merchant names one at the
     * start of the install ({@code GET /install/<platform>?store=...&region=...}): Amazon's marketplace or selling
     * region picks its SP-API endpoint. By default there is one: {@link #storeBaseUrl(String)}, whatever is given.
     *
     * @throws IllegalArgumentException when the region is not one the platform knows (the message lists them)
     */
    default URI storeBaseUrl(String storeId, Optional<String> region) {
        return storeBaseUrl(storeId);
    }

    /**
     * The store id of what the merchant gave to start the install (Shopify: the shop's domain, as is; WooCommerce: the
     * site's URL).
     *
     * @throws IllegalArgumentException when it names no store of this platform's
     */
    default String storeIdOf(String given) {
        return given;
    }

    /**
     * Where to send the merchant's browser to approve the app.
     *
     * @param storeBaseUrl {@link #storeBaseUrl} or a stand-in (a simulated store)
     */
    URI authorizationUrl(URI storeBaseUrl, App app, Set<String> scopes, URI redirectUri, String state);

    /**
     * As {@link #authorizationUrl(URI, App, Set, URI, String)}, for the region named at the start (see {@link
     * #storeBaseUrl(String, Optional)}): where the platform's consent page depends on it (Amazon's Seller Central per
     * marketplace).
     */
    default URI authorizationUrl(
            URI storeBaseUrl, Optional<String> region, App app, Set<String> scopes, URI redirectUri, String state) {
        return authorizationUrl(storeBaseUrl, app, scopes, redirectUri, state);
    }

    /**
     * Checks the callback's query exactly as the platform documents it (signature with the app's secret, compared in
     * constant time; its timestamp not older than {@code maxAge}; the store id's form).
     *
     * @throws RejectedCallbackException when anything does not hold
     */
    Callback verifyCallback(Map<String, String> query, App app, Clock clock, Duration maxAge)
            throws RejectedCallbackException;

    /**
     * Exchanges the callback's one-time code for the store's long-lived (offline) API credentials.
     *
     * @param redirectUri the callback's address, as the authorization asked for it (some platforms check it again)
     */
    Grant exchangeCode(URI storeBaseUrl, App app, Callback callback, URI redirectUri, Duration timeout)
            throws PlatformApiException;

    /**
     * Whether the install starts with the merchant's browser sent to the platform ({@link #authorizationUrl}). False
     * where the merchant activates the app in the store's own admin (Adobe Commerce's integrations): {@code GET
     * /install/<platform>} then says so, and {@link #authorizationUrl} is never called.
     */
    default boolean redirectsToAuthorize() {
        return true;
    }

    /**
     * Whether the callback carries the state nonce of an install this service started. False where the install starts
     * at the platform (BigCommerce's single-click apps): the one-time code, which only the app's secret exchanges, is
     * then what binds the callback, and no nonce is stored.
     */
    default boolean callbackCarriesState() {
        return true;
    }

    /**
     * Whether the callback names the store. False where only the state nonce does (WooCommerce's key delivery): the
     * store is then the one the nonce was issued for, and {@link Callback#storeId()} is null.
     */
    default boolean callbackNamesStore() {
        return true;
    }

    /**
     * Whether the platform tells the app that it was removed ({@link #uninstallTopic()} or an uninstall notice). False
     * where revoked credentials show only as 401 answers (WooCommerce, Adobe Commerce): the poller then disables the
     * store itself when its credentials keep being rejected (docs/install.md).
     */
    default boolean revocationNotified() {
        return true;
    }

    /**
     * The scopes the store's credentials hold now, as the platform reports them; empty where it has no such endpoint
     * (then the scopes are checked on the token exchange's answer only).
     */
    Optional<Set<String>> grantedScopes(ApiConnection connection) throws PlatformApiException;

    /** The requested scopes the granted ones do not cover (empty: all covered), by the platform's implication rules. */
    Set<String> missingScopes(Set<String> granted, Set<String> requested);

    /**
     * The secret the store's webhooks are signed with after this install: the app's client secret by default
     * (Shopify's and BigCommerce's webhooks, WooCommerce's subscriptions, which the poller gives this secret).
     */
    default String webhookSecret(App app) {
        return app.clientSecret();
    }

    /**
     * The secret of a store installed at {@code storeBaseUrl}, whose webhooks go to {@code webhookAddress} (empty when
     * no public URL is configured): {@link #webhookSecret(App)} by default. A platform that validates the endpoint with
     * a token the store's secret must hold overrides it (eBay: the destination's verification token and endpoint).
     */
    default String webhookSecret(App app, URI storeBaseUrl, Optional<URI> webhookAddress) {
        return webhookSecret(app);
    }

    /**
     * Checks a signed notice the platform sends to the app's own endpoint {@code <public-url>/install/<platform>/<kind>}
     * (BigCommerce: {@code load} and {@code uninstall} with a {@code signed_payload_jwt}). By default the platform
     * sends none.
     *
     * @param kind the endpoint's last path segment
     * @throws RejectedCallbackException when the notice is unknown, unsigned, wrongly signed, for another app or expired
     */
    default Notice verifyNotice(String kind, Map<String, String> query, App app, Clock clock)
            throws RejectedCallbackException {
        throw new RejectedCallbackException("this platform sends no " + kind + " notice");
    }

    /**
     * The webhook topic by which the platform says the app was removed from a store, to subscribe and to act on; none
     * by default (an uninstall callback, or nothing but 401s: {@link #revocationNotified()}).
     */
    default Optional<String> uninstallTopic() {
        return Optional.empty();
    }
}
