package dev.commercesync.poller.webhooks;

import dev.commercesync.opstate.ErrorClass;
import dev.commercesync.opstate.Operation;
import dev.commercesync.opstate.OperationalStates;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.spi.InstallFlow;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.RateLimitedException;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.platforms.spi.WebhookSubscription;
import dev.commercesync.poller.PollerConfig;
import dev.commercesync.poller.StoreKey;
import dev.commercesync.poller.StoreSettings;
import dev.commercesync.poller.api.PlatformCalls;
import dev.commercesync.poller.api.PlatformCalls.StoreNeedsAttentionException;
import dev.commercesync.poller.api.StoreClients;
import dev.commercesync.poller.polling.PollScheduler;
import dev.commercesync.poller.status.PlatformErrors;
import dev.commercesync.poller.status.StoreStatusBoard;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Keeps each store subscribed to its platform's topics at the ingest's public URL: registers missing subscriptions,
 * replaces ones the platform disabled, and — when one had to be re-created, i.e. deliveries may have been lost —
 * polls the store at once from its last good checkpoint.
 */
@ApplicationScoped
public class SubscriptionKeeper {
    private static final Logger LOG = Logger.getLogger(SubscriptionKeeper.class);

    /**
     * What one check did to a store's subscriptions.
     *
     * @param failed topics whose subscription could not be created, with the platform's answer: the others are kept
     *     regardless (one topic a store does not offer must not leave a deleted subscription of another unrepaired)
     */
    public record CheckResult(
            Set<String> created, Set<String> replaced, Map<String, String> failed, boolean backfillStarted) {}

    private final StoreRegistry stores;
    private final PlatformRegistry platforms;
    private final PlatformCalls calls;
    private final PollScheduler scheduler;
    private final StoreStatusBoard status;
    private final OperationalStates states;
    private final PollerConfig config;
    private final StoreSettings settings;
    private final MeterRegistry meters;
    private final StoreClients clients;

    public SubscriptionKeeper(
            StoreRegistry stores,
            PlatformRegistry platforms,
            PlatformCalls calls,
            PollScheduler scheduler,
            StoreStatusBoard status,
            OperationalStates states,
            PollerConfig config,
            StoreSettings settings,
            MeterRegistry meters,
            StoreClients clients) {
        this.stores = stores;
        this.platforms = platforms;
        this.calls = calls;
        this.scheduler = scheduler;
        this.status = status;
        this.states = states;
        this.config = config;
        this.settings = settings;
        this.meters = meters;
        this.clients = clients;
    }

    /**
     * Checks every enabled store whose platform's API manages subscriptions ({@code
     * PlatformCapabilities#subscriptionsThroughApi}; Adobe Commerce's live in the Adobe Developer Console, so its
     * stores are not asked). Scheduled every {@code check-interval}; tests call it directly.
     */
    @Scheduled(
            identity = "check-webhook-subscriptions",
            every = "${commercesync.poller.webhooks.check-interval}",
            delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void checkAll() {
        if (config.webhooks().publicUrl().isEmpty()) {
            return;
        }
        for (StoreView store : PollScheduler.readableStores(stores, status)) {
            if (!store.enabled()
                    || status.waitingForPerson(StoreKey.of(store), StoreClients.fingerprint(store))
                    || !keeps(store)) {
                continue;
            }
            try {
                check(store);
            } catch (PlatformApiException | StoreNeedsAttentionException | RuntimeException e) {
                LOG.warnf("checking the webhook subscriptions of %s failed: %s", StoreKey.of(store), e.getMessage());
            }
        }
    }

    /**
     * Whether the poller keeps the store's subscriptions: its platform's API manages them ({@code
     * PlatformCapabilities#subscriptionsThroughApi}) and the store's credentials can ({@code
     * PlatformApiClient#managesSubscriptions}: not a bare user token where the platform's subscriptions need the app's
     * client).
     */
    public boolean keeps(StoreView store) {
        if (!platforms
                .find(store.platform())
                .map(adapter -> adapter.capabilities().subscriptionsThroughApi())
                .orElse(false)) {
            return false;
        }
        try {
            return clients.client(store).managesSubscriptions();
        } catch (RuntimeException e) {
            return true; // credentials that make no client: the check itself reports them, as before
        }
    }

    /**
     * Checks one store's subscriptions now; the outcome is the store's SUBSCRIBE operational state (store-wide): a
     * topic that could not be subscribed fails it with that topic's error class.
     */
    public CheckResult check(StoreView store) throws PlatformApiException, StoreNeedsAttentionException {
        OperationalStates.Subject subject = StoreKey.of(store).subject(null, Operation.SUBSCRIBE);
        Map<String, ErrorClass> failedClasses = new TreeMap<>();
        CheckResult result;
        try {
            result = subscribe(store, failedClasses);
        } catch (PlatformApiException | IllegalArgumentException e) {
            ErrorClass errorClass = PlatformErrors.classOf(e);
            states.failed(subject, errorClass, e.getMessage(), !errorClass.needsPerson());
            throw e;
        }
        if (failedClasses.isEmpty()) {
            states.succeeded(subject);
        } else {
            ErrorClass errorClass = failedClasses.values().stream()
                    .filter(ErrorClass::needsPerson)
                    .findFirst()
                    .orElse(failedClasses.values().iterator().next());
            states.failed(
                    subject,
                    errorClass,
                    "could not subscribe to " + result.failed().keySet() + ": "
                            + result.failed().values(),
                    !errorClass.needsPerson());
        }
        return result;
    }

    /** Where the store's webhooks go: under the ingest's public URL, as its adapter says ({@code /webhooks/...}). */
    public URI address(StoreView store) {
        return address(store.platform(), store.storeId())
                .orElseThrow(() -> new IllegalStateException("commercesync.poller.webhooks.public-url is not set"));
    }

    /** Where a store's webhooks go, before it is registered; empty without a public URL. */
    public java.util.Optional<URI> address(String platform, String storeId) {
        return config.webhooks()
                .publicUrl()
                .map(publicUrl -> platforms.get(platform).webhookAddress(publicUrl, storeId));
    }

    /**
     * The topics the store is subscribed to: its settings' (by default every topic its adapter classifies) but the
     * privacy topics, which platforms send to an endpoint set up once per app (Shopify's mandatory webhooks in the
     * Partner Dashboard, eBay's account deletion in the developer portal), and, where the platform has an install
     * flow, its uninstall topic, so that an uninstall disables the store.
     */
    public Set<String> topics(StoreView store) {
        Set<String> topics = new TreeSet<>(settings.webhookTopics(StoreKey.of(store)));
        platforms.find(store.platform()).ifPresent(adapter -> topics.removeAll(adapter.privacyTopics()));
        platforms
                .find(store.platform())
                .flatMap(PlatformAdapter::installFlow)
                .flatMap(InstallFlow::uninstallTopic)
                .ifPresent(topics::add);
        return topics;
    }

    private CheckResult subscribe(StoreView store, Map<String, ErrorClass> failedClasses)
            throws PlatformApiException, StoreNeedsAttentionException {
        StoreKey key = StoreKey.of(store);
        URI address = address(store);
        List<WebhookSubscription> existing =
                calls.call(store, client -> client.listWebhooks()).value();
        Set<String> created = new TreeSet<>();
        Set<String> replaced = new TreeSet<>();
        Map<String, String> failed = new TreeMap<>();
        WebhookSecret secret = WebhookSecret.of(store.webhookSecrets().get(0));
        for (String topic : topics(store)) {
            List<WebhookSubscription> ours = existing.stream()
                    .filter(s -> s.topic().equals(topic) && s.address().equals(address))
                    .toList();
            if (ours.stream().anyMatch(WebhookSubscription::active)) {
                continue;
            }
            try {
                for (WebhookSubscription disabled : ours) {
                    calls.call(store, client -> client.deleteWebhook(disabled.id()));
                }
                calls.call(store, client -> client.registerWebhook(topic, address, secret));
            } catch (RateLimitedException e) {
                throw e; // the store's budget is spent: the next check goes on
            } catch (PlatformApiException e) {
                failed.put(topic, e.getMessage());
                failedClasses.put(topic, PlatformErrors.classOf(e));
                continue;
            }
            (ours.isEmpty() ? created : replaced).add(topic);
            meters.counter("commercesync.poller.webhooks.recreated", "platform", key.platform(), "store", key.store())
                    .increment();
        }
        boolean changed = !created.isEmpty() || !replaced.isEmpty();
        if (changed) {
            // Deliveries between the platform dropping the subscription and now are lost: read them back from the
            // last good checkpoint (for a new store this is its first backfill).
            LOG.infof(
                    "store %s: subscribed %s, replaced disabled %s; polling from the checkpoint",
                    key, created, replaced);
            scheduler.pollNow(store);
        }
        if (!failed.isEmpty()) {
            LOG.warnf("store %s: could not subscribe to %s: %s", key, failed.keySet(), failed.values());
        }
        return new CheckResult(created, replaced, failed, changed);
    }
}
