package dev.commercesync.simulator.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.PlatformRegistry;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

class DialectsTest {
    private static final PlatformRegistry ADAPTERS = PlatformRegistry.loadInstalled();

    @Test
    void everyAdapterHasADialectFoundByTheServiceLoader() {
        assertEquals(ADAPTERS.names(), Dialects.names(), "one dialect per installed adapter");
        for (String name : Dialects.names()) {
            assertEquals(name, Dialects.get(name).platform());
        }
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Dialects.get("nope"));
        assertTrue(unknown.getMessage().contains(Dialects.names().toString()), unknown.getMessage());
    }

    @Test
    void twoDialectsWithOneNameFail() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> Dialects.byName(List.of(new ShopifyDialect(), dialectNamed("shopify")), ADAPTERS));
        assertTrue(e.getMessage().contains("Two simulator dialects are named 'shopify'"), e.getMessage());
    }

    @Test
    void aDialectWithoutAnAdapterFails() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> Dialects.byName(List.of(dialectNamed("etsy")), ADAPTERS));
        assertTrue(e.getMessage().contains("is for platform 'etsy', which has no adapter"), e.getMessage());
    }

    /** A dialect whose every method but {@code platform()} fails: only its name is read while loading. */
    private static PlatformDialect dialectNamed(String name) {
        return (PlatformDialect) Proxy.newProxyInstance(
                PlatformDialect.class.getClassLoader(),
                new Class<?>[] {PlatformDialect.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("platform")) {
                        return name;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
