package dev.commercesync.platforms.magento2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.shared.Moneys;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.FulfillmentStatus;
import dev.commercesync.schemas.canonical.Money;
import dev.commercesync.schemas.canonical.Order;
import dev.commercesync.schemas.canonical.OrderCustomer;
import dev.commercesync.schemas.canonical.OrderLineItem;
import dev.commercesync.schemas.canonical.OrderStatus;
import dev.commercesync.schemas.canonical.OrderStatusChange;
import dev.commercesync.schemas.canonical.OrderTotals;
import dev.commercesync.schemas.canonical.PaymentStatus;
import dev.commercesync.schemas.canonical.ShippingLine;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An Adobe Commerce order ({@code salesDataOrderInterface}: GET /V1/orders/{id}, an item of GET /V1/orders, or the
 * fields an I/O Events order observer carries). Times are Magento's UTC {@code YYYY-MM-DD HH:MM:SS}; amounts are in
 * the order currency ({@code base_*} amounts stay in platform_fields). Line items are the top-level items: child items
 * of a configurable or bundle product (those with {@code parent_item_id}) go to their parent line's platform_fields
 * ({@code child_items}); a configurable's single child gives the line its variant id.
 */
final class Magento2OrderMapper implements EntityMapper {
    static final String VERSION = "magento2/orders@1";

    private static final Set<String> MAPPED = Set.of(
            "entity_id",
            "increment_id",
            "state",
            "status",
            "status_histories",
            "order_currency_code",
            "customer_id",
            "customer_is_guest",
            "customer_email",
            "customer_firstname",
            "customer_lastname",
            "customer_note",
            "billing_address",
            "subtotal",
            "discount_amount",
            "shipping_amount",
            "shipping_description",
            "tax_amount",
            "grand_total",
            "total_paid",
            "total_refunded",
            "total_due",
            "items",
            "payment",
            "created_at",
            "updated_at");
    private static final Set<String> LINE_MAPPED = Set.of(
            "item_id",
            "product_id",
            "sku",
            "name",
            "qty_ordered",
            "price",
            "row_total",
            "discount_amount",
            "tax_amount",
            "tax_percent");

    @Override
    public EntityType entityType() {
        return EntityType.ORDER;
    }

    @Override
    public String mappingVersion() {
        return VERSION;
    }

    @Override
    public List<String> apiVersionsRead() {
        return Magento2Adapter.MAPPINGS_READ;
    }

    @Override
    public Order map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject o = Magento2Payloads.entity(payload);
        Map<String, String> platformFields = new TreeMap<>(o.unmappedFields(MAPPED));
        String currency = Moneys.currencyCode(o.requiredText("order_currency_code"), o.path("order_currency_code"));
        Optional<String> state = o.text("state");

        Order.Builder order = Order.newBuilder()
                .setId(o.requiredId("entity_id"))
                .setNumber(o.text("increment_id").orElse(null))
                .setStatus(state.map(Magento2OrderMapper::status).orElse(OrderStatus.UNKNOWN))
                .setPlatformStatus(o.text("status").orElse(null))
                .setPaymentStatus(paymentStatus(o))
                .setCurrency(currency)
                .setCreatedAt(o.utcInstant("created_at")
                        .orElseThrow(() -> MappingException.field(o.path("created_at"), "required date is missing")))
                .setUpdatedAt(o.utcInstant("updated_at").orElse(null));
        Optional<PayloadObject> payment = o.object("payment");
        if (payment.isPresent()) {
            order.setPaymentMethods(payment.get().text("method").map(List::of).orElse(List.of()));
            platformFields.put("payment", Json.encode(payment.get().node()));
        }
        Optional<String> customerId = o.id("customer_id");
        order.setCustomer(OrderCustomer.newBuilder()
                .setId(customerId.orElse(null))
                .setIsGuest(o.wholeNumber("customer_is_guest")
                        .map(g -> g != 0)
                        .orElse(customerId.isEmpty() ? Boolean.TRUE : null))
                .setEmail(o.text("customer_email").orElse(null))
                .setFirstName(o.text("customer_firstname").orElse(null))
                .setLastName(o.text("customer_lastname").orElse(null))
                .setNote(o.text("customer_note").orElse(null))
                .build());
        Optional<PayloadObject> billing = o.object("billing_address");
        if (billing.isPresent()) {
            order.setBillingAddress(Magento2Addresses.order(billing.get(), "billing_address", platformFields));
        }
        Optional<PayloadObject> shippingAddress = shippingAddress(o);
        if (shippingAddress.isPresent()) {
            order.setShippingAddress(Magento2Addresses.order(
                    shippingAddress.get(),
                    "extension_attributes.shipping_assignments[0].shipping.address",
                    platformFields));
        }
        order.setTotals(OrderTotals.newBuilder()
                .setSubtotal(o.money("subtotal", currency).orElse(null))
                // Magento stores discounts as negative amounts; canonical discounts are positive.
                .setDiscount(o.money("discount_amount", currency)
                        .map(Magento2OrderMapper::abs)
                        .orElse(null))
                .setShipping(o.money("shipping_amount", currency).orElse(null))
                .setTax(o.money("tax_amount", currency).orElse(null))
                .setTotal(o.requiredMoney("grand_total", currency))
                .setRefunded(o.money("total_refunded", currency).orElse(null))
                .setOutstanding(o.money("total_due", currency).orElse(null))
                .build());
        Optional<Money> shipping = o.money("shipping_amount", currency);
        if (shipping.isPresent()) {
            order.setShippingLines(List.of(ShippingLine.newBuilder()
                    .setTitle(o.text("shipping_description").orElse(null))
                    .setMethodCode(shippingMethod(o).orElse(null))
                    .setPrice(shipping.get())
                    .build()));
        }
        List<OrderLineItem> lines = lineItems(o, currency);
        order.setLineItems(lines);
        order.setFulfillmentStatus(fulfillmentStatus(o));
        List<OrderStatusChange> history = new ArrayList<>();
        for (PayloadObject h : o.objects("status_histories")) {
            history.add(OrderStatusChange.newBuilder()
                    .setStatus(h.text("status").map(Magento2OrderMapper::status).orElse(OrderStatus.UNKNOWN))
                    .setPlatformStatus(h.text("status").orElse(null))
                    .setChangedAt(h.utcInstant("created_at").orElse(null))
                    .setComment(h.text("comment").orElse(null))
                    .setCustomerNotified(h.wholeNumber("is_customer_notified")
                            .map(n -> n != 0)
                            .orElse(null))
                    .build());
        }
        // Magento lists the history newest first; the canonical history is oldest first.
        java.util.Collections.reverse(history);
        order.setStatusHistory(history);
        order.setPlatformFields(platformFields);
        return order.build();
    }

    private static Money abs(Money money) {
        return new Money(money.getAmount().abs(), money.getCurrency());
    }

    private static Optional<PayloadObject> shippingAddress(PayloadObject o) throws MappingException {
        JsonNode address = o.node()
                .path("extension_attributes")
                .path("shipping_assignments")
                .path(0)
                .path("shipping")
                .path("address");
        if (!address.isObject()) {
            return Optional.empty();
        }
        return o.requiredObject("extension_attributes")
                .objects("shipping_assignments")
                .get(0)
                .requiredObject("shipping")
                .object("address");
    }

    private static Optional<String> shippingMethod(PayloadObject o) {
        String method = o.node()
                .path("extension_attributes")
                .path("shipping_assignments")
                .path(0)
                .path("shipping")
                .path("method")
                .asText("");
        return method.isEmpty() ? Optional.empty() : Optional.of(method);
    }

    private static List<OrderLineItem> lineItems(PayloadObject o, String currency) throws MappingException {
        List<PayloadObject> items = o.objects("items");
        Map<String, List<PayloadObject>> children = new TreeMap<>();
        for (PayloadObject item : items) {
            Optional<String> parent = item.id("parent_item_id");
            if (parent.isPresent()) {
                children.computeIfAbsent(parent.get(), k -> new ArrayList<>()).add(item);
            }
        }
        List<OrderLineItem> result = new ArrayList<>();
        for (PayloadObject item : items) {
            if (item.has("parent_item_id")) {
                continue;
            }
            String id = item.requiredId("item_id");
            Map<String, String> fields = new TreeMap<>(item.unmappedFields(LINE_MAPPED));
            List<PayloadObject> kids = children.getOrDefault(id, List.of());
            if (!kids.isEmpty()) {
                com.fasterxml.jackson.databind.node.ArrayNode array = Json.MAPPER.createArrayNode();
                kids.forEach(k -> array.add(k.node()));
                fields.put("child_items", Json.encode(array));
            }
            String variantId = "configurable".equals(item.text("product_type").orElse(null)) && kids.size() == 1
                    ? kids.get(0).id("product_id").orElse(null)
                    : null;
            Optional<Money> subtotal = item.money("row_total", currency);
            Optional<Money> discount = item.money("discount_amount", currency);
            result.add(OrderLineItem.newBuilder()
                    .setId(id)
                    .setProductId(item.id("product_id").orElse(null))
                    .setVariantId(variantId)
                    .setSku(item.text("sku").orElse(null))
                    .setName(item.requiredText("name"))
                    .setQuantity(quantity(item))
                    .setUnitPrice(item.requiredMoney("price", currency))
                    .setSubtotal(subtotal.orElse(null))
                    .setDiscount(discount.orElse(null))
                    .setTax(item.money("tax_amount", currency).orElse(null))
                    .setTotal(
                            subtotal.isPresent()
                                    ? Moneys.of(
                                            subtotal.get()
                                                    .getAmount()
                                                    .subtract(discount.map(Money::getAmount)
                                                            .orElse(BigDecimal.ZERO)),
                                            currency,
                                            item.path("row_total"))
                                    : null)
                    .setRequiresShipping(
                            item.wholeNumber("is_virtual").map(v -> v == 0).orElse(null))
                    .setPlatformFields(fields)
                    .build());
        }
        return result;
    }

    /** qty_ordered in whole units; a fractional quantity (is_qty_decimal) is not representable in v1. */
    private static long quantity(PayloadObject item) throws MappingException {
        BigDecimal qty = item.decimal("qty_ordered")
                .orElseThrow(() -> MappingException.field(item.path("qty_ordered"), "required number is missing"));
        try {
            return qty.longValueExact();
        } catch (ArithmeticException e) {
            throw MappingException.field(
                    item.path("qty_ordered"), "fractional quantity (is_qty_decimal) is not representable; not rounded");
        }
    }

    /** Magento order states (sales_order.state); the merchant-configurable status stays in platform_status. */
    static OrderStatus status(String state) {
        return switch (state) {
            case "new", "pending_payment", "pending" -> OrderStatus.PENDING;
            case "processing" -> OrderStatus.PROCESSING;
            case "complete" -> OrderStatus.COMPLETED;
            case "closed" -> OrderStatus.REFUNDED; // closed = credit-memoed in full
            case "canceled" -> OrderStatus.CANCELLED;
            case "holded", "payment_review" -> OrderStatus.ON_HOLD;
            default -> OrderStatus.UNKNOWN;
        };
    }

    private static PaymentStatus paymentStatus(PayloadObject o) throws MappingException {
        Optional<BigDecimal> total = o.decimal("grand_total");
        BigDecimal paid = o.decimal("total_paid").orElse(BigDecimal.ZERO);
        BigDecimal refunded = o.decimal("total_refunded").orElse(BigDecimal.ZERO);
        if (total.isEmpty()) {
            return PaymentStatus.UNKNOWN;
        }
        if (refunded.signum() > 0) {
            return refunded.compareTo(total.get()) >= 0 ? PaymentStatus.REFUNDED : PaymentStatus.PARTIALLY_REFUNDED;
        }
        if (paid.signum() > 0) {
            return paid.compareTo(total.get()) >= 0 ? PaymentStatus.PAID : PaymentStatus.PARTIALLY_PAID;
        }
        return total.get().signum() == 0 ? PaymentStatus.PAID : PaymentStatus.PENDING;
    }

    private static FulfillmentStatus fulfillmentStatus(PayloadObject o) throws MappingException {
        BigDecimal ordered = BigDecimal.ZERO;
        BigDecimal shipped = BigDecimal.ZERO;
        boolean any = false;
        for (PayloadObject item : o.objects("items")) {
            if (item.has("parent_item_id") || item.wholeNumber("is_virtual").orElse(0L) != 0) {
                continue;
            }
            any = true;
            ordered = ordered.add(item.decimal("qty_ordered").orElse(BigDecimal.ZERO));
            shipped = shipped.add(item.decimal("qty_shipped").orElse(BigDecimal.ZERO));
        }
        if (!any) {
            return FulfillmentStatus.UNKNOWN;
        }
        if (shipped.signum() == 0) {
            return FulfillmentStatus.UNFULFILLED;
        }
        return shipped.compareTo(ordered) >= 0 ? FulfillmentStatus.FULFILLED : FulfillmentStatus.PARTIALLY_FULFILLED;
    }
}
