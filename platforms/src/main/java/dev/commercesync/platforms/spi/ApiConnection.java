package dev.commercesync.platforms.spi;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to reach one store's API. The base URL is the store's own (https://acme.myshopify.com,
 * https://shop.example.com) or a simulated store or test server standing in for it.
 *
 * @param requestTimeout timeout of each HTTP request
 * @param maxResponseBytes the largest response body read; a larger one fails that request (never read whole)
 * @param apiVersion the platform API version to call, one of the adapter's {@link PlatformAdapter#apiVersions()};
 *     null for the adapter's default
 * @param storeId the store's id on its platform, for APIs whose paths name the account the credentials act for (an
 *     Amazon seller id in Listings Items paths); null where the caller knows no store yet
 */
public record ApiConnection(
        URI baseUrl,
        ApiCredentials credentials,
        Duration requestTimeout,
        long maxResponseBytes,
        String apiVersion,
        String storeId) {
    /** 32 MiB: far above any page the platforms send, far below what would strain a service's heap. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 32L * 1024 * 1024;

    public ApiConnection {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (maxResponseBytes <= 0 || maxResponseBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxResponseBytes must be between 1 and 2 GiB");
        }
    }

    public ApiConnection(
            URI baseUrl,
            ApiCredentials credentials,
            Duration requestTimeout,
            long maxResponseBytes,
            String apiVersion) {
        this(baseUrl, credentials, requestTimeout, maxResponseBytes, apiVersion, null);
    }

    public ApiConnection(URI baseUrl, ApiCredentials credentials, Duration requestTimeout, long maxResponseBytes) {
        this(baseUrl, credentials, requestTimeout, maxResponseBytes, null);
    }

    public ApiConnection(URI baseUrl, ApiCredentials credentials, Duration requestTimeout) {
        this(baseUrl, credentials, requestTimeout, DEFAULT_MAX_RESPONSE_BYTES);
    }

    public ApiConnection(URI baseUrl, ApiCredentials credentials) {
        this(baseUrl, credentials, Duration.ofSeconds(30));
    }

    /** The same connection calling {@code version} (null: the adapter's default). */
    public ApiConnection withApiVersion(String version) {
        return new ApiConnection(baseUrl, credentials, requestTimeout, maxResponseBytes, version, storeId);
    }

    /** The same connection acting for the store {@code id} (its id on the platform). */
    public ApiConnection withStoreId(String id) {
        return new ApiConnection(baseUrl, credentials, requestTimeout, maxResponseBytes, apiVersion, id);
    }

    /** The version to call: {@link #apiVersion()}, else the given adapter's default. */
    public String apiVersionOr(ApiVersions versions) {
        return apiVersion == null ? versions.defaultVersion() : apiVersion;
    }
}
