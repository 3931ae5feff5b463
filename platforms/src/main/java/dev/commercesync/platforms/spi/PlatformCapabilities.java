package dev.commercesync.platforms.spi;

import dev.commercesync.schemas.canonical.EntityType;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a platform can do, as its adapter declares it ({@link PlatformAdapter#capabilities()}): the one place services
 * (poller, reconciler, the demo) take their per-platform defaults from. Configuration may narrow or widen them per
 * platform or per store, but never has to name a platform for the system to work. The contract suite checks the
 * declaration against the API client: a type declared listable that the client cannot list fails it.
 *
 * @param listedByUpdatedAt entity types the client lists by updated-at (or created-at, for immutable ones such as
 *     refunds) with {@link PlatformApiClient#listChanged}: polled, and reconciled by bucketed counts
 * @param listedAsSnapshot entity types the client lists only as a whole, without any updated-at, with {@link
 *     PlatformApiClient#listSnapshot}: reconciled by content; disjoint from {@code listedByUpdatedAt}
 * @param webhookTopics the platform topics the adapter classifies, in the platform's spelling (for subscriptions);
 *     the same as {@link PlatformAdapter#webhookTopics()}
 * @param thinWebhookTypes entity types whose webhook upserts carry only ids (the normalizer has the entity fetched)
 * @param requestCost units of the rate budget one listing request spends (1 for request-counted APIs; Shopify's
 *     GraphQL queries cost points); the platform's reported quota corrects the estimate
 * @param rateLimitProfile the documented API budget, the same as {@link PlatformAdapter#rateLimitProfile()}
 * @param subscriptionsThroughApi whether the store's API registers, lists and deletes webhook subscriptions
 *     ({@link PlatformApiClient#registerWebhook}): the poller keeps them only where it does. Adobe I/O Events
 *     registrations live in the Adobe Developer Console, not the store's API, and its client refuses them
 * @param commandKinds the kinds of canonical command the adapter's {@link PlatformAdapter#writeClient} applies; every
 *     other kind is rejected as UNSUPPORTED. Empty for a platform without a writer
 * @param listedWithoutCount types of {@code listedByUpdatedAt} the platform cannot count (no count endpoint, no total
 *     in a page): {@link PlatformApiClient#countChanged} walks their listing, so the reconciler lists such a type's
 *     window once per pass instead of counting buckets (Amazon's searchOrders). Empty by default
 */
public record PlatformCapabilities(
        Set<EntityType> listedByUpdatedAt,
        Set<EntityType> listedAsSnapshot,
        Set<String> webhookTopics,
        Set<EntityType> thinWebhookTypes,
        double requestCost,
        RateLimitProfile rateLimitProfile,
        boolean subscriptionsThroughApi,
        Set<CommandKind> commandKinds,
        Set<EntityType> listedWithoutCount) {

    public PlatformCapabilities {
        listedByUpdatedAt = copy(listedByUpdatedAt);
        listedWithoutCount = copy(listedWithoutCount);
        if (!listedByUpdatedAt.containsAll(listedWithoutCount)) {
            throw new IllegalArgumentException("a type without a count must be listed by updated-at");
        }
        listedAsSnapshot = copy(listedAsSnapshot);
        thinWebhookTypes = copy(thinWebhookTypes);
        webhookTopics = Collections.unmodifiableSet(new TreeSet<>(webhookTopics));
        if (!Collections.disjoint(listedByUpdatedAt, listedAsSnapshot)) {
            throw new IllegalArgumentException("a type is listed either by updated-at or as a snapshot, not both");
        }
        if (!(requestCost > 0)) {
            throw new IllegalArgumentException("requestCost must be positive: " + requestCost);
        }
        if (rateLimitProfile == null) {
            throw new IllegalArgumentException("rateLimitProfile is required");
        }
        Set<CommandKind> kinds = EnumSet.noneOf(CommandKind.class);
        kinds.addAll(commandKinds);
        commandKinds = Collections.unmodifiableSet(kinds);
    }

    /** A platform that counts every type it lists by updated-at. */
    public PlatformCapabilities(
            Set<EntityType> listedByUpdatedAt,
            Set<EntityType> listedAsSnapshot,
            Set<String> webhookTopics,
            Set<EntityType> thinWebhookTypes,
            double requestCost,
            RateLimitProfile rateLimitProfile,
            boolean subscriptionsThroughApi,
            Set<CommandKind> commandKinds) {
        this(
                listedByUpdatedAt,
                listedAsSnapshot,
                webhookTopics,
                thinWebhookTypes,
                requestCost,
                rateLimitProfile,
                subscriptionsThroughApi,
                commandKinds,
                Set.of());
    }

    /** A platform that applies no command (no writer yet). */
    public PlatformCapabilities(
            Set<EntityType> listedByUpdatedAt,
            Set<EntityType> listedAsSnapshot,
            Set<String> webhookTopics,
            Set<EntityType> thinWebhookTypes,
            double requestCost,
            RateLimitProfile rateLimitProfile,
            boolean subscriptionsThroughApi) {
        this(
                listedByUpdatedAt,
                listedAsSnapshot,
                webhookTopics,
                thinWebhookTypes,
                requestCost,
                rateLimitProfile,
                subscriptionsThroughApi,
                Set.of());
    }

    /** The same capabilities applying the given command kinds instead. */
    public PlatformCapabilities withCommandKinds(Set<CommandKind> kinds) {
        return new PlatformCapabilities(
                listedByUpdatedAt,
                listedAsSnapshot,
                webhookTopics,
                thinWebhookTypes,
                requestCost,
                rateLimitProfile,
                subscriptionsThroughApi,
                kinds,
                listedWithoutCount);
    }

    /** Whether the platform's writer applies commands of the kind. */
    public boolean supports(CommandKind kind) {
        return commandKinds.contains(kind);
    }

    /** Every type the platform can list one way or the other: the types reconciled there. */
    public Set<EntityType> reconcilable() {
        Set<EntityType> all = EnumSet.noneOf(EntityType.class);
        all.addAll(listedByUpdatedAt);
        all.addAll(listedAsSnapshot);
        return Collections.unmodifiableSet(all);
    }

    /** Whether the platform can list the type at all (by updated-at or as a snapshot). */
    public boolean reconcilable(EntityType type) {
        return listedByUpdatedAt.contains(type) || listedAsSnapshot.contains(type);
    }

    private static Set<EntityType> copy(Set<EntityType> types) {
        Set<EntityType> copy = EnumSet.noneOf(EntityType.class);
        copy.addAll(types);
        return Collections.unmodifiableSet(copy);
    }
}
