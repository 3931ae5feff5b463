package dev.commercesync.bench;

import com.sun.net.httpserver.HttpServer;
import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.RawEnvelopes;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.PlatformApiClient;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.simulator.FaultProfile;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.Simulator;
import dev.commercesync.simulator.StoreSpec;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * The replay benchmark's raw events: distinct payloads of simulated stores (one per platform) as the ingest and the
 * poller store them, and their variants as delivered by other stores.
 */
final class ReplayPool {
    private final List<String> platforms;
    private final int poolSize;
    private final long seed;
    /** Platform and event type → payloads in the pool. */
    final Map<String, Long> poolMix = new TreeMap<>();
    /** The platforms whose webhooks were thin (their entities are in the pool as the poller's fetches). */
    final Set<String> thinPlatforms = new TreeSet<>();

    ReplayPool(List<String> platforms, int poolSize, long seed) {
        this.platforms = platforms;
        this.poolSize = poolSize;
        this.seed = seed;
    }

    /** A raw envelope as the ingest or the poller built it, and the header names that carry its store. */
    record Template(RawEnvelope envelope, List<String> storeHeaders) {}

    /**
     * Distinct raw envelopes from simulated stores, one per platform, without faults: their signed webhooks as the
     * ingest stores them ({@link RawEnvelopes#fromWebhook}) and, for thin webhooks, the entity the
     * poller fetches ({@link RawEnvelopes#fromApi}, source POLL), in the order they happened.
     */
    List<Template> generate() throws Exception {
        long t0 = System.nanoTime();
        ReplayBench.say(
                "Generating %,d distinct payloads with the simulator (%s) ...", poolSize, String.join(", ", platforms));
        PlatformRegistry registry = PlatformRegistry.loadInstalled();
        Normalization normalization = new Normalization(registry);
        List<WebhookRequest> received = new CopyOnWriteArrayList<>();
        Map<WebhookRequest, String> platformOf = new java.util.concurrent.ConcurrentHashMap<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        receiver.createContext("/webhooks/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
            WebhookRequest request = new WebhookRequest(headers, body);
            String path = exchange.getRequestURI().getPath();
            platformOf.put(request, path.substring(path.lastIndexOf('/') + 1));
            received.add(request);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        List<Template> pool = new ArrayList<>();
        java.util.concurrent.ExecutorService fetchers = Executors.newFixedThreadPool(4);
        try (Simulator simulator = Simulator.start(0)) {
            Map<String, SimulatedStore> stores = new LinkedHashMap<>();
            Map<String, PlatformApiClient> clients = new HashMap<>();
            for (int i = 0; i < platforms.size(); i++) {
                String platform = platforms.get(i);
                SimulatedStore store = simulator.addStore(StoreSpec.builder(platform, platform + "-replay")
                        .seed(seed + i)
                        .faults(FaultProfile.none())
                        .catalog(300, 200)
                        .rateLimits(false)
                        .deliveryThreads(4)
                        .build());
                store.subscribeAll(
                        URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhooks/" + platform));
                stores.put(platform, store);
                clients.put(platform, registry.get(platform).apiClient(store.apiConnection()));
            }
            int taken = 0;
            java.util.Set<String> polledEventIds = new java.util.HashSet<>();
            double deliverySeconds = 0;
            double fetchSeconds = 0;
            while (pool.size() < poolSize) {
                long round = System.nanoTime();
                for (SimulatedStore store : stores.values()) {
                    store.step(Math.max(20, Math.min(300, (poolSize - pool.size()) / 4)));
                }
                for (SimulatedStore store : stores.values()) {
                    if (!store.awaitDeliveries(Duration.ofSeconds(120))) {
                        throw new IllegalStateException("simulated webhooks were not delivered in time");
                    }
                }
                deliverySeconds += ReplayBench.seconds(round);
                long converting = System.nanoTime();
                List<WebhookRequest> batch = List.copyOf(received.subList(taken, received.size()));
                taken += batch.size();
                List<RawEnvelope> webhooks = new ArrayList<>();
                List<java.util.concurrent.Future<List<RawEnvelope>>> hydrations = new ArrayList<>();
                for (WebhookRequest request : batch) {
                    String platform = platformOf.get(request);
                    RawEnvelope envelope = RawEnvelopes.fromWebhook(registry.get(platform), request, Instant.now());
                    webhooks.add(envelope);
                    NormalizationOutcome outcome = normalization.normalize(envelope);
                    if (outcome instanceof NormalizationOutcome.FetchNeeded) {
                        thinPlatforms.add(platform);
                    }
                    hydrations.add(
                            outcome instanceof NormalizationOutcome.FetchNeeded fetch
                                    ? fetchers.submit(() -> hydrate(clients.get(platform), fetch))
                                    : java.util.concurrent.CompletableFuture.completedFuture(List.of()));
                }
                for (int i = 0; i < webhooks.size(); i++) {
                    pool.add(template(webhooks.get(i)));
                    mix(webhooks.get(i));
                    for (RawEnvelope polled : hydrations.get(i).get()) {
                        // The poller coalesces fetches of one entity and the normalizer drops a re-read of the same
                        // version: keep one polled record per event id.
                        if (normalization.normalize(polled) instanceof NormalizationOutcome.Events e
                                && polledEventIds.add(dev.commercesync.schemas.content.CanonicalEvents.metadata(
                                                e.canonicalEvents().get(0))
                                        .getEventId())) {
                            pool.add(template(polled));
                            mix(polled);
                        }
                    }
                }
                fetchSeconds += ReplayBench.seconds(converting);
                ReplayBench.say(
                        "  %,d payloads (webhooks delivered in %.1f s, enveloped and hydrated in %.1f s so far)",
                        pool.size(), deliverySeconds, fetchSeconds);
            }
        } finally {
            receiver.stop(0);
            ((java.util.concurrent.ExecutorService) receiver.getExecutor()).shutdownNow();
            fetchers.shutdownNow();
        }
        List<Template> trimmed = List.copyOf(pool.subList(0, poolSize));
        double avgBody = trimmed.stream()
                        .mapToLong(t -> t.envelope().getBody().remaining())
                        .sum()
                / (double) trimmed.size();
        ReplayBench.say(
                "Pool ready in %.1f s: %,d payloads, mean body %,.0f bytes; mix %s",
                ReplayBench.seconds(t0), trimmed.size(), avgBody, poolMix);
        return trimmed;
    }

    /** The entities a thin webhook names, read through the platform's API as the poller reads them. */
    static List<RawEnvelope> hydrate(PlatformApiClient client, NormalizationOutcome.FetchNeeded fetch)
            throws Exception {
        List<RawEnvelope> polled = new ArrayList<>();
        for (String id : fetch.entityIds()) {
            var entity =
                    client.getById(fetch.entityType(), id, fetch.parentId()).value();
            if (entity.isPresent()) {
                polled.add(RawEnvelopes.fromApi(
                        fetch.platform(),
                        fetch.store(),
                        fetch.entityType(),
                        entity.get(),
                        EventSource.POLL,
                        Instant.now(),
                        UUID.randomUUID().toString()));
            }
        }
        return polled;
    }

    void mix(RawEnvelope envelope) {
        poolMix.merge(envelope.getPlatform() + " " + envelope.getEventType(), 1L, Long::sum);
    }

    static Template template(RawEnvelope envelope) {
        List<String> storeHeaders = new ArrayList<>();
        envelope.getHeaders().forEach((name, value) -> {
            if (value != null && value.contains(envelope.getStore())) {
                storeHeaders.add(name);
            }
        });
        return new Template(envelope, storeHeaders);
    }

    /**
     * The pool entry as delivered by another store (cycle 0: the original): same payload, the store renamed (which
     * makes its dedup key and event id distinct), a fresh envelope id, delivery id and receive time.
     */
    static RawEnvelope variant(Template template, long cycle, PlatformRegistry registry) {
        RawEnvelope original = template.envelope();
        RawEnvelope.Builder b = RawEnvelope.newBuilder(original)
                .setEnvelopeId(UUID.randomUUID().toString())
                .setReceivedAt(Instant.now())
                .setBody(original.getBody().duplicate());
        if (cycle > 0) {
            String store = storeVariant(registry.get(original.getPlatform()), original.getStore(), cycle);
            b.setStore(store);
            if (!template.storeHeaders().isEmpty()) {
                Map<String, String> headers = new LinkedHashMap<>(original.getHeaders());
                for (String name : template.storeHeaders()) {
                    headers.put(name, headers.get(name).replace(original.getStore(), store));
                }
                b.setHeaders(headers);
            }
            if (original.getDeliveryId() != null) {
                b.setDeliveryId(original.getDeliveryId() + "-" + cycle);
            }
        }
        return b.build();
    }

    /**
     * Another store of the same platform: the tag appended to the store id, or, where the adapter does not accept that
     * (a store id that is a host name under the platform's domain), to its first label.
     */
    static String storeVariant(PlatformAdapter adapter, String store, long cycle) {
        String tag = "-" + String.format(Locale.ROOT, "%04d", cycle);
        String appended = store + tag;
        int dot = store.indexOf('.');
        return adapter.isValidStoreId(appended) || dot < 0
                ? appended
                : store.substring(0, dot) + tag + store.substring(dot);
    }
}
