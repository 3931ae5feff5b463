package dev.commercesync.poller.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.ApiCredentials;
import java.io.IOException;

/**
 * The format of a store's {@code api_credentials} (stored encrypted by the store registry):
 *
 * <ul>
 *   <li>{@code {"token": "..."}} or a bare token (anything not starting with {@code {}) — Shopify Admin API access
 *       token, BigCommerce X-Auth-Token, Adobe Commerce integration token;
 *   <li>{@code {"key": "...", "secret": "..."}} — WooCommerce consumer key and secret.
 * </ul>
 *
 * Errors name the problem, never the value.
 */
public final class StoreCredentials {
    private StoreCredentials() {}

    /** @throws IllegalArgumentException when the text is in neither form */
    public static ApiCredentials parse(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("the store's API credentials are empty");
        }
        if (!trimmed.startsWith("{")) {
            return new ApiCredentials.AccessToken(trimmed);
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(trimmed);
        } catch (IOException e) {
            throw new IllegalArgumentException("the store's API credentials are not valid JSON");
        }
        if (json.hasNonNull("token")) {
            return new ApiCredentials.AccessToken(json.get("token").asText());
        }
        if (json.hasNonNull("key") && json.hasNonNull("secret")) {
            return new ApiCredentials.KeyAndSecret(
                    json.get("key").asText(), json.get("secret").asText());
        }
        throw new IllegalArgumentException(
                "the store's API credentials JSON has neither \"token\" nor \"key\" and \"secret\"");
    }
}
