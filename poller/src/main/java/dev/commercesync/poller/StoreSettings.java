package dev.commercesync.poller;

import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.spi.ApiVersions;
import dev.commercesync.platforms.spi.PlatformCapabilities;
import dev.commercesync.schemas.canonical.EntityType;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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

    /**
     * The API version the store is called with: its configured one, else its platform's, else the adapter's default.
     *
     * @throws IllegalArgumentException when the configured version is not one the adapter supports (start-up refuses
     *     such a configuration: {@link #checkApiVersions})
     */
    public ApiVersions.ApiVersion apiVersion(StoreKey key) {
        return platforms
                .get(key.platform())
                .apiVersions()
                .resolve(key.platform(), override(key, PollerConfig.PlatformSettings::apiVersion));
    }

    /**
     * Refuses, at start-up, every configured {@code api-version} its adapter does not support, naming the key and the
     * supported versions: a version outside the range is never called.
     */
    void checkApiVersions(@Observes StartupEvent start) {
        List<String> problems = new java.util.ArrayList<>();
        config.platform().forEach((platform, settings) -> settings.apiVersion()
                .ifPresent(
                        v -> check("platform.\"" + platform + "\"", platform, v).ifPresent(problems::add)));
        config.store().forEach((store, settings) -> settings.apiVersion()
                .ifPresent(v -> check("store.\"" + store + "\"", store.substring(0, Math.max(0, store.indexOf('/'))), v)
                        .ifPresent(problems::add)));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("unsupported API versions configured: " + String.join("; ", problems));
        }
    }

    private Optional<String> check(String key, String platform, String version) {
        try {
            platforms.get(platform).apiVersions().resolve(platform, Optional.of(version));
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("commercesync.poller." + key + ".api-version: " + e.getMessage());
        }
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
