package dev.commercesync.simulator.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.http.ApiAnswer;
import dev.commercesync.simulator.http.ApiBudget;
import dev.commercesync.simulator.http.ApiRequest;
import dev.commercesync.simulator.model.InventoryLevel;
import dev.commercesync.simulator.model.Notification;
import dev.commercesync.simulator.model.Order;
import dev.commercesync.simulator.model.OrderLine;
import dev.commercesync.simulator.model.OrderStatus;
import dev.commercesync.simulator.model.Product;
import dev.commercesync.simulator.model.Shipment;
import dev.commercesync.simulator.model.StoreWrites;
import dev.commercesync.simulator.model.WriteResult;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shopify's GraphQL Admin mutations on a simulated store: {@code inventorySetQuantities} (absolute, compare-and-set
 * by {@code changeFromQuantity}, mandatory per quantity from API 2026-04, which removed {@code compareQuantity} and
 * {@code ignoreCompareQuantity}; before, those, overridden by a {@code changeFromQuantity} given, null included),
 * {@code fulfillmentCreate} on fulfillment orders, {@code orderCancel}, {@code productVariantsBulkUpdate} ({@code price}, {@code compareAtPrice}), each
 * optionally with {@code @idempotent(key: …)} (a key replayed answers the first answer and applies nothing). Arguments
 * are read from the mutation field's argument list: {@code $variables} or literals. Fulfillment orders are modelled at
 * the minimum: one per order, id {@code gid://shopify/FulfillmentOrder/<order id>}, its line items {@code
 * gid://shopify/FulfillmentOrderLineItem/<order line id>}, listed by {@code order(id:) { fulfillmentOrders }}.
 * Each mutation costs 10 points of the GraphQL bucket.
 */
final class ShopifyWrites {
    static final long MUTATION_COST = 10;
    private static final Pattern MUTATION = Pattern.compile("(^|[\\s{\"])mutation\\b");
    private static final Pattern FIELD = Pattern.compile(
            "\\b(inventorySetQuantities|fulfillmentCreate|orderCancel|productVariantsBulkUpdate|orderClose|orderOpen)"
                    + "\\s*\\(");
    private static final Pattern IDEMPOTENT =
            Pattern.compile("@idempotent\\s*\\(\\s*key\\s*:\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|\\$(\\w+))\\s*\\)");
    private static final Pattern ARGUMENT = Pattern.compile(
            "(\\w+)\\s*:\\s*(\\$\\w+|\"(?:[^\"\\\\]|\\\\.)*\"|true|false|null|-?[0-9]+|[A-Z_][A-Z_0-9]*)");
    private static final Pattern API_VERSION = Pattern.compile("/admin/api/([0-9]{4}-[0-9]{2})/");

    private ShopifyWrites() {}

    static boolean isMutation(String query) {
        return MUTATION.matcher(query).find();
    }

    /** The number of a gid ({@code gid://shopify/InventoryItem/123?x=y} → 123), or the text itself. */
    static String idOf(String gid) {
        String id = gid.substring(gid.lastIndexOf('/') + 1);
        int query = id.indexOf('?');
        return query < 0 ? id : id.substring(0, query);
    }

    static ApiAnswer mutation(ApiRequest request, String query, JsonNode variables, StoreContext store) {
        Matcher field = FIELD.matcher(query);
        if (!field.find()) {
            return ShopifyDialect.graphqlError("the simulator serves the mutations inventorySetQuantities,"
                    + " fulfillmentCreate, orderCancel, orderClose, orderOpen and productVariantsBulkUpdate");
        }
        String name = field.group(1);
        Map<String, JsonNode> arguments = arguments(query, field.end(), variables);
        ApiBudget bucket = store.budget("graphql");
        if (!bucket.consume(MUTATION_COST).granted()) {
            store.stats().apiRateLimited();
            return ShopifyDialect.throttled(MUTATION_COST, bucket);
        }
        Matcher idempotent = IDEMPOTENT.matcher(query);
        String version = apiVersion(request);
        if (name.equals("inventorySetQuantities")
                && version.compareTo("2026-04") >= 0
                && usesRemovedFields(arguments)) {
            return ShopifyDialect.graphqlError("compareQuantity and ignoreCompareQuantity were removed in 2026-04:"
                    + " use changeFromQuantity (null to skip the check).");
        }
        if (!idempotent.find()) {
            if (name.equals("inventorySetQuantities") && version.compareTo("2026-04") >= 0) {
                return ShopifyDialect.graphqlError(
                        "The @idempotent directive is required for this mutation (key: a unique string).");
            }
            return answer(name, arguments, version, store, bucket);
        }
        String key = idempotent.group(1) != null
                ? idempotent.group(1)
                : variables.path(idempotent.group(2)).asText("");
        if (key.isEmpty()) {
            return ShopifyDialect.graphqlError("The @idempotent key must not be empty.");
        }
        return store.writer().idempotent(key, () -> answer(name, arguments, version, store, bucket));
    }

    /** Whether an inventorySetQuantities input names compareQuantity or ignoreCompareQuantity (before 2026-04). */
    private static boolean usesRemovedFields(Map<String, JsonNode> arguments) {
        JsonNode input = arguments.getOrDefault("input", Payloads.object());
        if (input.has("ignoreCompareQuantity")) {
            return true;
        }
        for (JsonNode q : input.path("quantities")) {
            if (q.has("compareQuantity")) {
                return true;
            }
        }
        return false;
    }

    private static ApiAnswer answer(
            String name, Map<String, JsonNode> arguments, String version, StoreContext store, ApiBudget bucket) {
        ObjectNode root = Payloads.object();
        ObjectNode data = root.putObject("data");
        ObjectNode payload =
                switch (name) {
                    case "inventorySetQuantities" -> setQuantities(arguments.get("input"), version, store);
                    case "fulfillmentCreate" -> createFulfillment(arguments.get("fulfillment"), store);
                    case "orderCancel" -> cancel(arguments, store);
                    case "orderClose", "orderOpen" -> closeOrOpen(name.equals("orderClose"), arguments, store);
                    default -> bulkUpdateVariants(arguments, store);
                };
        data.set(name, payload);
        ShopifyDialect.cost(root, MUTATION_COST, MUTATION_COST, bucket);
        return ApiAnswer.json(200, root);
    }

    private static String apiVersion(ApiRequest request) {
        Matcher m = API_VERSION.matcher(request.path());
        return m.find() ? m.group(1) : ShopifyDialect.API_VERSION;
    }

    /** The mutation field's arguments from its parenthesised list (variables resolved). */
    static Map<String, JsonNode> arguments(String query, int from, JsonNode variables) {
        int depth = 1;
        int end = from;
        while (end < query.length() && depth > 0) {
            char c = query.charAt(end++);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        }
        Map<String, JsonNode> arguments = new LinkedHashMap<>();
        Matcher m = ARGUMENT.matcher(query.substring(from, Math.max(from, end - 1)));
        while (m.find()) {
            String value = m.group(2);
            JsonNode node;
            if (value.startsWith("$")) {
                node = variables.path(value.substring(1));
            } else if (value.startsWith("\"")) {
                node = JsonNodeFactory.instance.textNode(
                        value.substring(1, value.length() - 1).replace("\\\"", "\""));
            } else if (value.equals("true") || value.equals("false")) {
                node = JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(value));
            } else if (value.equals("null")) {
                node = JsonNodeFactory.instance.nullNode();
            } else if (Character.isDigit(value.charAt(value.length() - 1))) {
                node = JsonNodeFactory.instance.numberNode(Long.parseLong(value));
            } else {
                node = JsonNodeFactory.instance.textNode(value);
            }
            arguments.putIfAbsent(m.group(1), node);
        }
        return arguments;
    }

    private static ObjectNode userError(ArrayNode errors, String code, String message, String... field) {
        ObjectNode error = errors.addObject();
        if (code != null) {
            error.put("code", code);
        }
        ArrayNode path = error.putArray("field");
        for (String f : field) {
            path.add(f);
        }
        error.put("message", message);
        return error;
    }

    // ---- inventorySetQuantities ----

    private record Quantity(InventoryLevel level, int quantity, Integer expected, int index) {}

    private static ObjectNode setQuantities(JsonNode input, String version, StoreContext store) {
        ObjectNode payload = Payloads.object();
        ArrayNode errors = Payloads.object().putArray("userErrors");
        payload.putNull("inventoryAdjustmentGroup");
        payload.set("userErrors", errors);
        String name = input == null ? "" : input.path("name").asText("");
        if (!name.equals("available") && !name.equals("on_hand")) {
            userError(
                    errors,
                    "INVALID_QUANTITY_NAME",
                    "The quantity name must be available or on_hand.",
                    "input",
                    "name");
            return payload;
        }
        boolean changeFrom = version.compareTo("2026-04") >= 0;
        boolean ignoreCompare = input.path("ignoreCompareQuantity").asBoolean(false);
        JsonNode quantities = input.path("quantities");
        List<Quantity> wanted = new ArrayList<>();
        for (int i = 0; i < quantities.size(); i++) {
            JsonNode q = quantities.get(i);
            String index = Integer.toString(i);
            String item = idOf(q.path("inventoryItemId").asText(""));
            String location = idOf(q.path("locationId").asText(""));
            if (changeFrom && !q.has("changeFromQuantity")) {
                userError(
                        errors,
                        "INVALID",
                        "changeFromQuantity is required (null to skip the check).",
                        "input",
                        "quantities",
                        index,
                        "changeFromQuantity");
                continue;
            }
            Optional<InventoryLevel> level =
                    store.state().get(EntityType.INVENTORY_LEVEL, item + "@" + location, InventoryLevel.class);
            if (level.isEmpty()) {
                boolean itemExists = store.state().all(EntityType.PRODUCT).stream()
                        .anyMatch(p -> ((Product) p).inventoryItemId().equals(item));
                userError(
                        errors,
                        itemExists ? "ITEM_NOT_STOCKED_AT_LOCATION" : "INVALID_INVENTORY_ITEM",
                        itemExists
                                ? "The specified inventory item is not stocked at the location."
                                : "The specified inventory item could not be found.",
                        "input",
                        "quantities",
                        index,
                        itemExists ? "locationId" : "inventoryItemId");
                continue;
            }
            int quantity = q.path("quantity").asInt();
            if (quantity < 0) {
                userError(
                        errors,
                        "INVALID_QUANTITY_NEGATIVE",
                        "The quantity can't be negative.",
                        "input",
                        "quantities",
                        index,
                        "quantity");
                continue;
            }
            // From 2026-01 a changeFromQuantity given (null too) overrides compareQuantity and ignoreCompareQuantity.
            boolean byChangeFrom = changeFrom || q.has("changeFromQuantity");
            JsonNode expected = byChangeFrom ? q.path("changeFromQuantity") : q.path("compareQuantity");
            Integer compare = expected.isNumber() && (byChangeFrom || !ignoreCompare) ? expected.asInt() : null;
            wanted.add(new Quantity(level.get(), quantity, compare, i));
        }
        if (!errors.isEmpty()) {
            return payload;
        }
        boolean anyChangeFrom = changeFrom;
        for (JsonNode q : quantities) {
            anyChangeFrom |= q.has("changeFromQuantity");
        }
        String staleCode = anyChangeFrom ? "CHANGE_FROM_QUANTITY_STALE" : "COMPARE_QUANTITY_STALE";
        List<int[]> deltas = new ArrayList<>();
        WriteResult result = store.writer().apply(writes -> {
            // All or nothing: every compare-and-set is checked before any quantity changes.
            for (Quantity q : wanted) {
                InventoryLevel current = store.state()
                        .get(EntityType.INVENTORY_LEVEL, q.level().id(), InventoryLevel.class)
                        .orElseThrow();
                if (q.expected() != null && q.expected() != current.available()) {
                    return new WriteResult.Stale(current, q.expected(), current.available());
                }
            }
            List<Notification> notifications = new ArrayList<>();
            for (Quantity q : wanted) {
                int before = store.state()
                        .get(EntityType.INVENTORY_LEVEL, q.level().id(), InventoryLevel.class)
                        .orElseThrow()
                        .available();
                WriteResult one = writes.setInventory(
                        q.level().inventoryItemId(), q.level().locationId(), q.quantity(), null);
                deltas.add(new int[] {q.index(), q.quantity() - before, q.quantity()});
                if (one instanceof WriteResult.Applied applied) {
                    notifications.addAll(applied.notifications());
                }
            }
            return notifications.isEmpty()
                    ? new WriteResult.Unchanged(
                            wanted.isEmpty() ? null : wanted.get(0).level())
                    : new WriteResult.Applied(notifications.get(0).entity(), notifications);
        });
        if (result instanceof WriteResult.Stale stale) {
            int index = 0;
            for (Quantity q : wanted) {
                if (q.level().id().equals(stale.entity().id())) {
                    index = q.index();
                }
            }
            userError(
                    errors,
                    staleCode,
                    "The specified compare quantity does not match the current quantity (" + stale.actual() + ").",
                    "input",
                    "quantities",
                    Integer.toString(index),
                    anyChangeFrom ? "changeFromQuantity" : "compareQuantity");
            return payload;
        }
        ObjectNode group = payload.putObject("inventoryAdjustmentGroup");
        group.put(
                "id",
                ShopifyDialect.gid(
                        "InventoryAdjustmentGroup", Long.toString(store.clock().millis())));
        group.put(
                "createdAt",
                store.clock()
                        .instant()
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        .toString());
        group.put("reason", input.path("reason").asText("correction"));
        JsonNode reference = input.path("referenceDocumentUri");
        if (reference.isTextual()) {
            group.put("referenceDocumentUri", reference.asText());
        } else {
            group.putNull("referenceDocumentUri");
        }
        ArrayNode changes = group.putArray("changes");
        for (int[] delta : deltas) {
            Quantity q = wanted.stream()
                    .filter(w -> w.index() == delta[0])
                    .findFirst()
                    .orElseThrow();
            ObjectNode change = changes.addObject();
            change.put("name", name);
            change.put("delta", delta[1]);
            change.put("quantityAfterChange", delta[2]);
            change.putObject("item")
                    .put("id", ShopifyDialect.gid("InventoryItem", q.level().inventoryItemId()));
            change.putObject("location")
                    .put("id", ShopifyDialect.gid("Location", q.level().locationId()));
        }
        return payload;
    }

    // ---- fulfillment orders and fulfillmentCreate ----

    private static final Pattern INVENTORY_ITEM = Pattern.compile("\\binventoryItem\\s*\\(");
    private static final Pattern INVENTORY_LEVEL = Pattern.compile("\\binventoryLevel\\s*\\(");
    private static final Pattern PRODUCT_VARIANT = Pattern.compile("\\bproductVariant\\s*\\(");
    private static final Pattern ORDER = Pattern.compile("\\border\\s*\\(");
    private static final Pattern SHOP = Pattern.compile("\\bshop\\s*\\{");
    private static final long LOOKUP_COST = 2;

    /**
     * The single-object queries a writer reads before and after its mutations, or empty for another query: {@code
     * inventoryItem(id:) { inventoryLevel(locationId:) { id quantities(names:) { name quantity } } }} (also with the
     * level's {@code updatedAt} and {@code item { legacyResourceId tracked }}: the poller's fetch by id), {@code
     * order(id:) { cancelledAt closed closedAt displayFulfillmentStatus fulfillments { id status trackingInfo {
     * company number url } } fulfillmentOrders { nodes { id status lineItems { nodes { id totalQuantity
     * remainingQuantity lineItem { id sku } } } } } }} (one fulfillment order per order, id {@code
     * gid://shopify/FulfillmentOrder/<order id>}, status OPEN, CLOSED or CANCELLED; its line items {@code
     * gid://shopify/FulfillmentOrderLineItem/<order line id>}), {@code productVariant(id:) { id price compareAtPrice
     * product { id } }} and {@code shop { currencyCode }}. An unknown id is {@code null}, as Shopify answers.
     */
    static Optional<ApiAnswer> lookup(String query, JsonNode variables, StoreContext store) {
        Matcher item = INVENTORY_ITEM.matcher(query);
        Matcher variant = PRODUCT_VARIANT.matcher(query);
        Matcher order = ORDER.matcher(query);
        boolean hasItem = item.find();
        boolean hasVariant = variant.find();
        boolean hasOrder = order.find();
        boolean hasShop = SHOP.matcher(query).find();
        if (!hasItem && !hasVariant && !hasOrder && !hasShop) {
            return Optional.empty();
        }
        ApiBudget bucket = store.budget("graphql");
        if (!bucket.consume(LOOKUP_COST).granted()) {
            store.stats().apiRateLimited();
            return Optional.of(ShopifyDialect.throttled(LOOKUP_COST, bucket));
        }
        ObjectNode root = Payloads.object();
        ObjectNode data = root.putObject("data");
        if (hasItem) {
            data.set("inventoryItem", inventoryItem(query, item.end(), variables, store));
        }
        if (hasVariant) {
            data.set("productVariant", variant(arguments(query, variant.end(), variables), store));
        }
        if (hasOrder) {
            data.set("order", order(query, arguments(query, order.end(), variables), store));
        }
        if (hasShop) {
            data.putObject("shop").put("currencyCode", "USD");
        }
        ShopifyDialect.cost(root, LOOKUP_COST, LOOKUP_COST, bucket);
        return Optional.of(ApiAnswer.json(200, root));
    }

    private static JsonNode inventoryItem(String query, int from, JsonNode variables, StoreContext store) {
        String itemId = idOf(text(arguments(query, from, variables).get("id")));
        boolean exists = store.state().all(EntityType.PRODUCT).stream()
                .anyMatch(p -> ((Product) p).inventoryItemId().equals(itemId));
        if (!exists) {
            return JsonNodeFactory.instance.nullNode();
        }
        ObjectNode node = Payloads.object();
        node.put("id", ShopifyDialect.gid("InventoryItem", itemId));
        Matcher level = INVENTORY_LEVEL.matcher(query);
        if (level.find()) {
            String locationId =
                    idOf(text(arguments(query, level.end(), variables).get("locationId")));
            Optional<InventoryLevel> found =
                    store.state().get(EntityType.INVENTORY_LEVEL, itemId + "@" + locationId, InventoryLevel.class);
            if (found.isEmpty()) {
                node.putNull("inventoryLevel");
            } else {
                node.set("inventoryLevel", ShopifyDialect.graphqlLevel(found.get(), query.substring(level.end())));
            }
        }
        return node;
    }

    private static JsonNode variant(Map<String, JsonNode> arguments, StoreContext store) {
        String variantId = idOf(text(arguments.get("id")));
        Optional<Product> product = store.writer().read(w -> w.productByVariant(variantId));
        if (product.isEmpty()) {
            return JsonNodeFactory.instance.nullNode();
        }
        ObjectNode node = Payloads.object();
        node.put("id", ShopifyDialect.gid("ProductVariant", variantId));
        node.put("price", Payloads.money(product.get().price()));
        putCompareAt(node, product.get(), store);
        node.putObject("product")
                .put("id", ShopifyDialect.gid("Product", product.get().id()));
        return node;
    }

    private static JsonNode order(String query, Map<String, JsonNode> arguments, StoreContext store) {
        String orderId = idOf(text(arguments.get("id")));
        Optional<Order> found = store.state().get(EntityType.ORDER, orderId, Order.class);
        if (found.isEmpty()) {
            return JsonNodeFactory.instance.nullNode();
        }
        Order o = found.get();
        ObjectNode node = orderState(o, store);
        if (query.contains("fulfillments")) {
            ArrayNode fulfillments = node.putArray("fulfillments");
            for (Shipment shipment : store.state().shipmentsOf(o.id())) {
                ObjectNode f = fulfillments.addObject();
                f.put("id", ShopifyDialect.gid("Fulfillment", shipment.id()));
                f.put("status", "SUCCESS");
                ObjectNode info = f.putArray("trackingInfo").addObject();
                info.put("company", shipment.carrier());
                info.put("number", shipment.trackingNumber());
                info.put("url", shipment.trackingUrl());
            }
        }
        if (query.contains("fulfillmentOrders")) {
            Map<String, Integer> remaining = store.writer().read(w -> w.unshippedQuantities(o));
            ArrayNode orders = node.putObject("fulfillmentOrders").putArray("nodes");
            ObjectNode fo = orders.addObject();
            fo.put("id", ShopifyDialect.gid("FulfillmentOrder", o.id()));
            boolean open = remaining.values().stream().anyMatch(units -> units > 0);
            fo.put("status", o.status() == OrderStatus.CANCELLED ? "CANCELLED" : open ? "OPEN" : "CLOSED");
            ArrayNode lines = fo.putObject("lineItems").putArray("nodes");
            for (OrderLine line : o.lines()) {
                ObjectNode lineItem = lines.addObject();
                lineItem.put("id", ShopifyDialect.gid("FulfillmentOrderLineItem", line.id()));
                lineItem.put("totalQuantity", line.quantity() - line.refundedQuantity());
                lineItem.put("remainingQuantity", remaining.get(line.id()));
                lineItem.putObject("lineItem")
                        .put("id", ShopifyDialect.gid("LineItem", line.id()))
                        .put("sku", line.sku());
            }
        }
        return node;
    }

    /** An order's cancellation, closing and fulfillment as the GraphQL Order shows them. */
    private static ObjectNode orderState(Order o, StoreContext store) {
        ObjectNode node = Payloads.object();
        node.put("id", ShopifyDialect.gid("Order", o.id()));
        if (o.status() == OrderStatus.CANCELLED) {
            node.put("cancelledAt", o.updatedAt().toString());
        } else {
            node.putNull("cancelledAt");
        }
        node.put("closed", o.status() == OrderStatus.CLOSED);
        if (o.status() == OrderStatus.CLOSED) {
            node.put("closedAt", o.updatedAt().toString());
        } else {
            node.putNull("closedAt");
        }
        Map<String, Integer> remaining = store.writer().read(w -> w.unshippedQuantities(o));
        boolean nothingLeft = remaining.values().stream().allMatch(units -> units == 0);
        boolean anyShipped = !store.state().shipmentsOf(o.id()).isEmpty();
        node.put(
                "displayFulfillmentStatus",
                nothingLeft && anyShipped ? "FULFILLED" : anyShipped ? "PARTIALLY_FULFILLED" : "UNFULFILLED");
        return node;
    }

    /** A variant's {@code compareAtPrice}: the price a sale is below, null when not on sale. */
    private static void putCompareAt(ObjectNode variant, Product product, StoreContext store) {
        Optional<BigDecimal> compareAt = store.writer().read(w -> w.compareAtPrice(product.id()));
        if (compareAt.isPresent()) {
            variant.put("compareAtPrice", Payloads.money(compareAt.get()));
        } else {
            variant.putNull("compareAtPrice");
        }
    }

    private static String text(JsonNode node) {
        return node == null ? "" : node.asText("");
    }

    private static ObjectNode createFulfillment(JsonNode fulfillment, StoreContext store) {
        ObjectNode payload = Payloads.object();
        payload.putNull("fulfillment");
        ArrayNode errors = payload.putArray("userErrors");
        JsonNode groups = fulfillment == null ? null : fulfillment.path("lineItemsByFulfillmentOrder");
        if (groups == null || groups.size() != 1) {
            userError(
                    errors,
                    null,
                    "One fulfillment order is required (the simulator models one per order).",
                    "fulfillment",
                    "lineItemsByFulfillmentOrder");
            return payload;
        }
        JsonNode group = groups.get(0);
        String orderId = idOf(group.path("fulfillmentOrderId").asText(""));
        List<StoreWrites.ShipLine> lines = new ArrayList<>();
        for (JsonNode line : group.path("fulfillmentOrderLineItems")) {
            lines.add(new StoreWrites.ShipLine(
                    idOf(line.path("id").asText("")), line.path("quantity").asInt()));
        }
        JsonNode tracking = fulfillment.path("trackingInfo");
        String company = tracking.path("company").asText("Other");
        String number = tracking.path("number").asText("");
        String url = tracking.hasNonNull("url") ? tracking.path("url").asText() : null;
        WriteResult result = store.writer().apply(w -> w.createShipment(orderId, lines, company, number, url));
        if (result instanceof WriteResult.Applied applied) {
            Shipment shipment = (Shipment) applied.entity();
            ObjectNode f = payload.putObject("fulfillment");
            f.put("id", ShopifyDialect.gid("Fulfillment", shipment.id()));
            f.put("legacyResourceId", shipment.id());
            f.put("status", "SUCCESS");
            f.put("createdAt", shipment.createdAt().toString());
            f.put("updatedAt", shipment.updatedAt().toString());
            ObjectNode info = f.putArray("trackingInfo").addObject();
            info.put("company", shipment.carrier());
            info.put("number", shipment.trackingNumber());
            info.put("url", shipment.trackingUrl());
        } else if (result instanceof WriteResult.NotFound notFound) {
            userError(
                    errors,
                    null,
                    notFound.id().contains("/line/")
                            ? "Fulfillment order line item does not exist."
                            : "Fulfillment order does not exist.",
                    "fulfillment",
                    "lineItemsByFulfillmentOrder",
                    "0",
                    notFound.id().contains("/line/") ? "fulfillmentOrderLineItems" : "fulfillmentOrderId");
        } else {
            userError(
                    errors,
                    null,
                    result instanceof WriteResult.Invalid invalid ? invalid.message() : "Invalid fulfillment.",
                    "fulfillment");
        }
        return payload;
    }

    // ---- orderCancel ----

    private static ObjectNode cancel(Map<String, JsonNode> arguments, StoreContext store) {
        ObjectNode payload = Payloads.object();
        payload.putNull("job");
        ArrayNode cancelErrors = payload.putArray("orderCancelUserErrors");
        ArrayNode errors = payload.putArray("userErrors");
        String orderId =
                idOf(arguments.getOrDefault("orderId", Payloads.object()).asText(""));
        boolean restock = arguments
                .getOrDefault("restock", JsonNodeFactory.instance.booleanNode(false))
                .asBoolean();
        WriteResult result = store.writer().apply(w -> w.cancelOrder(orderId, restock));
        if (result.applied()) {
            ObjectNode job = payload.putObject("job");
            job.put("id", ShopifyDialect.gid("Job", Payloads.uuid("cancel/" + store.storeKey() + "/" + orderId)));
            job.put("done", true);
        } else if (result instanceof WriteResult.NotFound) {
            userError(cancelErrors, "NOT_FOUND", "Order does not exist.", "orderId");
            userError(errors, null, "Order does not exist.", "orderId");
        } else {
            userError(cancelErrors, "INVALID", "Cannot cancel an order that has already been cancelled.", "orderId");
            userError(errors, null, "Cannot cancel an order that has already been cancelled.", "orderId");
        }
        return payload;
    }

    // ---- orderClose, orderOpen ----

    /** {@code orderClose(input: {id})} / {@code orderOpen(input: {id})}: the order closed (archived) or reopened. */
    private static ObjectNode closeOrOpen(boolean close, Map<String, JsonNode> arguments, StoreContext store) {
        ObjectNode payload = Payloads.object();
        payload.putNull("order");
        ArrayNode errors = payload.putArray("userErrors");
        JsonNode input = arguments.getOrDefault("input", Payloads.object());
        String orderId = idOf(input.path("id").asText(""));
        WriteResult result = store.writer()
                .apply(w -> close ? w.setOrderStatus(orderId, OrderStatus.CLOSED) : w.releaseOrder(orderId));
        if (result instanceof WriteResult.NotFound) {
            userError(errors, null, "Order does not exist", "id");
            return payload;
        }
        // Opening an order that is not closed changes nothing, as Shopify answers it.
        Order now = store.state().get(EntityType.ORDER, orderId, Order.class).orElseThrow();
        payload.set("order", orderState(now, store));
        return payload;
    }

    // ---- productVariantsBulkUpdate ----

    private static ObjectNode bulkUpdateVariants(Map<String, JsonNode> arguments, StoreContext store) {
        ObjectNode payload = Payloads.object();
        payload.putNull("product");
        payload.putNull("productVariants");
        ArrayNode errors = payload.putArray("userErrors");
        String productId =
                idOf(arguments.getOrDefault("productId", Payloads.object()).asText(""));
        Optional<Product> product = store.state().get(EntityType.PRODUCT, productId, Product.class);
        if (product.isEmpty()) {
            userError(errors, "PRODUCT_DOES_NOT_EXIST", "Product does not exist", "productId");
            return payload;
        }
        JsonNode variants = arguments.getOrDefault("variants", Payloads.object().putArray("v"));
        List<BigDecimal> prices = new ArrayList<>();
        List<JsonNode> compareAts = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            JsonNode variant = variants.get(i);
            if (!idOf(variant.path("id").asText("")).equals(product.get().variantId())) {
                userError(
                        errors,
                        "PRODUCT_VARIANT_DOES_NOT_EXIST",
                        "Product variant does not exist",
                        "variants",
                        Integer.toString(i),
                        "id");
                continue;
            }
            if (variant.hasNonNull("price")) {
                try {
                    prices.add(new BigDecimal(variant.path("price").asText()));
                } catch (NumberFormatException e) {
                    userError(errors, "INVALID", "Price is invalid", "variants", Integer.toString(i), "price");
                }
            }
            if (variant.has("compareAtPrice")) {
                compareAts.add(variant.path("compareAtPrice"));
            }
        }
        if (!errors.isEmpty()) {
            return payload;
        }
        BigDecimal price = prices.isEmpty() ? product.get().price() : prices.get(prices.size() - 1);
        if (compareAts.isEmpty()) {
            store.writer().apply(w -> w.setPrice(productId, price));
        } else {
            // compareAtPrice null (or "") ends the sale
            JsonNode given = compareAts.get(compareAts.size() - 1);
            BigDecimal compareAt = given.isNull() || given.asText("").isEmpty() ? null : new BigDecimal(given.asText());
            store.writer().apply(w -> w.setPrices(productId, price, compareAt));
        }
        Product now =
                store.state().get(EntityType.PRODUCT, productId, Product.class).orElseThrow();
        payload.putObject("product").put("id", ShopifyDialect.gid("Product", productId));
        ObjectNode variant = payload.putArray("productVariants").addObject();
        variant.put("id", ShopifyDialect.gid("ProductVariant", now.variantId()));
        variant.put("price", Payloads.money(now.price()));
        putCompareAt(variant, now, store);
        return payload;
    }
}
