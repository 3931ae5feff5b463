package dev.commercesync.platforms.spi;

import java.util.Objects;

/** Credentials of one store's API. {@code toString()} never shows them. */
public sealed interface ApiCredentials {

    /** A single token (Shopify Admin API access token, BigCommerce X-Auth-Token, Magento integration token). */
    record AccessToken(String token) implements ApiCredentials {
        public AccessToken {
            Objects.requireNonNull(token, "token");
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
        public String toString() {
            return "KeyAndSecret[***]";
        }
    }
}
