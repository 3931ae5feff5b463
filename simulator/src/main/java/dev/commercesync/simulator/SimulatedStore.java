package dev.commercesync.simulator;

import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.dialect.AppInstalls;
import dev.commercesync.simulator.dialect.Dialects;
import dev.commercesync.simulator.dialect.PlatformDialect;
import dev.commercesync.simulator.dialect.StoreContext;
import dev.commercesync.simulator.dialect.StoreWriter;
import dev.commercesync.simulator.http.ApiAnswer;
import dev.commercesync.simulator.http.ApiRequest;
import dev.commercesync.simulator.model.Change;
import dev.commercesync.simulator.model.ChangeGenerator;
import dev.commercesync.simulator.model.ChangeKind;
import dev.commercesync.simulator.model.InventoryLevel;
import dev.commercesync.simulator.model.Notification;
import dev.commercesync.simulator.model.Order;
import dev.commercesync.simulator.model.Product;
import dev.commercesync.simulator.model.SimEntity;
import dev.commercesync.simulator.model.StoreState;
import dev.commercesync.simulator.model.StoreWrites;
import dev.commercesync.simulator.model.WriteResult;
import dev.commercesync.simulator.queue.NotificationQueue;
import dev.commercesync.simulator.webhooks.DeliveryListener;
import dev.commercesync.simulator.webhooks.Subscription;
import dev.commercesync.simulator.webhooks.Subscriptions;
import dev.commercesync.simulator.webhooks.WebhookDispatcher;
import dev.commercesync.simulator.webhooks.WebhookMessage;
import io.github.bucket4j.TimeMeter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One simulated store: its state, the changes generated from its seed, its API (answered by its platform's dialect,
 * with rate limits and injected API faults) and its webhooks (signed by the dialect, delivered with injected faults).
 * Made by {@link Simulator#addStore}. Thread-safe.
 */
public final class SimulatedStore implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SimulatedStore.class.getName());
    /** Changes kept for {@link #changeLog()}; older ones are forgotten (the counts in {@link #stats()} are not). */
    static final int CHANGE_LOG_LIMIT = 100_000;

    private static final HttpClient ADMIN_HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final StoreSpec spec;
    private final PlatformDialect dialect;
    private final StoreContext context;
    private final ChangeGenerator generator;
    private final StatsRecorder stats = new StatsRecorder();
    private final FaultDice apiDice;
    private final WebhookDispatcher dispatcher;
    private final List<Change> changeLog = new ArrayList<>();
    private final Object changeLock = new Object();
    private volatile LoadRun load;
    private volatile NotificationQueue queue;
    /** Until when (System.nanoTime) every API request is answered as rate limited: a 429 storm. */
    private volatile long rateLimitedUntil = System.nanoTime();

    private final StoreWrites writes;
    /** The write request this thread is answering: what its writes are counted under. */
    private final ThreadLocal<WriteRequest> currentWrite = new ThreadLocal<>();
    /** Shopify's idempotency keys: the first answer of each (the most recent 10,000 keys). */
    private final Map<String, ApiAnswer> idempotentAnswers = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ApiAnswer> eldest) {
            return size() > 10_000;
        }
    };

    private long writeSequence;

    /** Write faults forced on the next writes, in order ({@link #faultNextWrites}). */
    private final Deque<Fault> forcedWriteFaults = new ArrayDeque<>();

    /** One write request under way: its key, and whether one of its writes changed the state. */
    private static final class WriteRequest {
        String key;
        boolean applied;

        WriteRequest(String key) {
            this.key = key;
        }
    }

    SimulatedStore(StoreSpec spec, URI simulatorBaseUrl) {
        this.spec = spec;
        this.dialect = Dialects.get(spec.platform());
        URI baseUrl = URI.create(simulatorBaseUrl.toString().replaceAll("/$", "") + "/stores/" + spec.key());
        String secret = spec.webhookSecret() != null
                ? spec.webhookSecret()
                // Eight hex digits always: the admin API takes secrets of 16 characters or more.
                : "sim-secret-" + String.format("%08x", spec.key().hashCode()) + "-" + spec.seed();
        this.context = new StoreContext(
                dialect.platform(),
                spec.key(),
                dialect.storeId(spec.key(), baseUrl),
                baseUrl,
                new StoreState(),
                new Subscriptions(1),
                dialect.webhookSecret(spec.key(), secret, baseUrl),
                dialect.credentials(spec.key()),
                spec.clock(),
                stats,
                dialect.budgets(TimeMeter.SYSTEM_NANOTIME, spec.rateLimits()),
                new Writer(),
                new AppInstalls());
        this.generator = new ChangeGenerator(spec.seed(), dialect::firstId, spec.clock());
        if (spec.sharedCatalog() != null) {
            generator.seedCatalog(context.state(), spec.sharedCatalog(), spec.initialCustomers());
        } else {
            generator.seedCatalog(context.state(), spec.initialProducts(), spec.initialCustomers());
        }
        this.writes = new StoreWrites(context.state(), generator);
        // API faults get their own dice: API calls come when clients decide, and must not shift delivery faults.
        this.apiDice = new FaultDice(spec.seed() ^ 0x5DEECE66DL, spec.faults(), stats);
        this.dispatcher = new WebhookDispatcher(
                spec.key(),
                context.subscriptions(),
                (subscription, message, deliveryId, sentAt) ->
                        dialect.deliveryHeaders(subscription, message, deliveryId, sentAt, context),
                dialect.deliveryPolicy(),
                new FaultDice(spec.seed() ^ 0x2545F4914F6CDD1DL, spec.faults(), stats),
                stats,
                spec.clock(),
                spec.deliveryThreads());
    }

    public String platform() {
        return dialect.platform();
    }

    public String key() {
        return spec.key();
    }

    /** The store as the platform's webhooks name it: shop domain, WooCommerce site, BigCommerce store hash. */
    public String storeId() {
        return context.storeId();
    }

    public URI apiBaseUrl() {
        return context.baseUrl();
    }

    public ApiCredentials credentials() {
        return context.credentials();
    }

    public WebhookSecret webhookSecret() {
        return context.webhookSecret();
    }

    /**
     * The store's entities now (thread-safe reads): what a verdict compares the effects of writes with (levels,
     * prices, order statuses, shipments, order notes).
     */
    public StoreState state() {
        return context.state();
    }

    /** What the platform adapter's {@code apiClient} needs to call this store. */
    public ApiConnection apiConnection() {
        return new ApiConnection(apiBaseUrl(), credentials(), Duration.ofSeconds(10)).withStoreId(storeId());
    }

    /** What webhook-ingest's store registry needs. */
    public IngestRegistration registration() {
        return new IngestRegistration(
                platform(),
                storeId(),
                new String(webhookSecret().bytes(), StandardCharsets.UTF_8),
                apiBaseUrl().toString(),
                credentials().storedForm());
    }

    /**
     * Registers this store with webhook-ingest's admin API ({@code POST <ingestBaseUrl>/admin/stores}); a store that
     * is already registered (409) is fine.
     */
    public void registerWithIngest(URI ingestBaseUrl, String adminToken) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(ingestBaseUrl.toString().replaceAll("/$", "") + "/admin/stores"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + adminToken)
                .POST(HttpRequest.BodyPublishers.ofString(registration().toJson()))
                .build();
        int status =
                ADMIN_HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 201 && status != 200 && status != 409) {
            throw new IOException(
                    "registering " + platform() + "/" + storeId() + " with the ingest failed: HTTP " + status);
        }
    }

    /** The platform topics this store sends webhooks for. */
    public List<String> topics() {
        return List.copyOf(new TreeSet<>(dialect.topics()));
    }

    /**
     * Subscribes {@code address} to every topic (as an installed app would have), signed with the store's webhook
     * secret. The usual address is the ingest's {@code http://host:8080/webhooks/<platform>}.
     */
    public List<Subscription> subscribeAll(URI address) {
        List<Subscription> created = new ArrayList<>();
        for (String topic : topics()) {
            created.add(context.subscriptions()
                    .create(topic, address, webhookSecret(), spec.clock().instant()));
        }
        return created;
    }

    public List<Subscription> subscriptions() {
        return context.subscriptions().all();
    }

    /** Generates and applies one change and hands its webhooks to delivery. */
    public Change step() {
        synchronized (changeLock) {
            return publish(generator.next(context.state()));
        }
    }

    /** Counts and logs a change made under {@link #changeLock} and hands its webhooks to delivery. */
    private Change publish(Change change) {
        stats.change(change.kind());
        List<WebhookMessage> messages = new ArrayList<>();
        int index = 0;
        for (Notification notification : change.notifications()) {
            String eventSeed = change.sequence() + "/" + index++;
            messages.addAll(dialect.webhooks(notification, eventSeed, context));
            enqueue(notification, eventSeed);
        }
        dispatcher.submit(messages);
        if (changeLog.size() == CHANGE_LOG_LIMIT) {
            changeLog.remove(0);
        }
        changeLog.add(change);
        return change;
    }

    /**
     * A customer buys {@code quantity} units of {@code sku} at checkout: the store's level goes down by that at once,
     * with the webhooks the platform sends for an order and for the stock it took (the dialect's order created,
     * inventory level and product updated). Refused, as the platforms that deny overselling do, when the store's
     * level of the SKU is below {@code quantity}: empty, and nothing changes.
     *
     * @throws IllegalArgumentException when the store has no product with that SKU
     */
    public Optional<Order> sell(String sku, int quantity) {
        synchronized (changeLock) {
            List<Notification> made = generator.sell(context.state(), sku, quantity);
            if (made.isEmpty()) {
                return Optional.empty();
            }
            publish(generator.change(ChangeKind.ORDER_PLACED, made));
            return Optional.of((Order) made.get(0).entity());
        }
    }

    /**
     * The merchant cancels an order in the store's admin and restocks it: the units not shipped go back to the store's
     * level ({@link StoreWrites#cancelOrder}), with the platform's webhooks. Cancelling a cancelled order changes
     * nothing.
     */
    public WriteResult cancel(String orderId) {
        return storeSide(ChangeKind.ORDER_EDITED, w -> w.cancelOrder(orderId, true));
    }

    /** The merchant ships everything left of an order in one parcel ({@link StoreWrites#createShipment}). */
    public WriteResult ship(String orderId, String carrier, String trackingNumber) {
        return storeSide(
                ChangeKind.ORDER_EDITED, w -> w.createShipment(orderId, List.of(), carrier, trackingNumber, null));
    }

    /**
     * The merchant sets the available quantity of {@code sku} at the store's location by hand (a stock count, a
     * delivery counted in), with the webhooks the platform sends for a level change.
     *
     * @throws IllegalArgumentException when the store has no product with that SKU
     */
    public WriteResult setLevelByHand(String sku, int quantity) {
        return storeSide(ChangeKind.STOCK_MOVED, w -> {
            Product product = w.productBySku(sku).orElseThrow(() -> new IllegalArgumentException("no SKU " + sku));
            return w.setInventory(product.inventoryItemId(), w.locationId(), quantity, null);
        });
    }

    /**
     * The merchant counts {@code units} more (or fewer, negative) of {@code sku} in by hand: {@link #setLevelByHand}
     * to the level at this moment plus {@code units} (never below 0), in one step, so no sale slips in between.
     */
    public WriteResult adjustLevelByHand(String sku, int units) {
        return storeSide(ChangeKind.STOCK_MOVED, w -> {
            Product product = w.productBySku(sku).orElseThrow(() -> new IllegalArgumentException("no SKU " + sku));
            int now = w.levelOf(product).orElseThrow().available();
            return w.setInventory(product.inventoryItemId(), w.locationId(), Math.max(0, now + units), null);
        });
    }

    /** A change the merchant makes in the store's admin (no API request): published as the store's own change. */
    private WriteResult storeSide(ChangeKind kind, Function<StoreWrites, WriteResult> change) {
        synchronized (changeLock) {
            WriteResult result = change.apply(writes);
            if (result instanceof WriteResult.Applied applied) {
                publish(generator.change(kind, applied.notifications()));
            }
            return result;
        }
    }

    /** The available units of each SKU at the store's location, now. */
    public Map<String, Integer> levelsBySku() {
        synchronized (changeLock) {
            Map<String, Integer> levels = new TreeMap<>();
            for (SimEntity entity : context.state().all(EntityType.INVENTORY_LEVEL)) {
                InventoryLevel level = (InventoryLevel) entity;
                levels.put(level.sku(), level.available());
            }
            return levels;
        }
    }

    /** The id of the store's one location, as the platform's API and webhooks name it in levels. */
    public String locationId() {
        return read(StoreWrites::locationId);
    }

    /** {@code count} changes, one after the other. */
    public List<Change> step(int count) {
        List<Change> changes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            changes.add(step());
        }
        return changes;
    }

    /**
     * Adds {@code count} products or customers with history: last updated at random whole seconds of {@code [from,
     * to)}, no webhooks (they existed before anyone subscribed). For stores of a million entities (benchmarks).
     *
     * @return id, version and updated-at of each entity created, in creation order
     */
    public List<StoreSnapshot.EntityVersion> seedHistory(EntityType type, int count, Instant from, Instant to) {
        synchronized (changeLock) {
            List<StoreSnapshot.EntityVersion> result = new ArrayList<>(count);
            for (SimEntity e : generator.seedHistory(context.state(), type, count, from, to)) {
                result.add(version(e));
            }
            return result;
        }
    }

    /**
     * The platform edits one product or customer at {@code at} and sends no webhook for it: a lost update, as the
     * reconciler has to find it. Returns the entity's new version.
     */
    public StoreSnapshot.EntityVersion touch(EntityType type, String id, java.time.Instant at) {
        synchronized (changeLock) {
            SimEntity e = generator.touch(context.state(), type, id, at);
            return version(e);
        }
    }

    /** An entity as a snapshot names it: the platform's id, and the available stock of an inventory level. */
    private StoreSnapshot.EntityVersion version(SimEntity e) {
        return new StoreSnapshot.EntityVersion(
                dialect.platformId(e),
                e.parentId(),
                e.version(),
                dialect.platformUpdatedAt(e),
                e instanceof InventoryLevel level ? level.available() : null);
    }

    /** The header the simulator sets on a request addressed at {@code /hosts/<host>/stores/<key>}. */
    static final String HOST_HEADER = "x-simulator-host";

    private final Set<String> requestedHosts = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * The hosts this store was addressed at through {@code /hosts/<host>/stores/<key>} (a stand-in for a platform's
     * regional endpoints): which endpoint a client chose.
     */
    public Set<String> requestedHosts() {
        return Set.copyOf(requestedHosts);
    }

    /** Paths kept by {@link #requestedPaths()}. */
    static final int REQUEST_LOG_LIMIT = 1000;

    private final Deque<String> requestedPaths = new ArrayDeque<>();

    /**
     * The paths (without query) of the API requests received, oldest first (the latest {@value #REQUEST_LOG_LIMIT}):
     * where a client puts the API version in the path (Shopify), which versions it called.
     */
    public List<String> requestedPaths() {
        synchronized (requestedPaths) {
            return List.copyOf(requestedPaths);
        }
    }

    /** The changes made so far (the latest {@value #CHANGE_LOG_LIMIT}). */
    public List<Change> changeLog() {
        synchronized (changeLock) {
            return List.copyOf(changeLog);
        }
    }

    /**
     * Makes changes at a steady rate in the background until {@link #stopLoad()} or {@code maxChanges} (0: no limit).
     * Behind schedule (a slow receiver), it catches up rather than dropping changes.
     */
    public synchronized void startLoad(double changesPerSecond, long maxChanges) {
        if (!(changesPerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive");
        }
        stopLoad();
        load = new LoadRun(this, changesPerSecond, maxChanges);
        load.start();
    }

    public synchronized void stopLoad() {
        if (load != null) {
            load.stop();
            load = null;
        }
    }

    /** Whether a load run is still making changes. */
    public boolean loadRunning() {
        LoadRun current = load;
        return current != null && current.running();
    }

    /** Every entity's current id, version and updated-at. */
    public StoreSnapshot snapshot() {
        synchronized (changeLock) {
            Map<EntityType, List<StoreSnapshot.EntityVersion>> entities = new EnumMap<>(EntityType.class);
            for (EntityType type : EntityType.values()) {
                List<StoreSnapshot.EntityVersion> versions = new ArrayList<>();
                for (SimEntity entity : context.state().all(type)) {
                    versions.add(version(entity));
                }
                if (!versions.isEmpty()) {
                    entities.put(type, Collections.unmodifiableList(versions));
                }
            }
            return new StoreSnapshot(platform(), storeId(), spec.clock().instant(), entities);
        }
    }

    public StoreStats stats() {
        return stats.snapshot(platform(), storeId(), dispatcher::pending);
    }

    /**
     * Sends the notifications this platform delivers to a message queue (SP-API's ORDER_CHANGE to Amazon SQS) for every
     * change from now on to {@code queue}; null: none are sent (the default, the store is polled).
     */
    public void notificationQueue(NotificationQueue queue) {
        this.queue = queue;
    }

    private void enqueue(Notification notification, String eventSeed) {
        NotificationQueue target = queue;
        if (target != null) {
            dialect.queuedNotifications(notification, eventSeed, context).forEach(target::send);
        }
    }

    /**
     * Tells {@code listener} about every webhook delivery attempt from now on (null: nobody); for measurements, e.g.
     * the time each event was sent.
     */
    public void onDelivery(DeliveryListener listener) {
        dispatcher.listener(listener);
    }

    /**
     * A 429 storm: for {@code duration}, every API request is answered as rate limited (the platform's own answer, with
     * its Retry-After), as when another app has used up the store's budget. Counted as {@link Fault#API_RATE_LIMITED}.
     */
    public void rateLimitStorm(Duration duration) {
        rateLimitedUntil = System.nanoTime() + duration.toNanos();
    }

    /**
     * Applies a write to the state as a client's API request would (no faults, no rate limits), with the webhooks the
     * platform sends for it: for tests and drivers in the same JVM. Counted under {@code key}.
     */
    public WriteResult write(String key, Function<StoreWrites, WriteResult> write) {
        stats.writeReceived();
        WriteResult result = applyWrite(write);
        if (result.applied()) {
            stats.writeApplied(key);
        }
        return result;
    }

    /**
     * Reads through the write helpers under the store's lock: what the entities do not carry (a product's compare-at
     * price, the status a held order had), for tests and verdicts.
     */
    public <T> T read(Function<StoreWrites, T> read) {
        synchronized (changeLock) {
            return read.apply(writes);
        }
    }

    /**
     * Keeps an entity out of the store's generated changes from now on: a driver that writes to it (the demo's
     * commands) can then check that the store shows exactly what it wrote. Waits for a change under way.
     */
    public void reserve(EntityType type, String id) {
        synchronized (changeLock) {
            context.state().reserve(type, id);
        }
    }

    /**
     * Forces write faults on the next writes, in order, besides the profile's dice: {@link Fault#WRITE_RATE_LIMITED}
     * refuses the next write received; {@link Fault#WRITE_ERROR_AFTER_APPLY} and {@link
     * Fault#WRITE_TIMEOUT_AFTER_APPLY} strike the next write that changes the state (so a client certainly faces an
     * ambiguous failure of a write that was applied). Until the last has struck, the profile's dice strike no applied
     * write with those two, so the sequence is exactly the one asked for. Counted as injected faults. Other faults are
     * ignored.
     */
    public void faultNextWrites(Fault... faults) {
        synchronized (forcedWriteFaults) {
            for (Fault fault : faults) {
                if (fault == Fault.WRITE_RATE_LIMITED
                        || fault == Fault.WRITE_ERROR_AFTER_APPLY
                        || fault == Fault.WRITE_TIMEOUT_AFTER_APPLY) {
                    forcedWriteFaults.add(fault);
                }
            }
        }
    }

    /** Whether forced write faults are still waiting for their writes. */
    private boolean forcing() {
        synchronized (forcedWriteFaults) {
            return !forcedWriteFaults.isEmpty();
        }
    }

    /** Takes the next forced write fault when it is {@code fault}; counted as injected. */
    private boolean forced(Fault fault) {
        synchronized (forcedWriteFaults) {
            if (forcedWriteFaults.peek() != fault) {
                return false;
            }
            forcedWriteFaults.poll();
        }
        stats.fault(fault);
        return true;
    }

    /**
     * How many times the write of each key changed this store's state: a write request's key is its idempotency key
     * where the platform has one (Shopify's {@code @idempotent(key:)}, as {@code idempotency-key:<key>}), else {@code
     * <METHOD> <path> sha1:<body>}. A write whose command was applied twice shows a count above 1; a retry of an
     * absolute write that changed nothing the second time is not counted again.
     */
    public Map<String, Long> writesAppliedPerKey() {
        return stats.appliedPerKey();
    }

    private WriteResult applyWrite(Function<StoreWrites, WriteResult> write) {
        synchronized (changeLock) {
            WriteResult result = write.apply(writes);
            if (result instanceof WriteResult.Applied applied) {
                long sequence = ++writeSequence;
                List<WebhookMessage> messages = new ArrayList<>();
                int index = 0;
                for (Notification notification : applied.notifications()) {
                    String eventSeed = "write-" + sequence + "/" + index++;
                    messages.addAll(dialect.webhooks(notification, eventSeed, context));
                    enqueue(notification, eventSeed);
                }
                dispatcher.submit(messages);
            }
            return result;
        }
    }

    /** The store's side of {@link StoreWriter}: writes of the request under way on this thread. */
    private final class Writer implements StoreWriter {
        @Override
        public WriteResult apply(Function<StoreWrites, WriteResult> write) {
            WriteResult result = applyWrite(write);
            WriteRequest request = currentWrite.get();
            if (result.applied() && request != null) {
                request.applied = true;
            }
            return result;
        }

        @Override
        public <T> T read(Function<StoreWrites, T> read) {
            return SimulatedStore.this.read(read);
        }

        @Override
        public ApiAnswer idempotent(String key, Supplier<ApiAnswer> answer) {
            WriteRequest request = currentWrite.get();
            if (request != null) {
                request.key = "idempotency-key:" + key;
            }
            synchronized (idempotentAnswers) {
                ApiAnswer first = idempotentAnswers.get(key);
                if (first != null) {
                    return first;
                }
                ApiAnswer computed = answer.get();
                idempotentAnswers.put(key, computed);
                return computed;
            }
        }
    }

    private static String requestKey(ApiRequest request) {
        try {
            return request.method() + " " + request.path() + " sha1:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-1").digest(request.body()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The merchant removes the app: its API token stops working (until an install through the platform's OAuth flow)
     * and the platform's uninstall webhook goes to the subscriptions of its topic. Returns how many subscriptions it
     * was sent to.
     */
    public int uninstallApp() {
        context.appInstalls().revoke();
        List<WebhookMessage> notice = dialect.uninstallWebhooks(context);
        long subscribers = notice.stream()
                .mapToLong(m -> context.subscriptions().activeFor(m.topic()).size())
                .sum();
        dispatcher.submit(notice);
        return (int) subscribers;
    }

    /**
     * The signed payload the platform sends to the app's {@code kind} callback ({@code load}, {@code uninstall}) for
     * app {@code clientId} (BigCommerce's {@code signed_payload_jwt}); empty where the platform sends none. The
     * caller delivers it, as the platform would to the app's registered callback URL.
     */
    public java.util.Optional<String> signedAppCallback(String kind, String clientId) {
        return dialect.signedAppCallback(kind, clientId, context);
    }

    /**
     * The merchant activates the app in the store's admin (Adobe Commerce's integration, callback URL {@code
     * callbackUrl}); the store names itself {@code storeBaseUrl} (its public URL). Returns the callback's status.
     */
    public int activateIntegration(URI callbackUrl, String storeBaseUrl) {
        return dialect.activateIntegration(callbackUrl, storeBaseUrl, context);
    }

    /** The store's app install state: grant fewer scopes, see what was granted. */
    public AppInstalls appInstalls() {
        return context.appInstalls();
    }

    /** Waits until every scheduled delivery (delays and retries included) is done; false on timeout. */
    public boolean awaitDeliveries(Duration timeout) throws InterruptedException {
        return dispatcher.awaitIdle(timeout);
    }

    /** Answers one API request: authentication, injected API faults, then the dialect (with its rate limits). */
    ApiAnswer handle(ApiRequest request) {
        stats.apiRequest();
        request.header(HOST_HEADER).ifPresent(requestedHosts::add);
        synchronized (requestedPaths) {
            requestedPaths.addLast(request.path());
            if (requestedPaths.size() > REQUEST_LOG_LIMIT) {
                requestedPaths.pollFirst();
            }
        }
        ApiAnswer install = dialect.appInstall(request, context);
        if (install != null) {
            return install;
        }
        if (!dialect.authorized(request, context) || context.appInstalls().revoked()) {
            return ApiAnswer.json(
                    401,
                    dev.commercesync.platforms.shared.Json.MAPPER
                            .createObjectNode()
                            .put(
                                    "errors",
                                    "[API] Invalid API key or access token (unrecognized login or wrong password)"));
        }
        boolean write = dialect.isWrite(request);
        if (write) {
            stats.writeReceived();
        }
        ApiAnswer refused = injectedRefusal(request, write);
        if (refused != null) {
            if (write) {
                stats.writeRefusedByFault();
            }
            return refused;
        }
        if (write) {
            return handleWrite(request);
        }
        try {
            return dialect.handle(request, context);
        } catch (RuntimeException e) {
            return failed(request, e);
        }
    }

    /**
     * The answer of an injected fault that refuses a request before the store looks at it (a write rate limited, any
     * request rate limited or in a 429 storm, a 5xx), or null.
     */
    private ApiAnswer injectedRefusal(ApiRequest request, boolean write) {
        if (write && (forced(Fault.WRITE_RATE_LIMITED) || apiDice.roll(Fault.WRITE_RATE_LIMITED))) {
            return dialect.rateLimited(request, context);
        }
        if (apiDice.roll(Fault.API_RATE_LIMITED)) {
            return dialect.rateLimited(request, context);
        }
        if (System.nanoTime() - rateLimitedUntil < 0) {
            stats.fault(Fault.API_RATE_LIMITED);
            return dialect.rateLimited(request, context);
        }
        if (apiDice.roll(Fault.API_SERVER_ERROR)) {
            return serverError(apiDice.coin() ? 500 : 503, "Internal Server Error (simulated)");
        }
        return null;
    }

    /** The answer when the dialect itself failed (a simulator bug): logged, answered 500. */
    private ApiAnswer failed(ApiRequest request, RuntimeException e) {
        LOG.log(
                System.Logger.Level.WARNING,
                "simulated " + platform() + " API failed on " + request.method() + " " + request.path() + ": " + e);
        return serverError(500, "Internal Server Error");
    }

    private static ApiAnswer serverError(int status, String message) {
        return ApiAnswer.json(
                status,
                dev.commercesync.platforms.shared.Json.MAPPER.createObjectNode().put("errors", message));
    }

    /**
     * A write: the dialect applies it (the store counts it under the request's key), then the faults that strike after
     * applying: a 5xx instead of the answer, or the answer held past the client's timeout.
     */
    private ApiAnswer handleWrite(ApiRequest request) {
        WriteRequest write = new WriteRequest(requestKey(request));
        currentWrite.set(write);
        ApiAnswer answer;
        try {
            answer = dialect.handle(request, context);
        } catch (RuntimeException e) {
            answer = failed(request, e);
        } finally {
            currentWrite.remove();
        }
        if (write.applied) {
            stats.writeApplied(write.key);
        }
        if (!answer.successful()) {
            return answer;
        }
        // While forced faults wait, the dice strike no applied write: the forced sequence stays the one asked for.
        boolean dice = !forcing();
        if ((write.applied && forced(Fault.WRITE_ERROR_AFTER_APPLY))
                || (dice && apiDice.roll(Fault.WRITE_ERROR_AFTER_APPLY))) {
            return serverError(apiDice.coin() ? 500 : 503, "Internal Server Error (simulated, after applying)");
        }
        if ((write.applied && forced(Fault.WRITE_TIMEOUT_AFTER_APPLY))
                || (dice && apiDice.roll(Fault.WRITE_TIMEOUT_AFTER_APPLY))) {
            return answer.heldFor(spec.faults().writeHold());
        }
        return answer;
    }

    @Override
    public void close() {
        stopLoad();
        dispatcher.close();
    }

    @Override
    public String toString() {
        return "SimulatedStore[" + platform() + "/" + storeId() + "]";
    }

    /** The background loop of {@link #startLoad}. */
    private static final class LoadRun {
        private final SimulatedStore store;
        private final double rate;
        private final long maxChanges;
        private final Thread thread;
        private volatile boolean stopped;

        LoadRun(SimulatedStore store, double rate, long maxChanges) {
            this.store = store;
            this.rate = rate;
            this.maxChanges = maxChanges;
            this.thread = new Thread(this::run, "sim-load-" + store.key());
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() {
            stopped = true;
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        boolean running() {
            return thread.isAlive();
        }

        private void run() {
            long started = System.nanoTime();
            long done = 0;
            while (!stopped && (maxChanges == 0 || done < maxChanges)) {
                long due = (long) ((System.nanoTime() - started) / 1e9 * rate) + 1;
                if (maxChanges > 0) {
                    due = Math.min(due, maxChanges);
                }
                while (done < due && !stopped) {
                    store.step();
                    done++;
                }
                try {
                    Thread.sleep(Math.max(1, (long) (1000 / rate / 2)));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
