package dev.commercesync.poller.install;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The install flow's settings ({@code commercesync.install.*}, docs/install.md). */
@ConfigMapping(prefix = "commercesync.install")
public interface InstallConfig {

    /**
     * The public base URL at which this service's {@code /install/*} is reached by merchants' browsers (the OAuth
     * redirect URI is {@code <public-url>/install/<platform>/callback}, as registered with the platform's app). Unset:
     * the install flow is off (404).
     */
    Optional<URI> publicUrl();

    /** The app per platform, keyed by adapter name ({@code commercesync.install.app."<name>".client-id}). */
    Map<String, App> app();

    /** How long an install may take between the redirect and the callback (the state nonce's life). */
    @WithDefault("PT10M")
    Duration stateTtl();

    /** The oldest callback timestamp accepted (the platform signs it). */
    @WithDefault("PT5M")
    Duration callbackMaxAge();

    /**
     * Where a store's API and OAuth endpoints answer instead of the platform's own address, {@code {store}} replaced by
     * the store id's first DNS label and {@code {host}} by the host of the store's own address: for simulated stores
     * ({@code http://127.0.0.1:8090/stores/{store}}). Unset in production.
     */
    Optional<String> storeUrlTemplate();

    /**
     * Whether a store's address may be http, loopback or private (local runs against simulated stores); never
     * credentials in it or link-local addresses ({@code dev.commercesync.platforms.shared.ApiBaseUrls}).
     */
    @WithDefault("false")
    boolean allowInsecureStoreUrls();

    /**
     * Where the platform sends no uninstall notice (WooCommerce, Adobe Commerce): how long a store's credentials stay
     * rejected (401) before a confirmation call, whose second 401 disables the store as {@code credentials_revoked}.
     */
    @WithDefault("PT5M")
    Duration revocationConfirmAfter();

    /** How often stores with rejected credentials are looked at ({@code 30s}; Quarkus scheduler syntax). */
    @WithDefault("30s")
    String revocationCheckInterval();

    interface App {
        /** The app's client id (API key). */
        String clientId();

        /** The app's client secret: signs the callbacks and, on some platforms, the webhooks. Never logged. */
        String clientSecret();

        /** The scopes to ask for; unset: what the adapter's install flow needs ({@code defaultScopes()}). */
        Optional<Set<String>> scopes();

        /**
         * The app's id where the platform's consent page takes one apart from the client id (Amazon: the SP-API
         * application id, {@code amzn1.sp.solution.<uuid>}).
         */
        Optional<String> applicationId();

        /**
         * The name the platform knows the redirect URI by, where its authorization takes a name (eBay: the app's
         * RuName, whose accepted URL is {@code <public-url>/install/ebay/callback}).
         */
        Optional<String> redirectName();

        /**
         * This platform's stand-in address for its stores, in place of the global {@code store-url-template} (tests:
         * {@code {host}}, the store's own API host, shows which regional endpoint an install chose).
         */
        Optional<String> storeUrlTemplate();
    }
}
