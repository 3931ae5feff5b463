package dev.commercesync.simulator.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.http.ApiAnswer;
import dev.commercesync.simulator.http.ApiBudget;
import dev.commercesync.simulator.http.ApiRequest;
import dev.commercesync.simulator.model.IdKind;
import dev.commercesync.simulator.model.InventoryLevel;
import dev.commercesync.simulator.model.Notification;
import dev.commercesync.simulator.model.Order;
import dev.commercesync.simulator.model.OrderLine;
import dev.commercesync.simulator.model.OrderStatus;
import dev.commercesync.simulator.model.Shipment;
import dev.commercesync.simulator.model.SimEntity;
import dev.commercesync.simulator.model.StoreWrites;
import dev.commercesync.simulator.model.WriteResult;
import dev.commercesync.simulator.webhooks.DeliveryPolicy;
import dev.commercesync.simulator.webhooks.Subscription;
import dev.commercesync.simulator.webhooks.WebhookMessage;
import io.github.bucket4j.TimeMeter;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * eBay's Sell APIs for one seller (the store key is the seller): the Fulfillment API's {@code GET
 * /sell/fulfillment/v1/order} ({@code filter=lastmodifieddate:[from..to]}, inclusive, {@code limit} ≤ 200, {@code
 * offset}, {@code total}/{@code next}), an order by id, its shipping fulfillments (list, by id, and {@code POST} to
 * create one: 201 with {@code Location}); the Inventory API's {@code GET /sell/inventory/v1/inventory_item} ({@code
 * limit} ≤ 100, {@code offset}), an item by SKU and {@code POST bulk_update_price_quantity}; and the Notification
 * API's {@code GET /commerce/notification/v1/public_key/{kid}}, serving the store's EC P-256 public key. Bearer
 * tokens. eBay documents daily call limits (the adapter's profile); bursts beyond a bucket of 200 calls refilled 2 a
 * second are answered 429 with eBay's error 2001 and Retry-After.
 *
 * <p>Notifications: the Notification API's topics, destinations and subscriptions are served ({@link #notificationApi},
 * with application tokens from the client-credentials grant), but a store's changes send no notification (they are
 * polled; eBay's {@code ORDER_CONFIRMATION} is not simulated yet). The store's notifications would be signed as eBay signs them ({@link #deliveryHeaders}: {@code
 * X-EBAY-SIGNATURE}, SHA1withECDSA with the store's key, {@code kid} served by the public-key route).
 */
public final class EbayDialect implements PlatformDialect {
    /** The store's one bucket: 200 calls, refilled 2 a second (eBay's short-term limit is undocumented). */
    private static final CallLimit BURST = new CallLimit(200, 2);

    private static final String FULFILLMENT = "/sell/fulfillment/v1/order";
    private static final String INVENTORY = "/sell/inventory/v1";
    private static final String PUBLIC_KEY = "/commerce/notification/v1/public_key/";
    private static final int MAX_ORDERS = 200;
    private static final int MAX_ITEMS = 100;
    private static final Pattern ORDER = Pattern.compile(FULFILLMENT + "/([^/]+)");
    private static final Pattern FULFILLMENTS = Pattern.compile(FULFILLMENT + "/([^/]+)/shipping_fulfillment");
    private static final Pattern FULFILLMENT_BY_ID =
            Pattern.compile(FULFILLMENT + "/([^/]+)/shipping_fulfillment/([^/]+)");
    private static final Pattern ITEM = Pattern.compile(INVENTORY + "/inventory_item/([^/]+)");
    private static final Pattern RANGE =
            Pattern.compile("lastmodifieddate:\\[([^.\\]]+(?:\\.[0-9]+)?Z?)\\.\\.([^\\]]*)]");

    /** eBay's timestamps: UTC with milliseconds ({@code 2015-08-04T19:09:02.768Z}). */
    private static final java.time.format.DateTimeFormatter EBAY_TIME = java.time.format.DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    static String time(Instant at) {
        return EBAY_TIME.format(at);
    }

    /** Each store's signing key pair, by store key (a dialect is shared by all stores of the simulator). */
    private final Map<String, KeyPair> keys = new ConcurrentHashMap<>();

    @Override
    public String platform() {
        return "ebay";
    }

    @Override
    public long firstId(IdKind kind) {
        return switch (kind) {
            case LOCATION -> 1;
            case ORDER_NUMBER -> 1000;
            default -> 110_000_000_000L + (long) kind.ordinal() * 1_000_000_000L;
        };
    }

    /** The seller: the store key (the ingest's {@code /webhooks/ebay/<store>} names it). */
    @Override
    public String storeId(String storeKey, URI baseUrl) {
        return storeKey;
    }

    @Override
    public ApiCredentials credentials(String storeKey) {
        return new ApiCredentials.AccessToken(Payloads.tokenFor("v^1.1#i^1#", storeKey));
    }

    @Override
    public WebhookSecret webhookSecret(String storeKey, String secret) {
        return webhookSecret(storeKey, secret, URI.create("http://127.0.0.1/stores/" + storeKey));
    }

    /**
     * The store's secret as {@code EbayAdapter} reads it: this store's Notification API (the simulator) with an
     * application token, and the account-deletion endpoint's verification token (the generated secret) and URL.
     */
    @Override
    public WebhookSecret webhookSecret(String storeKey, String secret, URI baseUrl) {
        keys.computeIfAbsent(storeKey, k -> newKeyPair());
        ObjectNode json = Payloads.object();
        json.put("notification_api", baseUrl.toString());
        json.put("app_token", Payloads.tokenFor("app-", storeKey));
        json.put("verification_token", secret);
        json.put("endpoint", "https://ingest.example/webhooks/ebay/" + storeKey);
        return WebhookSecret.of(Json.encode(json));
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no EC key pair generator", e);
        }
    }

    private static String kid(String storeKey) {
        return Payloads.uuid("ebay notification key " + storeKey);
    }

    /** One quantity per SKU: the level's id is the SKU, and a SetInventoryLevel names no location. */
    @Override
    public String platformId(SimEntity entity) {
        return entity instanceof InventoryLevel level ? level.sku() : entity.id();
    }

    @Override
    public String[] stockIds(InventoryLevel level) {
        return new String[] {level.sku(), null};
    }

    /** A shipping fulfillment has no updated-at: its shipped date versions it. */
    @Override
    public Instant platformUpdatedAt(SimEntity entity) {
        return entity instanceof Shipment shipment ? shipment.createdAt() : entity.updatedAt();
    }

    @Override
    public Map<String, ApiBudget> budgets(TimeMeter time, boolean enforced) {
        long scale = enforced ? 1 : 1_000_000;
        // eBay documents daily limits only (the adapter paces to them); it also refuses bursts, undocumented: a
        // bucket of 200 calls refilled 2 a second stands in for that, so that 429s are exercised.
        return Map.of("api", ApiBudget.refilling(BURST.budget() * scale, BURST.refillPerSecond() * scale, time));
    }

    /**
     * No daily limit here, only the burst bucket: the adapter's 20,000 calls a day (about one call per 4.3 s once its
     * hour's share is spent, or after a 429 empties it) would pace a minutes-long demo far below what this store
     * allows.
     */
    @Override
    public Optional<CallLimit> pollerCallLimit() {
        return Optional.of(BURST);
    }

    /** eBay retries a notification its endpoint did not accept (here: 5 tries, from 10 s, doubling). */
    @Override
    public DeliveryPolicy deliveryPolicy() {
        return new DeliveryPolicy(5, Duration.ofSeconds(10), Integer.MAX_VALUE);
    }

    @Override
    public Set<String> topics() {
        return Set.of();
    }

    @Override
    public boolean authorized(ApiRequest request, StoreContext store) {
        if (request.path().startsWith(NOTIFICATION + "/topic")
                || request.path().startsWith(NOTIFICATION + "/destination")) {
            return applicationToken(request, store); // the application's resources
        }
        if (request.path().startsWith(NOTIFICATION + "/subscription") && applicationToken(request, store)) {
            return true; // the application's view of the subscriptions; a seller's token is checked below
        }
        if (request.path().startsWith(PUBLIC_KEY)) {
            // the application token (client-credentials grant), not the seller's
            return request.header("Authorization")
                    .map(a -> a.startsWith("Bearer "))
                    .orElse(false);
        }
        String expected = "Bearer " + ((ApiCredentials.AccessToken) store.credentials()).token();
        return request.header("Authorization")
                .map(a -> a.equals(expected)
                        || (a.startsWith("Bearer ")
                                && store.appInstalls()
                                        .accessTokenValid(
                                                a.substring("Bearer ".length()),
                                                store.clock().instant())))
                .orElse(false);
    }

    // ---- the seller's consent: OAuth authorization-code grant, user tokens renewed by the refresh token ----

    static final String AUTHORIZE = "/oauth2/authorize";
    static final String TOKEN = "/identity/v1/oauth2/token";

    /** User access tokens last two hours. */
    static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofHours(2);

    /** Refresh tokens last about 18 months. */
    static final Duration REFRESH_TOKEN_LIFETIME = Duration.ofSeconds(47_304_000);

    /**
     * eBay's consent and token endpoints: {@code GET /oauth2/authorize?client_id&redirect_uri=<RuName>&
     * response_type=code&scope&state} (the seller consents at once) sends the browser to the RuName's accepted URL
     * ({@link AppInstalls#registerRedirectName}) with {@code state, code, expires_in}; {@code POST
     * /identity/v1/oauth2/token} with the app's {@code Basic} credentials (its secret: the store's webhook secret)
     * exchanges the code ({@code grant_type=authorization_code}, the same RuName) for a user access token and a refresh
     * token, and the refresh token ({@code grant_type=refresh_token}) for a new access token of two hours ({@link
     * AppInstalls#accessTokenLifetime}). An unknown RuName is {@code 400 invalid_request}; unknown, used or foreign
     * codes and refresh tokens, and any after the seller revoked the consent, {@code 400 invalid_grant}; a wrong
     * client {@code 401 invalid_client}: eBay's answers.
     */
    @Override
    public ApiAnswer appInstall(ApiRequest request, StoreContext store) {
        if (request.path().equals(AUTHORIZE) && request.method().equals("GET")) {
            String clientId = request.param("client_id").orElse("");
            Optional<URI> accepted = store.appInstalls()
                    .redirectFor(request.param("redirect_uri").orElse(null));
            if (clientId.isEmpty()
                    || accepted.isEmpty()
                    || !"code".equals(request.param("response_type").orElse(""))) {
                return oauthError(400, "invalid_request", "Input redirect URL or client id is not valid");
            }
            Set<String> scopes = new java.util.TreeSet<>();
            for (String scope : request.param("scope").orElse("").split(" ")) {
                if (!scope.isBlank()) {
                    scopes.add(scope.trim());
                }
            }
            String code = "v^1.1#i^1#f^0#r^1#I^3#p^3#t^" + store.appInstalls().issue(clientId, scopes);
            String location = accepted.get()
                    + (accepted.get().toString().contains("?") ? "&" : "?")
                    + "state="
                    + java.net.URLEncoder.encode(request.param("state").orElse(""), StandardCharsets.UTF_8)
                    + "&code=" + java.net.URLEncoder.encode(code, StandardCharsets.UTF_8)
                    + "&expires_in=299";
            return ApiAnswer.empty(302).withHeader("Location", location);
        }
        if (!request.path().equals(TOKEN)) {
            return null;
        }
        if (!request.method().equals("POST")) {
            return oauthError(400, "invalid_request", "request method is not supported");
        }
        String[] client = basicCredentials(request.header("Authorization").orElse(""));
        if (client == null
                || !java.security.MessageDigest.isEqual(
                        client[1].getBytes(StandardCharsets.UTF_8),
                        appSecret(store).getBytes(StandardCharsets.UTF_8))) {
            return oauthError(401, "invalid_client", "client authentication failed");
        }
        Map<String, String> form =
                ApiRequest.parseQuery(request.body() == null ? "" : new String(request.body(), StandardCharsets.UTF_8));
        String refreshToken = Payloads.tokenFor("v^1.1#i^1#r^1#", store.storeKey());
        Instant now = store.clock().instant();
        ObjectNode token = Payloads.object();
        switch (form.getOrDefault("grant_type", "")) {
            case "client_credentials" -> {
                // an application token: the app's own, no seller's consent needed
                String appToken = "v^1.1#i^1#p^1#"
                        + java.util.UUID.randomUUID().toString().replace("-", "");
                appTokens.put(store.storeKey() + " " + appToken, now.plus(ACCESS_TOKEN_LIFETIME));
                token.put("access_token", appToken);
                token.put("expires_in", ACCESS_TOKEN_LIFETIME.toSeconds());
                token.put("token_type", "Application Access Token");
                return ApiAnswer.json(200, token);
            }
            case "authorization_code" -> {
                String code = form.getOrDefault("code", "");
                String prefix = "v^1.1#i^1#f^0#r^1#I^3#p^3#t^";
                Optional<AppInstalls.IssuedCode> issued = code.startsWith(prefix)
                                && store.appInstalls()
                                        .redirectFor(form.get("redirect_uri"))
                                        .isPresent()
                        ? store.appInstalls().redeemFor(code.substring(prefix.length()), client[0])
                        : Optional.empty();
                if (issued.isEmpty()) {
                    return oauthError(
                            400,
                            "invalid_grant",
                            "the provided authorization grant code is invalid or was issued to another client");
                }
                token.put("refresh_token", refreshToken);
                token.put("refresh_token_expires_in", REFRESH_TOKEN_LIFETIME.toSeconds());
            }
            case "refresh_token" -> {
                if (store.appInstalls().revoked()
                        || !store.appInstalls()
                                .installedClientId()
                                .map(client[0]::equals)
                                .orElse(false)
                        || !refreshToken.equals(form.get("refresh_token"))) {
                    return oauthError(
                            400,
                            "invalid_grant",
                            "the provided authorization refresh token is invalid or was issued to another client");
                }
                store.appInstalls().refreshed();
            }
            default -> {
                return oauthError(400, "unsupported_grant_type", "grant type in request is not supported");
            }
        }
        token.put("access_token", store.appInstalls().issueAccessToken("v^1.1#i^1#u^", ACCESS_TOKEN_LIFETIME, now));
        token.put(
                "expires_in",
                store.appInstalls().accessTokenLifetime(ACCESS_TOKEN_LIFETIME).toSeconds());
        token.put("token_type", "User Access Token");
        return ApiAnswer.json(200, token);
    }

    /** The app's client secret: the store's generated secret (its webhook secret's verification token). */
    private static String appSecret(StoreContext store) {
        try {
            return Json.MAPPER
                    .readTree(store.webhookSecret().bytes())
                    .path("verification_token")
                    .asText("");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code Basic base64(client_id:client_secret)}: the id and the secret, null when not of that form. */
    private static String[] basicCredentials(String authorization) {
        if (!authorization.startsWith("Basic ")) {
            return null;
        }
        try {
            String pair = new String(
                    Base64.getDecoder()
                            .decode(authorization.substring("Basic ".length()).trim()),
                    StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon <= 0 ? null : new String[] {pair.substring(0, colon), pair.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static ApiAnswer oauthError(int status, String error, String description) {
        ObjectNode body = Payloads.object();
        body.put("error", error);
        body.put("error_description", description);
        return ApiAnswer.json(status, body);
    }

    @Override
    public ApiAnswer handle(ApiRequest request, StoreContext store) {
        ApiBudget.Outcome budget = store.budget("api").consume(1);
        if (!budget.granted()) {
            store.stats().apiRateLimited();
            return tooManyRequests(budget.retryAfter());
        }
        return route(request, store);
    }

    @Override
    public ApiAnswer rateLimited(ApiRequest request, StoreContext store) {
        return tooManyRequests(Duration.ofSeconds(2));
    }

    private static ApiAnswer tooManyRequests(Duration retryAfter) {
        return error(429, 2001, "ACCESS", "Too many requests. The request limit has been reached for the resource.")
                .withHeader("Retry-After", Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
    }

    static ApiAnswer error(int status, int errorId, String domain, String message) {
        ObjectNode body = Payloads.object();
        ObjectNode error = body.putArray("errors").addObject();
        error.put("errorId", errorId);
        error.put("domain", domain);
        error.put("category", status >= 500 ? "APPLICATION" : "REQUEST");
        error.put("message", message);
        return ApiAnswer.json(status, body);
    }

    private ApiAnswer route(ApiRequest request, StoreContext store) {
        String path = request.path().replaceAll("/+$", "");
        String method = request.method();
        Matcher m;
        if (path.startsWith(NOTIFICATION + "/") && !path.startsWith(PUBLIC_KEY)) {
            return notificationApi(request, path, store);
        }
        if (method.equals("GET")) {
            if (path.startsWith(PUBLIC_KEY)) {
                return publicKey(path.substring(PUBLIC_KEY.length()), store);
            }
            if (path.equals(FULFILLMENT)) {
                return orders(request, store);
            }
            if ((m = FULFILLMENT_BY_ID.matcher(path)).matches()) {
                String orderId = m.group(1);
                String id = m.group(2);
                return store.state()
                        .get(EntityType.SHIPMENT, id, Shipment.class)
                        .filter(s -> s.orderId().equals(orderId))
                        .map(s -> ApiAnswer.json(200, fulfillment(s)))
                        .orElseGet(() -> error(404, 32100, "API_FULFILLMENT", "Invalid fulfillment ID"));
            }
            if ((m = FULFILLMENTS.matcher(path)).matches()) {
                String orderId = m.group(1);
                if (store.state().get(EntityType.ORDER, orderId).isEmpty()) {
                    return error(404, 32100, "API_FULFILLMENT", "Invalid order ID");
                }
                ObjectNode json = Payloads.object();
                ArrayNode list = json.putArray("fulfillments");
                store.state().shipmentsOf(orderId).forEach(s -> list.add(fulfillment(s)));
                json.put("total", list.size());
                return ApiAnswer.json(200, json);
            }
            if ((m = ORDER.matcher(path)).matches()) {
                return store.state()
                        .get(EntityType.ORDER, m.group(1), Order.class)
                        .map(o -> ApiAnswer.json(200, order(o, store)))
                        .orElseGet(() -> error(404, 32100, "API_FULFILLMENT", "Invalid order ID"));
            }
            if (path.equals(INVENTORY + "/inventory_item")) {
                return items(request, store);
            }
            if ((m = ITEM.matcher(path)).matches()) {
                String sku = m.group(1);
                return levelBySku(sku, store)
                        .map(level -> ApiAnswer.json(200, item(level)))
                        .orElseGet(() -> error(404, 25710, "API_INVENTORY", "We didn't find the resource/entity"));
            }
        }
        if (method.equals("POST") && path.equals(INVENTORY + "/bulk_update_price_quantity")) {
            return Payloads.jsonObject(request)
                    .map(body -> bulkUpdate(body, store))
                    .orElseGet(() -> error(400, 25709, "API_INVENTORY", "Invalid JSON"));
        }
        if (method.equals("POST") && (m = FULFILLMENTS.matcher(path)).matches()) {
            String orderId = m.group(1);
            return Payloads.jsonObject(request)
                    .map(body -> createFulfillment(orderId, body, store))
                    .orElseGet(() -> error(400, 32000, "API_FULFILLMENT", "Invalid JSON"));
        }
        return error(404, 2002, "ACCESS", "Resource not found");
    }

    // ---- Notification API: topics, destinations, subscriptions ----

    static final String NOTIFICATION = "/commerce/notification/v1";

    /**
     * A topic of eBay's: {@code scope} USER (subscribed with the seller's token) or APPLICATION (the app's). Those of
     * eBay's seller topics this simulator offers; account deletions are configured in the developer portal, not here.
     */
    record Topic(String id, String scope, String description) {}

    static final Map<String, Topic> TOPICS = Map.of(
            "ORDER_CONFIRMATION",
            new Topic("ORDER_CONFIRMATION", "USER", "A buyer completed the checkout of a seller's item"),
            "ITEM_MARKED_SHIPPED",
            new Topic("ITEM_MARKED_SHIPPED", "USER", "A seller's item was marked shipped"));

    private static final Pattern VERIFICATION_TOKEN = Pattern.compile("[A-Za-z0-9_-]{32,80}");
    private static final Pattern DESTINATION_BY_ID = Pattern.compile(NOTIFICATION + "/destination/([^/]+)");
    private static final Pattern SUBSCRIPTION_BY_ID = Pattern.compile(NOTIFICATION + "/subscription/([^/]+)");
    private static final Pattern SUBSCRIPTION_ACTION =
            Pattern.compile(NOTIFICATION + "/subscription/([^/]+)/(enable|disable)");
    private static final Pattern TOPIC_BY_ID = Pattern.compile(NOTIFICATION + "/topic/([^/]+)");

    /** Application tokens issued by the client-credentials grant, by {@code storeKey + " " + token}. */
    private final Map<String, Instant> appTokens = new ConcurrentHashMap<>();

    /** One store's notification destinations and subscriptions (eBay: the app's and the seller's). */
    private static final class NotificationState {
        final Map<String, ObjectNode> destinations = new java.util.LinkedHashMap<>();
        final Map<String, ObjectNode> subscriptions = new java.util.LinkedHashMap<>();
        long nextId = 1;
    }

    private final Map<String, NotificationState> notificationStates = new ConcurrentHashMap<>();

    private boolean applicationToken(ApiRequest request, StoreContext store) {
        String authorization = request.header("Authorization").orElse("");
        if (!authorization.startsWith("Bearer ")) {
            return false;
        }
        Instant expires = appTokens.get(store.storeKey() + " " + authorization.substring("Bearer ".length()));
        return expires != null && store.clock().instant().isBefore(expires);
    }

    /** Notification API writes are the app's set-up, not writes to the seller's store. */
    @Override
    public boolean isWrite(ApiRequest request) {
        return !request.path().startsWith(NOTIFICATION) && PlatformDialect.super.isWrite(request);
    }

    /**
     * eBay's Notification API (developer.ebay.com/api-docs/commerce/notification): {@code GET /topic} and {@code
     * /topic/{id}}; destinations ({@code GET}, {@code POST} 201 with {@code Location}, {@code GET/PUT/DELETE /{id}};
     * the endpoint must be HTTPS, the verification token 32 to 80 of {@code [A-Za-z0-9_-]}, one destination per
     * endpoint: 409 for a second); subscriptions ({@code GET}, {@code POST} 201 with {@code Location}, {@code
     * GET/PUT/DELETE /{id}}, {@code POST /{id}/enable|disable}; one per topic: 409 for a second; a USER topic needs the
     * seller's token). Lists page by {@code limit} (10 to 100 for topics, at most 100 else; default 20) and {@code
     * continuation_token}. Unlike eBay, a new destination's endpoint is not called back with a challenge (the
     * simulator cannot assume it reaches the endpoint).
     */
    private ApiAnswer notificationApi(ApiRequest request, String path, StoreContext store) {
        NotificationState state = notificationStates.computeIfAbsent(store.storeKey(), k -> new NotificationState());
        String method = request.method();
        Matcher m;
        synchronized (state) {
            if (path.equals(NOTIFICATION + "/topic") && method.equals("GET")) {
                List<ObjectNode> topics = new ArrayList<>();
                TOPICS.values().stream()
                        .sorted(java.util.Comparator.comparing(Topic::id))
                        .forEach(t -> topics.add(topic(t)));
                return page(request, path, "topics", topics, 10, store);
            }
            if ((m = TOPIC_BY_ID.matcher(path)).matches() && method.equals("GET")) {
                Topic topic = TOPICS.get(m.group(1));
                return topic == null
                        ? error(404, 195001, "API_NOTIFICATION", "The specified topic id is invalid")
                        : ApiAnswer.json(200, topic(topic));
            }
            if (path.equals(NOTIFICATION + "/destination")) {
                return switch (method) {
                    case "GET" ->
                        page(request, path, "destinations", new ArrayList<>(state.destinations.values()), 1, store);
                    case "POST" ->
                        Payloads.jsonObject(request)
                                .map(body -> saveDestination(state, null, body, store))
                                .orElseGet(() -> error(400, 195003, "API_NOTIFICATION", "Invalid JSON"));
                    default -> error(405, 2002, "ACCESS", "Method not allowed");
                };
            }
            if ((m = DESTINATION_BY_ID.matcher(path)).matches()) {
                String id = m.group(1);
                if (!state.destinations.containsKey(id)) {
                    return error(404, 195005, "API_NOTIFICATION", "The specified destination id is invalid");
                }
                return switch (method) {
                    case "GET" -> ApiAnswer.json(200, state.destinations.get(id));
                    case "PUT" ->
                        Payloads.jsonObject(request)
                                .map(body -> saveDestination(state, id, body, store))
                                .orElseGet(() -> error(400, 195003, "API_NOTIFICATION", "Invalid JSON"));
                    case "DELETE" -> {
                        if (state.subscriptions.values().stream()
                                .anyMatch(s -> id.equals(s.path("destinationId").asText()))) {
                            yield error(409, 195025, "API_NOTIFICATION", "The destination is in use");
                        }
                        state.destinations.remove(id);
                        yield ApiAnswer.empty(204);
                    }
                    default -> error(405, 2002, "ACCESS", "Method not allowed");
                };
            }
            if (path.equals(NOTIFICATION + "/subscription")) {
                return switch (method) {
                    case "GET" ->
                        page(request, path, "subscriptions", new ArrayList<>(state.subscriptions.values()), 1, store);
                    case "POST" ->
                        Payloads.jsonObject(request)
                                .map(body -> saveSubscription(state, null, body, request, store))
                                .orElseGet(() -> error(400, 195003, "API_NOTIFICATION", "Invalid JSON"));
                    default -> error(405, 2002, "ACCESS", "Method not allowed");
                };
            }
            if ((m = SUBSCRIPTION_ACTION.matcher(path)).matches() && method.equals("POST")) {
                ObjectNode subscription = state.subscriptions.get(m.group(1));
                if (subscription == null) {
                    return error(404, 195008, "API_NOTIFICATION", "The specified subscription id is invalid");
                }
                subscription.put("status", m.group(2).equals("enable") ? "ENABLED" : "DISABLED");
                return ApiAnswer.empty(204);
            }
            if ((m = SUBSCRIPTION_BY_ID.matcher(path)).matches()) {
                String id = m.group(1);
                if (!state.subscriptions.containsKey(id)) {
                    return error(404, 195008, "API_NOTIFICATION", "The specified subscription id is invalid");
                }
                return switch (method) {
                    case "GET" -> ApiAnswer.json(200, state.subscriptions.get(id));
                    case "PUT" ->
                        Payloads.jsonObject(request)
                                .map(body -> saveSubscription(state, id, body, request, store))
                                .orElseGet(() -> error(400, 195003, "API_NOTIFICATION", "Invalid JSON"));
                    case "DELETE" -> {
                        state.subscriptions.remove(id);
                        yield ApiAnswer.empty(204);
                    }
                    default -> error(405, 2002, "ACCESS", "Method not allowed");
                };
            }
        }
        return error(404, 2002, "ACCESS", "Resource not found");
    }

    private static ObjectNode topic(Topic topic) {
        ObjectNode json = Payloads.object();
        json.put("topicId", topic.id());
        json.put("description", topic.description());
        json.put("status", "ENABLED");
        json.put("context", "SELLER");
        json.put("scope", topic.scope());
        json.putArray("authorizationScopes").add("https://api.ebay.com/oauth/api_scope/sell.fulfillment");
        ObjectNode payload = json.putArray("supportedPayloads").addObject();
        payload.put("schemaVersion", "1.0");
        payload.putArray("format").add("JSON");
        payload.put("deliveryProtocol", "HTTPS");
        payload.put("deprecated", false);
        json.put("filterable", false);
        return json;
    }

    /** One page of a list by {@code limit} (in {@code [minLimit, 100]}, default 20) and {@code continuation_token}. */
    private static ApiAnswer page(
            ApiRequest request, String path, String field, List<ObjectNode> all, int minLimit, StoreContext store) {
        int limit;
        int offset;
        try {
            limit = Integer.parseInt(request.param("limit").orElse("20"));
            offset = Integer.parseInt(request.param("continuation_token").orElse("0"));
        } catch (NumberFormatException e) {
            return error(400, 195002, "API_NOTIFICATION", "Invalid limit or continuation token");
        }
        if (limit < minLimit || limit > 100 || offset < 0) {
            return error(400, 195002, "API_NOTIFICATION", "The limit must be between " + minLimit + " and 100");
        }
        ObjectNode json = Payloads.object();
        ArrayNode list = json.putArray(field);
        all.stream().skip(offset).limit(limit).forEach(list::add);
        json.put("total", all.size());
        json.put("limit", limit);
        if (offset + limit < all.size()) {
            json.put("next", store.baseUrl() + path + "?limit=" + limit + "&continuation_token=" + (offset + limit));
        }
        return ApiAnswer.json(200, json);
    }

    private static ApiAnswer saveDestination(NotificationState state, String id, JsonNode body, StoreContext store) {
        String endpoint = body.path("deliveryConfig").path("endpoint").asText("");
        String token = body.path("deliveryConfig").path("verificationToken").asText("");
        String status = body.path("status").asText("ENABLED");
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            return error(400, 195020, "API_NOTIFICATION", "The endpoint must be an HTTPS URL");
        }
        if (!VERIFICATION_TOKEN.matcher(token).matches()) {
            return error(
                    400,
                    195021,
                    "API_NOTIFICATION",
                    "The verification token must be 32 to 80 characters of letters, digits, _ and -");
        }
        if (!status.equals("ENABLED") && !status.equals("DISABLED")) {
            return error(400, 195022, "API_NOTIFICATION", "The status must be ENABLED or DISABLED");
        }
        boolean taken = state.destinations.entrySet().stream()
                .anyMatch(e -> !e.getKey().equals(id)
                        && endpoint.equals(e.getValue()
                                .path("deliveryConfig")
                                .path("endpoint")
                                .asText()));
        if (taken) {
            return error(409, 195024, "API_NOTIFICATION", "A destination with this endpoint already exists");
        }
        String destinationId = id != null ? id : "dest-" + state.nextId++;
        ObjectNode destination = Payloads.object();
        destination.put("destinationId", destinationId);
        destination.put("name", body.path("name").asText(""));
        destination.put("status", status);
        ObjectNode config = destination.putObject("deliveryConfig");
        config.put("endpoint", endpoint);
        config.put("verificationToken", token);
        state.destinations.put(destinationId, destination);
        return id != null
                ? ApiAnswer.empty(204)
                : ApiAnswer.empty(201)
                        .withHeader("Location", store.baseUrl() + NOTIFICATION + "/destination/" + destinationId);
    }

    private ApiAnswer saveSubscription(
            NotificationState state, String id, JsonNode body, ApiRequest request, StoreContext store) {
        ObjectNode existing = id == null ? null : state.subscriptions.get(id);
        String topicId = existing != null
                ? existing.path("topicId").asText()
                : body.path("topicId").asText("");
        Topic topic = TOPICS.get(topicId);
        if (topic == null) {
            return error(400, 195001, "API_NOTIFICATION", "The specified topic id is invalid");
        }
        if (topic.scope().equals("USER") && applicationToken(request, store)) {
            return error(
                    403,
                    195011,
                    "API_NOTIFICATION",
                    "Not authorized for this topic: a seller's topic is subscribed with the seller's token");
        }
        String destinationId = body.path("destinationId").asText("");
        if (!state.destinations.containsKey(destinationId)) {
            return error(400, 195005, "API_NOTIFICATION", "The specified destination id is invalid");
        }
        JsonNode payload = body.path("payload");
        if (!"1.0".equals(payload.path("schemaVersion").asText())
                || !"JSON".equals(payload.path("format").asText())
                || !"HTTPS".equals(payload.path("deliveryProtocol").asText())) {
            return error(400, 195013, "API_NOTIFICATION", "The payload is not one the topic supports");
        }
        String status = body.path("status").asText("DISABLED");
        if (!status.equals("ENABLED") && !status.equals("DISABLED")) {
            return error(400, 195022, "API_NOTIFICATION", "The status must be ENABLED or DISABLED");
        }
        boolean duplicate = state.subscriptions.entrySet().stream()
                .anyMatch(e -> !e.getKey().equals(id)
                        && topicId.equals(e.getValue().path("topicId").asText()));
        if (duplicate) {
            return error(409, 195016, "API_NOTIFICATION", "A subscription to this topic already exists");
        }
        String subscriptionId = id != null ? id : "sub-" + state.nextId++;
        ObjectNode subscription = Payloads.object();
        subscription.put("subscriptionId", subscriptionId);
        subscription.put("topicId", topicId);
        subscription.put("status", status);
        subscription.put(
                "creationDate",
                existing != null
                        ? existing.path("creationDate").asText()
                        : Payloads.iso(store.clock().instant()));
        subscription.put("destinationId", destinationId);
        subscription.set("payload", payload.deepCopy());
        state.subscriptions.put(subscriptionId, subscription);
        return id != null
                ? ApiAnswer.empty(204)
                : ApiAnswer.empty(201)
                        .withHeader("Location", store.baseUrl() + NOTIFICATION + "/subscription/" + subscriptionId);
    }

    // ---- notification public key ----

    private ApiAnswer publicKey(String kid, StoreContext store) {
        KeyPair pair = keys.get(store.storeKey());
        if (pair == null || !kid(store.storeKey()).equals(kid)) {
            return error(404, 195000, "API_NOTIFICATION", "Resource not found");
        }
        ObjectNode json = Payloads.object();
        json.put(
                "key",
                "-----BEGIN PUBLIC KEY-----"
                        + Base64.getEncoder().encodeToString(pair.getPublic().getEncoded())
                        + "-----END PUBLIC KEY-----");
        json.put("algorithm", "ECDSA");
        json.put("digest", "SHA1");
        return ApiAnswer.json(200, json);
    }

    // ---- orders ----

    private ApiAnswer orders(ApiRequest request, StoreContext store) {
        int limit = Math.min(MAX_ORDERS, Math.max(1, request.intParam("limit", 50)));
        int offset = Math.max(0, request.intParam("offset", 0));
        Instant since = Instant.EPOCH;
        Instant before = null;
        Optional<String> filter = request.param("filter");
        if (filter.isPresent()) {
            Matcher m = RANGE.matcher(filter.get());
            if (!m.matches()) {
                return error(400, 30700, "API_FULFILLMENT", "Invalid filter");
            }
            try {
                since = Instant.parse(m.group(1));
                // eBay's upper bound is inclusive
                before = m.group(2).isEmpty() ? null : Instant.parse(m.group(2)).plusMillis(1);
            } catch (DateTimeParseException e) {
                return error(400, 30700, "API_FULFILLMENT", "Invalid filter date");
            }
        }
        int total = store.state().countBetween(EntityType.ORDER, since, before);
        List<SimEntity> page = store.state().pageBetween(EntityType.ORDER, since, before, offset, limit);
        ObjectNode json = Payloads.object();
        json.put("href", store.baseUrl() + FULFILLMENT + "?limit=" + limit + "&offset=" + offset);
        json.put("total", total);
        json.put("limit", limit);
        json.put("offset", offset);
        if (offset + page.size() < total) {
            json.put("next", store.baseUrl() + FULFILLMENT + "?limit=" + limit + "&offset=" + (offset + page.size()));
        }
        ArrayNode orders = json.putArray("orders");
        page.forEach(o -> orders.add(order((Order) o, store)));
        return ApiAnswer.json(200, json);
    }

    private static ObjectNode amount(BigDecimal value, String currency) {
        ObjectNode json = Payloads.object();
        json.put("value", Payloads.money(value));
        json.put("currency", currency);
        return json;
    }

    static ObjectNode order(Order order, StoreContext store) {
        ObjectNode json = Payloads.object();
        json.put("orderId", order.id());
        json.put("legacyOrderId", order.id());
        json.put("creationDate", time(order.createdAt()));
        json.put("lastModifiedDate", time(order.updatedAt()));
        List<Shipment> shipments = store.state().shipmentsOf(order.id());
        String fulfillment = order.status() == OrderStatus.FULFILLED || order.status() == OrderStatus.CLOSED
                ? "FULFILLED"
                : shipments.isEmpty() ? "NOT_STARTED" : "IN_PROGRESS";
        json.put("orderFulfillmentStatus", fulfillment);
        json.put(
                "orderPaymentStatus",
                switch (order.status()) {
                    case PENDING, ON_HOLD -> "PENDING";
                    case FAILED -> "FAILED";
                    case REFUNDED -> "FULLY_REFUNDED";
                    default -> order.fullyRefunded() ? "FULLY_REFUNDED" : "PAID";
                });
        json.put("sellerId", store.storeId());
        ObjectNode buyer = json.putObject("buyer");
        buyer.put("username", "buyer_" + order.customerId());
        ObjectNode registration = buyer.putObject("buyerRegistrationAddress");
        registration.put("fullName", order.firstName() + " " + order.lastName());
        registration.put("email", order.email());
        ObjectNode pricing = json.putObject("pricingSummary");
        pricing.set("priceSubtotal", amount(order.subtotal(), order.currency()));
        pricing.set("deliveryCost", amount(order.shipping(), order.currency()));
        pricing.set("total", amount(order.total(), order.currency()));
        ObjectNode cancel = json.putObject("cancelStatus");
        cancel.put("cancelState", order.status() == OrderStatus.CANCELLED ? "CANCELED" : "NONE_REQUESTED");
        cancel.putArray("cancelRequests");
        ObjectNode payments = json.putObject("paymentSummary");
        payments.putArray("refunds");
        ArrayNode paid = payments.putArray("payments");
        if (order.status() != OrderStatus.PENDING) {
            ObjectNode payment = paid.addObject();
            payment.put("paymentMethod", "EBAY");
            payment.put("paymentReferenceId", "PAY-" + order.id());
            payment.put("paymentDate", time(order.createdAt()));
            payment.set("amount", amount(order.total(), order.currency()));
            payment.put("paymentStatus", "PAID");
        }
        ObjectNode instruction = json.putArray("fulfillmentStartInstructions").addObject();
        instruction.put("fulfillmentInstructionsType", "SHIP_TO");
        instruction.put("ebaySupportedFulfillment", false);
        ObjectNode step = instruction.putObject("shippingStep");
        ObjectNode shipTo = step.putObject("shipTo");
        shipTo.put("fullName", order.firstName() + " " + order.lastName());
        ObjectNode address = shipTo.putObject("contactAddress");
        address.put("addressLine1", order.address().address1());
        address.put("city", order.address().city());
        address.put("stateOrProvince", order.address().provinceCode());
        address.put("postalCode", order.address().zip());
        address.put("countryCode", order.address().countryCode());
        shipTo.putObject("primaryPhone").put("phoneNumber", order.address().phone());
        shipTo.put("email", order.email());
        step.put("shippingCarrierCode", "USPS");
        step.put("shippingServiceCode", "USPSPriority");
        ArrayNode hrefs = json.putArray("fulfillmentHrefs");
        shipments.forEach(
                s -> hrefs.add(store.baseUrl() + FULFILLMENT + "/" + order.id() + "/shipping_fulfillment/" + s.id()));
        ArrayNode lines = json.putArray("lineItems");
        for (OrderLine line : order.lines()) {
            ObjectNode item = lines.addObject();
            item.put("lineItemId", line.id());
            item.put("legacyItemId", line.productId());
            item.put("sku", line.sku());
            item.put("title", line.title());
            item.set("lineItemCost", amount(line.total(), order.currency()));
            item.put("quantity", line.quantity());
            item.put("soldFormat", "FIXED_PRICE");
            item.put("listingMarketplaceId", "EBAY_US");
            item.put("lineItemFulfillmentStatus", fulfillment);
            item.set("total", amount(line.total(), order.currency()));
        }
        return json;
    }

    static ObjectNode fulfillment(Shipment shipment) {
        ObjectNode json = Payloads.object();
        json.put("fulfillmentId", shipment.id());
        json.put("shipmentTrackingNumber", shipment.trackingNumber());
        json.put("shippingCarrierCode", shipment.carrier());
        if (shipment.service() != null) {
            json.put("shippingServiceCode", shipment.service());
        }
        json.put("shippedDate", time(shipment.createdAt()));
        ArrayNode lines = json.putArray("lineItems");
        for (Shipment.Line line : shipment.lines()) {
            lines.addObject().put("lineItemId", line.orderLineId()).put("quantity", line.quantity());
        }
        return json;
    }

    private static ApiAnswer createFulfillment(String orderId, JsonNode body, StoreContext store) {
        if (store.state().get(EntityType.ORDER, orderId).isEmpty()) {
            return error(404, 32100, "API_FULFILLMENT", "Invalid order ID");
        }
        if (!body.path("lineItems").isArray() || body.path("lineItems").isEmpty()) {
            return error(400, 32800, "API_FULFILLMENT", "lineItems are required");
        }
        List<StoreWrites.ShipLine> lines = new ArrayList<>();
        for (JsonNode item : body.path("lineItems")) {
            lines.add(new StoreWrites.ShipLine(
                    item.path("lineItemId").asText(""), item.path("quantity").asInt()));
        }
        String carrier = body.path("shippingCarrierCode").asText("");
        WriteResult result = store.writer()
                .apply(w -> w.createShipment(
                        orderId,
                        lines,
                        carrier.isEmpty() ? "Other" : carrier,
                        body.path("trackingNumber").asText(""),
                        null));
        if (result instanceof WriteResult.Applied applied) {
            Shipment shipment = (Shipment) applied.entity();
            return ApiAnswer.empty(201)
                    .withHeader(
                            "Location",
                            store.baseUrl() + FULFILLMENT + "/" + orderId + "/shipping_fulfillment/" + shipment.id());
        }
        if (result instanceof WriteResult.NotFound) {
            return error(400, 32100, "API_FULFILLMENT", "Invalid line item ID");
        }
        return error(400, 32800, "API_FULFILLMENT", ((WriteResult.Invalid) result).message());
    }

    // ---- inventory ----

    private static Optional<InventoryLevel> levelBySku(String sku, StoreContext store) {
        return store.state().all(EntityType.INVENTORY_LEVEL).stream()
                .map(InventoryLevel.class::cast)
                .filter(l -> sku.equals(l.sku()))
                .findFirst();
    }

    private ApiAnswer items(ApiRequest request, StoreContext store) {
        int limit = Math.min(MAX_ITEMS, Math.max(1, request.intParam("limit", 25)));
        int offset = Math.max(0, request.intParam("offset", 0));
        List<InventoryLevel> all = store.state().all(EntityType.INVENTORY_LEVEL).stream()
                .map(InventoryLevel.class::cast)
                .sorted(Comparator.comparing(InventoryLevel::sku))
                .toList();
        List<InventoryLevel> page = all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()));
        ObjectNode json = Payloads.object();
        json.put("href", store.baseUrl() + INVENTORY + "/inventory_item?limit=" + limit + "&offset=" + offset);
        json.put("total", all.size());
        json.put("size", page.size());
        json.put("limit", limit);
        if (offset + page.size() < all.size()) {
            json.put(
                    "next",
                    store.baseUrl() + INVENTORY + "/inventory_item?limit=" + limit + "&offset="
                            + (offset + page.size()));
        }
        ArrayNode items = json.putArray("inventoryItems");
        page.forEach(level -> items.add(item(level)));
        return ApiAnswer.json(200, json);
    }

    static ObjectNode item(InventoryLevel level) {
        ObjectNode json = Payloads.object();
        json.put("sku", level.sku());
        json.put("locale", "en_US");
        json.put("condition", "NEW");
        ObjectNode shipTo = json.putObject("availability").putObject("shipToLocationAvailability");
        shipTo.put("quantity", level.available());
        return json;
    }

    private static ApiAnswer bulkUpdate(JsonNode body, StoreContext store) {
        JsonNode requests = body.path("requests");
        if (!requests.isArray() || requests.isEmpty() || requests.size() > 25) {
            return error(400, 25709, "API_INVENTORY", "requests must hold 1 to 25 entries");
        }
        ObjectNode answer = Payloads.object();
        ArrayNode responses = answer.putArray("responses");
        for (JsonNode request : requests) {
            String sku = request.path("sku").asText("");
            JsonNode quantity = request.path("shipToLocationAvailability").path("quantity");
            ObjectNode response = responses.addObject();
            response.put("sku", sku);
            Optional<InventoryLevel> level = levelBySku(sku, store);
            if (level.isEmpty()) {
                response.put("statusCode", 404);
                response.putArray("errors").addObject().put("errorId", 25710).put("message", "SKU not found");
                continue;
            }
            if (!quantity.canConvertToInt() || quantity.asInt() < 0) {
                response.put("statusCode", 400);
                response.putArray("errors").addObject().put("errorId", 25709).put("message", "Invalid quantity");
                continue;
            }
            InventoryLevel l = level.get();
            store.writer().apply(w -> w.setInventory(l.inventoryItemId(), l.locationId(), quantity.asInt(), null));
            response.put("statusCode", 200);
        }
        return ApiAnswer.json(200, answer);
    }

    // ---- notifications ----

    /** No notification is sent for the store's changes (eBay's ORDER_CONFIRMATION is not simulated): they are polled. */
    @Override
    public List<WebhookMessage> webhooks(Notification notification, String eventSeed, StoreContext store) {
        return List.of();
    }

    /** {@code X-EBAY-SIGNATURE}: base64 of {@code {"alg":"ecdsa","kid","signature","digest":"SHA1"}}. */
    @Override
    public Map<String, String> deliveryHeaders(
            Subscription subscription, WebhookMessage message, String deliveryId, Instant sentAt, StoreContext store) {
        KeyPair pair = keys.computeIfAbsent(store.storeKey(), k -> newKeyPair());
        String signature;
        try {
            Signature signer = Signature.getInstance("SHA1withECDSA");
            signer.initSign(pair.getPrivate());
            signer.update(message.body());
            signature = Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
        ObjectNode header = Payloads.object();
        header.put("alg", "ecdsa");
        header.put("kid", kid(store.storeKey()));
        header.put("signature", signature);
        header.put("digest", "SHA1");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(
                "X-EBAY-SIGNATURE",
                Base64.getEncoder().encodeToString(Json.encode(header).getBytes(StandardCharsets.UTF_8)));
        return headers;
    }
}
