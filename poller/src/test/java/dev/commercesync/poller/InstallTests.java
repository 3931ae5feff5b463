package dev.commercesync.poller;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.poller.install.InstallStates;
import dev.commercesync.poller.install.RevokedCredentials;
import dev.commercesync.poller.polling.Checkpoints;
import dev.commercesync.poller.polling.PollScheduler;
import dev.commercesync.poller.status.StoreStatusBoard;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.Simulator;
import dev.commercesync.simulator.StoreSpec;
import dev.commercesync.simulator.webhooks.Subscription;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the install flow tests share: the beans they look into, the simulator they start (one per class, at the port
 * {@link InstallTestResource} chose), the merchant's browser, query strings, the registry's stored column, the
 * connection check and the order cursor. Each subclass is a {@code @QuarkusTest} with {@code InstallTestResource}.
 */
abstract class InstallTests {
    /** A browser that shows each redirect instead of following it. */
    static final HttpClient BROWSER =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /** The simulated platforms, this class's own. */
    static Simulator simulator;

    @Inject
    StoreRegistry registry;

    @Inject
    InstallStates states;

    @Inject
    Checkpoints checkpoints;

    @Inject
    PollScheduler scheduler;

    @Inject
    StoreStatusBoard status;

    @Inject
    RevokedCredentials revocations;

    @BeforeAll
    static void topicsAndSimulator() throws Exception {
        KafkaTestClients.ensureTopics();
        simulator = Simulator.start(Integer.getInteger(InstallTestResource.SIMULATOR_PORT));
    }

    @AfterAll
    static void stopSimulator() {
        if (simulator != null) {
            simulator.close();
            simulator = null;
        }
    }

    /**
     * A new simulated store of {@code platform} with a small catalog and some orders, without rate limits, signing its
     * webhooks with the app's client secret (as each platform signs an app's webhooks or a subscription's secret).
     */
    static SimulatedStore addStore(String platform, String key, long seed) {
        SimulatedStore store = simulator.addStore(StoreSpec.builder(platform, key)
                .seed(seed)
                .catalog(4, 2)
                .rateLimits(false)
                .webhookSecret(InstallTestResource.CLIENT_SECRET)
                .build());
        store.step(20);
        return store;
    }

    /**
     * A self-hosted store (WooCommerce, Adobe Commerce) as its merchant names it: {@code https://<key>.example.test/}
     * (store id {@code <key>.example.test}), which the simulated store answers for (store-url-template). It reaches
     * the callback URL's path at the test's poller, in place of its public name.
     */
    record Site(SimulatedStore store, String url, String storeId) {}

    static Site addSite(String platform, String keyPrefix, long seed) {
        String key = keyPrefix + UUID.randomUUID().toString().substring(0, 8);
        SimulatedStore store = addStore(platform, key, seed);
        store.appInstalls().deliverCallbacksTo(URI.create("http://localhost:" + RestAssured.port));
        return new Site(store, "https://" + key + ".example.test/", key + ".example.test");
    }

    /** The browser's GET of {@code uri}. */
    static HttpResponse<String> browse(URI uri) throws Exception {
        return BROWSER.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The merchant approves at the platform, which sends the browser back to the service's callback: that callback's
     * query.
     */
    static Map<String, String> approve(String platform, URI authorization) throws Exception {
        HttpResponse<String> answer = browse(authorization);
        assertEquals(302, answer.statusCode(), answer.body());
        URI callback = URI.create(answer.headers().firstValue("Location").orElseThrow());
        assertEquals(
                InstallTestResource.PUBLIC_URL + "/install/" + platform + "/callback",
                callback.getScheme() + "://" + callback.getHost() + callback.getPath());
        return query(callback);
    }

    /** The decoded query of {@code uri}, in order. */
    static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] nv = pair.split("=", 2);
            query.put(
                    URLDecoder.decode(nv[0], StandardCharsets.UTF_8),
                    URLDecoder.decode(nv.length > 1 ? nv[1] : "", StandardCharsets.UTF_8));
        }
        return query;
    }

    /** A GET of the service with {@code query}, redirects not followed. */
    static Response get(String path, Map<String, String> query) {
        var request = given().redirects().follow(false);
        for (var e : query.entrySet()) {
            request = request.queryParam(e.getKey(), e.getValue());
        }
        return request.get(path);
    }

    /** The connection check of a store (with the internal token); 200 whatever its verdict. */
    static JsonPath connection(String platform, String storeId) {
        return given().header("Authorization", "Bearer test-internal-token")
                .queryParam("store_id", storeId)
                .get("/connections/" + platform)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** The topics {@code store} has subscribed at the ingest's address for {@code platform}. */
    static Set<String> ingestTopics(SimulatedStore store, String platform) {
        return store.subscriptions().stream()
                .filter(s -> s.address().toString().equals("https://ingest.example.test/webhooks/" + platform))
                .map(Subscription::topic)
                .collect(Collectors.toSet());
    }

    /** The store's first order cursor, once a poll has set it. */
    Instant firstOrderCursor(StoreKey key) {
        return await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> checkpoints
                                .find(key, EntityType.ORDER)
                                .map(Checkpoints.Checkpoint::cursor)
                                .orElse(null),
                        c -> c != null);
    }

    /** Waits until the store's order cursor has moved past {@code cursor}: polling goes on from where it was. */
    Instant orderCursorPast(StoreKey key, Instant cursor) {
        return await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> checkpoints
                                .find(key, EntityType.ORDER)
                                .orElseThrow()
                                .cursor(),
                        c -> c.isAfter(cursor));
    }

    /**
     * After the merchant revoked the store's credentials (the store answers 401 from then on): the next poll is
     * refused, and the confirmation call a moment later too; the store is then disabled as {@code
     * credentials_revoked}, its credentials deleted, and its connection check says so.
     */
    void assertRevokedAndDisabled(StoreView store) throws Exception {
        StoreKey key = StoreKey.of(store);
        scheduler.pollNow(store);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> status.credentialsRejectedSince(key).isPresent());
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> revocations.check(
                        registry.find(store.platform(), store.storeId()).orElseThrow()));
        StoreView revoked = registry.find(store.platform(), store.storeId()).orElseThrow();
        assertFalse(revoked.enabled());
        assertEquals(StoreRegistry.CREDENTIALS_REVOKED, revoked.disabledReason().orElseThrow());
        assertTrue(revoked.apiCredentials().isEmpty());
        assertEquals(null, storedCredentials(store.platform(), store.storeId()), "the credentials are deleted");
        assertEquals(
                "the store is disabled (credentials_revoked)",
                connection(store.platform(), store.storeId()).getString("credentials.detail"));
    }

    /** How long a marketplace's simulated access tokens last in these tests: renewed every half of it. */
    static final Duration SHORT_TOKEN_LIFETIME = Duration.ofSeconds(4);

    /**
     * A marketplace's access tokens (Login with Amazon, eBay) are renewed with the refresh token before they expire:
     * with the store's tokens lasting {@link #SHORT_TOKEN_LIFETIME}, the store is polled on until the token in use
     * after the first poll has expired at the store and a later one has too; the store granted new ones meanwhile, no
     * call was refused (an expired token is answered 401, which marks the credentials rejected) and polling goes on
     * past {@code cursor}. The order cursor reached is returned.
     */
    Instant assertAccessTokensRenewed(SimulatedStore simulated, StoreView store, Instant cursor) {
        StoreKey key = StoreKey.of(store);
        int grants = simulated.appInstalls().refreshGrants();
        for (int lifetime = 0; lifetime < 2; lifetime++) {
            String inUse = simulated.appInstalls().lastAccessToken();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        scheduler.pollNow(store);
                        return !simulated.appInstalls().accessTokenValid(inUse, Instant.now())
                                && !inUse.equals(simulated.appInstalls().lastAccessToken());
                    });
        }
        assertTrue(simulated.appInstalls().refreshGrants() >= grants + 2, "renewed with the refresh token");
        // A poll asked for while one runs is not queued: asked again until one lists the new changes.
        simulated.step(20);
        Instant reached = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            scheduler.pollNow(store);
                            return checkpoints
                                    .find(key, EntityType.ORDER)
                                    .orElseThrow()
                                    .cursor();
                        },
                        c -> c.isAfter(cursor));
        assertTrue(status.credentialsRejectedSince(key).isEmpty(), "no call was refused");
        return reached;
    }

    /**
     * A marketplace seller's lifecycle after the first poll (eBay, Amazon): access tokens renewed ({@link
     * #assertAccessTokensRenewed}); the seller revokes the app, so that the access token and the refresh token are
     * refused, and the store is disabled ({@link #assertRevokedAndDisabled}); orders change meanwhile; a new
     * authorization (the callback's query {@code reauthorize} gives) reconnects it and polling resumes from the kept
     * cursor.
     */
    void assertRenewedRevokedAndResumed(
            SimulatedStore seller, StoreView store, Instant cursor, Callable<Map<String, String>> reauthorize)
            throws Exception {
        Instant reached = assertAccessTokensRenewed(seller, store, cursor);
        seller.uninstallApp();
        assertRevokedAndDisabled(store);

        seller.step(20);
        JsonPath again = get("/install/" + store.platform() + "/callback", reauthorize.call())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertTrue(again.getBoolean("reinstalled"));
        assertTrue(
                registry.find(store.platform(), store.storeId()).orElseThrow().enabled());
        orderCursorPast(StoreKey.of(store), reached);
        assertTrue(connection(store.platform(), store.storeId()).getBoolean("ok"));
    }

    /** The store's {@code api_credentials} column as stored (null when deleted). */
    static String storedCredentials(String platform, String storeId) throws Exception {
        var stack = SharedStack.endpoints();
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), "");
                var st = c.prepareStatement(
                        "select api_credentials from stores.store where platform = ? and store_id = ?")) {
            st.setString(1, platform);
            st.setString(2, storeId);
            ResultSet rs = st.executeQuery();
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }
}
