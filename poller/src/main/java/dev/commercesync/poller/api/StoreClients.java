package dev.commercesync.poller.api;

import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.PlatformApiClient;
import dev.commercesync.platforms.spi.PlatformWriteClient;
import dev.commercesync.poller.PollerConfig;
import dev.commercesync.poller.StoreKey;
import dev.commercesync.poller.StoreSettings;
import dev.commercesync.stores.StoreRegistry.StoreView;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One API client (and one write client) per store, built from the store registry's base URL and credentials with the
 * store's platform adapter; rebuilt when either changes (a credential rotation takes effect at the next call).
 */
@ApplicationScoped
public class StoreClients {
    private record Entry(String fingerprint, PlatformApiClient client, PlatformWriteClient writeClient) {}

    private final PlatformRegistry platforms;
    private final PollerConfig config;
    private final StoreSettings settings;
    private final Map<StoreKey, Entry> clients = new ConcurrentHashMap<>();

    public StoreClients(PlatformRegistry platforms, PollerConfig config, StoreSettings settings) {
        this.platforms = platforms;
        this.config = config;
        this.settings = settings;
    }

    /**
     * @throws IllegalArgumentException when the store has no base URL or credentials, or they are malformed (a
     *     configuration error: validation)
     */
    public PlatformApiClient client(StoreView store) {
        return entry(store).client();
    }

    /**
     * The store's write client (the command executor's), built like {@link #client}.
     *
     * @throws IllegalArgumentException as {@link #client}
     */
    public PlatformWriteClient writeClient(StoreView store) {
        return entry(store).writeClient();
    }

    private Entry entry(StoreView store) {
        String fingerprint = fingerprint(store);
        StoreKey key = StoreKey.of(store);
        Entry entry = clients.get(key);
        if (entry == null || !entry.fingerprint().equals(fingerprint)) {
            ApiConnection connection = connection(store);
            PlatformAdapter adapter = platforms.get(store.platform());
            entry = new Entry(fingerprint, adapter.apiClient(connection), adapter.writeClient(connection));
            clients.put(key, entry);
        }
        return entry;
    }

    /**
     * How the store's API is reached (base URL, credentials, this service's timeouts, the store's API version).
     *
     * @throws IllegalArgumentException as {@link #client}
     */
    public ApiConnection connection(StoreView store) {
        StoreKey key = StoreKey.of(store);
        if (store.apiBaseUrl() == null || store.apiBaseUrl().isBlank()) {
            throw new IllegalArgumentException("store " + key + " has no API base URL");
        }
        String credentials = store.apiCredentials()
                .orElseThrow(() -> new IllegalArgumentException("store " + key + " has no API credentials"));
        return connection(key, URI.create(store.apiBaseUrl()), ApiCredentials.parse(credentials));
    }

    /**
     * How the store's API is reached with the given base URL and credentials (an install proving the credentials it
     * was given, before the store is registered): this service's timeouts, the store's API version and its id.
     */
    public ApiConnection connection(StoreKey key, URI baseUrl, ApiCredentials credentials) {
        return new ApiConnection(
                baseUrl,
                credentials,
                config.api().requestTimeout(),
                config.api().maxResponseSize().asLongValue(),
                settings.apiVersion(key).name(),
                key.store());
    }

    /** A digest of the store's base URL and credentials: tells whether they changed, without keeping them. */
    public static String fingerprint(StoreView store) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.valueOf(store.apiBaseUrl()).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(store.apiCredentials().orElse("").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
