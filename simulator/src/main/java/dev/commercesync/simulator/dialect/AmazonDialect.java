package dev.commercesync.simulator.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.spi.ApiCredentials;
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
import dev.commercesync.simulator.model.Product;
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
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Amazon seller on SP-API, as the amazon adapter calls it: the Login with Amazon token endpoint ({@code POST
 * /auth/o2/token}, {@code grant_type=refresh_token}, answered under the store's base URL), Orders API v2026-01-01
 * {@code searchOrders} ({@code lastUpdatedAfter}, inclusive {@code lastUpdatedBefore}, {@code maxResultsPerPage} ≤ 100,
 * an opaque {@code nextToken}) and {@code getOrder}, Orders API v0 {@code confirmShipment}, Listings Items 2021-08-01
 * {@code getListingsItem}, {@code searchListingsItems} (pages of at most 20 listings with their quantities) and {@code
 * patchListingsItem} ({@code fulfillment_availability} quantity), Sellers API {@code getMarketplaceParticipations}. Orders have the
 * v2026-01-01 shape of Amazon's published examples (the adapter's fixtures); order ids are the simulator's.
 *
 * <p>Rate limits per operation, as Amazon's usage plans (rate per second, burst), each its own token bucket: a
 * refused call is 429 with SP-API's error list ({@code QuotaExceeded}) and no Retry-After, as SP-API answers. No
 * webhooks: SP-API sends notifications to SQS or EventBridge only, so the store's changes are polled, and with a
 * notification queue attached ({@code SimulatedStore#notificationQueue}) it sends ORDER_CHANGE there.
 * The seller id is derived from the store key; every listing is in one marketplace, {@link #MARKETPLACE}.
 */
public final class AmazonDialect implements PlatformDialect {
    /** Amazon.com's marketplace id: the store's one marketplace. */
    static final String MARKETPLACE = "ATVPDKIKX0DER";

    private static final String SEARCH = "/orders/2026-01-01/orders";
    private static final Pattern ORDER = Pattern.compile("/orders/2026-01-01/orders/([^/]+)");
    private static final Pattern CONFIRM = Pattern.compile("/orders/v0/orders/([^/]+)/shipmentConfirmation");
    private static final Pattern LISTING = Pattern.compile("/listings/2021-08-01/items/([^/]+)/([^/]+)");
    private static final Pattern LISTINGS = Pattern.compile("/listings/2021-08-01/items/([^/]+)");
    private static final String PARTICIPATIONS = "/sellers/v1/marketplaceParticipations";
    /** searchListingsItems' documented maximum pageSize (default 10). */
    private static final int MAX_LISTINGS_PAGE = 20;

    private static final int MAX_PAGE = 100;
    /** Budgets count ten-thousandths of a request: searchOrders refills 0.0056 requests a second, exactly. */
    static final long UNIT = 10_000;

    /** Operation → {rate in ten-thousandths per second, burst}: Amazon's published usage plans. */
    private static final Map<String, long[]> PLANS = Map.of(
            "searchOrders", new long[] {56, 20},
            "getOrder", new long[] {5_000, 30},
            "confirmShipment", new long[] {20_000, 10},
            "getListingsItem", new long[] {50_000, 10},
            "patchListingsItem", new long[] {50_000, 5},
            "searchListingsItems", new long[] {50_000, 5},
            "getMarketplaceParticipations", new long[] {160, 15});

    @Override
    public String platform() {
        return "amazon";
    }

    @Override
    public long firstId(IdKind kind) {
        return switch (kind) {
            case ORDER, ORDER_NUMBER -> 1_000_001;
            default -> 1 + (long) kind.ordinal() * 100_000L;
        };
    }

    /**
     * A seller id (merchant token): the store key upper-cased where that is one (8 to 20 letters and digits: a test
     * names its seller), else derived from the key ({@code A} and 13 hex digits).
     */
    @Override
    public String storeId(String storeKey, URI baseUrl) {
        String upper = storeKey.toUpperCase(Locale.ROOT);
        if (SELLER_ID.matcher(upper).matches()) {
            return upper;
        }
        return "A" + Payloads.tokenFor("", storeKey).substring(0, 13).toUpperCase(Locale.ROOT);
    }

    private static final Pattern SELLER_ID = Pattern.compile("[A-Z0-9]{8,20}");

    /** An LWA client and the seller's refresh token: the adapter exchanges them at {@code /auth/o2/token}. */
    @Override
    public ApiCredentials credentials(String storeKey) {
        return new ApiCredentials.RefreshToken(
                "amzn1.application-oa2-client.simulated",
                Payloads.tokenFor("lwa-secret-", storeKey),
                "Atzr|" + Payloads.tokenFor("", storeKey));
    }

    @Override
    public String credentialsText(ApiCredentials credentials) {
        return credentials.storedForm();
    }

    /** LWA access tokens last an hour. */
    static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofHours(1);

    @Override
    public Map<String, ApiBudget> budgets(TimeMeter time, boolean enforced) {
        Map<String, ApiBudget> budgets = new HashMap<>();
        PLANS.forEach((operation, plan) -> budgets.put(
                operation,
                enforced
                        ? ApiBudget.refilling(plan[1] * UNIT, plan[0], time)
                        : ApiBudget.refilling(1_000_000_000L * UNIT, 1_000_000_000L, time)));
        return Map.copyOf(budgets);
    }

    /** Never used: the store sends no webhooks. */
    @Override
    public DeliveryPolicy deliveryPolicy() {
        return new DeliveryPolicy(1, Duration.ofSeconds(1), 0);
    }

    @Override
    public Set<String> topics() {
        return Set.of();
    }

    @Override
    public boolean authorized(ApiRequest request, StoreContext store) {
        return request.header("x-amz-access-token")
                .map(token -> store.appInstalls()
                        .accessTokenValid(token, store.clock().instant()))
                .orElse(false);
    }

    /**
     * The SP-API website authorization workflow and Login with Amazon's token endpoint: {@code GET
     * /apps/authorize/consent?application_id&state&redirect_uri} (Seller Central: the seller consents at once) sends
     * the browser to {@code redirect_uri} with {@code state, selling_partner_id, spapi_oauth_code}; {@code POST
     * /auth/o2/token} exchanges that code ({@code grant_type=authorization_code}, the app's client id and secret: the
     * store's webhook secret stands for it) for a refresh token and an access token, and a refresh token ({@code
     * grant_type=refresh_token}) for an access token of an hour ({@link AppInstalls#accessTokenLifetime}). Unknown,
     * used or foreign codes and refresh tokens, and any after the seller revoked the app, are {@code 400
     * invalid_grant}; a wrong client is {@code 401 invalid_client}, as LWA answers them.
     */
    @Override
    public ApiAnswer appInstall(ApiRequest request, StoreContext store) {
        if (request.path().equals(AUTHORIZE_CONSENT) && request.method().equals("GET")) {
            String applicationId = request.param("application_id").orElse("");
            String state = request.param("state").orElse("");
            String redirect = request.param("redirect_uri").orElse("");
            if (applicationId.isEmpty() || state.isEmpty() || redirect.isEmpty()) {
                return lwaError(400, "invalid_request", "application_id, state and redirect_uri are required");
            }
            String code = store.appInstalls().issue(applicationId, Set.of());
            String location = redirect + (redirect.contains("?") ? "&" : "?") + "state="
                    + URLEncoder.encode(state, StandardCharsets.UTF_8) + "&selling_partner_id=" + store.storeId()
                    + "&spapi_oauth_code=" + code;
            return ApiAnswer.empty(302).withHeader("Location", location);
        }
        if (!request.path().equals("/auth/o2/token")) {
            return null;
        }
        Map<String, String> form =
                ApiRequest.parseQuery(request.body() == null ? "" : new String(request.body(), StandardCharsets.UTF_8));
        if (!request.method().equals("POST")) {
            return lwaError(400, "invalid_request", "The request must be a POST");
        }
        ApiCredentials.RefreshToken seeded = (ApiCredentials.RefreshToken) store.credentials();
        String clientId = form.getOrDefault("client_id", "");
        String clientSecret = form.getOrDefault("client_secret", "");
        boolean seededClient =
                seeded.clientId().equals(clientId) && seeded.clientSecret().equals(clientSecret);
        boolean appClient = java.security.MessageDigest.isEqual(
                clientSecret.getBytes(StandardCharsets.UTF_8),
                store.webhookSecret().bytes());
        if (!seededClient && !appClient) {
            return lwaError(401, "invalid_client", "Client authentication failed");
        }
        Instant now = store.clock().instant();
        ObjectNode token = Payloads.object();
        switch (form.getOrDefault("grant_type", "")) {
            case "authorization_code" -> {
                // The code was issued for the SP-API application; only the app's secret exchanges it.
                Optional<AppInstalls.IssuedCode> issued =
                        appClient ? store.appInstalls().redeem(form.get("code")) : Optional.empty();
                if (issued.isEmpty()) {
                    return lwaError(400, "invalid_grant", "The request has an invalid grant parameter : code");
                }
                store.appInstalls().installedBy(clientId);
                token.put("refresh_token", seeded.refreshToken());
            }
            case "refresh_token" -> {
                boolean forClient = seededClient
                        || store.appInstalls()
                                .installedClientId()
                                .map(clientId::equals)
                                .orElse(false);
                if (store.appInstalls().revoked()
                        || !forClient
                        || !seeded.refreshToken().equals(form.get("refresh_token"))) {
                    return lwaError(400, "invalid_grant", "The request has an invalid grant parameter : refresh_token");
                }
                store.appInstalls().refreshed();
                token.put("refresh_token", seeded.refreshToken());
            }
            default -> {
                return lwaError(400, "unsupported_grant_type", "The authorization grant type is not supported");
            }
        }
        token.put("access_token", store.appInstalls().issueAccessToken("Atza|", ACCESS_TOKEN_LIFETIME, now));
        token.put("token_type", "bearer");
        token.put(
                "expires_in",
                store.appInstalls().accessTokenLifetime(ACCESS_TOKEN_LIFETIME).toSeconds());
        return ApiAnswer.json(200, token);
    }

    static final String AUTHORIZE_CONSENT = "/apps/authorize/consent";

    private static ApiAnswer lwaError(int status, String error, String description) {
        ObjectNode body = Payloads.object();
        body.put("error", error);
        body.put("error_description", description);
        return ApiAnswer.json(status, body);
    }

    /** SKU at the store's marketplace: what a SetInventoryLevel names ({@code <seller_sku>@<marketplace_id>}). */
    @Override
    public String platformId(SimEntity entity) {
        return entity instanceof InventoryLevel level ? skuOf(level) + "@" + MARKETPLACE : entity.id();
    }

    private static String skuOf(InventoryLevel level) {
        return level.sku();
    }

    @Override
    public String[] stockIds(InventoryLevel level) {
        return new String[] {skuOf(level), MARKETPLACE};
    }

    @Override
    public ApiAnswer rateLimited(ApiRequest request, StoreContext store) {
        return quotaExceeded(operation(request));
    }

    private static ApiAnswer quotaExceeded(String operation) {
        long[] plan = PLANS.getOrDefault(operation, new long[] {UNIT, 1});
        return errors(429, "QuotaExceeded", "You exceeded your quota for the requested resource.")
                .withHeader("x-amzn-RateLimit-Limit", rate(plan));
    }

    private static String rate(long[] plan) {
        return BigDecimal.valueOf(plan[0]).movePointLeft(4).stripTrailingZeros().toPlainString();
    }

    /** The operation a request calls, for its bucket. */
    private static String operation(ApiRequest request) {
        String path = request.path();
        if (path.equals(SEARCH)) {
            return "searchOrders";
        }
        if (ORDER.matcher(path).matches()) {
            return "getOrder";
        }
        if (CONFIRM.matcher(path).matches()) {
            return "confirmShipment";
        }
        if (LISTING.matcher(path).matches()) {
            return request.method().equals("PATCH") ? "patchListingsItem" : "getListingsItem";
        }
        if (LISTINGS.matcher(path).matches()) {
            return "searchListingsItems";
        }
        if (path.equals(PARTICIPATIONS)) {
            return "getMarketplaceParticipations";
        }
        return "getOrder";
    }

    @Override
    public ApiAnswer handle(ApiRequest request, StoreContext store) {
        String operation = operation(request);
        ApiBudget.Outcome budget = store.budget(operation).consume(UNIT);
        if (!budget.granted()) {
            store.stats().apiRateLimited();
            return quotaExceeded(operation);
        }
        return route(request, store).withHeader("x-amzn-RateLimit-Limit", rate(PLANS.get(operation)));
    }

    private ApiAnswer route(ApiRequest request, StoreContext store) {
        String path = request.path();
        String method = request.method();
        Matcher m;
        if (method.equals("GET") && path.equals(SEARCH)) {
            return searchOrders(request, store);
        }
        if (method.equals("GET") && (m = ORDER.matcher(path)).matches()) {
            return store.state()
                    .get(EntityType.ORDER, decode(m.group(1)), Order.class)
                    .map(o -> {
                        ObjectNode body = Payloads.object();
                        body.set("order", order(o, store));
                        return ApiAnswer.json(200, body);
                    })
                    .orElseGet(() -> errors(404, "NotFound", "The resource specified does not exist."));
        }
        if (method.equals("POST") && (m = CONFIRM.matcher(path)).matches()) {
            return confirmShipment(decode(m.group(1)), request, store);
        }
        if (method.equals("GET") && path.equals(PARTICIPATIONS)) {
            return marketplaceParticipations(store);
        }
        if (method.equals("GET") && (m = LISTINGS.matcher(path)).matches()) {
            if (!store.storeId().equals(decode(m.group(1)))) {
                return errors(403, "Unauthorized", "Access to requested resource is denied.");
            }
            if (!MARKETPLACE.equals(request.param("marketplaceIds").orElse(""))) {
                return errors(400, "InvalidInput", "marketplaceIds must name a marketplace of the seller.");
            }
            return searchListings(request, store);
        }
        if ((m = LISTING.matcher(path)).matches()) {
            // the seller id segment is not checked: the access token names the store's one seller
            if (!MARKETPLACE.equals(request.param("marketplaceIds").orElse(""))) {
                return errors(400, "InvalidInput", "marketplaceIds must name a marketplace of the seller.");
            }
            String sku = decode(m.group(2));
            if (method.equals("GET")) {
                return listing(sku, store);
            }
            if (method.equals("PATCH")) {
                return patchListing(sku, request, store);
            }
        }
        return errors(404, "NotFound", "The resource specified does not exist.");
    }

    // --- orders --------------------------------------------------------------------------------------------------

    private ApiAnswer searchOrders(ApiRequest request, StoreContext store) {
        Optional<Instant> after = instant(request.param("lastUpdatedAfter"));
        if (after.isEmpty()) {
            return errors(400, "InvalidInput", "Exactly one of createdAfter and lastUpdatedAfter is required.");
        }
        Optional<String> beforeText = request.param("lastUpdatedBefore");
        Optional<Instant> before = instant(beforeText);
        if (beforeText.isPresent() && before.isEmpty()) {
            return errors(400, "InvalidInput", "lastUpdatedBefore is not an ISO 8601 date-time.");
        }
        int limit = Math.min(MAX_PAGE, Math.max(1, request.intParam("maxResultsPerPage", MAX_PAGE)));
        long offset = 0;
        Optional<String> token = request.param("paginationToken");
        if (token.isPresent()) {
            try {
                offset = Long.parseLong(new String(Base64.getUrlDecoder().decode(token.get()), StandardCharsets.UTF_8)
                        .substring("offset:".length()));
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                return errors(400, "InvalidInput", "Invalid paginationToken.");
            }
        }
        // lastUpdatedBefore is inclusive: the state's upper bound is exclusive, one second later (whole seconds)
        Instant exclusive = before.map(b -> b.plusSeconds(1)).orElse(null);
        List<SimEntity> page = store.state().pageBetween(EntityType.ORDER, after.get(), exclusive, offset, limit + 1);
        ObjectNode body = Payloads.object();
        ArrayNode orders = body.putArray("orders");
        for (SimEntity entity : page.subList(0, Math.min(limit, page.size()))) {
            orders.add(order((Order) entity, store));
        }
        if (page.size() > limit) {
            String next = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(("offset:" + (offset + limit)).getBytes(StandardCharsets.UTF_8));
            body.putObject("pagination").put("nextToken", next);
        }
        return ApiAnswer.json(200, body);
    }

    private static Optional<Instant> instant(Optional<String> text) {
        try {
            return text.map(t -> OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The v2026-01-01 order of the published examples, filled with the simulated order. */
    static ObjectNode order(Order order, StoreContext store) {
        ObjectNode o = Payloads.object();
        o.put("orderId", order.id());
        o.put("createdTime", Payloads.iso(order.createdAt()));
        o.put("lastUpdatedTime", Payloads.iso(order.updatedAt()));
        ObjectNode channel = o.putObject("salesChannel");
        channel.put("channelName", "AMAZON");
        channel.put("marketplaceId", MARKETPLACE);
        channel.put("marketplaceName", "Amazon.com");
        ObjectNode buyer = o.putObject("buyer");
        buyer.put("buyerName", order.firstName() + " " + order.lastName());
        buyer.put("buyerEmail", order.email());
        if (order.address() != null) {
            ObjectNode address = o.putObject("recipient").putObject("deliveryAddress");
            address.put("name", order.firstName() + " " + order.lastName());
            address.put("addressLine1", order.address().address1());
            address.put("city", order.address().city());
            address.put("stateOrRegion", order.address().provinceCode());
            address.put("postalCode", order.address().zip());
            address.put("countryCode", order.address().countryCode());
            address.put("phone", order.address().phone());
            address.put("addressType", "RESIDENTIAL");
        }
        ObjectNode proceeds = o.putObject("proceeds");
        proceeds.set("grandTotal", money(order.total(), order.currency()));
        ArrayNode breakdowns = proceeds.putArray("breakdowns");
        breakdowns.addObject().put("type", "ITEM").set("subtotal", money(order.subtotal(), order.currency()));
        breakdowns.addObject().put("type", "SHIPPING").set("subtotal", money(order.shipping(), order.currency()));
        List<Shipment> shipments = store.state().shipmentsOf(order.id());
        ObjectNode fulfillment = o.putObject("fulfillment");
        fulfillment.put("fulfillmentStatus", fulfillmentStatus(order, shipments));
        fulfillment.put("fulfilledBy", "MERCHANT");
        fulfillment.put("fulfillmentServiceLevel", "STANDARD");
        ArrayNode items = o.putArray("orderItems");
        for (OrderLine line : order.lines()) {
            ObjectNode item = items.addObject();
            item.put("orderItemId", line.id());
            item.put("quantityOrdered", line.quantity());
            ObjectNode product = item.putObject("product");
            product.put(
                    "asin", "B0" + String.format(Locale.ROOT, "%08d", Long.parseLong(line.productId()) % 100_000_000));
            product.put("title", line.title());
            product.put("sellerSku", line.sku());
            product.putObject("price").set("unitPrice", money(line.unitPrice(), order.currency()));
            item.putObject("proceeds").set("proceedsTotal", money(line.total(), order.currency()));
        }
        ArrayNode packages = o.putArray("packages");
        for (Shipment shipment : shipments) {
            ObjectNode pkg = packages.addObject();
            pkg.put("packageReferenceId", shipment.id());
            pkg.put("createdTime", Payloads.iso(shipment.createdAt()));
            pkg.putObject("packageStatus").put("status", packageStatus(shipment));
            pkg.put("carrier", shipment.carrier());
            pkg.put("shipTime", Payloads.iso(shipment.createdAt()));
            pkg.put("trackingNumber", shipment.trackingNumber());
            ArrayNode packageItems = pkg.putArray("packageItems");
            for (Shipment.Line line : shipment.lines()) {
                packageItems.addObject().put("orderItemId", line.orderLineId()).put("quantity", line.quantity());
            }
        }
        return o;
    }

    private static String packageStatus(Shipment shipment) {
        return switch (shipment.progress()) {
            case LABEL_PRINTED -> "PENDING_SCHEDULE";
            case IN_TRANSIT -> "IN_TRANSIT";
            case DELIVERED -> "DELIVERED";
        };
    }

    private static String fulfillmentStatus(Order order, List<Shipment> shipments) {
        OrderStatus status = order.status();
        if (status == OrderStatus.CANCELLED || status == OrderStatus.FAILED) {
            return "CANCELLED";
        }
        if (status == OrderStatus.PENDING || status == OrderStatus.ON_HOLD) {
            return "PENDING";
        }
        if (status == OrderStatus.FULFILLED || status == OrderStatus.CLOSED || status == OrderStatus.REFUNDED) {
            return "SHIPPED";
        }
        return shipments.isEmpty() ? "UNSHIPPED" : "PARTIALLY_SHIPPED";
    }

    private static ObjectNode money(BigDecimal amount, String currency) {
        ObjectNode money = Payloads.object();
        money.put("amount", Payloads.money(amount));
        money.put("currencyCode", currency);
        return money;
    }

    private ApiAnswer confirmShipment(String orderId, ApiRequest request, StoreContext store) {
        Optional<JsonNode> body = Payloads.jsonObject(request);
        if (body.isEmpty()) {
            return errors(400, "InvalidInput", "The request body is not valid JSON.");
        }
        JsonNode detail = body.get().path("packageDetail");
        String tracking = detail.path("trackingNumber").asText("");
        String carrier = detail.path("carrierCode").asText("");
        if (!MARKETPLACE.equals(body.get().path("marketplaceId").asText())
                || tracking.isEmpty()
                || carrier.isEmpty()
                || !detail.path("packageReferenceId").asText("").matches("[1-9][0-9]*")
                || !detail.path("orderItems").isArray()
                || detail.path("orderItems").isEmpty()) {
            return errors(
                    400,
                    "InvalidInput",
                    "marketplaceId, packageReferenceId (positive numeric), carrierCode, trackingNumber and orderItems"
                            + " are required.");
        }
        if (carrier.equals("Other")) {
            carrier = detail.path("carrierName").asText("Other");
        }
        List<StoreWrites.ShipLine> lines = new ArrayList<>();
        for (JsonNode item : detail.path("orderItems")) {
            lines.add(new StoreWrites.ShipLine(
                    item.path("orderItemId").asText(), item.path("quantity").asInt()));
        }
        String shipCarrier = carrier;
        WriteResult result =
                store.writer().apply(writes -> writes.createShipment(orderId, lines, shipCarrier, tracking, null));
        if (result instanceof WriteResult.Applied || result instanceof WriteResult.Unchanged) {
            return ApiAnswer.empty(204);
        }
        if (result instanceof WriteResult.NotFound) {
            return errors(404, "NotFound", "The resource specified does not exist.");
        }
        return errors(
                400,
                "InvalidInput",
                result instanceof WriteResult.Invalid invalid ? invalid.message() : "The order changed.");
    }

    // --- listings ------------------------------------------------------------------------------------------------

    private ApiAnswer listing(String sku, StoreContext store) {
        Optional<ObjectNode> listing = store.writer()
                .read(writes -> writes.productBySku(sku).map(product -> listingOf(product, writes.levelOf(product))));
        return listing.map(l -> ApiAnswer.json(200, l))
                .orElseGet(() -> errors(404, "NOT_FOUND", "SKU '" + sku + "' not found in marketplace " + MARKETPLACE));
    }

    /**
     * searchListingsItems: the seller's listings in {@link #MARKETPLACE} by SKU (the data patchListingsItem changes),
     * {@code pageSize} 1 to 20 (default 10), an opaque {@code pagination.nextToken} while more follow, {@code
     * numberOfResults} the total, each item in getListingsItem's shape (summaries, fulfillmentAvailability).
     */
    private ApiAnswer searchListings(ApiRequest request, StoreContext store) {
        int pageSize = request.intParam("pageSize", 10);
        if (pageSize < 1 || pageSize > MAX_LISTINGS_PAGE) {
            return errors(400, "InvalidInput", "pageSize must be between 1 and " + MAX_LISTINGS_PAGE + ".");
        }
        int offset = 0;
        Optional<String> token = request.param("pageToken");
        if (token.isPresent()) {
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(token.get()), StandardCharsets.UTF_8);
                offset = Integer.parseInt(decoded.substring("listings:".length()));
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                return errors(400, "InvalidInput", "The pageToken is not valid.");
            }
        }
        int from = offset;
        ObjectNode page = store.writer().read(writes -> {
            List<Product> products = writes.productsBySku();
            ObjectNode body = Payloads.object();
            body.put("numberOfResults", products.size());
            int to = Math.min(products.size(), from + pageSize);
            if (to < products.size()) {
                body.putObject("pagination")
                        .put(
                                "nextToken",
                                Base64.getUrlEncoder()
                                        .withoutPadding()
                                        .encodeToString(("listings:" + to).getBytes(StandardCharsets.UTF_8)));
            }
            ArrayNode items = body.putArray("items");
            for (Product product : products.subList(Math.min(from, to), to)) {
                items.add(listingOf(product, writes.levelOf(product)));
            }
            return body;
        });
        return ApiAnswer.json(200, page);
    }

    /** getMarketplaceParticipations: the seller sells in one marketplace, {@link #MARKETPLACE} (Amazon.com). */
    private static ApiAnswer marketplaceParticipations(StoreContext store) {
        ObjectNode body = Payloads.object();
        ObjectNode participation = body.putArray("payload").addObject();
        ObjectNode marketplace = participation.putObject("marketplace");
        marketplace.put("id", MARKETPLACE);
        marketplace.put("name", "Amazon.com");
        marketplace.put("countryCode", "US");
        marketplace.put("defaultCurrencyCode", "USD");
        marketplace.put("defaultLanguageCode", "en_US");
        marketplace.put("domainName", "www.amazon.com");
        participation.put("storeName", store.storeKey());
        participation.putObject("participation").put("isParticipating", true).put("hasSuspendedListings", false);
        return ApiAnswer.json(200, body);
    }

    /** The getListingsItem shape of Amazon's example (summaries, fulfillmentAvailability), filled in. */
    private static ObjectNode listingOf(Product product, Optional<InventoryLevel> level) {
        ObjectNode l = Payloads.object();
        l.put("sku", product.sku());
        ObjectNode summary = l.putArray("summaries").addObject();
        summary.put("marketplaceId", MARKETPLACE);
        summary.put("asin", "B0" + String.format(Locale.ROOT, "%08d", Long.parseLong(product.id()) % 100_000_000));
        summary.put("productType", "PRODUCT");
        summary.put("conditionType", "new_new");
        summary.putArray("status").add("BUYABLE");
        summary.put("itemName", product.title());
        summary.put("createdDate", Payloads.iso(product.createdAt()));
        summary.put("lastUpdatedDate", Payloads.iso(product.updatedAt()));
        ObjectNode availability = l.putArray("fulfillmentAvailability").addObject();
        availability.put("fulfillmentChannelCode", "DEFAULT");
        availability.put("quantity", level.map(InventoryLevel::available).orElse(product.stock()));
        l.putArray("issues");
        return l;
    }

    private ApiAnswer patchListing(String sku, ApiRequest request, StoreContext store) {
        Optional<JsonNode> body = Payloads.jsonObject(request);
        if (body.isEmpty() || body.get().path("productType").asText("").isEmpty()) {
            return errors(400, "InvalidInput", "productType and patches are required.");
        }
        Integer quantity = null;
        for (JsonNode patch : body.get().path("patches")) {
            if ("/attributes/fulfillment_availability".equals(patch.path("path").asText())
                    && ("replace".equals(patch.path("op").asText())
                            || "merge".equals(patch.path("op").asText()))) {
                for (JsonNode value : patch.path("value")) {
                    if ("DEFAULT".equals(value.path("fulfillment_channel_code").asText())
                            && value.path("quantity").canConvertToInt()) {
                        quantity = value.path("quantity").asInt();
                    }
                }
            }
        }
        if (quantity == null || quantity < 0) {
            return submission(
                    sku, "INVALID", "90244", "fulfillment_availability needs a DEFAULT quantity of 0 or more.");
        }
        int wanted = quantity;
        Optional<String> inventoryItem =
                store.writer().read(writes -> writes.productBySku(sku).map(Product::inventoryItemId));
        if (inventoryItem.isEmpty()) {
            return errors(404, "NOT_FOUND", "SKU '" + sku + "' not found in marketplace " + MARKETPLACE);
        }
        WriteResult result = store.writer()
                .apply(writes -> writes.setInventory(inventoryItem.get(), writes.locationId(), wanted, null));
        if (result instanceof WriteResult.Applied || result instanceof WriteResult.Unchanged) {
            return submission(sku, "ACCEPTED", null, null);
        }
        if (result instanceof WriteResult.NotFound) {
            return errors(404, "NOT_FOUND", "SKU '" + sku + "' not found in marketplace " + MARKETPLACE);
        }
        return submission(
                sku,
                "INVALID",
                "90244",
                result instanceof WriteResult.Invalid invalid ? invalid.message() : "The listing changed.");
    }

    private static ApiAnswer submission(String sku, String status, String issueCode, String issue) {
        ObjectNode body = Payloads.object();
        body.put("sku", sku);
        body.put("status", status);
        body.put("submissionId", Payloads.uuid(sku + "/" + System.nanoTime()));
        ArrayNode issues = body.putArray("issues");
        if (issueCode != null) {
            issues.addObject().put("code", issueCode).put("message", issue).put("severity", "ERROR");
        }
        return ApiAnswer.json(200, body);
    }

    // --- shared --------------------------------------------------------------------------------------------------

    /** SP-API's error list. */
    private static ApiAnswer errors(int status, String code, String message) {
        ObjectNode body = Payloads.object();
        body.putArray("errors")
                .addObject()
                .put("code", code)
                .put("message", message)
                .put("details", "");
        return ApiAnswer.json(status, body);
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /**
     * An ORDER_CHANGE notification for every created or changed order, in the shape of Amazon's published example
     * (the adapter's fixture {@code order_change.notification_example.json}): the seller, the order id, a summary
     * (status in the Orders API v0 spelling, items by SKU) and a notification id derived from the store and the event,
     * so a redelivered copy would carry the same id.
     */
    @Override
    public List<String> queuedNotifications(Notification notification, String eventSeed, StoreContext store) {
        if (!(notification.entity() instanceof Order order)) {
            return List.of();
        }
        ObjectNode root = Payloads.object();
        root.put("NotificationVersion", "1.0");
        root.put("NotificationType", "ORDER_CHANGE");
        root.put("PayloadVersion", "1.0");
        String now = Payloads.iso(store.clock().instant());
        root.put("EventTime", now);
        ObjectNode change = root.putObject("Payload").putObject("OrderChangeNotification");
        change.put("NotificationLevel", "OrderLevel");
        change.put("SellerId", store.storeId());
        change.put("AmazonOrderId", order.id());
        change.put("OrderChangeType", "OrderStatusChange");
        ObjectNode trigger = change.putObject("OrderChangeTrigger");
        trigger.put("TimeOfOrderChange", Payloads.iso(order.updatedAt()));
        trigger.put("ChangeReason", "Order status changed");
        ObjectNode summary = change.putObject("Summary");
        summary.put("MarketplaceId", MARKETPLACE);
        summary.put("OrderStatus", v0Status(order.status()));
        summary.put("PurchaseDate", Payloads.iso(order.createdAt()));
        summary.put("FulfillmentType", "MFN");
        summary.put("OrderType", "StandardOrder");
        ArrayNode items = summary.putArray("OrderItems");
        for (OrderLine line : order.lines()) {
            ObjectNode item = items.addObject();
            item.put("OrderItemId", line.id());
            item.put("SellerSKU", line.sku());
            item.put("Quantity", line.quantity());
        }
        ObjectNode metadata = root.putObject("NotificationMetadata");
        metadata.put("ApplicationId", "amzn1.sellerapps.app.simulated");
        metadata.put("SubscriptionId", "subscription-" + store.storeKey());
        metadata.put("PublishTime", now);
        metadata.put("NotificationId", Payloads.uuid(store.storeKey() + "/" + eventSeed));
        return List.of(new String(Payloads.bytes(root), StandardCharsets.UTF_8));
    }

    /** The order status as ORDER_CHANGE's summary spells it (Orders API v0). */
    private static String v0Status(OrderStatus status) {
        if (status == OrderStatus.CANCELLED || status == OrderStatus.FAILED) {
            return "Canceled";
        }
        if (status == OrderStatus.PENDING || status == OrderStatus.ON_HOLD) {
            return "Pending";
        }
        if (status == OrderStatus.FULFILLED || status == OrderStatus.CLOSED || status == OrderStatus.REFUNDED) {
            return "Shipped";
        }
        return "Unshipped";
    }

    /** No webhooks: SP-API notifications go to SQS or EventBridge (see {@link #queuedNotifications}). */
    @Override
    public List<WebhookMessage> webhooks(Notification notification, String eventSeed, StoreContext store) {
        return List.of();
    }

    @Override
    public Map<String, String> deliveryHeaders(
            Subscription subscription, WebhookMessage message, String deliveryId, Instant sentAt, StoreContext store) {
        return Map.of();
    }
}
