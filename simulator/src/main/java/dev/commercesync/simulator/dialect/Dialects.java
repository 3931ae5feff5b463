package dev.commercesync.simulator.dialect;

import dev.commercesync.platforms.PlatformRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The dialects by platform name, found the way the platform adapters are: with {@link ServiceLoader} ({@code
 * META-INF/services/dev.commercesync.simulator.dialect.PlatformDialect}). Two dialects with one name, or a dialect
 * whose platform has no adapter in the {@link PlatformRegistry}, fail the loading (and so the first use of this class)
 * naming the culprits; an unknown name fails at once, naming the known ones.
 */
public final class Dialects {
    private static final Map<String, PlatformDialect> BY_NAME = byName(
            ServiceLoader.load(PlatformDialect.class, Dialects.class.getClassLoader()).stream()
                    .map(ServiceLoader.Provider::get)
                    .toList(),
            PlatformRegistry.loadInstalled());

    private Dialects() {}

    /**
     * The dialects by name, checked against the adapters.
     *
     * @throws IllegalStateException on two dialects with one name, or a dialect of a platform without an adapter
     */
    static Map<String, PlatformDialect> byName(
            Collection<? extends PlatformDialect> dialects, PlatformRegistry adapters) {
        Map<String, PlatformDialect> map = new TreeMap<>();
        for (PlatformDialect dialect : dialects) {
            PlatformDialect previous = map.putIfAbsent(dialect.platform(), dialect);
            if (previous != null) {
                throw new IllegalStateException("Two simulator dialects are named '" + dialect.platform() + "': "
                        + previous.getClass().getName() + " and "
                        + dialect.getClass().getName());
            }
            if (adapters.find(dialect.platform()).isEmpty()) {
                throw new IllegalStateException(
                        "Simulator dialect " + dialect.getClass().getName() + " is for platform '" + dialect.platform()
                                + "', which has no adapter; adapters: " + adapters.names());
            }
        }
        return Map.copyOf(map);
    }

    public static PlatformDialect get(String platform) {
        PlatformDialect dialect = BY_NAME.get(platform);
        if (dialect == null) {
            throw new IllegalArgumentException(
                    "no simulator dialect for platform '" + platform + "'; known: " + names());
        }
        return dialect;
    }

    /** The platforms with a dialect, sorted. */
    public static List<String> names() {
        return List.copyOf(new TreeMap<>(BY_NAME).keySet());
    }
}
