package dev.commercesync.platforms.bigcommerce;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.shared.Moneys;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.DiscountAllocation;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.FulfillmentStatus;
import dev.commercesync.schemas.canonical.Money;
import dev.commercesync.schemas.canonical.Order;
import dev.commercesync.schemas.canonical.OrderCustomer;
import dev.commercesync.schemas.canonical.OrderLineItem;
import dev.commercesync.schemas.canonical.OrderStatus;
import dev.commercesync.schemas.canonical.OrderTotals;
import dev.commercesync.schemas.canonical.PaymentStatus;
import dev.commercesync.schemas.canonical.SelectedOption;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A v2 order (GET /v2/orders/{id}) with its line items: the v2 order resource only links them ({@code "products":
 * {"url", "resource"}}), so {@link BigCommerceApiClient} replaces the link with the array of GET
 * /v2/orders/{id}/products. An order whose products are still a link is a mapping error (an order without its lines is
 * not its full state). Amounts are in the transactional currency ({@code default_currency_code}).
 */
final class BigCommerceOrderMapper implements EntityMapper {
    static final String VERSION = "bigcommerce/orders@1";

    private static final Set<String> MAPPED = Set.of(
            "id",
            "customer_id",
            "date_created",
            "date_modified",
            "status_id",
            "status",
            "subtotal_ex_tax",
            "subtotal_inc_tax",
            "shipping_cost_ex_tax",
            "shipping_cost_inc_tax",
            "total_inc_tax",
            "total_tax",
            "is_tax_inclusive_pricing",
            "items_total",
            "items_shipped",
            "payment_method",
            "payment_status",
            "refunded_amount",
            "default_currency_code",
            "staff_notes",
            "customer_message",
            "discount_amount",
            "billing_address",
            "order_source",
            "products",
            "is_deleted");
    private static final Set<String> LINE_MAPPED = Set.of(
            "id",
            "product_id",
            "variant_id",
            "sku",
            "name",
            "quantity",
            "price_ex_tax",
            "price_inc_tax",
            "total_ex_tax",
            "total_inc_tax",
            "total_tax",
            "applied_discounts",
            "product_options");

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
        return BigCommerceAdapter.MAPPINGS_READ;
    }

    @Override
    public Order map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject o = BigCommercePayloads.entity(payload);
        Map<String, String> platformFields = new TreeMap<>(o.unmappedFields(MAPPED));
        String currency = Moneys.currencyCode(
                o.text("default_currency_code")
                        .orElseThrow(() ->
                                MappingException.field(o.path("default_currency_code"), "required field is missing")),
                o.path("default_currency_code"));
        boolean taxIncluded = o.bool("is_tax_inclusive_pricing").orElse(false);
        String id = o.requiredId("id");

        Optional<String> customerId = o.id("customer_id").filter(c -> !c.equals("0"));
        OrderCustomer.Builder customer = OrderCustomer.newBuilder()
                .setId(customerId.orElse(null))
                .setIsGuest(customerId.isEmpty())
                .setNote(o.text("customer_message").orElse(null));
        Order.Builder order = Order.newBuilder()
                .setId(id)
                .setNumber(id)
                .setStatus(status(o))
                .setPlatformStatus(o.text("status").orElse(null))
                .setPaymentStatus(paymentStatus(o.text("payment_status").orElse(null)))
                .setFulfillmentStatus(fulfillmentStatus(o))
                .setPaymentMethods(o.text("payment_method").map(List::of).orElse(List.of()))
                .setCurrency(currency)
                .setTaxesIncluded(o.bool("is_tax_inclusive_pricing").orElse(null))
                .setNote(o.text("staff_notes").orElse(null))
                .setChannel(o.text("order_source").orElse(null))
                .setCreatedAt(BigCommercePayloads.requiredRfc2822(o, "date_created"))
                .setUpdatedAt(BigCommercePayloads.rfc2822(o, "date_modified").orElse(null));
        Optional<PayloadObject> billing = o.object("billing_address");
        if (billing.isPresent()) {
            order.setBillingAddress(BigCommerceAddresses.v2(billing.get(), "billing_address", platformFields));
            customer.setEmail(billing.get().text("email").orElse(null))
                    .setFirstName(billing.get().text("first_name").orElse(null))
                    .setLastName(billing.get().text("last_name").orElse(null))
                    .setPhone(billing.get().text("phone").orElse(null));
        }
        order.setCustomer(customer.build());
        order.setTotals(OrderTotals.newBuilder()
                .setSubtotal(o.money(taxIncluded ? "subtotal_inc_tax" : "subtotal_ex_tax", currency)
                        .orElse(null))
                .setDiscount(o.money("discount_amount", currency).orElse(null))
                .setShipping(o.money(taxIncluded ? "shipping_cost_inc_tax" : "shipping_cost_ex_tax", currency)
                        .orElse(null))
                .setTax(o.money("total_tax", currency).orElse(null))
                .setTotal(o.requiredMoney("total_inc_tax", currency))
                .setRefunded(o.money("refunded_amount", currency).orElse(null))
                .build());
        order.setLineItems(lineItems(o, currency, taxIncluded));
        order.setPlatformFields(platformFields);
        return order.build();
    }

    private static List<OrderLineItem> lineItems(PayloadObject o, String currency, boolean taxIncluded)
            throws MappingException {
        JsonNode products = o.node().get("products");
        if (products == null || !products.isArray()) {
            throw MappingException.field(
                    o.path("products"),
                    "line items are not expanded (expected the array of GET /v2/orders/{id}/products)");
        }
        List<OrderLineItem> result = new ArrayList<>();
        for (PayloadObject line : o.objects("products")) {
            Map<String, String> lineFields = new TreeMap<>(line.unmappedFields(LINE_MAPPED));
            Money subtotal = line.money(taxIncluded ? "total_inc_tax" : "total_ex_tax", currency)
                    .orElse(null);
            BigDecimal discount = BigDecimal.ZERO;
            List<DiscountAllocation> allocations = new ArrayList<>();
            for (PayloadObject applied : line.objects("applied_discounts")) {
                Money amount = applied.requiredMoney("amount", currency);
                discount = discount.add(amount.getAmount());
                allocations.add(DiscountAllocation.newBuilder()
                        .setCode(applied.text("code").orElse(null))
                        .setAmount(amount)
                        .build());
            }
            List<SelectedOption> options = new ArrayList<>();
            for (PayloadObject option : line.objects("product_options")) {
                options.add(new SelectedOption(
                        option.requiredText("display_name"),
                        option.text("display_value").orElse("")));
            }
            lineFields.put("product_options", Json.encode(line.node().path("product_options")));
            result.add(OrderLineItem.newBuilder()
                    .setId(line.requiredId("id"))
                    .setProductId(
                            line.id("product_id").filter(p -> !p.equals("0")).orElse(null))
                    .setVariantId(line.id("variant_id").orElse(null))
                    .setSku(line.text("sku").orElse(null))
                    .setName(line.requiredText("name"))
                    .setOptions(options)
                    .setQuantity(line.requiredWholeNumber("quantity"))
                    .setUnitPrice(line.requiredMoney(taxIncluded ? "price_inc_tax" : "price_ex_tax", currency))
                    .setSubtotal(subtotal)
                    .setDiscount(Moneys.of(discount, currency, line.path("applied_discounts")))
                    .setTax(line.money("total_tax", currency).orElse(null))
                    .setTotal(
                            subtotal == null
                                    ? null
                                    : Moneys.of(
                                            subtotal.getAmount().subtract(discount),
                                            currency,
                                            line.path("applied_discounts")))
                    .setDiscountAllocations(allocations)
                    .setPlatformFields(lineFields)
                    .build());
        }
        return result;
    }

    /**
     * status_id as documented by GET /v2/order_statuses, and the canonical status of each. The first id of each
     * canonical status is the one the write client sets for it ({@link #statusId}).
     */
    private static final Map<Integer, OrderStatus> STATUSES = statuses();

    private static Map<Integer, OrderStatus> statuses() {
        Map<Integer, OrderStatus> s = new LinkedHashMap<>();
        s.put(1, OrderStatus.PENDING); // Pending
        s.put(0, OrderStatus.PENDING); // Incomplete
        s.put(7, OrderStatus.PENDING); // Awaiting Payment
        s.put(11, OrderStatus.PROCESSING); // Awaiting Fulfillment
        s.put(3, OrderStatus.PROCESSING); // Partially Shipped
        s.put(8, OrderStatus.PROCESSING); // Awaiting Pickup
        s.put(9, OrderStatus.PROCESSING); // Awaiting Shipment
        s.put(14, OrderStatus.PROCESSING); // Partially Refunded
        s.put(10, OrderStatus.COMPLETED); // Completed
        s.put(2, OrderStatus.COMPLETED); // Shipped
        s.put(4, OrderStatus.REFUNDED); // Refunded
        s.put(5, OrderStatus.CANCELLED); // Cancelled
        s.put(6, OrderStatus.FAILED); // Declined
        s.put(12, OrderStatus.ON_HOLD); // Manual Verification Required
        s.put(13, OrderStatus.ON_HOLD); // Disputed
        return Collections.unmodifiableMap(s);
    }

    /** The canonical status of a status_id; UNKNOWN for an id not documented. */
    static OrderStatus status(long statusId) {
        return statusId < 0 || statusId > Integer.MAX_VALUE
                ? OrderStatus.UNKNOWN
                : STATUSES.getOrDefault((int) statusId, OrderStatus.UNKNOWN);
    }

    /** The status_id that sets a canonical status (the first documented for it), if any does (not ARCHIVED). */
    static Optional<Integer> statusId(OrderStatus status) {
        return STATUSES.entrySet().stream()
                .filter(e -> e.getValue() == status)
                .map(Map.Entry::getKey)
                .findFirst();
    }

    /** status_id as documented by GET /v2/order_statuses; an archived (deleted) order is ARCHIVED. */
    private static OrderStatus status(PayloadObject o) throws MappingException {
        if (o.bool("is_deleted").orElse(false)) {
            return OrderStatus.ARCHIVED;
        }
        Optional<Long> statusId = o.wholeNumber("status_id");
        return statusId.isEmpty() ? OrderStatus.UNKNOWN : status(statusId.get());
    }

    static PaymentStatus paymentStatus(String value) {
        if (value == null) {
            return PaymentStatus.UNKNOWN;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "authorized" -> PaymentStatus.AUTHORIZED;
            case "captured", "paid" -> PaymentStatus.PAID;
            case "pending", "capture pending", "held for review" -> PaymentStatus.PENDING;
            case "partially refunded" -> PaymentStatus.PARTIALLY_REFUNDED;
            case "refunded" -> PaymentStatus.REFUNDED;
            case "void", "void pending" -> PaymentStatus.VOIDED;
            case "declined" -> PaymentStatus.FAILED;
            default -> PaymentStatus.UNKNOWN;
        };
    }

    private static FulfillmentStatus fulfillmentStatus(PayloadObject o) throws MappingException {
        Optional<Long> total = o.wholeNumber("items_total");
        Optional<Long> shipped = o.wholeNumber("items_shipped");
        if (total.isEmpty() || shipped.isEmpty()) {
            return FulfillmentStatus.UNKNOWN;
        }
        if (shipped.get() == 0) {
            return FulfillmentStatus.UNFULFILLED;
        }
        return shipped.get() >= total.get() ? FulfillmentStatus.FULFILLED : FulfillmentStatus.PARTIALLY_FULFILLED;
    }
}
