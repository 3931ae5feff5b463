package dev.commercesync.simulator.dialect;

import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.simulator.http.ApiAnswer;
import dev.commercesync.simulator.http.ApiBudget;
import dev.commercesync.simulator.http.ApiRequest;
import dev.commercesync.simulator.model.IdKind;
import dev.commercesync.simulator.model.InventoryLevel;
import dev.commercesync.simulator.model.Notification;
import dev.commercesync.simulator.model.Product;
import dev.commercesync.simulator.model.SimEntity;
import dev.commercesync.simulator.webhooks.DeliveryPolicy;
import dev.commercesync.simulator.webhooks.Subscription;
import dev.commercesync.simulator.webhooks.WebhookMessage;
import io.github.bucket4j.TimeMeter;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What makes a simulated store one platform's: its ids, API surface (routes, pagination, rate limiting, answers),
 * payload shapes, webhook topics and signatures, and retry policy. Everything else (state, change generation, faults,
 * the delivery loop, the HTTP server) is shared. Implementations are stateless (per-store state is in the {@link
 * StoreContext}; a dialect may keep what a store needs beyond it, such as a signing key) and are found by {@link
 * java.util.ServiceLoader}: listed in {@code META-INF/services/dev.commercesync.simulator.dialect.PlatformDialect},
 * public, with a public no-argument constructor (see {@link Dialects}).
 */
public interface PlatformDialect {

    /** The platform name, as {@code PlatformRegistry} knows it. */
    String platform();

    /** Where an id sequence starts (the platform's id style). */
    long firstId(IdKind kind);

    /** The store id the platform's webhooks carry, for a store served at {@code baseUrl}. */
    String storeId(String storeKey, URI baseUrl);

    /** Test credentials of a store's API (derived from its key; a simulator has nothing to protect). */
    ApiCredentials credentials(String storeKey);

    /**
     * The store's webhook secret as the ingest registers it ({@code webhook_secret}) and its adapter verifies with:
     * {@code secret} (generated per store, or the store spec's) unless the platform signs otherwise (Adobe I/O Events
     * signs with a private key whose public half is registered).
     */
    default WebhookSecret webhookSecret(String storeKey, String secret) {
        return WebhookSecret.of(secret);
    }

    /** As {@link #webhookSecret(String, String)}, for a secret that names the store's simulated API ({@code baseUrl}). */
    default WebhookSecret webhookSecret(String storeKey, String secret, URI baseUrl) {
        return webhookSecret(storeKey, secret);
    }

    /** The credentials as one string, for the ingest's store registry ({@code api_credentials}): an access token by default. */
    default String credentialsText(ApiCredentials credentials) {
        return ((ApiCredentials.AccessToken) credentials).token();
    }

    /** A new store's API budgets; with {@code enforced} false they are big enough never to refuse. */
    Map<String, ApiBudget> budgets(TimeMeter time, boolean enforced);

    /**
     * The simulated store's call limit where it is not what the platform's adapter paces to (its {@code
     * RateLimitProfile}): a bucket of {@code budget} requests refilled {@code refillPerSecond} a second. The demo tells
     * the poller so (its per-platform budget override, as for a seller with a bigger plan), so that a limit the
     * simulator does not have — eBay's calls per day — does not pace the demo. Empty (the default): the simulated store
     * enforces the adapter's profile, or more.
     */
    default java.util.Optional<CallLimit> pollerCallLimit() {
        return java.util.Optional.empty();
    }

    /** A bucket of {@code budget} requests refilled {@code refillPerSecond} a second. */
    record CallLimit(long budget, long refillPerSecond) {}

    /**
     * What one write request spends of the store's budgets: one unit of {@code "api"} unless the platform charges
     * writes otherwise (Shopify: 10 points of its GraphQL bucket per mutation).
     */
    default WriteCost writeCost() {
        return new WriteCost("api", 1);
    }

    /** @param budget the name of the budget in {@link #budgets} a write spends, {@code units} of it */
    record WriteCost(String budget, long units) {}

    DeliveryPolicy deliveryPolicy();

    /** The topics this dialect sends webhooks for (what a store subscribes to for everything). */
    Set<String> topics();

    /** Whether the platform's stores push webhooks at all; the others' changes are polled (or queued elsewhere). */
    default boolean pushesWebhooks() {
        return !topics().isEmpty();
    }

    boolean authorized(ApiRequest request, StoreContext store);

    /**
     * The answer of the platform's app install endpoints (OAuth authorization and token exchange), which a client
     * reaches before it has credentials; null for every other request. The default: the platform has none here.
     */
    default ApiAnswer appInstall(ApiRequest request, StoreContext store) {
        return null;
    }

    /**
     * The signed payload the platform sends to the app's own {@code kind} callback ({@code load}, {@code uninstall})
     * for app {@code clientId}: BigCommerce's {@code signed_payload_jwt}. Empty where the platform sends none.
     */
    default java.util.Optional<String> signedAppCallback(String kind, String clientId, StoreContext store) {
        return java.util.Optional.empty();
    }

    /**
     * The merchant activates an app the store's admin knows (Adobe Commerce's integration) whose callback URL is {@code
     * callbackUrl}: the store POSTs the app's credentials there, naming itself {@code storeBaseUrl}; the answer's
     * status. Only platforms whose install starts in the store's admin have it.
     */
    default int activateIntegration(URI callbackUrl, String storeBaseUrl, StoreContext store) {
        throw new UnsupportedOperationException(platform() + " has no integration to activate");
    }

    /**
     * The notifications the platform sends to a message queue the application reads instead of as HTTPS webhooks
     * (Amazon SP-API: an Amazon SQS queue), one message body each; none by default.
     */
    default List<String> queuedNotifications(Notification notification, String eventSeed, StoreContext store) {
        return List.of();
    }

    /** The webhook the platform sends when a merchant removes the app (none by default). */
    default List<WebhookMessage> uninstallWebhooks(StoreContext store) {
        return List.of();
    }

    /**
     * Whether a request writes to the store's entities (not a webhook subscription): it is counted as a write and
     * the write faults apply to it. By default every request but a GET outside the webhook subscription routes.
     */
    default boolean isWrite(ApiRequest request) {
        return !request.method().equals("GET") && !request.path().contains("hooks");
    }

    /** Answers one API request (rate limiting included). */
    ApiAnswer handle(ApiRequest request, StoreContext store);

    /**
     * The id the platform's API and webhooks give an entity, which the target holds after mapping: the simulator's
     * own id unless the platform keys the entity differently (BigCommerce keys inventory levels by variant, not by
     * inventory item).
     */
    default String platformId(SimEntity entity) {
        return entity.id();
    }

    /**
     * How a SetInventoryLevel command names the level: {@code [item_id, location_id]}, the location null where the
     * platform's stock has none. By default the two halves of {@link #platformId} ({@code <item>@<location>}).
     */
    default String[] stockIds(InventoryLevel level) {
        return platformId(level).split("@", 2);
    }

    /**
     * How a SetPrice command names the product: {@code [product_id, variant_id]}, the variant null where a product is
     * priced as a whole. By default the product's and its variant's ids.
     */
    default String[] priceIds(Product product) {
        return new String[] {product.id(), product.variantId()};
    }

    /**
     * Whether a store accepts a subscription to {@code topic}: the topics it sends events of, and every other topic the
     * platform offers that commerce-sync's adapter knows (a real store accepts those too; the simulator just never
     * sends them).
     */
    default boolean offersTopic(String topic) {
        return topics().contains(topic)
                || dev.commercesync.platforms.PlatformRegistry.loadInstalled()
                        .find(platform())
                        .map(adapter -> adapter.webhookTopics().contains(topic))
                        .orElse(false);
    }

    /**
     * The updated-at the platform shows for an entity, which the target holds after mapping: the simulator's own
     * unless the platform's resource has none and versions it otherwise (BigCommerce's shipments: their creation).
     */
    default Instant platformUpdatedAt(SimEntity entity) {
        return entity.updatedAt();
    }

    /** The platform's rate-limited answer, for an injected {@code API_RATE_LIMITED} fault. */
    ApiAnswer rateLimited(ApiRequest request, StoreContext store);

    /**
     * The webhook events of a notification (none where the platform has no topic for it).
     *
     * @param eventSeed unique per notification in the store, for deterministic event ids
     */
    List<WebhookMessage> webhooks(Notification notification, String eventSeed, StoreContext store);

    /** Signed delivery headers of one attempt. */
    Map<String, String> deliveryHeaders(
            Subscription subscription, WebhookMessage message, String deliveryId, Instant sentAt, StoreContext store);
}
