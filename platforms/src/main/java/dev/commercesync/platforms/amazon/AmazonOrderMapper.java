package dev.commercesync.platforms.amazon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Moneys;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.Address;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.FulfillmentStatus;
import dev.commercesync.schemas.canonical.Money;
import dev.commercesync.schemas.canonical.Order;
import dev.commercesync.schemas.canonical.OrderCustomer;
import dev.commercesync.schemas.canonical.OrderLineItem;
import dev.commercesync.schemas.canonical.OrderStatus;
import dev.commercesync.schemas.canonical.OrderTotals;
import dev.commercesync.schemas.canonical.PaymentStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An Orders API v2026-01-01 order (an element of searchOrders' {@code orders}, or getOrder's {@code order}) read with
 * the datasets of {@link AmazonApiClient#INCLUDED_DATA}. Amounts are Amazon {@code Money} objects ({@code {"amount":
 * "154.99", "currencyCode": "USD"}}, the amount a decimal string); the order's currency is its proceeds' grand total's.
 * Amazon has one order state, the fulfillment status; payments are Amazon's, so the payment status is UNKNOWN except
 * for PENDING orders (not yet charged). Packages (shipments), the sales channel, aliases and programs stay in
 * platform_fields.
 */
final class AmazonOrderMapper implements EntityMapper {
    static final String VERSION = "amazon/orders-2026-01-01@1";

    private static final Set<String> MAPPED = Set.of(
            "orderId", "createdTime", "lastUpdatedTime", "buyer", "recipient", "proceeds", "fulfillment", "orderItems");
    private static final Set<String> ITEM_MAPPED = Set.of("orderItemId", "quantityOrdered", "product", "proceeds");
    private static final Set<String> PRODUCT_MAPPED = Set.of("asin", "title", "sellerSku", "price");
    private static final Set<String> ADDRESS_MAPPED = Set.of(
            "name",
            "companyName",
            "addressLine1",
            "addressLine2",
            "city",
            "stateOrRegion",
            "postalCode",
            "countryCode",
            "phone");

    @Override
    public EntityType entityType() {
        return EntityType.ORDER;
    }

    @Override
    public List<String> apiVersionsRead() {
        return AmazonAdapter.MAPPINGS_READ;
    }

    @Override
    public String mappingVersion() {
        return VERSION;
    }

    @Override
    public Order map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject o = PayloadObject.root(payload);
        Map<String, String> platformFields = new TreeMap<>(o.unmappedFields(MAPPED));
        String id = o.requiredText("orderId");
        PayloadObject proceeds = o.requiredObject("proceeds");
        PayloadObject grandTotal = proceeds.requiredObject("grandTotal");
        String currency = Moneys.currencyCode(grandTotal.requiredText("currencyCode"), grandTotal.path("currencyCode"));
        proceeds.unmappedFields(Set.of("grandTotal", "breakdowns"))
                .forEach((k, v) -> platformFields.put("proceeds." + k, v));

        Optional<PayloadObject> fulfillment = o.object("fulfillment");
        Optional<String> fulfillmentStatus =
                fulfillment.isEmpty() ? Optional.empty() : fulfillment.get().text("fulfillmentStatus");
        if (fulfillment.isPresent()) {
            fulfillment
                    .get()
                    .unmappedFields(Set.of("fulfillmentStatus"))
                    .forEach((k, v) -> platformFields.put("fulfillment." + k, v));
        }

        Order.Builder order = Order.newBuilder()
                .setId(id)
                .setNumber(id)
                .setStatus(fulfillmentStatus.map(AmazonOrderMapper::status).orElse(OrderStatus.UNKNOWN))
                .setPlatformStatus(fulfillmentStatus.orElse(null))
                .setPaymentStatus(
                        fulfillmentStatus.filter("PENDING"::equals).isPresent()
                                ? PaymentStatus.PENDING
                                : PaymentStatus.UNKNOWN)
                .setFulfillmentStatus(
                        fulfillmentStatus.map(AmazonOrderMapper::fulfillment).orElse(FulfillmentStatus.UNKNOWN))
                .setCurrency(currency)
                .setCreatedAt(o.instant("createdTime")
                        .orElseThrow(() -> MappingException.field(o.path("createdTime"), "required field is missing")))
                .setUpdatedAt(o.instant("lastUpdatedTime").orElse(null));

        Optional<PayloadObject> buyer = o.object("buyer");
        if (buyer.isPresent()) {
            buyer.get().unmappedFields(Set.of("buyerEmail")).forEach((k, v) -> platformFields.put("buyer." + k, v));
            order.setCustomer(OrderCustomer.newBuilder()
                    .setEmail(buyer.get().text("buyerEmail").orElse(null))
                    .build());
        }
        Optional<PayloadObject> recipient = o.object("recipient");
        if (recipient.isPresent()) {
            recipient
                    .get()
                    .unmappedFields(Set.of("deliveryAddress"))
                    .forEach((k, v) -> platformFields.put("recipient." + k, v));
            Optional<PayloadObject> address = recipient.get().object("deliveryAddress");
            if (address.isPresent()) {
                order.setShippingAddress(address(address.get(), platformFields));
            }
        }

        order.setTotals(OrderTotals.newBuilder()
                .setSubtotal(breakdown(proceeds, "ITEM", currency).orElse(null))
                .setShipping(breakdown(proceeds, "SHIPPING", currency).orElse(null))
                .setTax(breakdown(proceeds, "TAX", currency).orElse(null))
                .setTotal(money(grandTotal, currency))
                .build());
        order.setLineItems(lineItems(o, currency));
        order.setChannel(
                o.object("salesChannel").isPresent()
                        ? o.requiredObject("salesChannel").text("marketplaceId").orElse(null)
                        : null);
        order.setPlatformFields(platformFields);
        return order.build();
    }

    private static Address address(PayloadObject a, Map<String, String> platformFields) throws MappingException {
        a.unmappedFields(ADDRESS_MAPPED).forEach((k, v) -> platformFields.put("recipient.deliveryAddress." + k, v));
        return Address.newBuilder()
                .setName(a.text("name").orElse(null))
                .setCompany(a.text("companyName").orElse(null))
                .setAddress1(a.text("addressLine1").orElse(null))
                .setAddress2(a.text("addressLine2").orElse(null))
                .setCity(a.text("city").orElse(null))
                .setRegion(a.text("stateOrRegion").orElse(null))
                .setPostalCode(a.text("postalCode").orElse(null))
                .setCountryCode(a.text("countryCode").orElse(null))
                .setPhone(a.text("phone").orElse(null))
                .build();
    }

    private static List<OrderLineItem> lineItems(PayloadObject o, String currency) throws MappingException {
        if (!o.node().path("orderItems").isArray()) {
            throw MappingException.field(o.path("orderItems"), "required field is missing");
        }
        List<OrderLineItem> items = new ArrayList<>();
        for (PayloadObject item : o.objects("orderItems")) {
            Map<String, String> fields = new TreeMap<>(item.unmappedFields(ITEM_MAPPED));
            PayloadObject product = item.requiredObject("product");
            product.unmappedFields(PRODUCT_MAPPED).forEach((k, v) -> fields.put("product." + k, v));
            PayloadObject price = product.requiredObject("price");
            price.unmappedFields(Set.of("unitPrice")).forEach((k, v) -> fields.put("product.price." + k, v));
            Optional<PayloadObject> itemProceeds = item.object("proceeds");
            OrderLineItem.Builder line = OrderLineItem.newBuilder()
                    .setId(item.requiredText("orderItemId"))
                    .setProductId(product.text("asin").orElse(null))
                    .setSku(product.text("sellerSku").orElse(null))
                    .setName(product.text("title")
                            .orElse(product.text("sellerSku").orElse("")))
                    .setQuantity(item.requiredWholeNumber("quantityOrdered"))
                    .setUnitPrice(money(price.requiredObject("unitPrice"), currency));
            if (itemProceeds.isPresent()) {
                line.setSubtotal(breakdown(itemProceeds.get(), "ITEM", currency).orElse(null))
                        .setTax(breakdown(itemProceeds.get(), "TAX", currency).orElse(null));
                Optional<PayloadObject> total = itemProceeds.get().object("proceedsTotal");
                if (total.isPresent()) {
                    line.setTotal(money(total.get(), currency));
                }
                itemProceeds
                        .get()
                        .unmappedFields(Set.of("proceedsTotal", "breakdowns"))
                        .forEach((k, v) -> fields.put("proceeds." + k, v));
            }
            items.add(line.setPlatformFields(fields).build());
        }
        return items;
    }

    /** The subtotal of the breakdown of this type, when the proceeds have one. */
    private static Optional<Money> breakdown(PayloadObject proceeds, String type, String currency)
            throws MappingException {
        for (PayloadObject b : proceeds.objects("breakdowns")) {
            if (b.text("type").filter(type::equals).isPresent()) {
                Optional<PayloadObject> subtotal = b.object("subtotal");
                return subtotal.isEmpty() ? Optional.empty() : Optional.of(money(subtotal.get(), currency));
            }
        }
        return Optional.empty();
    }

    /** An Amazon Money object in the order's currency (another currency is a mapping error, never converted). */
    static Money money(PayloadObject money, String currency) throws MappingException {
        Optional<String> code = money.text("currencyCode");
        if (code.isPresent() && !code.get().equals(currency)) {
            throw MappingException.field(money.path("currencyCode"), "differs from the order's currency");
        }
        return money.requiredMoney("amount", currency);
    }

    /** The canonical status of a v2026-01-01 FulfillmentStatus; UNKNOWN for a value not documented. */
    static OrderStatus status(String fulfillmentStatus) {
        return switch (fulfillmentStatus) {
            case "PENDING_AVAILABILITY", "PENDING" -> OrderStatus.PENDING;
            case "UNSHIPPED", "PARTIALLY_SHIPPED" -> OrderStatus.PROCESSING;
            case "SHIPPED" -> OrderStatus.COMPLETED;
            case "CANCELLED" -> OrderStatus.CANCELLED;
            case "UNFULFILLABLE" -> OrderStatus.FAILED;
            default -> OrderStatus.UNKNOWN;
        };
    }

    private static FulfillmentStatus fulfillment(String fulfillmentStatus) {
        return switch (fulfillmentStatus) {
            case "PENDING_AVAILABILITY", "PENDING", "UNSHIPPED" -> FulfillmentStatus.UNFULFILLED;
            case "PARTIALLY_SHIPPED" -> FulfillmentStatus.PARTIALLY_FULFILLED;
            case "SHIPPED" -> FulfillmentStatus.FULFILLED;
            default -> FulfillmentStatus.UNKNOWN;
        };
    }
}
