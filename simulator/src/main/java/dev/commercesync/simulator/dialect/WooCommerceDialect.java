package dev.commercesync.simulator.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.HmacSignatures;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.http.ApiAnswer;
import dev.commercesync.simulator.http.ApiBudget;
import dev.commercesync.simulator.http.ApiRequest;
import dev.commercesync.simulator.model.Address;
import dev.commercesync.simulator.model.Customer;
import dev.commercesync.simulator.model.IdKind;
import dev.commercesync.simulator.model.InventoryLevel;
import dev.commercesync.simulator.model.Notification;
import dev.commercesync.simulator.model.Order;
import dev.commercesync.simulator.model.OrderLine;
import dev.commercesync.simulator.model.OrderStatus;
import dev.commercesync.simulator.model.Product;
import dev.commercesync.simulator.model.Refund;
import dev.commercesync.simulator.model.SimEntity;
import dev.commercesync.simulator.webhooks.DeliveryPolicy;
import dev.commercesync.simulator.webhooks.Subscription;
import dev.commercesync.simulator.webhooks.WebhookMessage;
import io.github.bucket4j.TimeMeter;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WooCommerce REST API v3 under {@code /wp-json/wc/v3}: {@code modified_after} (GMT with {@code dates_are_gmt})
 * listings with {@code page}/{@code per_page} (≤ 100) and {@code X-WP-Total}/{@code X-WP-TotalPages}, get by id,
 * refunds under their order and store-wide ({@code GET refunds}, {@code after}/{@code before} on the creation date),
 * webhooks; HTTP Basic with the consumer key and secret. WooCommerce documents no REST limit: a host-style limiter
 * (40 requests, 10 restored per second) answers with {@code RateLimit-*} headers and 429 with {@code Retry-After}. Webhooks carry the REST shape, signed with the subscription's secret ({@code
 * X-WC-Webhook-Signature}); no retries, a subscription is disabled after 5 failed deliveries in a row.
 */
public final class WooCommerceDialect implements PlatformDialect {
    private static final String API = "/wp-json/wc/v3/";
    private static final int MAX_PER_PAGE = 100;
    private static final Pattern ENTITY = Pattern.compile("(orders|products|customers)/([0-9]+)");
    private static final Pattern REFUND = Pattern.compile("orders/([0-9]+)/refunds/([0-9]+)");
    private static final Pattern REFUNDS = Pattern.compile("orders/([0-9]+)/refunds");
    private static final Pattern WEBHOOK = Pattern.compile("webhooks/([0-9]+)");

    @Override
    public String platform() {
        return "woocommerce";
    }

    /** WordPress ids are small; each sequence gets its own range so ids never collide across types. */
    @Override
    public long firstId(IdKind kind) {
        return switch (kind) {
            case LOCATION -> 1;
            case ORDER_NUMBER -> 1000;
            default -> 100 + (long) kind.ordinal() * 1_000_000L;
        };
    }

    /** The site as {@code WooCommerceAdapter} files it: host, port and path of the site URL, no scheme. */
    @Override
    public String storeId(String storeKey, URI baseUrl) {
        return baseUrl.getHost().toLowerCase(Locale.ROOT)
                + (baseUrl.getPort() > 0 ? ":" + baseUrl.getPort() : "")
                + baseUrl.getPath().replaceAll("/+$", "");
    }

    @Override
    public ApiCredentials credentials(String storeKey) {
        return new ApiCredentials.KeyAndSecret(Payloads.tokenFor("ck_", storeKey), Payloads.tokenFor("cs_", storeKey));
    }

    @Override
    public String credentialsText(ApiCredentials credentials) {
        ApiCredentials.KeyAndSecret keyAndSecret = (ApiCredentials.KeyAndSecret) credentials;
        return keyAndSecret.key() + ":" + keyAndSecret.secret();
    }

    /** Stock lives in the product (or variation): no locations. */
    @Override
    public String[] stockIds(InventoryLevel level) {
        return new String[] {level.productId(), null};
    }

    /** A product (or variation) is priced as a whole. */
    @Override
    public String[] priceIds(Product product) {
        return new String[] {product.id(), null};
    }

    @Override
    public Map<String, ApiBudget> budgets(TimeMeter time, boolean enforced) {
        int scale = enforced ? 1 : 1_000_000;
        return Map.of("api", ApiBudget.refilling(40L * scale, 10L * scale, time));
    }

    @Override
    public DeliveryPolicy deliveryPolicy() {
        return new DeliveryPolicy(1, Duration.ofSeconds(1), 5);
    }

    @Override
    public Set<String> topics() {
        return Set.of(
                "order.created",
                "order.updated",
                "product.created",
                "product.updated",
                "customer.created",
                "customer.updated");
    }

    // ---- REST API key generation: /wc-auth/v1/authorize ----

    /**
     * {@code GET /wc-auth/v1/authorize?app_name&scope&user_id&return_url&callback_url}: the merchant approves at once;
     * the store POSTs {@code {key_id, user_id, consumer_key, consumer_secret, key_permissions}} (JSON) to {@code
     * callback_url} and, when that answered 2xx, sends the browser to {@code return_url?success=1&user_id=...}; else it
     * answers 400 as WooCommerce shows its error page. The keys are the store's; {@code key_permissions} the requested
     * scope unless {@link AppInstalls#grantOnly} narrows it (to {@code read}).
     */
    @Override
    public ApiAnswer appInstall(ApiRequest request, StoreContext store) {
        if (!request.path().equals("/wc-auth/v1/authorize") || !request.method().equals("GET")) {
            return null;
        }
        String appName = request.param("app_name").orElse("");
        String scope = request.param("scope").orElse("");
        String userId = request.param("user_id").orElse("");
        String returnUrl = request.param("return_url").orElse("");
        String callbackUrl = request.param("callback_url").orElse("");
        if (appName.isEmpty()
                || userId.isEmpty()
                || returnUrl.isEmpty()
                || !Set.of("read", "write", "read_write").contains(scope)) {
            return Payloads.error(400, "message", "Invalid scope " + scope);
        }
        if (!callbackUrl.startsWith("https://")) {
            return Payloads.error(400, "message", "The callback_url needs to be over SSL");
        }
        Set<String> granted = store.appInstalls()
                .issue(appName, Set.of(scope))
                .transform(
                        code -> store.appInstalls().redeem(code).orElseThrow().scopes());
        ApiCredentials.KeyAndSecret keys = (ApiCredentials.KeyAndSecret) store.credentials();
        ObjectNode body = Payloads.object();
        body.put("key_id", 1);
        body.put("user_id", userId);
        body.put("consumer_key", keys.key());
        body.put("consumer_secret", keys.secret());
        body.put(
                "key_permissions",
                granted.isEmpty() ? "read" : granted.iterator().next());
        int status = store.appInstalls().deliver(URI.create(callbackUrl), "application/json", Payloads.bytes(body));
        if (status < 200 || status > 299) {
            return Payloads.error(
                    400,
                    "message",
                    "An error occurred in the request and at the time were unable to send the consumer" + " data ("
                            + status + ")");
        }
        String location = returnUrl + (returnUrl.contains("?") ? "&" : "?") + "success=1&user_id="
                + java.net.URLEncoder.encode(userId, StandardCharsets.UTF_8);
        return ApiAnswer.empty(302).withHeader("Location", location);
    }

    @Override
    public boolean authorized(ApiRequest request, StoreContext store) {
        String expected = "Basic "
                + Base64.getEncoder()
                        .encodeToString(credentialsText(store.credentials()).getBytes(StandardCharsets.UTF_8));
        return request.header("Authorization").map(expected::equals).orElse(false);
    }

    @Override
    public ApiAnswer handle(ApiRequest request, StoreContext store) {
        ApiBudget.Outcome budget = store.budget("api").consume(1);
        if (!budget.granted()) {
            store.stats().apiRateLimited();
            return tooManyRequests(budget);
        }
        return limitHeaders(route(request, store), budget);
    }

    @Override
    public ApiAnswer rateLimited(ApiRequest request, StoreContext store) {
        return tooManyRequests(new ApiBudget.Outcome(
                false, 0, store.budget("api").capacity(), Duration.ofSeconds(1), Duration.ofSeconds(4)));
    }

    private static ApiAnswer tooManyRequests(ApiBudget.Outcome budget) {
        ObjectNode body = Payloads.object();
        body.put("code", "rest_rate_limited");
        body.put("message", "Too many requests. Please wait and try again.");
        body.putObject("data").put("status", 429);
        long seconds = Math.max(1, (budget.retryAfter().toMillis() + 999) / 1000);
        return limitHeaders(ApiAnswer.json(429, body), budget).withHeader("Retry-After", Long.toString(seconds));
    }

    private static ApiAnswer limitHeaders(ApiAnswer answer, ApiBudget.Outcome budget) {
        return answer.withHeader("RateLimit-Limit", Long.toString(budget.capacity()))
                .withHeader("RateLimit-Remaining", Long.toString(budget.remaining()))
                .withHeader("RateLimit-Reset", Long.toString((budget.resetIn().toMillis() + 999) / 1000));
    }

    private ApiAnswer route(ApiRequest request, StoreContext store) {
        if (!request.path().startsWith(API)) {
            return notFound("rest_no_route", "No route was found matching the URL and request method.");
        }
        String resource = request.path().substring(API.length()).replaceAll("/+$", "");
        String method = request.method();
        Matcher m;
        if (method.equals("GET")) {
            switch (resource) {
                case "orders" -> {
                    return list(request, store, EntityType.ORDER, true);
                }
                case "products" -> {
                    return list(request, store, EntityType.PRODUCT, true);
                }
                case "customers" -> {
                    return list(request, store, EntityType.CUSTOMER, false);
                }
                case "refunds" -> {
                    // Store-wide, by creation date (after/before), each refund naming its order as parent_id.
                    return list(request, store, EntityType.REFUND, "");
                }
                case "webhooks" -> {
                    ArrayNode hooks = Json.MAPPER.createArrayNode();
                    store.subscriptions().all().forEach(s -> hooks.add(webhook(s)));
                    return ApiAnswer.json(200, hooks)
                            .withHeader("X-WP-Total", Integer.toString(hooks.size()))
                            .withHeader("X-WP-TotalPages", "1");
                }
                default -> {}
            }
            if ((m = ENTITY.matcher(resource)).matches()) {
                EntityType type =
                        switch (m.group(1)) {
                            case "orders" -> EntityType.ORDER;
                            case "products" -> EntityType.PRODUCT;
                            default -> EntityType.CUSTOMER;
                        };
                return store.state()
                        .get(type, m.group(2))
                        .map(e -> ApiAnswer.json(200, render(e, store)))
                        .orElseGet(() -> invalidId(type));
            }
            if ((m = REFUND.matcher(resource)).matches()) {
                String orderId = m.group(1);
                return store.state()
                        .get(EntityType.REFUND, m.group(2), Refund.class)
                        .filter(r -> r.orderId().equals(orderId))
                        .map(r -> ApiAnswer.json(200, refund(r, store)))
                        .orElseGet(() -> notFound("woocommerce_rest_invalid_id", "Invalid ID."));
            }
            if ((m = REFUNDS.matcher(resource)).matches()) {
                ArrayNode refunds = Json.MAPPER.createArrayNode();
                store.state().refundsOf(m.group(1)).forEach(r -> refunds.add(refund(r, store)));
                return ApiAnswer.json(200, refunds);
            }
        }
        Optional<ApiAnswer> written = WooCommerceWrites.route(request, resource, store);
        if (written.isPresent()) {
            return written.get();
        }
        if (method.equals("POST") && resource.equals("webhooks")) {
            JsonNode body;
            try {
                body = Json.MAPPER.readTree(request.body());
            } catch (IOException e) {
                return notFound("rest_invalid_json", "Invalid JSON body passed.");
            }
            String topic = body.path("topic").asText("");
            String url = body.path("delivery_url").asText("");
            if (!offersTopic(topic) || !url.startsWith("http")) {
                ObjectNode error = Payloads.object();
                error.put("code", "rest_invalid_param");
                error.put("message", "Invalid parameter(s): topic, delivery_url");
                error.putObject("data").put("status", 400);
                return ApiAnswer.json(400, error);
            }
            String secret = body.path("secret").asText("");
            Subscription created = store.subscriptions()
                    .create(
                            topic,
                            URI.create(url),
                            secret.isEmpty() ? null : WebhookSecret.of(secret),
                            store.clock().instant());
            return ApiAnswer.json(201, webhook(created));
        }
        if (method.equals("DELETE") && (m = WEBHOOK.matcher(resource)).matches()) {
            return store.subscriptions()
                    .delete(m.group(1))
                    .map(s -> ApiAnswer.json(200, webhook(s)))
                    .orElseGet(() -> notFound("woocommerce_rest_webhook_invalid_id", "Invalid ID."));
        }
        return notFound("rest_no_route", "No route was found matching the URL and request method.");
    }

    private ApiAnswer list(ApiRequest request, StoreContext store, EntityType type, boolean byModification) {
        return list(request, store, type, byModification ? "modified_" : null);
    }

    /**
     * @param datePrefix the date filters' prefix: {@code "modified_"} ({@code modified_after}/{@code
     *     modified_before}), {@code ""} for the creation date ({@code after}/{@code before}), null for none
     */
    private ApiAnswer list(ApiRequest request, StoreContext store, EntityType type, String datePrefix) {
        boolean byModification = datePrefix != null;
        int perPage = Math.min(MAX_PER_PAGE, Math.max(1, request.intParam("per_page", 10)));
        int page = Math.max(1, request.intParam("page", 1));
        long from = (long) (page - 1) * perPage;
        int total;
        List<SimEntity> pageItems;
        if (byModification) {
            Optional<Instant> after = dateParam(request, datePrefix + "after");
            Optional<Instant> before = dateParam(request, datePrefix + "before");
            if ((request.param(datePrefix + "after").isPresent() && after.isEmpty())
                    || (request.param(datePrefix + "before").isPresent() && before.isEmpty())) {
                ObjectNode error = Payloads.object();
                error.put("code", "rest_invalid_param");
                error.put("message", "Invalid parameter(s): " + datePrefix + "after, " + datePrefix + "before");
                error.putObject("data").put("status", 400);
                return ApiAnswer.json(400, error);
            }
            // WordPress compares both bounds strictly, at whole seconds.
            Instant since = after.map(a -> a.plusSeconds(1)).orElse(Instant.EPOCH);
            total = store.state().countBetween(type, since, before.orElse(null));
            pageItems = store.state().pageBetween(type, since, before.orElse(null), from, perPage);
        } else {
            List<SimEntity> matching = store.state().all(type);
            total = matching.size();
            pageItems = matching.subList((int) Math.min(total, from), (int) Math.min(total, from + perPage));
        }
        int totalPages = (total + perPage - 1) / perPage;
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (SimEntity entity : pageItems) {
            ObjectNode item = render(entity, store);
            if (entity instanceof Refund refund) {
                // the store-wide refunds collection adds the order (GET /refunds: "one additional property")
                item.put("parent_id", Payloads.id(refund.orderId()));
            }
            items.add(item);
        }
        return ApiAnswer.json(200, items)
                .withHeader("X-WP-Total", Integer.toString(total))
                .withHeader("X-WP-TotalPages", Integer.toString(totalPages));
    }

    /** A date filter: site time, or GMT with {@code dates_are_gmt=true} (the simulated site runs on UTC). */
    private static Optional<Instant> dateParam(ApiRequest request, String name) {
        Optional<String> value = request.param(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value.get()).toInstant());
        } catch (DateTimeParseException withoutOffset) {
            try {
                return Optional.of(LocalDateTime.parse(value.get()).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
    }

    private static ApiAnswer invalidId(EntityType type) {
        String code =
                switch (type) {
                    case ORDER -> "woocommerce_rest_shop_order_invalid_id";
                    case PRODUCT -> "woocommerce_rest_product_invalid_id";
                    default -> "woocommerce_rest_invalid_id";
                };
        return notFound(code, "Invalid ID.");
    }

    static ApiAnswer notFound(String code, String message) {
        ObjectNode error = Payloads.object();
        error.put("code", code);
        error.put("message", message);
        error.putObject("data").put("status", 404);
        return ApiAnswer.json(404, error);
    }

    private static ObjectNode webhook(Subscription subscription) {
        ObjectNode json = Payloads.object();
        json.put("id", Long.parseLong(subscription.id()));
        json.put("name", "Webhook " + subscription.topic());
        json.put("status", subscription.active() ? "active" : "disabled");
        json.put("topic", subscription.topic());
        String[] resourceEvent = subscription.topic().split("\\.", 2);
        json.put("resource", resourceEvent[0]);
        json.put("event", resourceEvent[1]);
        json.putArray("hooks").add("woocommerce_" + resourceEvent[1] + "_" + resourceEvent[0]);
        json.put("delivery_url", subscription.address().toString());
        json.put("date_created", Payloads.local(subscription.createdAt()));
        json.put("date_created_gmt", Payloads.local(subscription.createdAt()));
        json.putNull("date_modified");
        json.putNull("date_modified_gmt");
        return json;
    }

    // ---- webhooks ----

    @Override
    public List<WebhookMessage> webhooks(Notification notification, String eventSeed, StoreContext store) {
        SimEntity entity = notification.entity();
        String resource =
                switch (entity.type()) {
                    case ORDER -> "order";
                    case PRODUCT -> "product";
                    case CUSTOMER -> "customer";
                    // No refund or inventory topics: the order's and the product's updates carry them.
                    default -> null;
                };
        if (resource == null) {
            return List.of();
        }
        String topic = resource + (notification.kind() == Notification.Kind.CREATED ? ".created" : ".updated");
        return List.of(new WebhookMessage(
                topic,
                Payloads.bytes(render(entity, store)),
                Payloads.uuid("woocommerce/" + store.storeId() + "/" + eventSeed),
                entity.updatedAt(),
                entity.type(),
                entity.id()));
    }

    @Override
    public Map<String, String> deliveryHeaders(
            Subscription subscription, WebhookMessage message, String deliveryId, Instant sentAt, StoreContext store) {
        WebhookSecret secret = subscription.secret() != null ? subscription.secret() : store.webhookSecret();
        String[] resourceEvent = message.topic().split("\\.", 2);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "WooCommerce/9.0.0 Hookshot (WordPress/6.5)");
        headers.put("X-WC-Webhook-Source", store.baseUrl() + "/");
        headers.put("X-WC-Webhook-Topic", message.topic());
        headers.put("X-WC-Webhook-Resource", resourceEvent[0]);
        headers.put("X-WC-Webhook-Event", resourceEvent[1]);
        headers.put("X-WC-Webhook-Signature", HmacSignatures.base64HmacSha256(secret, message.body()));
        headers.put("X-WC-Webhook-ID", subscription.id());
        headers.put("X-WC-Webhook-Delivery-ID", Payloads.sha1Hex(deliveryId.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    // ---- payloads, from WooCommerce's published REST examples (webhooks carry the same shape) ----

    private static ObjectNode render(SimEntity entity, StoreContext store) {
        if (entity instanceof Order order) {
            return order(order, store);
        }
        if (entity instanceof Product product) {
            return product(product, store);
        }
        if (entity instanceof Customer customer) {
            return customer(customer, store);
        }
        if (entity instanceof Refund refund) {
            return refund(refund, store);
        }
        throw new IllegalArgumentException("WooCommerce has no " + entity.type() + " resource");
    }

    private static void dates(ObjectNode json, String name, Instant at) {
        if (at == null) {
            json.putNull(name);
            json.putNull(name + "_gmt");
        } else {
            json.put(name, Payloads.local(at));
            json.put(name + "_gmt", Payloads.local(at));
        }
    }

    private static void links(ObjectNode json, StoreContext store, String self, String collection, String up) {
        String api = store.baseUrl() + API;
        ObjectNode links = json.putObject("_links");
        links.putArray("self").addObject().put("href", api + self);
        links.putArray("collection").addObject().put("href", api + collection);
        if (up != null) {
            links.putArray("up").addObject().put("href", api + up);
        }
    }

    static ObjectNode order(Order order, StoreContext store) {
        ObjectNode json = Payloads.template("woocommerce/order.created.json");
        json.put("id", Payloads.id(order.id()));
        json.put("number", Long.toString(order.number()));
        json.put("order_key", "wc_order_" + Payloads.uuid("key/" + order.id()).substring(0, 13));
        json.put("created_via", "checkout");
        json.put("version", "9.0.0");
        String status =
                switch (order.status()) {
                    case PENDING -> "pending";
                    case PAID -> "processing";
                    case FULFILLED -> "completed";
                    case CANCELLED -> "cancelled";
                    case ON_HOLD -> "on-hold";
                    case FAILED -> "failed";
                    case REFUNDED -> "refunded";
                    case CLOSED -> "completed"; // WooCommerce closes nothing: trashing is a DELETE
                };
        if (order.fullyRefunded()) {
            status = "refunded";
        }
        json.put("status", status);
        json.put("currency", order.currency());
        dates(json, "date_created", order.createdAt());
        dates(json, "date_modified", order.updatedAt());
        dates(json, "date_paid", order.status() == OrderStatus.PENDING ? null : order.updatedAt());
        dates(json, "date_completed", order.status() == OrderStatus.FULFILLED ? order.updatedAt() : null);
        String zero = Payloads.money(BigDecimal.ZERO);
        json.put("discount_total", zero);
        json.put("discount_tax", zero);
        json.put("shipping_total", Payloads.money(order.shipping()));
        json.put("shipping_tax", zero);
        json.put("cart_tax", zero);
        json.put("total", Payloads.money(order.total()));
        json.put("total_tax", zero);
        json.put("customer_id", Payloads.id(order.customerId()));
        json.put("customer_note", order.note() == null ? "" : order.note());
        json.set("billing", address(order.firstName(), order.lastName(), order.address(), order.email()));
        json.set("shipping", address(order.firstName(), order.lastName(), order.address(), null));
        json.put("payment_method", "stripe");
        json.put("payment_method_title", "Credit Card");
        json.put("transaction_id", order.status() == OrderStatus.PENDING ? "" : "txn_" + order.id());
        json.putArray("meta_data");
        ObjectNode lineTemplate = (ObjectNode) json.path("line_items").get(0);
        ArrayNode lines = json.putArray("line_items");
        for (OrderLine line : order.lines()) {
            ObjectNode item = lineTemplate.deepCopy();
            item.put("id", Payloads.id(line.id()));
            item.put("name", line.title());
            item.put("product_id", Payloads.id(line.productId()));
            item.put("variation_id", 0);
            item.put("quantity", line.quantity());
            item.put("subtotal", Payloads.money(line.total()));
            item.put("subtotal_tax", zero);
            item.put("total", Payloads.money(line.total()));
            item.put("total_tax", zero);
            item.putArray("taxes");
            item.putArray("meta_data");
            item.put("sku", line.sku());
            item.put("price", line.unitPrice());
            lines.add(item);
        }
        json.putArray("tax_lines");
        ObjectNode shipping = (ObjectNode) json.path("shipping_lines").get(0);
        shipping.put("id", Payloads.id(order.id()));
        shipping.put("total", Payloads.money(order.shipping()));
        shipping.put("total_tax", zero);
        json.putArray("shipping_lines").add(shipping);
        ArrayNode refunds = json.putArray("refunds");
        for (Refund refund : store.state().refundsOf(order.id())) {
            if (refund.createdAt().isAfter(order.updatedAt())) {
                continue; // not yet, as of this version of the order
            }
            ObjectNode summary = refunds.addObject();
            summary.put("id", Payloads.id(refund.id()));
            summary.put("reason", refund.reason());
            summary.put("total", "-" + Payloads.money(refund.amount()));
        }
        links(json, store, "orders/" + order.id(), "orders", null);
        return json;
    }

    private static ObjectNode address(String first, String last, Address a, String email) {
        ObjectNode json = Payloads.object();
        json.put("first_name", first);
        json.put("last_name", last);
        json.put("company", "");
        json.put("address_1", a.address1());
        json.put("address_2", "");
        json.put("city", a.city());
        json.put("state", a.provinceCode());
        json.put("postcode", a.zip());
        json.put("country", a.countryCode());
        if (email != null) {
            json.put("email", email);
            json.put("phone", a.phone());
        }
        return json;
    }

    static ObjectNode product(Product product, StoreContext store) {
        ObjectNode json = Payloads.template("woocommerce/product.updated.json");
        json.put("id", Payloads.id(product.id()));
        json.put("name", product.title());
        json.put("slug", product.handle());
        json.put("permalink", store.baseUrl() + "/product/" + product.handle() + "/");
        dates(json, "date_created", product.createdAt());
        dates(json, "date_modified", product.updatedAt());
        json.put("description", "<p>" + product.title() + "</p>\n");
        json.put("short_description", "");
        json.put("sku", product.sku());
        // On sale: regular_price is the compare-at price, sale_price (and price) what is paid.
        Optional<BigDecimal> regular = store.writer().read(w -> w.compareAtPrice(product.id()));
        json.put("price", Payloads.money(product.price()));
        json.put("regular_price", Payloads.money(regular.orElse(product.price())));
        json.put("sale_price", regular.isPresent() ? Payloads.money(product.price()) : "");
        json.put("on_sale", regular.isPresent());
        json.put("price_html", "");
        json.put("manage_stock", true);
        json.put("stock_quantity", product.stock());
        json.put("stock_status", product.stock() > 0 ? "instock" : "outofstock");
        json.putArray("related_ids");
        json.putArray("images");
        json.putArray("categories");
        links(json, store, "products/" + product.id(), "products", null);
        return json;
    }

    private static ObjectNode customer(Customer customer, StoreContext store) {
        ObjectNode json = Payloads.template("woocommerce/customer.updated.json");
        json.put("id", Payloads.id(customer.id()));
        dates(json, "date_created", customer.createdAt());
        dates(json, "date_modified", customer.updatedAt());
        json.put("email", customer.email());
        json.put("first_name", customer.firstName());
        json.put("last_name", customer.lastName());
        json.put("role", "customer");
        json.put("username", customer.email().substring(0, customer.email().indexOf('@')));
        json.set("billing", address(customer.firstName(), customer.lastName(), customer.address(), customer.email()));
        json.set("shipping", address(customer.firstName(), customer.lastName(), customer.address(), null));
        json.put("avatar_url", "");
        links(json, store, "customers/" + customer.id(), "customers", null);
        return json;
    }

    private static ObjectNode refund(Refund refund, StoreContext store) {
        ObjectNode json = Payloads.template("woocommerce/order_refund.rest_response.json");
        json.put("id", Payloads.id(refund.id()));
        dates(json, "date_created", refund.createdAt());
        json.put("amount", Payloads.money(refund.amount()));
        json.put("reason", refund.reason());
        json.put("refunded_by", 1);
        json.put("refunded_payment", true);
        links(
                json,
                store,
                "orders/" + refund.orderId() + "/refunds/" + refund.id(),
                "orders/" + refund.orderId() + "/refunds",
                "orders/" + refund.orderId());
        return json;
    }
}
