package dev.commercesync.poller;

import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.spi.PlatformCapabilities;
import dev.commercesync.schemas.canonical.EntityType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What the poller does for one store: the store's override ({@code commercesync.poller.store."<platform>/<store>".*}),
 * else the platform's ({@code commercesync.poller.platform."<platform>".*}), else what the adapter declares ({@link
 * PlatformCapabilities}). Polled types also fall back to {@code polling.resources} before the adapter; snapshot types
 * do not.
 */
@ApplicationScoped
public class StoreSettings {
    private final PollerConfig config;
    private final PlatformRegistry platforms;

    public StoreSettings(PollerConfig config, PlatformRegistry platforms) {
        this.config = config;
        this.platforms = platforms;
    }

    /** The entity types polled for the store. */
    public List<EntityType> resources(StoreKey key) {
        return override(key, PollerConfig.PlatformSettings::resources)
                .or(() -> config.polling().resources())
                .orElseGet(() -> List.copyOf(capabilities(key).listedByUpdatedAt()));
    }

    /**
     * The entity types listed whole for the store ({@code listSnapshot}): they have no updated-at to poll by. No
     * global setting: a type one platform lists as a snapshot another lists by updated-at.
     */
    public List<EntityType> snapshotResources(StoreKey key) {
        return override(key, PollerConfig.PlatformSettings::snapshotResources)
                .orElseGet(() -> List.copyOf(capabilities(key).listedAsSnapshot()));
    }

    /** The platform topics the store is subscribed to. */
    public Set<String> webhookTopics(StoreKey key) {
        return new TreeSet<>(override(key, PollerConfig.PlatformSettings::webhookTopics)
                .orElseGet(() -> capabilities(key).webhookTopics()));
    }

    /** The store's API budget (the bucket's size, in the platform's unit). */
    public double budget(StoreKey key) {
        return override(key, PollerConfig.PlatformSettings::budget)
                .orElseGet(() -> capabilities(key).rateLimitProfile().budget());
    }

    /** Units of the budget restored per second. */
    public double refillPerSecond(StoreKey key) {
        return override(key, PollerConfig.PlatformSettings::refillPerSecond)
                .orElseGet(() -> capabilities(key).rateLimitProfile().refillPerSecond());
    }

    /** Units one request spends. */
    public double requestCost(StoreKey key) {
        return override(key, PollerConfig.PlatformSettings::requestCost)
                .orElseGet(() -> capabilities(key).requestCost());
    }

    private PlatformCapabilities capabilities(StoreKey key) {
        return platforms.get(key.platform()).capabilities();
    }

    private <T> Optional<T> override(StoreKey key, Function<PollerConfig.PlatformSettings, Optional<T>> setting) {
        return Optional.ofNullable(config.store().get(key.toString()))
                .flatMap(setting)
                .or(() -> Optional.ofNullable(config.platform().get(key.platform()))
                        .flatMap(setting));
    }
}
