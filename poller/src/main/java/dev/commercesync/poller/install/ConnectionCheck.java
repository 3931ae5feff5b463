package dev.commercesync.poller.install;

/**
 * What works of a store's connection, each part checked against the platform: its credentials (an authenticated call
 * succeeds), its scopes (the granted ones cover the requested ones), its webhook subscriptions (one active per topic at
 * the ingest's address) and its orders (the first page can be read). Details never contain a secret.
 */
public record ConnectionCheck(boolean ok, Part credentials, Part scopes, Part webhooks, Part orders) {

    /** One checked part: whether it works and what was found. */
    public record Part(boolean ok, String detail) {
        static Part ok(String detail) {
            return new Part(true, detail);
        }

        static Part failed(String detail) {
            return new Part(false, detail);
        }
    }

    static ConnectionCheck of(Part credentials, Part scopes, Part webhooks, Part orders) {
        return new ConnectionCheck(
                credentials.ok() && scopes.ok() && webhooks.ok() && orders.ok(), credentials, scopes, webhooks, orders);
    }
}
