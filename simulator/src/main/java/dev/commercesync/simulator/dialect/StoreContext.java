package dev.commercesync.simulator.dialect;

import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.simulator.StatsRecorder;
import dev.commercesync.simulator.http.ApiBudget;
import dev.commercesync.simulator.model.StoreState;
import dev.commercesync.simulator.webhooks.Subscriptions;
import java.net.URI;
import java.time.Clock;
import java.util.Map;

/**
 * What a dialect sees of one simulated store: its identity, state, subscriptions, secrets and API budgets.
 *
 * @param storeKey the store's path segment on the simulator ({@code /stores/<key>})
 * @param storeId the store as the platform's webhooks name it (shop domain, site URL, store hash)
 * @param baseUrl the store's API base URL (what an {@code ApiConnection} gets)
 * @param budgets the dialect's API budgets by name ({@link PlatformDialect#budgets})
 * @param writer how a write route changes the store ({@link StoreWriter})
 * @param appInstalls the platform's app install state (OAuth codes, granted scopes, a revoked token)
 */
public record StoreContext(
        String platform,
        String storeKey,
        String storeId,
        URI baseUrl,
        StoreState state,
        Subscriptions subscriptions,
        WebhookSecret webhookSecret,
        ApiCredentials credentials,
        Clock clock,
        StatsRecorder stats,
        Map<String, ApiBudget> budgets,
        StoreWriter writer,
        AppInstalls appInstalls) {

    public ApiBudget budget(String name) {
        ApiBudget budget = budgets.get(name);
        if (budget == null) {
            throw new IllegalStateException(platform + " has no API budget named " + name);
        }
        return budget;
    }
}
