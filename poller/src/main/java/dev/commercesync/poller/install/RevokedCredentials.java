package dev.commercesync.poller.install;

import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.spi.InstallFlow;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.poller.StoreKey;
import dev.commercesync.poller.api.StoreClients;
import dev.commercesync.poller.status.StoreStatusBoard;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Offboarding where the platform sends no uninstall notice ({@link InstallFlow#revocationNotified()} false:
 * WooCommerce, Adobe Commerce): the merchant revokes the keys and the API answers 401. {@code PlatformCalls} is the one
 * place a 401 is taken in: it marks the store's credentials rejected and stops calling with them. The rule here: when
 * they are still rejected {@code revocation-confirm-after} later, one confirmation call is made; a second 401 means the
 * keys were revoked — the store is disabled with reason {@value StoreRegistry#CREDENTIALS_REVOKED} and its credentials
 * are deleted, its cursors kept (a reinstall resumes from them). A confirmation that succeeds clears the rejection (a
 * passing 401); any other failure is retried at the next check.
 */
@ApplicationScoped
public class RevokedCredentials {
    private static final Logger LOG = Logger.getLogger(RevokedCredentials.class);

    private final PlatformRegistry platforms;
    private final InstallConfig config;
    private final StoreRegistry registry;
    private final StoreClients clients;
    private final StoreStatusBoard status;
    private final Clock clock = Clock.systemUTC();

    public RevokedCredentials(
            PlatformRegistry platforms,
            InstallConfig config,
            StoreRegistry registry,
            StoreClients clients,
            StoreStatusBoard status) {
        this.platforms = platforms;
        this.config = config;
        this.registry = registry;
        this.clients = clients;
        this.status = status;
    }

    @Scheduled(
            identity = "confirm-revoked-credentials",
            every = "${commercesync.install.revocation-check-interval:30s}",
            delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void checkAll() {
        for (StoreView store : registry.list(unreadable -> {})) {
            try {
                check(store);
            } catch (RuntimeException e) {
                LOG.warnf(
                        "store %s/%s: confirming its rejected credentials failed: %s",
                        store.platform(), store.storeId(), e);
            }
        }
    }

    /** Applies the rule to one store; true when it was disabled as revoked. */
    public boolean check(StoreView store) {
        if (!store.enabled() || store.apiCredentials().isEmpty()) {
            return false;
        }
        Optional<InstallFlow> flow = platforms.find(store.platform()).flatMap(PlatformAdapter::installFlow);
        if (flow.isEmpty() || flow.get().revocationNotified()) {
            return false;
        }
        StoreKey key = StoreKey.of(store);
        Optional<Instant> since = status.credentialsRejectedSince(key);
        if (since.isEmpty() || since.get().plus(config.revocationConfirmAfter()).isAfter(clock.instant())) {
            return false;
        }
        try {
            clients.client(store).verifyCredentials();
        } catch (PlatformApiException e) {
            if (e.kind() != PlatformApiException.Kind.AUTH) {
                return false;
            }
            registry.uninstall(store.platform(), store.storeId(), StoreRegistry.CREDENTIALS_REVOKED);
            LOG.warnf(
                    "store %s: its API credentials are still rejected since %s: revoked by the merchant; disabled,"
                            + " credentials deleted, cursors kept",
                    key, since.get());
            return true;
        }
        LOG.infof("store %s: its credentials work again; polling it again", key);
        status.installed(key);
        return false;
    }
}
