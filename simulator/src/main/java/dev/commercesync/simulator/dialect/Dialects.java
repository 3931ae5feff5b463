package dev.commercesync.simulator.dialect;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The dialects by platform name; an unknown name fails at once, naming the known ones. */
public final class Dialects {
    private static final Map<String, PlatformDialect> BY_NAME =
            byName(List.of(new ShopifyDialect(), new WooCommerceDialect(), new BigCommerceDialect()));

    private Dialects() {}

    private static Map<String, PlatformDialect> byName(List<PlatformDialect> dialects) {
        Map<String, PlatformDialect> map = new TreeMap<>();
        for (PlatformDialect dialect : dialects) {
            if (map.put(dialect.platform(), dialect) != null) {
                throw new IllegalStateException("two dialects for " + dialect.platform());
            }
        }
        return Map.copyOf(map);
    }

    public static PlatformDialect get(String platform) {
        PlatformDialect dialect = BY_NAME.get(platform);
        if (dialect == null) {
            throw new IllegalArgumentException(
                    "no simulator dialect for platform '" + platform + "'; known: " + new TreeMap<>(BY_NAME).keySet());
        }
        return dialect;
    }

    public static List<String> names() {
        return List.copyOf(new TreeMap<>(BY_NAME).keySet());
    }
}
