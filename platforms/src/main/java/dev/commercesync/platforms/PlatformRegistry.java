package dev.commercesync.platforms;

import dev.commercesync.platforms.spi.PlatformAdapter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * The platform adapters, by name. Loaded once with {@link ServiceLoader}; two adapters with one name, or an adapter
 * whose name is not lower case, fail construction, so a broken build fails at start-up rather than at the first
 * webhook.
 */
public final class PlatformRegistry {
    private final Map<String, PlatformAdapter> adaptersByName;

    public PlatformRegistry(Collection<? extends PlatformAdapter> adapters) {
        Map<String, PlatformAdapter> byName = new TreeMap<>();
        for (PlatformAdapter adapter : adapters) {
            String name = adapter.name();
            if (name == null || !name.matches("[a-z][a-z0-9_-]*")) {
                throw new IllegalStateException(
                        "Platform adapter " + adapter.getClass().getName() + " has an invalid name '" + name
                                + "' (lower-case letters, digits, '-', '_')");
            }
            PlatformAdapter previous = byName.putIfAbsent(name, adapter);
            if (previous != null) {
                throw new IllegalStateException("Two platform adapters are named '" + name + "': "
                        + previous.getClass().getName() + " and "
                        + adapter.getClass().getName());
            }
        }
        this.adaptersByName = Map.copyOf(byName);
    }

    /** The adapters registered in {@code META-INF/services} on the class path of this class. */
    public static PlatformRegistry loadInstalled() {
        return load(PlatformRegistry.class.getClassLoader());
    }

    public static PlatformRegistry load(ClassLoader classLoader) {
        return new PlatformRegistry(ServiceLoader.load(PlatformAdapter.class, classLoader).stream()
                .map(ServiceLoader.Provider::get)
                .toList());
    }

    /**
     * @throws UnknownPlatformException listing the known names when no adapter has this name
     */
    public PlatformAdapter get(String name) {
        PlatformAdapter adapter = adaptersByName.get(name);
        if (adapter == null) {
            throw new UnknownPlatformException(name, names());
        }
        return adapter;
    }

    public Optional<PlatformAdapter> find(String name) {
        return Optional.ofNullable(adaptersByName.get(name));
    }

    /** Known platform names, sorted. */
    public List<String> names() {
        return List.copyOf(new TreeMap<>(adaptersByName).keySet());
    }

    public Set<PlatformAdapter> adapters() {
        return Set.copyOf(adaptersByName.values());
    }
}
