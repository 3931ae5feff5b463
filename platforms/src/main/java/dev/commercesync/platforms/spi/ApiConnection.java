package dev.commercesync.platforms.spi;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to reach one store's API. The base URL is the store's own (https://acme.myshopify.com,
 * https://shop.example.com) or a simulated store or test server standing in for it.
 *
 * @param requestTimeout timeout of each HTTP request
 */
public record ApiConnection(URI baseUrl, ApiCredentials credentials, Duration requestTimeout) {

    public ApiConnection {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    public ApiConnection(URI baseUrl, ApiCredentials credentials) {
        this(baseUrl, credentials, Duration.ofSeconds(30));
    }
}
