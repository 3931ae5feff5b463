package dev.commercesync.poller;

import dev.commercesync.platforms.PlatformRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** The installed platform adapters, loaded (and checked for duplicate names) once at start-up. */
@ApplicationScoped
public class PlatformAdapters {
    private static final Logger LOG = Logger.getLogger(PlatformAdapters.class);

    @Produces
    @Singleton
    @Startup
    PlatformRegistry platformRegistry() {
        PlatformRegistry registry = PlatformRegistry.loadInstalled();
        if (registry.names().isEmpty()) {
            throw new IllegalStateException("no platform adapter is installed (META-INF/services is empty)");
        }
        LOG.infof("platform adapters: %s", registry.names());
        return registry;
    }
}
