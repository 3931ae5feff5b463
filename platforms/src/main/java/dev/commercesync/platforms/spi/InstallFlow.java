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

    /** The app's identity at the platform. {@link #toString()} hides the secret. */
    record App(String clientId, String clientSecret) {
        public App {
            if (clientId == null || clientId.isBlank() || clientSecret == null || clientSecret.isBlank()) {
                throw new IllegalArgumentException("an app needs a client id and a client secret");
            }
        }

        @Override
        public String toString() {
            return "App[" + clientId + ", secret=***]";
        }
    }

    /** A callback the platform signed: the store it names and the one-time code to exchange. */
    record Callback(String storeId, String code, String state) {
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
     * Where to send the merchant's browser to approve the app.
     *
     * @param storeBaseUrl {@link #storeBaseUrl} or a stand-in (a simulated store)
     */
    URI authorizationUrl(URI storeBaseUrl, App app, Set<String> scopes, URI redirectUri, String state);

    /**
     * Checks the callback's query exactly as the platform documents it (signature with the app's secret, compared in
     * constant time; its timestamp not older than {@code maxAge}; the store id's form).
     *
     * @throws RejectedCallbackException when anything does not hold
     */
    Callback verifyCallback(Map<String, String> query, App app, Clock clock, Duration maxAge)
            throws RejectedCallbackException;

    /** Exchanges the callback's one-time code for the store's long-lived (offline) API credentials. */
    Grant exchangeCode(URI storeBaseUrl, App app, String code, Duration timeout) throws PlatformApiException;

    /** The scopes the store's credentials hold now, as the platform reports them. */
    Set<String> grantedScopes(ApiConnection connection) throws PlatformApiException;

    /** The requested scopes the granted ones do not cover (empty: all covered), by the platform's implication rules. */
    Set<String> missingScopes(Set<String> granted, Set<String> requested);

    /** The secret the store's webhooks are signed with after this install (Shopify: the app's client secret). */
    String webhookSecret(App app);

    /** The webhook topic by which the platform says the app was removed from a store, to subscribe and to act on. */
    Optional<String> uninstallTopic();
}
