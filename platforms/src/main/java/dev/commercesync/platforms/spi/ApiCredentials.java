package dev.commercesync.platforms.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.Json;
import java.io.IOException;
import java.util.Objects;

/**
 * Credentials of one store's API. {@code toString()} never shows them. {@link #storedForm()} and {@link #parse} are the
 * one text form a store's {@code api_credentials} has in the store registry (which encrypts it):
 *
 * <ul>
 *   <li>{@code {"token": "..."}} or a bare token (anything not starting with <code>{</code>) — Shopify Admin API
 *       access token, BigCommerce X-Auth-Token, Adobe Commerce integration token;
 *   <li>{@code {"key": "...", "secret": "..."}} — WooCommerce consumer key and secret;
 *   <li>{@code {"consumer_key": "...", "consumer_secret": "...", "token": "...", "token_secret": "..."}} — an Adobe
 *       Commerce integration's OAuth 1.0a credentials, each request signed with them.
 *   <li>{@code {"client_id": "...", "client_secret": "...", "refresh_token": "..."}} — an OAuth app's client and the
 *       store's refresh token, exchanged for short-lived access tokens by the adapter (Amazon Login with Amazon).
 * </ul>
 */
public sealed interface ApiCredentials {

    /** The registry's text form of these credentials (JSON). */
    String storedForm();

    /**
     * Reads the registry's text form. Errors name the problem, never the value.
     *
     * @throws IllegalArgumentException when the text is in neither form
     */
    static ApiCredentials parse(String text) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("the store's API credentials are empty");
        }
        if (!trimmed.startsWith("{")) {
            return new AccessToken(trimmed);
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(trimmed);
        } catch (IOException e) {
            throw new IllegalArgumentException("the store's API credentials are not valid JSON");
        }
        if (json.hasNonNull("consumer_key")) {
            return new OAuth1(
                    json.get("consumer_key").asText(),
                    json.path("consumer_secret").asText(""),
                    json.path("token").asText(""),
                    json.path("token_secret").asText(""));
        }
        if (json.hasNonNull("token")) {
            return new AccessToken(json.get("token").asText());
        }
        if (json.hasNonNull("client_id") && json.hasNonNull("client_secret") && json.hasNonNull("refresh_token")) {
            return new RefreshToken(
                    json.get("client_id").asText(),
                    json.get("client_secret").asText(),
                    json.get("refresh_token").asText());
        }
        if (json.hasNonNull("key") && json.hasNonNull("secret")) {
            return new KeyAndSecret(json.get("key").asText(), json.get("secret").asText());
        }
        throw new IllegalArgumentException(
                "the store's API credentials JSON has neither \"token\", \"key\" and \"secret\", nor \"client_id\","
                        + " \"client_secret\" and \"refresh_token\"");
    }

    /** A single token (Shopify Admin API access token, BigCommerce X-Auth-Token, Magento integration token). */
    record AccessToken(String token) implements ApiCredentials {
        public AccessToken {
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String storedForm() {
            ObjectNode json = Json.MAPPER.createObjectNode().put("token", token);
            return Json.encode(json);
        }

        @Override
        public String toString() {
            return "AccessToken[***]";
        }
    }

    /** A key and secret pair (WooCommerce consumer key and consumer secret). */
    record KeyAndSecret(String key, String secret) implements ApiCredentials {
        public KeyAndSecret {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(secret, "secret");
        }

        @Override
        public String storedForm() {
            ObjectNode json = Json.MAPPER.createObjectNode().put("key", key).put("secret", secret);
            return Json.encode(json);
        }

        @Override
        public String toString() {
            return "KeyAndSecret[***]";
        }
    }

    /**
     * OAuth 1.0a credentials (RFC 5849): the client's (consumer's) key and secret and the token with its secret (an
     * Adobe Commerce integration's four values). Every request is signed with all four.
     */
    record OAuth1(String consumerKey, String consumerSecret, String token, String tokenSecret)
            implements ApiCredentials {
        public OAuth1 {
            if (consumerKey == null
                    || consumerKey.isEmpty()
                    || consumerSecret == null
                    || consumerSecret.isEmpty()
                    || token == null
                    || token.isEmpty()
                    || tokenSecret == null
                    || tokenSecret.isEmpty()) {
                throw new IllegalArgumentException(
                        "OAuth 1.0a credentials need a consumer key and secret and a token and its secret");
            }
        }

        @Override
        public String storedForm() {
            ObjectNode json = Json.MAPPER
                    .createObjectNode()
                    .put("consumer_key", consumerKey)
                    .put("consumer_secret", consumerSecret)
                    .put("token", token)
                    .put("token_secret", tokenSecret);
            return Json.encode(json);
        }

        @Override
        public String toString() {
            return "OAuth1[***]";
        }
    }

    /**
     * An OAuth app's client id and secret with one store's long-lived refresh token: the adapter exchanges it for
     * short-lived access tokens (Login with Amazon: one hour) and renews them before they expire.
     */
    record RefreshToken(String clientId, String clientSecret, String refreshToken) implements ApiCredentials {
        public RefreshToken {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(clientSecret, "clientSecret");
            Objects.requireNonNull(refreshToken, "refreshToken");
        }

        @Override
        public String storedForm() {
            ObjectNode json = Json.MAPPER
                    .createObjectNode()
                    .put("client_id", clientId)
                    .put("client_secret", clientSecret)
                    .put("refresh_token", refreshToken);
            return Json.encode(json);
        }

        @Override
        public String toString() {
            return "RefreshToken[***]";
        }
    }
}
