package dev.commercesync.platforms.ebay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.platforms.spi.WebhookSecret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What an eBay store's webhook secret holds (JSON, stored encrypted like every secret):
 *
 * <pre>{@code
 * {"notification_api": "https://api.ebay.com",          // optional; the sandbox is https://api.sandbox.ebay.com
 *  "app_token": "v^1.1#i^1#...",                         // application access token (client-credentials grant)
 *  "verification_token": "a-32-to-80-character-token",   // the account-deletion endpoint's verification token
 *  "endpoint": "https://ingest.example.com/webhooks/ebay/my-seller"}  // the endpoint URL exactly as given to eBay
 * }</pre>
 *
 * The first two verify notifications ({@link EbayNotificationVerifier}); the last two answer the marketplace account
 * deletion endpoint's challenge ({@link #challengeResponse}).
 */
record EbayStoreSecret(
        URI notificationApi, Optional<String> appToken, Optional<String> verificationToken, Optional<String> endpoint) {
    static final URI DEFAULT_NOTIFICATION_API = URI.create("https://api.ebay.com");

    static Optional<EbayStoreSecret> parse(WebhookSecret secret) {
        JsonNode json;
        try {
            json = Json.parseObject(secret.bytes());
        } catch (MappingException e) {
            return Optional.empty();
        }
        URI api;
        try {
            api = json.hasNonNull("notification_api")
                    ? URI.create(json.path("notification_api").asText())
                    : DEFAULT_NOTIFICATION_API;
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (api.getScheme() == null
                || !(api.getScheme().equals("https") || api.getScheme().equals("http"))
                || api.getHost() == null) {
            return Optional.empty();
        }
        return Optional.of(new EbayStoreSecret(
                api, text(json, "app_token"), text(json, "verification_token"), text(json, "endpoint")));
    }

    private static Optional<String> text(JsonNode json, String field) {
        JsonNode value = json.path(field);
        return value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText()) : Optional.empty();
    }

    /**
     * The marketplace account deletion endpoint's answer to {@code GET <endpoint>?challenge_code=<code>}: the hex
     * SHA-256 of the challenge code, the verification token and the endpoint URL, concatenated in that order
     * (developer.ebay.com/marketplace-account-deletion), as {@code {"challengeResponse": "<hex>"}}.
     */
    static String challengeResponse(String challengeCode, String verificationToken, String endpoint) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(challengeCode.getBytes(StandardCharsets.UTF_8));
            sha256.update(verificationToken.getBytes(StandardCharsets.UTF_8));
            sha256.update(endpoint.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
