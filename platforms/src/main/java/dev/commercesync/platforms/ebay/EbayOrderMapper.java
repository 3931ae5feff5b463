package dev.commercesync.platforms.ebay;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.commercesync.schemas.canonical.OrderTotals;
import dev.commercesync.schemas.canonical.PaymentStatus;
import dev.commercesync.schemas.canonical.ShippingLine;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Fulfillment API order ({@code GET /sell/fulfillment/v1/order/{orderId}}, one of {@code getOrders}' {@code
 * orders}). Amounts are eBay {@code Amount}s in the seller's currency ({@code pricingSummary.total.currency}).
 *
 * <p>Status: eBay has no single order status; it is derived from {@code cancelStatus.cancelState} ({@code CANCELED}:
 * CANCELLED), {@code orderPaymentStatus} ({@code FULLY_REFUNDED}: REFUNDED; {@code PENDING}: PENDING; {@code FAILED}:
 * FAILED) and {@code orderFulfillmentStatus} ({@code FULFILLED}: COMPLETED; otherwise PROCESSING once paid); {@code
 * platform_status} is {@code orderFulfillmentStatus}. The customer is the buyer's eBay {@code username} ({@link
 * EbayPayloads#buyerId}: eBay gives no buyer id; from 2025 some developers get an immutable user id in that field
 * instead), as a marketplace account deletion names the buyer ({@link EbayAccountDeletions}); the shipping address is the
 * first {@code fulfillmentStartInstructions[].shippingStep.shipTo}, the billing address the buyer's {@code
 * buyerRegistrationAddress} when eBay returns it. A line's {@code lineItemCost} is the price of all its units, so the
 * unit price is it divided by {@code quantity}, exactly (a cost that does not divide is a mapping error, not rounded).
 */
final class EbayOrderMapper implements EntityMapper {
    static final String VERSION = "ebay/orders@1";

    private static final Set<String> MAPPED = Set.of(
            "orderId",
            "creationDate",
            "lastModifiedDate",
            "orderFulfillmentStatus",
            "buyer",
            "buyerCheckoutNotes",
            "pricingSummary",
            "lineItems");
    private static final Set<String> LINE_MAPPED = Set.of(
            "lineItemId",
            "legacyItemId",
            "legacyVariationId",
            "sku",
            "title",
            "lineItemCost",
            "quantity",
            "total",
            "lineItemFulfillmentStatus");

    @Override
    public EntityType entityType() {
        return EntityType.ORDER;
    }

    @Override
    public List<String> apiVersionsRead() {
        return EbayAdapter.MAPPINGS_READ;
    }

    @Override
    public String mappingVersion() {
        return VERSION;
    }

    @Override
    public Order map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject o = PayloadObject.root(payload);
        Map<String, String> platformFields = new TreeMap<>(o.unmappedFields(MAPPED));
        PayloadObject pricing = o.requiredObject("pricingSummary");
        Money total = EbayPayloads.requiredAmount(pricing, "total");
        String currency = total.getCurrency();
        String id = o.requiredId("orderId");
        String fulfillment = o.text("orderFulfillmentStatus").orElse(null);
        String payment = o.text("orderPaymentStatus").orElse(null);
        String cancelState = o.object("cancelStatus").isPresent()
                ? o.requiredObject("cancelStatus").text("cancelState").orElse(null)
                : null;

        Order.Builder order = Order.newBuilder()
                .setId(id)
                .setNumber(id)
                .setStatus(status(fulfillment, payment, cancelState))
                .setPlatformStatus(fulfillment)
                .setPaymentStatus(paymentStatus(payment))
                .setFulfillmentStatus(fulfillmentStatus(fulfillment))
                .setCurrency(currency)
                .setNote(o.text("buyerCheckoutNotes").orElse(null))
                .setChannel("ebay")
                .setCreatedAt(o.instant("creationDate")
                        .orElseThrow(() -> MappingException.field(o.path("creationDate"), "required date is missing")))
                .setUpdatedAt(o.instant("lastModifiedDate").orElse(null));

        List<String> methods = new ArrayList<>();
        Optional<PayloadObject> paymentSummary = o.object("paymentSummary");
        if (paymentSummary.isPresent()) {
            for (PayloadObject p : paymentSummary.get().objects("payments")) {
                p.text("paymentMethod").filter(m -> !methods.contains(m)).ifPresent(methods::add);
                if (order.getPaidAt() == null) {
                    order.setPaidAt(p.instant("paymentDate").orElse(null));
                }
            }
        }
        order.setPaymentMethods(methods);

        Optional<PayloadObject> buyer = o.object("buyer");
        OrderCustomer.Builder customer = OrderCustomer.newBuilder();
        if (buyer.isPresent()) {
            customer.setId(EbayPayloads.buyerId(buyer.get()).orElse(null)).setIsGuest(false);
            Optional<PayloadObject> registration = buyer.get().object("buyerRegistrationAddress");
            if (registration.isPresent()) {
                order.setBillingAddress(
                        EbayPayloads.contact(registration.get(), "buyer.buyerRegistrationAddress", platformFields));
                customer.setEmail(registration.get().text("email").orElse(null));
            }
            buyer.get()
                    .unmappedFields(Set.of(EbayPayloads.BUYER_ID_FIELD, "buyerRegistrationAddress"))
                    .forEach((k, v) -> platformFields.put("buyer." + k, v));
        }
        order.setCustomer(customer.build());

        List<ShippingLine> shippingLines = new ArrayList<>();
        List<PayloadObject> instructions = o.objects("fulfillmentStartInstructions");
        for (int i = 0; i < instructions.size(); i++) {
            PayloadObject instruction = instructions.get(i);
            Optional<PayloadObject> step = instruction.object("shippingStep");
            if (step.isEmpty()) {
                continue;
            }
            Optional<PayloadObject> shipTo = step.get().object("shipTo");
            if (i == 0 && shipTo.isPresent()) {
                // the instructions stay whole in platform_fields: the address's extras are there already
                order.setShippingAddress(EbayPayloads.contact(shipTo.get(), "shipTo", new TreeMap<>()));
            }
            if (i == 0) {
                Optional<Money> delivery = EbayPayloads.amount(pricing, "deliveryCost");
                shippingLines.add(ShippingLine.newBuilder()
                        .setTitle(step.get().text("shippingServiceCode").orElse(null))
                        .setMethodCode(step.get().text("shippingServiceCode").orElse(null))
                        .setCarrier(step.get().text("shippingCarrierCode").orElse(null))
                        .setPrice(delivery.orElse(Moneys.of(BigDecimal.ZERO, currency, pricing.path("deliveryCost"))))
                        .build());
            }
        }
        order.setShippingLines(shippingLines);

        order.setTotals(OrderTotals.newBuilder()
                .setSubtotal(EbayPayloads.amount(pricing, "priceSubtotal").orElse(null))
                .setDiscount(EbayPayloads.amount(pricing, "priceDiscount").orElse(null))
                .setShipping(EbayPayloads.amount(pricing, "deliveryCost").orElse(null))
                .setTax(EbayPayloads.amount(pricing, "tax").orElse(null))
                .setTotal(total)
                .build());
        pricing.unmappedFields(Set.of("priceSubtotal", "priceDiscount", "deliveryCost", "tax", "total"))
                .forEach((k, v) -> platformFields.put("pricingSummary." + k, v));

        List<OrderLineItem> lines = new ArrayList<>();
        for (PayloadObject line : o.objects("lineItems")) {
            lines.add(line(line));
        }
        order.setLineItems(lines);
        order.setPlatformFields(platformFields);
        return order.build();
    }

    private static OrderLineItem line(PayloadObject line) throws MappingException {
        long quantity = line.requiredWholeNumber("quantity");
        Money cost = EbayPayloads.requiredAmount(line, "lineItemCost");
        if (quantity <= 0) {
            throw MappingException.field(line.path("quantity"), "quantity must be positive");
        }
        BigDecimal unit;
        try {
            unit = cost.getAmount().divide(BigDecimal.valueOf(quantity)).setScale(6, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw MappingException.field(
                    line.path("lineItemCost"), "lineItemCost does not divide exactly by quantity; refusing to round");
        }
        String fulfillment = line.text("lineItemFulfillmentStatus").orElse(null);
        return OrderLineItem.newBuilder()
                .setId(line.requiredId("lineItemId"))
                .setProductId(line.id("legacyItemId").orElse(null))
                .setVariantId(line.id("legacyVariationId").orElse(null))
                .setSku(line.text("sku").orElse(null))
                .setName(line.requiredText("title"))
                .setQuantity(quantity)
                .setUnitPrice(Moneys.of(unit, cost.getCurrency(), line.path("lineItemCost")))
                .setSubtotal(cost)
                .setTotal(EbayPayloads.amount(line, "total").orElse(null))
                .setFulfillmentStatus(fulfillment == null ? null : fulfillmentStatus(fulfillment))
                .setPlatformFields(new TreeMap<>(line.unmappedFields(LINE_MAPPED)))
                .build();
    }

    static OrderStatus status(String fulfillment, String payment, String cancelState) {
        if ("CANCELED".equals(cancelState)) {
            return OrderStatus.CANCELLED;
        }
        if ("FULLY_REFUNDED".equals(payment)) {
            return OrderStatus.REFUNDED;
        }
        if ("FAILED".equals(payment)) {
            return OrderStatus.FAILED;
        }
        if ("PENDING".equals(payment)) {
            return OrderStatus.PENDING;
        }
        if ("FULFILLED".equals(fulfillment)) {
            return OrderStatus.COMPLETED;
        }
        if ("NOT_STARTED".equals(fulfillment) || "IN_PROGRESS".equals(fulfillment)) {
            return OrderStatus.PROCESSING;
        }
        return OrderStatus.UNKNOWN;
    }

    static PaymentStatus paymentStatus(String payment) {
        if (payment == null) {
            return PaymentStatus.UNKNOWN;
        }
        return switch (payment) {
            case "PAID" -> PaymentStatus.PAID;
            case "PENDING" -> PaymentStatus.PENDING;
            case "FAILED" -> PaymentStatus.FAILED;
            case "FULLY_REFUNDED" -> PaymentStatus.REFUNDED;
            case "PARTIALLY_REFUNDED" -> PaymentStatus.PARTIALLY_REFUNDED;
            default -> PaymentStatus.UNKNOWN;
        };
    }

    static FulfillmentStatus fulfillmentStatus(String fulfillment) {
        if (fulfillment == null) {
            return FulfillmentStatus.UNKNOWN;
        }
        return switch (fulfillment) {
            case "NOT_STARTED" -> FulfillmentStatus.UNFULFILLED;
            case "IN_PROGRESS" -> FulfillmentStatus.PARTIALLY_FULFILLED;
            case "FULFILLED" -> FulfillmentStatus.FULFILLED;
            default -> FulfillmentStatus.UNKNOWN;
        };
    }
}
