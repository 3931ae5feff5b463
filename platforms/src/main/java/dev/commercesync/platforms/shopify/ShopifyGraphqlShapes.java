package dev.commercesync.platforms.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.PlatformApiException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one place where GraphQL Admin API answers become the REST/webhook shape the Shopify mappers read: the fields each
 * by-id query selects ({@link #ORDER}, {@link #PRODUCT}, …, nested connections paged by the client) and their
 * conversion (ids as numbers from {@code legacyResourceId} or the gid, enums in REST's lower case, money bags as
 * {@code *_set} with {@code shop_money}/{@code presentment_money}, tags joined). Fields GraphQL does not have are left
 * out rather than invented; platforms/README.md lists them.
 */
final class ShopifyGraphqlShapes {
    private ShopifyGraphqlShapes() {}

    /** A Shopify id (a legacyResourceId), small enough for a long. */
    static final String NUMERIC_ID = "[0-9]{1,18}";

    /**
     * A nested connection of a by-id query: selected as {@code field(first: pageSize) { pageInfo { hasNextPage
     * endCursor } nodes { nodeFields } }}, further pages asked by the client until {@code hasNextPage} is false. Page
     * sizes keep a query's requested cost under Shopify's 1,000-point ceiling per query.
     */
    record Connection(String field, int pageSize, String nodeFields) {
        String selection(String after) {
            return field + "(first: " + pageSize + (after == null ? "" : ", after: " + after) + ") {"
                    + " pageInfo { hasNextPage endCursor } nodes { " + nodeFields + " } }";
        }
    }

    /**
     * A by-id query: its root field ({@code order}), the gid type ({@code Order}), its scalar and object fields, and
     * its nested connections.
     */
    record EntityQuery(String root, String gidType, String fields, List<Connection> connections) {
        String query() {
            StringBuilder selection = new StringBuilder(fields);
            connections.forEach(c -> selection.append(' ').append(c.selection(null)));
            return "query Get($id: ID!) { " + root + "(id: $id) { " + selection + " } }";
        }

        /** The query of the page after {@code $after} of one connection. */
        String nextPageQuery(Connection connection) {
            return "query GetMore($id: ID!, $after: String!) { " + root + "(id: $id) { id "
                    + connection.selection("$after") + " } }";
        }
    }

    private static final String MONEY = "shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }";
    private static final String ADDRESS =
            "firstName lastName name company address1 address2 city province provinceCode zip country countryCodeV2"
                    + " phone";
    private static final String TAX_LINES = "taxLines { title rate priceSet { " + MONEY + " } }";
    private static final String ALLOCATIONS =
            "discountAllocations { allocatedAmountSet { " + MONEY + " } discountApplication { index } }";
    private static final String LINE_ITEM = "id sku name title variantTitle quantity requiresShipping"
            + " product { legacyResourceId } variant { legacyResourceId } customAttributes { key value }"
            + " originalUnitPriceSet { " + MONEY + " } totalDiscountSet { " + MONEY + " } " + TAX_LINES + " "
            + ALLOCATIONS;

    static final EntityQuery ORDER = new EntityQuery(
            "order",
            "Order",
            "id legacyResourceId name email phone note tags sourceName currencyCode taxesIncluded"
                    + " displayFinancialStatus displayFulfillmentStatus paymentGatewayNames createdAt updatedAt"
                    + " processedAt cancelledAt cancelReason closedAt"
                    + " customer { legacyResourceId firstName lastName defaultEmailAddress { emailAddress }"
                    + " defaultPhoneNumber { phoneNumber } }"
                    + " billingAddress { " + ADDRESS + " } shippingAddress { " + ADDRESS + " }"
                    + " subtotalPriceSet { " + MONEY + " } totalDiscountsSet { " + MONEY + " }"
                    + " totalShippingPriceSet { " + MONEY + " } totalTaxSet { " + MONEY + " }"
                    + " totalPriceSet { " + MONEY + " } totalOutstandingSet { " + MONEY + " } " + TAX_LINES
                    + " refunds { legacyResourceId } fulfillments { legacyResourceId }",
            List.of(
                    new Connection("lineItems", 25, LINE_ITEM),
                    new Connection(
                            "shippingLines",
                            10,
                            "id title code carrierIdentifier originalPriceSet { " + MONEY + " }"
                                    + " discountedPriceSet { " + MONEY + " } " + TAX_LINES + " " + ALLOCATIONS),
                    new Connection(
                            "discountApplications",
                            10,
                            "index targetType allocationMethod value { ... on MoneyV2 { amount currencyCode }"
                                    + " ... on PricingPercentageValue { percentage } }"
                                    + " ... on DiscountCodeApplication { code }")));

    static final EntityQuery REFUND = new EntityQuery(
            "refund",
            "Refund",
            "id legacyResourceId note createdAt order { legacyResourceId }",
            List.of(
                    new Connection(
                            "refundLineItems",
                            25,
                            "id quantity restockType location { legacyResourceId } subtotalSet { " + MONEY + " }"
                                    + " totalTaxSet { " + MONEY + " } lineItem { " + LINE_ITEM + " }"),
                    new Connection(
                            "transactions", 20, "id kind status gateway processedAt amountSet { " + MONEY + " }"),
                    new Connection(
                            "refundShippingLines",
                            10,
                            "id shippingLine { id } subtotalAmountSet { " + MONEY + " } taxAmountSet { " + MONEY
                                    + " }"),
                    new Connection(
                            "orderAdjustments",
                            10,
                            "id reason amountSet { " + MONEY + " } taxAmountSet { " + MONEY + " }")));

    static final EntityQuery FULFILLMENT = new EntityQuery(
            "fulfillment",
            "Fulfillment",
            "id legacyResourceId name status displayStatus createdAt updatedAt order { legacyResourceId }"
                    + " location { legacyResourceId } service { handle } trackingInfo { company number url }",
            List.of(new Connection("fulfillmentLineItems", 25, "id quantity lineItem { " + LINE_ITEM + " }")));

    static final EntityQuery PRODUCT = new EntityQuery(
            "product",
            "Product",
            "id legacyResourceId title descriptionHtml handle status productType vendor tags createdAt updatedAt"
                    + " publishedAt options { id name position values }",
            List.of(
                    new Connection(
                            "variants",
                            50,
                            "id legacyResourceId sku barcode title position taxable inventoryQuantity price"
                                    + " compareAtPrice createdAt updatedAt selectedOptions { name value } image { id }"
                                    + " inventoryItem { legacyResourceId requiresShipping measurement { weight {"
                                    + " unit value } } }"),
                    new Connection("media", 50, "... on MediaImage { alt image { id url } }")));

    static final EntityQuery CUSTOMER = new EntityQuery(
            "customer",
            "Customer",
            "id legacyResourceId firstName lastName note tags taxExempt createdAt updatedAt numberOfOrders"
                    + " amountSpent { amount currencyCode } defaultEmailAddress { emailAddress marketingState }"
                    + " defaultPhoneNumber { phoneNumber } defaultAddress { id " + ADDRESS + " }",
            List.of(new Connection("addressesV2", 20, "id " + ADDRESS)));

    // ---- conversion ----

    /**
     * A GraphQL {@code Order} ({@link #ORDER}, connections complete) as an order webhook: its refunds and fulfillments
     * are given converted ({@code Order.refunds} and {@code Order.fulfillments} are lists of ids here, each fetched by
     * its own query).
     */
    static ObjectNode order(JsonNode node, List<ObjectNode> refunds, List<ObjectNode> fulfillments, String description)
            throws PlatformApiException {
        ObjectNode order = Json.MAPPER.createObjectNode();
        order.put("id", legacyId(node, description));
        order.set("admin_graphql_api_id", orNull(node.path("id")));
        copy(node, "name", order, "name");
        copy(node, "email", order, "email");
        copy(node, "phone", order, "phone");
        copy(node, "note", order, "note");
        order.put("tags", tags(node));
        copy(node, "sourceName", order, "source_name");
        copy(node, "currencyCode", order, "currency");
        copy(node, "taxesIncluded", order, "taxes_included");
        putLower(order, "financial_status", node.path("displayFinancialStatus"));
        order.set("fulfillment_status", Json.MAPPER.nullNode());
        String fulfillment = node.path("displayFulfillmentStatus").asText("");
        switch (fulfillment) {
            case "FULFILLED" -> order.put("fulfillment_status", "fulfilled");
            case "PARTIALLY_FULFILLED" -> order.put("fulfillment_status", "partial");
            case "RESTOCKED" -> order.put("fulfillment_status", "restocked");
            default -> {} // UNFULFILLED and the states REST shows as null (on hold, scheduled, in progress…)
        }
        copy(node, "paymentGatewayNames", order, "payment_gateway_names");
        copy(node, "createdAt", order, "created_at");
        copy(node, "updatedAt", order, "updated_at");
        copy(node, "processedAt", order, "processed_at");
        copy(node, "cancelledAt", order, "cancelled_at");
        putLower(order, "cancel_reason", node.path("cancelReason"));
        copy(node, "closedAt", order, "closed_at");
        JsonNode customer = node.path("customer");
        if (customer.isObject()) {
            ObjectNode c = order.putObject("customer");
            c.put("id", legacyId(customer, description));
            c.set(
                    "email",
                    customer.path("defaultEmailAddress").path("emailAddress").deepCopy());
            c.set(
                    "phone",
                    customer.path("defaultPhoneNumber").path("phoneNumber").deepCopy());
            copy(customer, "firstName", c, "first_name");
            copy(customer, "lastName", c, "last_name");
            nullMissing(c, "email", "phone");
        } else {
            order.putNull("customer");
        }
        order.set("billing_address", address(node.path("billingAddress"), false));
        order.set("shipping_address", address(node.path("shippingAddress"), false));
        money(node, "subtotalPriceSet", order, "subtotal_price");
        money(node, "totalDiscountsSet", order, "total_discounts");
        money(node, "totalShippingPriceSet", order, "total_shipping_price");
        money(node, "totalTaxSet", order, "total_tax");
        money(node, "totalPriceSet", order, "total_price");
        JsonNode outstanding =
                node.path("totalOutstandingSet").path("shopMoney").path("amount");
        if (outstanding.isTextual()) {
            order.put("total_outstanding", outstanding.asText());
        }
        ArrayNode lines = order.putArray("line_items");
        BigDecimal lineItemsTotal = BigDecimal.ZERO;
        Map<Integer, BigDecimal> allocatedByApplication = new TreeMap<>();
        for (JsonNode line : nodes(node, "lineItems")) {
            ObjectNode converted = lineItem(line, description);
            lines.add(converted);
            lineItemsTotal = lineItemsTotal.add(decimal(converted.path("price"))
                    .multiply(BigDecimal.valueOf(line.path("quantity").asLong())));
            allocate(line, allocatedByApplication);
        }
        order.put("total_line_items_price", lineItemsTotal.toPlainString()); // REST: the lines' prices × quantities
        ArrayNode shippingLines = order.putArray("shipping_lines");
        for (JsonNode line : nodes(node, "shippingLines")) {
            ObjectNode shipping = shippingLines.addObject();
            shipping.put("id", idOfGid(line.path("id").asText(), description));
            copy(line, "title", shipping, "title");
            copy(line, "code", shipping, "code");
            copy(line, "carrierIdentifier", shipping, "carrier_identifier");
            money(line, "originalPriceSet", shipping, "price");
            money(line, "discountedPriceSet", shipping, "discounted_price");
            shipping.set("tax_lines", taxLines(line));
            shipping.set("discount_allocations", discountAllocations(line));
            allocate(line, allocatedByApplication);
        }
        ArrayNode codes = order.putArray("discount_codes");
        for (JsonNode application : nodes(node, "discountApplications")) {
            if (!application.path("code").isTextual()) {
                continue; // automatic, manual and script discounts have no code (REST lists codes only)
            }
            ObjectNode code = codes.addObject();
            code.put("code", application.path("code").asText());
            code.put(
                    "amount",
                    allocatedByApplication
                            .getOrDefault(application.path("index").asInt(), BigDecimal.ZERO)
                            .toPlainString());
            code.put(
                    "type",
                    "SHIPPING_LINE".equals(application.path("targetType").asText())
                            ? "shipping"
                            : application.path("value").has("percentage") ? "percentage" : "fixed_amount");
        }
        order.set("tax_lines", taxLines(node));
        ArrayNode refundArray = order.putArray("refunds");
        refunds.forEach(refundArray::add);
        ArrayNode fulfillmentArray = order.putArray("fulfillments");
        fulfillments.forEach(fulfillmentArray::add);
        return order;
    }

    /** The legacy ids of an order's {@code refunds { legacyResourceId }} or {@code fulfillments { … }}. */
    static List<String> childIds(JsonNode order, String field) {
        List<String> ids = new ArrayList<>();
        order.path(field)
                .forEach(child -> ids.add(child.path("legacyResourceId").asText()));
        return ids;
    }

    /** A GraphQL {@code LineItem} as a REST line item. */
    static ObjectNode lineItem(JsonNode line, String description) throws PlatformApiException {
        ObjectNode item = Json.MAPPER.createObjectNode();
        item.put("id", idOfGid(line.path("id").asText(), description));
        item.set("admin_graphql_api_id", orNull(line.path("id")));
        putLegacyOrNull(item, "product_id", line.path("product"), description);
        putLegacyOrNull(item, "variant_id", line.path("variant"), description);
        copy(line, "sku", item, "sku");
        copy(line, "name", item, "name");
        copy(line, "title", item, "title");
        copy(line, "variantTitle", item, "variant_title");
        copy(line, "quantity", item, "quantity");
        copy(line, "requiresShipping", item, "requires_shipping");
        ArrayNode properties = item.putArray("properties");
        for (JsonNode attribute : line.path("customAttributes")) {
            ObjectNode property = properties.addObject();
            property.set("name", orNull(attribute.path("key")));
            property.put("value", attribute.path("value").asText(""));
        }
        money(line, "originalUnitPriceSet", item, "price");
        money(line, "totalDiscountSet", item, "total_discount");
        item.set("tax_lines", taxLines(line));
        item.set("discount_allocations", discountAllocations(line));
        return item;
    }

    /** A GraphQL {@code Refund} ({@link #REFUND}) as a {@code refunds/create} webhook. */
    static ObjectNode refund(JsonNode node, String description) throws PlatformApiException {
        ObjectNode refund = Json.MAPPER.createObjectNode();
        refund.put("id", legacyId(node, description));
        refund.put("order_id", legacyId(node.path("order"), description));
        refund.set("admin_graphql_api_id", orNull(node.path("id")));
        copy(node, "note", refund, "note");
        copy(node, "createdAt", refund, "created_at");
        ArrayNode items = refund.putArray("refund_line_items");
        for (JsonNode line : nodes(node, "refundLineItems")) {
            ObjectNode item = items.addObject();
            item.put("id", idOfGid(line.path("id").asText(), description));
            copy(line, "quantity", item, "quantity");
            ObjectNode lineItem = lineItem(line.path("lineItem"), description);
            item.set("line_item_id", orNull(lineItem.path("id")));
            putLower(item, "restock_type", line.path("restockType"));
            putLegacyOrNull(item, "location_id", line.path("location"), description);
            money(line, "subtotalSet", item, "subtotal");
            money(line, "totalTaxSet", item, "total_tax");
            item.set("line_item", lineItem);
        }
        ArrayNode transactions = refund.putArray("transactions");
        for (JsonNode transaction : nodes(node, "transactions")) {
            ObjectNode t = transactions.addObject();
            t.put("id", idOfGid(transaction.path("id").asText(), description));
            putLower(t, "kind", transaction.path("kind"));
            putLower(t, "status", transaction.path("status"));
            copy(transaction, "gateway", t, "gateway");
            copy(transaction, "processedAt", t, "processed_at");
            JsonNode shopMoney = transaction.path("amountSet").path("shopMoney");
            t.set("amount", shopMoney.path("amount").deepCopy());
            t.set("currency", shopMoney.path("currencyCode").deepCopy());
            nullMissing(t, "amount", "currency");
        }
        ArrayNode shippingLines = refund.putArray("refund_shipping_lines");
        for (JsonNode line : nodes(node, "refundShippingLines")) {
            ObjectNode s = shippingLines.addObject();
            s.put("id", idOfGid(line.path("id").asText(), description));
            if (line.path("shippingLine").path("id").isTextual()) {
                s.put(
                        "shipping_line_id",
                        idOfGid(line.path("shippingLine").path("id").asText(), description));
            }
            money(line, "subtotalAmountSet", s, "subtotal_amount");
            money(line, "taxAmountSet", s, "tax_amount");
        }
        ArrayNode adjustments = refund.putArray("order_adjustments");
        for (JsonNode adjustment : nodes(node, "orderAdjustments")) {
            ObjectNode a = adjustments.addObject();
            a.put("id", idOfGid(adjustment.path("id").asText(), description));
            a.put("order_id", refund.path("order_id").asLong());
            a.put("refund_id", refund.path("id").asLong());
            putLower(a, "reason", adjustment.path("reason"));
            money(adjustment, "amountSet", a, "amount");
            money(adjustment, "taxAmountSet", a, "tax_amount");
        }
        return refund;
    }

    /** REST's {@code shipment_status} values, which GraphQL's {@code displayStatus} includes among others. */
    private static final Set<String> SHIPMENT_STATUSES = Set.of(
            "label_printed",
            "label_purchased",
            "attempted_delivery",
            "ready_for_pickup",
            "picked_up",
            "confirmed",
            "in_transit",
            "out_for_delivery",
            "delivered",
            "failure");

    /** A GraphQL {@code Fulfillment} ({@link #FULFILLMENT}) as a {@code fulfillments/create} webhook. */
    static ObjectNode fulfillment(JsonNode node, String description) throws PlatformApiException {
        ObjectNode fulfillment = Json.MAPPER.createObjectNode();
        fulfillment.put("id", legacyId(node, description));
        fulfillment.put("order_id", legacyId(node.path("order"), description));
        fulfillment.set("admin_graphql_api_id", orNull(node.path("id")));
        copy(node, "name", fulfillment, "name");
        putLower(fulfillment, "status", node.path("status"));
        String display = node.path("displayStatus").asText("").toLowerCase(Locale.ROOT);
        if (SHIPMENT_STATUSES.contains(display)) {
            fulfillment.put("shipment_status", display);
        } else {
            fulfillment.putNull("shipment_status");
        }
        copy(node, "createdAt", fulfillment, "created_at");
        copy(node, "updatedAt", fulfillment, "updated_at");
        putLegacyOrNull(fulfillment, "location_id", node.path("location"), description);
        fulfillment.set("service", node.path("service").path("handle").deepCopy());
        nullMissing(fulfillment, "service");
        ArrayNode numbers = fulfillment.putArray("tracking_numbers");
        ArrayNode urls = fulfillment.putArray("tracking_urls");
        fulfillment.putNull("tracking_company");
        for (JsonNode info : node.path("trackingInfo")) {
            if (fulfillment.path("tracking_company").isNull()
                    && info.path("company").isTextual()) {
                fulfillment.set("tracking_company", orNull(info.path("company")));
            }
            if (info.path("number").isTextual()) {
                numbers.add(info.path("number").asText());
                urls.add(info.path("url").isTextual() ? info.path("url") : Json.MAPPER.nullNode());
            }
        }
        fulfillment.set("tracking_number", numbers.isEmpty() ? Json.MAPPER.nullNode() : numbers.get(0));
        fulfillment.set("tracking_url", urls.isEmpty() ? Json.MAPPER.nullNode() : urls.get(0));
        ArrayNode lines = fulfillment.putArray("line_items");
        for (JsonNode line : nodes(node, "fulfillmentLineItems")) {
            ObjectNode item = lineItem(line.path("lineItem"), description);
            item.set("quantity", orNull(line.path("quantity"))); // the units of the line in this fulfillment
            lines.add(item);
        }
        return fulfillment;
    }

    /** A GraphQL {@code Product} ({@link #PRODUCT}) as a {@code products/update} webhook. */
    static ObjectNode product(JsonNode node, String description) throws PlatformApiException {
        ObjectNode product = Json.MAPPER.createObjectNode();
        long productId = legacyId(node, description);
        product.put("id", productId);
        product.set("admin_graphql_api_id", orNull(node.path("id")));
        copy(node, "title", product, "title");
        copy(node, "descriptionHtml", product, "body_html");
        copy(node, "handle", product, "handle");
        putLower(product, "status", node.path("status"));
        copy(node, "productType", product, "product_type");
        copy(node, "vendor", product, "vendor");
        product.put("tags", tags(node));
        copy(node, "createdAt", product, "created_at");
        copy(node, "updatedAt", product, "updated_at");
        copy(node, "publishedAt", product, "published_at");
        ArrayNode options = product.putArray("options");
        List<String> optionNames = new ArrayList<>();
        for (JsonNode option : node.path("options")) {
            ObjectNode o = options.addObject();
            o.put("id", idOfGid(option.path("id").asText(), description));
            o.put("product_id", productId);
            copy(option, "name", o, "name");
            copy(option, "position", o, "position");
            o.set("values", option.path("values").isArray() ? option.path("values") : Json.MAPPER.createArrayNode());
            optionNames.add(option.path("name").asText());
        }
        ArrayNode variants = product.putArray("variants");
        for (JsonNode variant : nodes(node, "variants")) {
            ObjectNode v = variants.addObject();
            v.put("id", legacyId(variant, description));
            v.put("product_id", productId);
            v.set("admin_graphql_api_id", orNull(variant.path("id")));
            copy(variant, "sku", v, "sku");
            copy(variant, "barcode", v, "barcode");
            copy(variant, "title", v, "title");
            copy(variant, "position", v, "position");
            copy(variant, "taxable", v, "taxable");
            copy(variant, "inventoryQuantity", v, "inventory_quantity");
            copy(variant, "price", v, "price");
            copy(variant, "compareAtPrice", v, "compare_at_price");
            copy(variant, "createdAt", v, "created_at");
            copy(variant, "updatedAt", v, "updated_at");
            for (int i = 1; i <= 3; i++) {
                v.putNull("option" + i);
            }
            int index = 0;
            for (JsonNode selected : variant.path("selectedOptions")) {
                // option<n> is the option at position n; selectedOptions come in the options' order
                int named = optionNames.indexOf(selected.path("name").asText()) + 1;
                int position = named > 0 ? named : ++index;
                index = Math.max(index, named);
                if (position >= 1 && position <= 3) {
                    v.set("option" + position, orNull(selected.path("value")));
                }
            }
            JsonNode imageId = variant.path("image").path("id");
            if (imageId.isTextual()) {
                v.put("image_id", idOfGid(imageId.asText(), description));
            } else {
                v.putNull("image_id");
            }
            JsonNode inventoryItem = variant.path("inventoryItem");
            String itemId = inventoryItem.path("legacyResourceId").asText("");
            if (itemId.matches(NUMERIC_ID)) {
                v.put("inventory_item_id", Long.parseLong(itemId));
            } else {
                v.putNull("inventory_item_id");
            }
            copy(inventoryItem, "requiresShipping", v, "requires_shipping");
            JsonNode weight = inventoryItem.path("measurement").path("weight");
            if (weight.isObject()) {
                v.set("weight", orNull(weight.path("value")));
                String unit =
                        switch (weight.path("unit").asText("")) {
                            case "GRAMS" -> "g";
                            case "KILOGRAMS" -> "kg";
                            case "OUNCES" -> "oz";
                            case "POUNDS" -> "lb";
                            default -> weight.path("unit").asText("").toLowerCase(Locale.ROOT);
                        };
                v.put("weight_unit", unit);
            }
        }
        ArrayNode images = product.putArray("images");
        for (JsonNode media : nodes(node, "media")) {
            JsonNode image = media.path("image");
            if (!image.isObject()) {
                continue; // videos and 3D models: REST's images are images only
            }
            ObjectNode i = images.addObject();
            i.put("id", idOfGid(image.path("id").asText(), description));
            i.put("product_id", productId);
            i.put("position", images.size());
            i.set("alt", media.path("alt").deepCopy());
            i.set("src", orNull(image.path("url")));
            nullMissing(i, "alt");
        }
        return product;
    }

    /** A GraphQL {@code Customer} ({@link #CUSTOMER}) as a {@code customers/update} webhook. */
    static ObjectNode customer(JsonNode node, String description) throws PlatformApiException {
        ObjectNode customer = Json.MAPPER.createObjectNode();
        long customerId = legacyId(node, description);
        customer.put("id", customerId);
        customer.set("admin_graphql_api_id", orNull(node.path("id")));
        customer.set(
                "email", node.path("defaultEmailAddress").path("emailAddress").deepCopy());
        customer.set(
                "phone", node.path("defaultPhoneNumber").path("phoneNumber").deepCopy());
        nullMissing(customer, "email", "phone");
        copy(node, "firstName", customer, "first_name");
        copy(node, "lastName", customer, "last_name");
        copy(node, "note", customer, "note");
        customer.put("tags", tags(node));
        copy(node, "taxExempt", customer, "tax_exempt");
        copy(node, "createdAt", customer, "created_at");
        copy(node, "updatedAt", customer, "updated_at");
        JsonNode marketing = node.path("defaultEmailAddress").path("marketingState");
        if (marketing.isTextual()) {
            customer.putObject("email_marketing_consent")
                    .put("state", marketing.asText().toLowerCase(Locale.ROOT));
        }
        JsonNode spent = node.path("amountSpent");
        if (spent.isObject()) {
            customer.set("currency", orNull(spent.path("currencyCode")));
            customer.set("total_spent", orNull(spent.path("amount")));
        }
        JsonNode orders = node.path("numberOfOrders");
        if (orders.isValueNode() && orders.asText().matches(NUMERIC_ID)) {
            customer.put("orders_count", Long.parseLong(orders.asText())); // UnsignedInt64, a string
        }
        JsonNode defaultAddress = node.path("defaultAddress");
        String defaultId = defaultAddress.path("id").asText("");
        if (defaultAddress.isObject()) {
            ObjectNode address = (ObjectNode) address(defaultAddress, true);
            address.put("customer_id", customerId);
            address.put("default", true);
            customer.set("default_address", address);
        }
        ArrayNode addresses = customer.putArray("addresses");
        for (JsonNode a : nodes(node, "addressesV2")) {
            ObjectNode address = (ObjectNode) address(a, true);
            address.put("customer_id", customerId);
            address.put("default", a.path("id").asText("").equals(defaultId));
            addresses.add(address);
        }
        return customer;
    }

    /**
     * A GraphQL {@code InventoryLevel} ({@code ShopifyApiClient.LEVEL_FIELDS}) at a location in the shape of an
     * {@code inventory_levels/update} webhook, which {@link ShopifyInventoryLevelMapper} maps: ids as numbers, {@code
     * available} null when the item's quantities are not tracked (as REST and the webhooks show it), the GraphQL id as
     * {@code admin_graphql_api_id}.
     */
    static ObjectNode levelPayload(JsonNode node, String location, String description) throws PlatformApiException {
        String item = node.path("item").path("legacyResourceId").asText("");
        if (!item.matches(NUMERIC_ID)
                || !location.matches(NUMERIC_ID)
                || !node.path("updatedAt").isTextual()) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.SERVER, 200, description + " returned a level without ids");
        }
        ObjectNode level = Json.MAPPER.createObjectNode();
        level.put("inventory_item_id", Long.parseLong(item));
        level.put("location_id", Long.parseLong(location));
        level.putNull("available");
        if (node.path("item").path("tracked").asBoolean(true)) {
            for (JsonNode quantity : node.path("quantities")) {
                if ("available".equals(quantity.path("name").asText())) {
                    level.set("available", orNull(quantity.path("quantity")));
                }
            }
        }
        level.put("updated_at", node.path("updatedAt").asText());
        level.put("admin_graphql_api_id", node.path("id").asText());
        return level;
    }

    // ---- shared shapes ----

    /** A GraphQL {@code MailingAddress} as a REST address (null when absent); customer addresses carry their id. */
    private static JsonNode address(JsonNode node, boolean withId) throws PlatformApiException {
        if (!node.isObject()) {
            return Json.MAPPER.nullNode();
        }
        ObjectNode address = Json.MAPPER.createObjectNode();
        if (withId) {
            address.put("id", idOfGid(node.path("id").asText(), "address"));
        }
        copy(node, "firstName", address, "first_name");
        copy(node, "lastName", address, "last_name");
        copy(node, "name", address, "name");
        copy(node, "company", address, "company");
        copy(node, "address1", address, "address1");
        copy(node, "address2", address, "address2");
        copy(node, "city", address, "city");
        copy(node, "province", address, "province");
        copy(node, "provinceCode", address, "province_code");
        copy(node, "zip", address, "zip");
        copy(node, "country", address, "country");
        copy(node, "countryCodeV2", address, "country_code");
        copy(node, "phone", address, "phone");
        return address;
    }

    private static ArrayNode taxLines(JsonNode parent) {
        ArrayNode lines = Json.MAPPER.createArrayNode();
        for (JsonNode tax : parent.path("taxLines")) {
            ObjectNode line = lines.addObject();
            copy(tax, "title", line, "title");
            copy(tax, "rate", line, "rate");
            money(tax, "priceSet", line, "price");
        }
        return lines;
    }

    private static ArrayNode discountAllocations(JsonNode parent) {
        ArrayNode allocations = Json.MAPPER.createArrayNode();
        for (JsonNode allocation : parent.path("discountAllocations")) {
            ObjectNode a = allocations.addObject();
            money(allocation, "allocatedAmountSet", a, "amount");
            a.set(
                    "discount_application_index",
                    allocation.path("discountApplication").path("index").deepCopy());
            nullMissing(a, "discount_application_index");
        }
        return allocations;
    }

    /** Adds a line's discount allocations (shop money) to the totals by discount application index. */
    private static void allocate(JsonNode line, Map<Integer, BigDecimal> byApplication) {
        for (JsonNode allocation : line.path("discountAllocations")) {
            JsonNode index = allocation.path("discountApplication").path("index");
            JsonNode amount =
                    allocation.path("allocatedAmountSet").path("shopMoney").path("amount");
            if (index.isInt() && amount.isTextual()) {
                byApplication.merge(index.asInt(), decimal(amount), BigDecimal::add);
            }
        }
    }

    /**
     * A money bag as REST shows it: {@code <field>} the shop amount (a string) and {@code <field>_set} both sides;
     * nothing when the bag is absent.
     */
    private static void money(JsonNode parent, String bagField, ObjectNode target, String field) {
        JsonNode bag = parent.path(bagField);
        if (!bag.isObject()) {
            return;
        }
        ObjectNode set = Json.MAPPER.createObjectNode();
        for (String[] side : new String[][] {{"shopMoney", "shop_money"}, {"presentmentMoney", "presentment_money"}}) {
            JsonNode money = bag.path(side[0]);
            if (money.isObject()) {
                ObjectNode converted = set.putObject(side[1]);
                converted.set("amount", orNull(money.path("amount")));
                converted.set("currency_code", orNull(money.path("currencyCode")));
            }
        }
        target.set(field, bag.path("shopMoney").path("amount").deepCopy());
        nullMissing(target, field);
        target.set(field + "_set", set);
    }

    private static BigDecimal decimal(JsonNode amount) {
        try {
            return new BigDecimal(amount.asText());
        } catch (NumberFormatException e) {
            return BigDecimal.ZERO;
        }
    }

    /** Shopify's GraphQL tags are a list; REST's one string joined with {@code ", "}. */
    private static String tags(JsonNode node) {
        List<String> tags = new ArrayList<>();
        node.path("tags").forEach(tag -> tags.add(tag.asText()));
        return String.join(", ", tags);
    }

    /** A value to set: a missing one as null (a MissingNode does not serialize). */
    private static JsonNode orNull(JsonNode value) {
        return value.isMissingNode() ? Json.MAPPER.nullNode() : value;
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String restField) {
        JsonNode value = from.path(field);
        to.set(restField, value.isMissingNode() ? Json.MAPPER.nullNode() : value.deepCopy());
    }

    private static void putLower(ObjectNode to, String field, JsonNode enumValue) {
        if (enumValue.isTextual()) {
            to.put(field, enumValue.asText().toLowerCase(Locale.ROOT));
        } else {
            to.putNull(field);
        }
    }

    private static void nullMissing(ObjectNode node, String... fields) {
        for (String field : fields) {
            if (node.path(field).isMissingNode()) {
                node.putNull(field);
            }
        }
    }

    /** The connection's nodes (complete once the client paged it), or none. */
    private static JsonNode nodes(JsonNode parent, String connection) {
        return parent.path(connection).path("nodes");
    }

    private static void putLegacyOrNull(ObjectNode to, String field, JsonNode object, String description)
            throws PlatformApiException {
        if (object.isObject()) {
            to.put(field, legacyId(object, description));
        } else {
            to.putNull(field);
        }
    }

    /** An object's {@code legacyResourceId} (an UnsignedInt64, a string in JSON) as a number. */
    static long legacyId(JsonNode object, String description) throws PlatformApiException {
        String id = object.path("legacyResourceId").asText("");
        if (!id.matches(NUMERIC_ID)) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.SERVER, 200, description + " returned an object without its id");
        }
        return Long.parseLong(id);
    }

    /**
     * The number of a gid ({@code gid://shopify/LineItem/123}, {@code gid://shopify/MailingAddress/4?model_name=…}):
     * the REST id of objects without a {@code legacyResourceId}.
     */
    static long idOfGid(String gid, String description) throws PlatformApiException {
        String tail = gid.substring(gid.lastIndexOf('/') + 1);
        int query = tail.indexOf('?');
        String id = query < 0 ? tail : tail.substring(0, query);
        if (!id.matches(NUMERIC_ID)) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.SERVER, 200, description + " returned an object without its id");
        }
        return Long.parseLong(id);
    }
}
