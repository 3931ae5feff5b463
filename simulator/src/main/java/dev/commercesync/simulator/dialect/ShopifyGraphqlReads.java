package dev.commercesync.simulator.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.http.ApiAnswer;
import dev.commercesync.simulator.http.ApiBudget;
import dev.commercesync.simulator.model.SimEntity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shopify's GraphQL Admin reads of one entity by id on a simulated store: {@code order(id:)}, {@code product(id:)},
 * {@code customer(id:)}, {@code refund(id:)}, {@code fulfillment(id:)} (an unknown id is {@code null}), with their
 * nested connections ({@code lineItems}, {@code variants}, …) paged by {@code first}/{@code after}, and {@code
 * currentAppInstallation { accessScopes { handle } }}. The entity is the one the store's webhooks and REST answers
 * show ({@link ShopifyDialect#render}), in GraphQL's shape: gids, enums in upper case, money bags, lists of tags.
 * Costs as the listings': 1 for the object, 2 + {@code first} for each connection asked, refunded down to the nodes
 * returned, against the same bucket.
 */
final class ShopifyGraphqlReads {
    private ShopifyGraphqlReads() {}

    private static final Pattern BY_ID =
            Pattern.compile("\\b(order|product|customer|refund|fulfillment)\\s*\\((?=\\s*id\\s*:)");
    private static final Pattern APP_INSTALLATION = Pattern.compile("\\bcurrentAppInstallation\\s*\\{");

    /** The connections of each root, in GraphQL's names. */
    private static final Map<String, List<String>> CONNECTIONS = Map.of(
            "order", List.of("lineItems", "shippingLines", "discountApplications"),
            "product", List.of("variants", "media"),
            "customer", List.of("addressesV2"),
            "refund", List.of("refundLineItems", "transactions", "refundShippingLines", "orderAdjustments"),
            "fulfillment", List.of("fulfillmentLineItems"));

    /**
     * A by-id read of an entity (its root field named with an {@code id:} argument and {@code legacyResourceId}
     * selected, unlike the writers' read-backs of an order's state), or the app installation's scopes; empty for
     * another query.
     */
    static Optional<ApiAnswer> answer(
            String query, JsonNode variables, StoreContext store, Function<SimEntity, ObjectNode> render) {
        if (APP_INSTALLATION.matcher(query).find()) {
            return Optional.of(accessScopes(store));
        }
        Matcher byId = BY_ID.matcher(query);
        if (!byId.find() || !query.contains("legacyResourceId")) {
            return Optional.empty();
        }
        String root = byId.group(1);
        String id = ShopifyWrites.idOf(ShopifyWrites.arguments(query, byId.end(), variables)
                .getOrDefault("id", JsonNodeFactory.instance.textNode(""))
                .asText(""));
        List<Paging> pagings = new ArrayList<>();
        for (String connection : CONNECTIONS.get(root)) {
            Matcher m = Pattern.compile("\\b" + connection + "\\s*\\(").matcher(query);
            if (m.find()) {
                Map<String, JsonNode> arguments = ShopifyWrites.arguments(query, m.end(), variables);
                int first = arguments
                        .getOrDefault("first", JsonNodeFactory.instance.numberNode(0))
                        .asInt();
                if (first < 1 || first > 250) {
                    return Optional.of(ShopifyDialect.graphqlError(connection + ": first must be between 1 and 250"));
                }
                JsonNode after = arguments.get("after");
                pagings.add(new Paging(connection, first, after == null || after.isNull() ? null : after.asText()));
            }
        }
        long requested = 1L + pagings.stream().mapToLong(p -> 2L + p.first()).sum();
        ApiBudget bucket = store.budget("graphql");
        if (!bucket.consume(requested).granted()) {
            store.stats().apiRateLimited();
            return Optional.of(ShopifyDialect.throttled(requested, bucket));
        }
        EntityType type =
                switch (root) {
                    case "order" -> EntityType.ORDER;
                    case "product" -> EntityType.PRODUCT;
                    case "customer" -> EntityType.CUSTOMER;
                    case "refund" -> EntityType.REFUND;
                    default -> EntityType.SHIPMENT;
                };
        ObjectNode root0 = Payloads.object();
        ObjectNode data = root0.putObject("data");
        Optional<SimEntity> entity = store.state().get(type, id);
        long actual = 1;
        if (entity.isEmpty()) {
            data.putNull(root);
        } else {
            ObjectNode node = node(root, render.apply(entity.get()));
            for (String connection : CONNECTIONS.get(root)) {
                Optional<Paging> paging = pagings.stream()
                        .filter(p -> p.connection().equals(connection))
                        .findFirst();
                if (paging.isEmpty()) {
                    node.remove(connection);
                    continue;
                }
                Optional<Integer> returned = page(node, paging.get());
                if (returned.isEmpty()) {
                    bucket.refund(requested);
                    return Optional.of(ShopifyDialect.graphqlError("Invalid cursor for current pagination sort."));
                }
                actual += 2L + returned.get();
            }
            data.set(root, node);
        }
        bucket.refund(requested - actual);
        ShopifyDialect.cost(root0, requested, actual, bucket);
        return Optional.of(ApiAnswer.json(200, root0));
    }

    /** A nested connection asked: its page size and the cursor after which it starts. */
    private record Paging(String connection, int first, String after) {}

    /** Replaces the node's full list under the connection's name by the page asked; the nodes returned, or empty. */
    private static Optional<Integer> page(ObjectNode node, Paging paging) {
        JsonNode all = node.path(paging.connection());
        int start = 0;
        if (paging.after() != null) {
            try {
                start = Integer.parseInt(new String(Base64.getDecoder().decode(paging.after()), StandardCharsets.UTF_8)
                                .replaceFirst("^index:", ""))
                        + 1;
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        ObjectNode connection = Payloads.object();
        ArrayNode nodes = connection.putArray("nodes");
        int end = Math.min(all.size(), start + paging.first());
        for (int i = start; i < end; i++) {
            nodes.add(all.get(i));
        }
        ObjectNode pageInfo = connection.putObject("pageInfo");
        pageInfo.put("hasNextPage", end < all.size());
        if (nodes.isEmpty()) {
            pageInfo.putNull("endCursor");
        } else {
            pageInfo.put(
                    "endCursor",
                    Base64.getEncoder().encodeToString(("index:" + (end - 1)).getBytes(StandardCharsets.UTF_8)));
        }
        node.set(paging.connection(), connection);
        return Optional.of(nodes.size());
    }

    /** {@code currentAppInstallation { accessScopes { handle } }}: the scopes granted at install; 1 point. */
    private static ApiAnswer accessScopes(StoreContext store) {
        ApiBudget bucket = store.budget("graphql");
        if (!bucket.consume(1).granted()) {
            store.stats().apiRateLimited();
            return ShopifyDialect.throttled(1, bucket);
        }
        ObjectNode root = Payloads.object();
        ArrayNode scopes =
                root.putObject("data").putObject("currentAppInstallation").putArray("accessScopes");
        store.appInstalls().grantedScopes().forEach(scope -> scopes.addObject().put("handle", scope));
        ShopifyDialect.cost(root, 1, 1L, bucket);
        return ApiAnswer.json(200, root);
    }

    // ---- the REST/webhook shape of an entity in GraphQL's shape; connections as full lists, paged above ----

    private static ObjectNode node(String root, JsonNode rest) {
        return switch (root) {
            case "order" -> order(rest);
            case "product" -> product(rest);
            case "customer" -> customer(rest);
            case "refund" -> refund(rest);
            default -> fulfillment(rest);
        };
    }

    private static ObjectNode order(JsonNode rest) {
        ObjectNode node = entity("Order", rest);
        copy(rest, "name", node, "name");
        copy(rest, "email", node, "email");
        copy(rest, "phone", node, "phone");
        copy(rest, "note", node, "note");
        node.set("tags", tags(rest));
        copy(rest, "source_name", node, "sourceName");
        copy(rest, "currency", node, "currencyCode");
        copy(rest, "taxes_included", node, "taxesIncluded");
        upper(rest, "financial_status", node, "displayFinancialStatus");
        node.put(
                "displayFulfillmentStatus",
                switch (rest.path("fulfillment_status").asText("")) {
                    case "fulfilled" -> "FULFILLED";
                    case "partial" -> "PARTIALLY_FULFILLED";
                    case "restocked" -> "RESTOCKED";
                    default -> "UNFULFILLED";
                });
        copy(rest, "payment_gateway_names", node, "paymentGatewayNames");
        copy(rest, "created_at", node, "createdAt");
        copy(rest, "updated_at", node, "updatedAt");
        copy(rest, "processed_at", node, "processedAt");
        copy(rest, "cancelled_at", node, "cancelledAt");
        upper(rest, "cancel_reason", node, "cancelReason");
        copy(rest, "closed_at", node, "closedAt");
        JsonNode customer = rest.path("customer");
        if (customer.isObject()) {
            ObjectNode c = node.putObject("customer");
            c.put("id", ShopifyDialect.gid("Customer", customer.path("id").asText()));
            c.put("legacyResourceId", customer.path("id").asText());
            copy(customer, "first_name", c, "firstName");
            copy(customer, "last_name", c, "lastName");
            c.set("defaultEmailAddress", wrapped(customer.path("email"), "emailAddress"));
            c.set("defaultPhoneNumber", wrapped(customer.path("phone"), "phoneNumber"));
        } else {
            node.putNull("customer");
        }
        node.set("billingAddress", address(rest.path("billing_address"), null));
        node.set("shippingAddress", address(rest.path("shipping_address"), null));
        String currency = rest.path("currency").asText("USD");
        bag(rest, "subtotal_price", currency, node, "subtotalPriceSet");
        bag(rest, "total_discounts", currency, node, "totalDiscountsSet");
        bag(rest, "total_shipping_price", currency, node, "totalShippingPriceSet");
        bag(rest, "total_tax", currency, node, "totalTaxSet");
        bag(rest, "total_price", currency, node, "totalPriceSet");
        bag(rest, "total_outstanding", currency, node, "totalOutstandingSet");
        node.set("taxLines", taxLines(rest, currency));
        node.set("refunds", ids(rest.path("refunds")));
        node.set("fulfillments", ids(rest.path("fulfillments")));
        ArrayNode lines = node.putArray("lineItems");
        rest.path("line_items").forEach(line -> lines.add(lineItem(line, currency)));
        ArrayNode shipping = node.putArray("shippingLines");
        for (JsonNode line : rest.path("shipping_lines")) {
            ObjectNode s = shipping.addObject();
            s.put("id", ShopifyDialect.gid("ShippingLine", line.path("id").asText()));
            copy(line, "title", s, "title");
            copy(line, "code", s, "code");
            copy(line, "carrier_identifier", s, "carrierIdentifier");
            bag(line, "price", currency, s, "originalPriceSet");
            bag(line, "discounted_price", currency, s, "discountedPriceSet");
            s.set("taxLines", taxLines(line, currency));
            s.set("discountAllocations", allocations(line, currency));
        }
        ArrayNode applications = node.putArray("discountApplications");
        int index = 0;
        for (JsonNode application : rest.path("discount_applications")) {
            ObjectNode a = applications.addObject();
            a.put("index", index++);
            upper(application, "target_type", a, "targetType");
            upper(application, "allocation_method", a, "allocationMethod");
            if ("percentage".equals(application.path("value_type").asText())) {
                a.putObject("value").put("percentage", application.path("value").asDouble());
            } else {
                a.putObject("value")
                        .put("amount", application.path("value").asText())
                        .put("currencyCode", currency);
            }
            if ("discount_code".equals(application.path("type").asText())) {
                copy(application, "code", a, "code");
            }
        }
        return node;
    }

    private static ObjectNode lineItem(JsonNode rest, String currency) {
        ObjectNode line = Payloads.object();
        line.put("id", ShopifyDialect.gid("LineItem", rest.path("id").asText()));
        copy(rest, "sku", line, "sku");
        copy(rest, "name", line, "name");
        copy(rest, "title", line, "title");
        copy(rest, "variant_title", line, "variantTitle");
        copy(rest, "quantity", line, "quantity");
        copy(rest, "requires_shipping", line, "requiresShipping");
        line.set("product", reference("Product", rest.path("product_id")));
        line.set("variant", reference("ProductVariant", rest.path("variant_id")));
        ArrayNode attributes = line.putArray("customAttributes");
        for (JsonNode property : rest.path("properties")) {
            attributes
                    .addObject()
                    .put("key", property.path("name").asText())
                    .put("value", property.path("value").asText());
        }
        bag(rest, "price", currency, line, "originalUnitPriceSet");
        bag(rest, "total_discount", currency, line, "totalDiscountSet");
        line.set("taxLines", taxLines(rest, currency));
        line.set("discountAllocations", allocations(rest, currency));
        return line;
    }

    private static ObjectNode refund(JsonNode rest) {
        ObjectNode node = entity("Refund", rest);
        copy(rest, "note", node, "note");
        copy(rest, "created_at", node, "createdAt");
        node.putObject("order").put("legacyResourceId", rest.path("order_id").asText());
        String currency = "USD";
        ArrayNode lines = node.putArray("refundLineItems");
        for (JsonNode item : rest.path("refund_line_items")) {
            ObjectNode l = lines.addObject();
            l.put("id", ShopifyDialect.gid("RefundLineItem", item.path("id").asText()));
            copy(item, "quantity", l, "quantity");
            upper(item, "restock_type", l, "restockType");
            l.set("location", reference("Location", item.path("location_id")));
            bag(item, "subtotal", currency, l, "subtotalSet");
            bag(item, "total_tax", currency, l, "totalTaxSet");
            l.set("lineItem", lineItem(item.path("line_item"), currency));
        }
        ArrayNode transactions = node.putArray("transactions");
        for (JsonNode transaction : rest.path("transactions")) {
            ObjectNode t = transactions.addObject();
            t.put(
                    "id",
                    ShopifyDialect.gid(
                            "OrderTransaction", transaction.path("id").asText()));
            upper(transaction, "kind", t, "kind");
            upper(transaction, "status", t, "status");
            copy(transaction, "gateway", t, "gateway");
            copy(transaction, "processed_at", t, "processedAt");
            bag(transaction, "amount", transaction.path("currency").asText(currency), t, "amountSet");
        }
        ArrayNode shipping = node.putArray("refundShippingLines");
        for (JsonNode line : rest.path("refund_shipping_lines")) {
            ObjectNode s = shipping.addObject();
            s.put("id", ShopifyDialect.gid("RefundShippingLine", line.path("id").asText()));
            s.putObject("shippingLine")
                    .put(
                            "id",
                            ShopifyDialect.gid(
                                    "ShippingLine",
                                    line.path("shipping_line_id").asText()));
            bag(line, "subtotal_amount", currency, s, "subtotalAmountSet");
            bag(line, "tax_amount", currency, s, "taxAmountSet");
        }
        ArrayNode adjustments = node.putArray("orderAdjustments");
        for (JsonNode adjustment : rest.path("order_adjustments")) {
            ObjectNode a = adjustments.addObject();
            a.put(
                    "id",
                    ShopifyDialect.gid("OrderAdjustment", adjustment.path("id").asText()));
            upper(adjustment, "reason", a, "reason");
            bag(adjustment, "amount", currency, a, "amountSet");
            bag(adjustment, "tax_amount", currency, a, "taxAmountSet");
        }
        return node;
    }

    private static ObjectNode fulfillment(JsonNode rest) {
        ObjectNode node = entity("Fulfillment", rest);
        copy(rest, "name", node, "name");
        upper(rest, "status", node, "status");
        node.put(
                "displayStatus",
                rest.path("shipment_status").isTextual()
                        ? rest.path("shipment_status").asText().toUpperCase(Locale.ROOT)
                        : "FULFILLED");
        copy(rest, "created_at", node, "createdAt");
        copy(rest, "updated_at", node, "updatedAt");
        node.putObject("order").put("legacyResourceId", rest.path("order_id").asText());
        node.set("location", reference("Location", rest.path("location_id")));
        if (rest.path("service").isTextual()) {
            node.putObject("service").put("handle", rest.path("service").asText());
        } else {
            node.putNull("service");
        }
        ArrayNode tracking = node.putArray("trackingInfo");
        JsonNode numbers = rest.path("tracking_numbers");
        for (int i = 0; i < numbers.size(); i++) {
            ObjectNode info = tracking.addObject();
            copy(rest, "tracking_company", info, "company");
            info.set("number", numbers.get(i));
            info.set(
                    "url",
                    rest.path("tracking_urls").path(i).isMissingNode()
                            ? JsonNodeFactory.instance.nullNode()
                            : rest.path("tracking_urls").path(i));
        }
        ArrayNode lines = node.putArray("fulfillmentLineItems");
        for (JsonNode line : rest.path("line_items")) {
            ObjectNode l = lines.addObject();
            l.put(
                    "id",
                    ShopifyDialect.gid("FulfillmentLineItem", line.path("id").asText()));
            copy(line, "quantity", l, "quantity");
            l.set("lineItem", lineItem(line, "USD"));
        }
        return node;
    }

    private static ObjectNode product(JsonNode rest) {
        ObjectNode node = entity("Product", rest);
        copy(rest, "title", node, "title");
        copy(rest, "body_html", node, "descriptionHtml");
        copy(rest, "handle", node, "handle");
        upper(rest, "status", node, "status");
        copy(rest, "product_type", node, "productType");
        copy(rest, "vendor", node, "vendor");
        node.set("tags", tags(rest));
        copy(rest, "created_at", node, "createdAt");
        copy(rest, "updated_at", node, "updatedAt");
        copy(rest, "published_at", node, "publishedAt");
        ArrayNode options = node.putArray("options");
        List<String> names = new ArrayList<>();
        for (JsonNode option : rest.path("options")) {
            ObjectNode o = options.addObject();
            o.put("id", ShopifyDialect.gid("ProductOption", option.path("id").asText()));
            copy(option, "name", o, "name");
            copy(option, "position", o, "position");
            copy(option, "values", o, "values");
            names.add(option.path("name").asText());
        }
        ArrayNode variants = node.putArray("variants");
        for (JsonNode variant : rest.path("variants")) {
            ObjectNode v = entity("ProductVariant", variant);
            copy(variant, "sku", v, "sku");
            copy(variant, "barcode", v, "barcode");
            copy(variant, "title", v, "title");
            copy(variant, "position", v, "position");
            copy(variant, "taxable", v, "taxable");
            copy(variant, "inventory_quantity", v, "inventoryQuantity");
            copy(variant, "price", v, "price");
            copy(variant, "compare_at_price", v, "compareAtPrice");
            copy(variant, "created_at", v, "createdAt");
            copy(variant, "updated_at", v, "updatedAt");
            ArrayNode selected = v.putArray("selectedOptions");
            for (int i = 1; i <= 3; i++) {
                if (variant.path("option" + i).isTextual()) {
                    selected.addObject()
                            .put("name", i <= names.size() ? names.get(i - 1) : "Title")
                            .put("value", variant.path("option" + i).asText());
                }
            }
            v.set(
                    "image",
                    variant.path("image_id").isIntegralNumber()
                            ? Payloads.object()
                                    .put(
                                            "id",
                                            ShopifyDialect.gid(
                                                    "ProductImage",
                                                    variant.path("image_id").asText()))
                            : JsonNodeFactory.instance.nullNode());
            if (variant.path("inventory_item_id").isIntegralNumber()) {
                ObjectNode item = v.putObject("inventoryItem");
                item.put(
                        "id",
                        ShopifyDialect.gid(
                                "InventoryItem",
                                variant.path("inventory_item_id").asText()));
                item.put("legacyResourceId", variant.path("inventory_item_id").asText());
                copy(variant, "requires_shipping", item, "requiresShipping");
                if (variant.path("weight").isNumber()
                        && variant.path("weight_unit").isTextual()) {
                    item.putObject("measurement")
                            .putObject("weight")
                            .put(
                                    "unit",
                                    switch (variant.path("weight_unit").asText()) {
                                        case "g" -> "GRAMS";
                                        case "kg" -> "KILOGRAMS";
                                        case "oz" -> "OUNCES";
                                        default -> "POUNDS";
                                    })
                            .set("value", variant.path("weight"));
                }
            } else {
                v.putNull("inventoryItem");
            }
            variants.add(v);
        }
        ArrayNode media = node.putArray("media");
        for (JsonNode image : rest.path("images")) {
            ObjectNode m = media.addObject();
            copy(image, "alt", m, "alt");
            m.putObject("image")
                    .put(
                            "id",
                            ShopifyDialect.gid("ProductImage", image.path("id").asText()))
                    .set("url", image.path("src"));
        }
        return node;
    }

    private static ObjectNode customer(JsonNode rest) {
        ObjectNode node = entity("Customer", rest);
        copy(rest, "first_name", node, "firstName");
        copy(rest, "last_name", node, "lastName");
        copy(rest, "note", node, "note");
        node.set("tags", tags(rest));
        copy(rest, "tax_exempt", node, "taxExempt");
        copy(rest, "created_at", node, "createdAt");
        copy(rest, "updated_at", node, "updatedAt");
        // the store's data only: its payloads (Shopify's webhook examples) name no order count or amount spent
        if (rest.path("orders_count").isIntegralNumber()) {
            node.put("numberOfOrders", rest.path("orders_count").asText());
        }
        if (rest.path("total_spent").isValueNode() && rest.path("currency").isTextual()) {
            ObjectNode spent = node.putObject("amountSpent");
            spent.put("amount", rest.path("total_spent").asText());
            spent.put("currencyCode", rest.path("currency").asText());
        }
        JsonNode email = wrapped(rest.path("email"), "emailAddress");
        if (email instanceof ObjectNode address
                && rest.path("email_marketing_consent").path("state").isTextual()) {
            address.put(
                    "marketingState",
                    rest.path("email_marketing_consent").path("state").asText().toUpperCase(Locale.ROOT));
        }
        node.set("defaultEmailAddress", email);
        node.set("defaultPhoneNumber", wrapped(rest.path("phone"), "phoneNumber"));
        node.set(
                "defaultAddress",
                address(
                        rest.path("default_address"),
                        rest.path("default_address").path("id")));
        ArrayNode addresses = node.putArray("addressesV2");
        rest.path("addresses").forEach(a -> addresses.add(address(a, a.path("id"))));
        return node;
    }

    // ---- shared shapes ----

    private static ObjectNode entity(String type, JsonNode rest) {
        ObjectNode node = Payloads.object();
        node.put("id", ShopifyDialect.gid(type, rest.path("id").asText()));
        node.put("legacyResourceId", rest.path("id").asText());
        return node;
    }

    private static JsonNode address(JsonNode rest, JsonNode id) {
        if (!rest.isObject()) {
            return JsonNodeFactory.instance.nullNode();
        }
        ObjectNode address = Payloads.object();
        if (id != null && !id.isMissingNode() && !id.isNull()) {
            address.put("id", ShopifyDialect.gid("MailingAddress", id.asText()) + "?model_name=CustomerAddress");
        }
        copy(rest, "first_name", address, "firstName");
        copy(rest, "last_name", address, "lastName");
        copy(rest, "name", address, "name");
        copy(rest, "company", address, "company");
        copy(rest, "address1", address, "address1");
        copy(rest, "address2", address, "address2");
        copy(rest, "city", address, "city");
        copy(rest, "province", address, "province");
        copy(rest, "province_code", address, "provinceCode");
        copy(rest, "zip", address, "zip");
        copy(rest, "country", address, "country");
        copy(rest, "country_code", address, "countryCodeV2");
        copy(rest, "phone", address, "phone");
        return address;
    }

    private static ArrayNode taxLines(JsonNode rest, String currency) {
        ArrayNode lines = JsonNodeFactory.instance.arrayNode();
        for (JsonNode tax : rest.path("tax_lines")) {
            ObjectNode t = lines.addObject();
            copy(tax, "title", t, "title");
            copy(tax, "rate", t, "rate");
            bag(tax, "price", currency, t, "priceSet");
        }
        return lines;
    }

    private static ArrayNode allocations(JsonNode rest, String currency) {
        ArrayNode allocations = JsonNodeFactory.instance.arrayNode();
        for (JsonNode allocation : rest.path("discount_allocations")) {
            ObjectNode a = allocations.addObject();
            bag(allocation, "amount", currency, a, "allocatedAmountSet");
            a.putObject("discountApplication").set("index", allocation.path("discount_application_index"));
        }
        return allocations;
    }

    /** REST's {@code <field>_set} (or the bare amount in the currency) as a GraphQL MoneyBag. */
    private static void bag(JsonNode rest, String field, String currency, ObjectNode target, String bagField) {
        JsonNode set = rest.path(field + "_set");
        ObjectNode bag = Payloads.object();
        if (set.isObject()) {
            for (String[] side :
                    new String[][] {{"shop_money", "shopMoney"}, {"presentment_money", "presentmentMoney"}}) {
                JsonNode money = set.path(side[0]);
                bag.putObject(side[1])
                        .put("amount", money.path("amount").asText())
                        .put("currencyCode", money.path("currency_code").asText(currency));
            }
        } else if (rest.path(field).isValueNode() && !rest.path(field).isNull()) {
            for (String side : List.of("shopMoney", "presentmentMoney")) {
                bag.putObject(side).put("amount", rest.path(field).asText()).put("currencyCode", currency);
            }
        } else {
            return;
        }
        target.set(bagField, bag);
    }

    private static ArrayNode ids(JsonNode restList) {
        ArrayNode ids = JsonNodeFactory.instance.arrayNode();
        restList.forEach(entry ->
                ids.addObject().put("legacyResourceId", entry.path("id").asText()));
        return ids;
    }

    private static JsonNode reference(String type, JsonNode id) {
        if (!id.isIntegralNumber()) {
            return JsonNodeFactory.instance.nullNode();
        }
        return Payloads.object()
                .put("id", ShopifyDialect.gid(type, id.asText()))
                .put("legacyResourceId", id.asText());
    }

    private static JsonNode wrapped(JsonNode value, String field) {
        return value.isTextual() ? Payloads.object().put(field, value.asText()) : JsonNodeFactory.instance.nullNode();
    }

    private static ArrayNode tags(JsonNode rest) {
        ArrayNode tags = JsonNodeFactory.instance.arrayNode();
        for (String tag : rest.path("tags").asText("").split(",")) {
            if (!tag.isBlank()) {
                tags.add(tag.trim());
            }
        }
        return tags;
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String graphqlField) {
        JsonNode value = from.path(field);
        to.set(graphqlField, value.isMissingNode() ? JsonNodeFactory.instance.nullNode() : value.deepCopy());
    }

    private static void upper(JsonNode from, String field, ObjectNode to, String graphqlField) {
        JsonNode value = from.path(field);
        if (value.isTextual()) {
            to.put(graphqlField, value.asText().toUpperCase(Locale.ROOT));
        } else {
            to.putNull(graphqlField);
        }
    }
}
