package dev.commercesync.platforms.woocommerce;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Moneys;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.Discount;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.FulfillmentStatus;
import dev.commercesync.schemas.canonical.Money;
import dev.commercesync.schemas.canonical.Order;
import dev.commercesync.schemas.canonical.OrderCustomer;
import dev.commercesync.schemas.canonical.OrderLineItem;
import dev.commercesync.schemas.canonical.OrderStatus;
import dev.commercesync.schemas.canonical.OrderTotals;
import dev.commercesync.schemas.canonical.PaymentStatus;
import dev.commercesync.schemas.canonical.Refund;
import dev.commercesync.schemas.canonical.ShippingLine;
import dev.commercesync.schemas.canonical.TaxLine;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * WooCommerce order (order.created|updated|restored, REST /orders) → Order. Times come from the {@code *_gmt} fields
 * (UTC without offset); the site-local ones stay in platform_fields. WooCommerce lists refunds on the order with
 * negative totals: they are flipped to the canonical sign.
 */
final class WooOrderMapper implements EntityMapper {
    static final String VERSION = "woocommerce/orders@1";

    private static final Set<String> MAPPED = Set.of(
            "id",
            "number",
            "status",
            "currency",
            "date_created_gmt",
            "date_modified_gmt",
            "date_paid_gmt",
            "date_completed_gmt",
            "discount_total",
            "shipping_total",
            "total",
            "total_tax",
            "prices_include_tax",
            "customer_id",
            "customer_note",
            "billing",
            "shipping",
            "payment_method",
            "line_items",
            "tax_lines",
            "shipping_lines",
            "coupon_lines",
            "refunds",
            "created_via");
    private static final Set<String> LINE_MAPPED = Set.of(
            "id",
            "name",
            "product_id",
            "variation_id",
            "quantity",
            "subtotal",
            "total",
            "total_tax",
            "taxes",
            "sku",
            "price");

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
        return WooCommerceAdapter.MAPPINGS_READ;
    }

    @Override
    public Order map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject order = PayloadObject.root(payload);
        String currency = Moneys.currencyCode(order.requiredText("currency"), order.path("currency"));
        String orderId = order.requiredId("id");
        Map<String, String> platformFields = new TreeMap<>(order.unmappedFields(MAPPED));
        List<OrderLineItem> lines = new ArrayList<>();
        List<Money> lineSubtotals = new ArrayList<>();
        for (PayloadObject line : order.objects("line_items")) {
            OrderLineItem item = lineItem(line, currency);
            lines.add(item);
            lineSubtotals.add(item.getSubtotal());
        }
        List<Discount> discounts = new ArrayList<>();
        for (PayloadObject coupon : order.objects("coupon_lines")) {
            discounts.add(Discount.newBuilder()
                    .setCode(coupon.text("code").orElse(null))
                    .setDescription(null)
                    .setType(coupon.text("discount_type").orElse(null))
                    .setAmount(coupon.requiredMoney("discount", currency))
                    .build());
        }
        List<ShippingLine> shippingLines = new ArrayList<>();
        for (PayloadObject line : order.objects("shipping_lines")) {
            shippingLines.add(ShippingLine.newBuilder()
                    .setId(line.id("id").orElse(null))
                    .setTitle(line.text("method_title").orElse(null))
                    .setMethodCode(line.text("method_id").orElse(null))
                    .setCarrier(null)
                    .setPrice(line.requiredMoney("total", currency))
                    .setDiscount(null)
                    .setTaxLines(itemTaxes(line, currency))
                    .build());
        }
        List<TaxLine> taxLines = new ArrayList<>();
        for (PayloadObject tax : order.objects("tax_lines")) {
            Money itemsTax = tax.requiredMoney("tax_total", currency);
            Optional<Money> shippingTax = tax.money("shipping_tax_total", currency);
            Optional<BigDecimal> percent = tax.decimal("rate_percent");
            taxLines.add(TaxLine.newBuilder()
                    .setTitle(tax.text("label").orElse(null))
                    .setCode(tax.text("rate_code").orElse(null))
                    .setRate(
                            percent.isPresent()
                                    ? Moneys.rate(percent.get().movePointLeft(2), tax.path("rate_percent"))
                                    : null)
                    .setAmount(Moneys.of(
                            itemsTax.getAmount()
                                    .add(shippingTax.map(Money::getAmount).orElse(BigDecimal.ZERO)),
                            currency,
                            tax.path("tax_total")))
                    .build());
        }
        List<Refund> refunds = new ArrayList<>();
        for (PayloadObject refund : order.objects("refunds")) {
            refunds.add(Refund.newBuilder()
                    .setId(refund.requiredId("id"))
                    .setOrderId(orderId)
                    .setAmount(Moneys.negate(refund.requiredMoney("total", currency)))
                    .setReason(refund.text("reason").orElse(null))
                    .build());
        }
        String status = order.requiredText("status");
        Optional<String> customerId = WooPayloads.optionalId(order, "customer_id");
        Optional<PayloadObject> billing = order.object("billing");
        Optional<String> paymentMethod = order.text("payment_method");
        return Order.newBuilder()
                .setId(orderId)
                .setNumber(order.text("number").orElse(null))
                .setStatus(orderStatus(status))
                .setPlatformStatus(status)
                .setStatusHistory(List.of())
                .setPaymentStatus(paymentStatus(status, order.has("date_paid_gmt"), !refunds.isEmpty()))
                .setFulfillmentStatus(
                        switch (status) {
                            case "completed" -> FulfillmentStatus.FULFILLED;
                            case "pending", "processing", "on-hold" -> FulfillmentStatus.UNFULFILLED;
                            default -> FulfillmentStatus.UNKNOWN;
                        })
                .setPaymentMethods(paymentMethod.map(List::of).orElse(List.of()))
                .setCurrency(currency)
                .setTaxesIncluded(order.bool("prices_include_tax").orElse(null))
                .setCustomer(OrderCustomer.newBuilder()
                        .setId(customerId.orElse(null))
                        .setEmail(
                                billing.isPresent()
                                        ? billing.get().text("email").orElse(null)
                                        : null)
                        .setPhone(
                                billing.isPresent()
                                        ? billing.get().text("phone").orElse(null)
                                        : null)
                        .setFirstName(
                                billing.isPresent()
                                        ? billing.get().text("first_name").orElse(null)
                                        : null)
                        .setLastName(
                                billing.isPresent()
                                        ? billing.get().text("last_name").orElse(null)
                                        : null)
                        .setIsGuest(customerId.isEmpty())
                        .setNote(order.text("customer_note").orElse(null))
                        .build())
                .setBillingAddress(
                        WooPayloads.address(order, "billing", platformFields).orElse(null))
                .setShippingAddress(
                        WooPayloads.address(order, "shipping", platformFields).orElse(null))
                .setTotals(OrderTotals.newBuilder()
                        // WooCommerce has no order subtotal field: the sum of the lines' pre-discount subtotals.
                        .setSubtotal(Moneys.sum(lineSubtotals, order.path("line_items"))
                                .orElse(null))
                        .setDiscount(order.money("discount_total", currency).orElse(null))
                        .setShipping(order.money("shipping_total", currency).orElse(null))
                        .setTax(order.money("total_tax", currency).orElse(null))
                        .setTotal(order.requiredMoney("total", currency))
                        .setRefunded(Moneys.sum(
                                        refunds.stream().map(Refund::getAmount).toList(), order.path("refunds"))
                                .orElse(null))
                        .setOutstanding(null)
                        .build())
                .setLineItems(lines)
                .setDiscounts(discounts)
                .setShippingLines(shippingLines)
                .setTaxLines(taxLines)
                .setRefunds(refunds)
                .setShipments(List.of())
                .setNote(null)
                .setTags(List.of())
                .setChannel(order.text("created_via").orElse(null))
                .setCreatedAt(order.utcInstant("date_created_gmt")
                        .orElseThrow(() ->
                                MappingException.field(order.path("date_created_gmt"), "required field is missing")))
                .setUpdatedAt(order.utcInstant("date_modified_gmt").orElse(null))
                .setPaidAt(order.utcInstant("date_paid_gmt").orElse(null))
                .setCancelledAt(null)
                .setCancelReason(null)
                .setClosedAt(order.utcInstant("date_completed_gmt").orElse(null))
                .setPlatformFields(platformFields)
                .build();
    }

    private static OrderLineItem lineItem(PayloadObject line, String currency) throws MappingException {
        long quantity = line.requiredWholeNumber("quantity");
        Money subtotal = line.requiredMoney("subtotal", currency);
        Money total = line.requiredMoney("total", currency);
        // "price" is a float WooCommerce computes (subtotal / quantity); kept exact when it is representable.
        Money unitPrice = line.money("price", currency)
                .orElseThrow(() -> MappingException.field(line.path("price"), "required amount is missing"));
        return OrderLineItem.newBuilder()
                .setId(line.requiredId("id"))
                .setProductId(WooPayloads.optionalId(line, "product_id").orElse(null))
                .setVariantId(WooPayloads.optionalId(line, "variation_id").orElse(null))
                .setSku(line.text("sku").orElse(null))
                .setName(line.requiredText("name"))
                .setVariantTitle(null)
                .setOptions(WooPayloads.visibleMeta(line))
                .setQuantity(quantity)
                .setUnitPrice(unitPrice)
                .setSubtotal(subtotal)
                .setDiscount(Moneys.of(subtotal.getAmount().subtract(total.getAmount()), currency, line.path("total")))
                .setTax(line.money("total_tax", currency).orElse(null))
                .setTotal(total)
                .setTaxLines(itemTaxes(line, currency))
                .setDiscountAllocations(List.of())
                .setRequiresShipping(null)
                .setFulfillmentStatus(null)
                .setPlatformFields(line.unmappedFields(LINE_MAPPED))
                .build();
    }

    /** Per-item taxes: {@code taxes: [{id, total, subtotal}]}, id being the tax rate id. */
    private static List<TaxLine> itemTaxes(PayloadObject item, String currency) throws MappingException {
        List<TaxLine> taxes = new ArrayList<>();
        for (PayloadObject tax : item.objects("taxes")) {
            taxes.add(TaxLine.newBuilder()
                    .setTitle(null)
                    .setCode(tax.id("id").orElse(null))
                    .setRate(null)
                    .setAmount(tax.requiredMoney("total", currency))
                    .build());
        }
        return taxes;
    }

    /** The canonical status of a WooCommerce order status; the writer inverts it (WooWriteClient). */
    static OrderStatus orderStatus(String status) {
        return switch (status) {
            case "pending", "checkout-draft" -> OrderStatus.PENDING;
            case "processing" -> OrderStatus.PROCESSING;
            case "on-hold" -> OrderStatus.ON_HOLD;
            case "completed" -> OrderStatus.COMPLETED;
            case "cancelled" -> OrderStatus.CANCELLED;
            case "refunded" -> OrderStatus.REFUNDED;
            case "failed" -> OrderStatus.FAILED;
            case "trash" -> OrderStatus.ARCHIVED;
            default -> OrderStatus.UNKNOWN;
        };
    }

    private static PaymentStatus paymentStatus(String status, boolean paid, boolean hasRefunds) {
        return switch (status) {
            case "refunded" -> PaymentStatus.REFUNDED;
            case "failed" -> PaymentStatus.FAILED;
            case "pending", "checkout-draft" -> PaymentStatus.PENDING;
            default ->
                paid ? (hasRefunds ? PaymentStatus.PARTIALLY_REFUNDED : PaymentStatus.PAID) : PaymentStatus.UNKNOWN;
        };
    }
}
