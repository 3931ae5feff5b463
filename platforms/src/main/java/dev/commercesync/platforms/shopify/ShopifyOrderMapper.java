package dev.commercesync.platforms.shopify;

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
import dev.commercesync.schemas.canonical.SelectedOption;
import dev.commercesync.schemas.canonical.Shipment;
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
 * Shopify order (orders/create|updated|paid|cancelled|fulfilled|partially_fulfilled) → Order, amounts in the shop
 * currency ({@code currency}, the {@code shop_money} of money sets); presentment amounts stay in platform_fields.
 */
final class ShopifyOrderMapper implements EntityMapper {
    static final String VERSION = "shopify/orders@1";

    private static final Set<String> MAPPED = Set.of(
            "id",
            "name",
            "financial_status",
            "fulfillment_status",
            "payment_gateway_names",
            "currency",
            "taxes_included",
            "customer",
            "email",
            "phone",
            "billing_address",
            "shipping_address",
            "total_line_items_price",
            "total_line_items_price_set",
            "total_discounts",
            "total_discounts_set",
            "total_shipping_price_set",
            "total_tax",
            "total_tax_set",
            "total_price",
            "total_price_set",
            "total_outstanding",
            "line_items",
            "discount_codes",
            "shipping_lines",
            "tax_lines",
            "refunds",
            "fulfillments",
            "note",
            "tags",
            "source_name",
            "created_at",
            "updated_at",
            "cancelled_at",
            "cancel_reason",
            "closed_at");
    private static final Set<String> LINE_MAPPED = Set.of(
            "id",
            "product_id",
            "variant_id",
            "sku",
            "name",
            "variant_title",
            "properties",
            "quantity",
            "price",
            "price_set",
            "total_discount",
            "total_discount_set",
            "tax_lines",
            "discount_allocations",
            "requires_shipping",
            "fulfillment_status");

    private final ShopifyRefundMapper refunds = new ShopifyRefundMapper();
    private final ShopifyFulfillmentMapper fulfillments = new ShopifyFulfillmentMapper();

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
        return ShopifyAdapter.MAPPINGS_READ;
    }

    @Override
    public Order map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject order = PayloadObject.root(payload);
        String currency = Moneys.currencyCode(order.requiredText("currency"), order.path("currency"));
        Map<String, String> platformFields = new TreeMap<>(order.unmappedFields(MAPPED));

        List<OrderLineItem> lines = new ArrayList<>();
        for (PayloadObject line : order.objects("line_items")) {
            lines.add(lineItem(line, currency));
        }
        List<Discount> discounts = new ArrayList<>();
        for (PayloadObject code : order.objects("discount_codes")) {
            discounts.add(Discount.newBuilder()
                    .setCode(code.text("code").orElse(null))
                    .setDescription(null)
                    .setType(code.text("type").orElse(null))
                    .setAmount(code.requiredMoney("amount", currency))
                    .build());
        }
        List<ShippingLine> shippingLines = new ArrayList<>();
        for (PayloadObject line : order.objects("shipping_lines")) {
            shippingLines.add(ShippingLine.newBuilder()
                    .setId(line.id("id").orElse(null))
                    .setTitle(line.text("title").orElse(null))
                    .setMethodCode(line.text("code").orElse(null))
                    .setCarrier(line.text("carrier_identifier").orElse(null))
                    .setPrice(required(ShopifyPayloads.amount(line, "price", currency), line.path("price")))
                    .setDiscount(null)
                    .setTaxLines(ShopifyPayloads.taxLines(line, currency))
                    .build());
        }
        List<Refund> orderRefunds = new ArrayList<>();
        for (PayloadObject refund : order.objects("refunds")) {
            orderRefunds.add(refunds.map(refund, currency));
        }
        List<Shipment> shipments = new ArrayList<>();
        for (PayloadObject fulfillment : order.objects("fulfillments")) {
            shipments.add(fulfillments.map(fulfillment));
        }
        Optional<String> financialStatus = order.text("financial_status");
        Optional<String> fulfillmentStatus = order.text("fulfillment_status");
        List<String> gateways = order.texts("payment_gateway_names");
        return Order.newBuilder()
                .setId(order.requiredId("id"))
                .setNumber(order.text("name").orElse(null))
                .setStatus(orderStatus(order, fulfillmentStatus.orElse(null)))
                .setPlatformStatus(null)
                .setStatusHistory(List.of())
                .setPaymentStatus(paymentStatus(financialStatus.orElse(null)))
                .setFulfillmentStatus(fulfillmentStatus(fulfillmentStatus.orElse(null)))
                .setPaymentMethods(gateways)
                .setCurrency(currency)
                .setTaxesIncluded(order.bool("taxes_included").orElse(null))
                .setCustomer(customer(order))
                .setBillingAddress(ShopifyPayloads.address(order, "billing_address", platformFields)
                        .orElse(null))
                .setShippingAddress(ShopifyPayloads.address(order, "shipping_address", platformFields)
                        .orElse(null))
                .setTotals(OrderTotals.newBuilder()
                        .setSubtotal(ShopifyPayloads.amount(order, "total_line_items_price", currency)
                                .orElse(null))
                        .setDiscount(ShopifyPayloads.amount(order, "total_discounts", currency)
                                .orElse(null))
                        .setShipping(ShopifyPayloads.shopMoney(order, "total_shipping_price_set")
                                .orElse(null))
                        .setTax(ShopifyPayloads.amount(order, "total_tax", currency)
                                .orElse(null))
                        .setTotal(required(
                                ShopifyPayloads.amount(order, "total_price", currency), order.path("total_price")))
                        .setRefunded(Moneys.sum(
                                        orderRefunds.stream()
                                                .map(Refund::getAmount)
                                                .toList(),
                                        order.path("refunds"))
                                .orElse(null))
                        .setOutstanding(
                                order.money("total_outstanding", currency).orElse(null))
                        .build())
                .setLineItems(lines)
                .setDiscounts(discounts)
                .setShippingLines(shippingLines)
                .setTaxLines(ShopifyPayloads.taxLines(order, currency))
                .setRefunds(orderRefunds)
                .setShipments(shipments)
                .setNote(order.text("note").orElse(null))
                .setTags(ShopifyPayloads.tags(order))
                .setChannel(order.text("source_name").orElse(null))
                .setCreatedAt(order.instant("created_at")
                        .orElseThrow(
                                () -> MappingException.field(order.path("created_at"), "required field is missing")))
                .setUpdatedAt(order.instant("updated_at").orElse(null))
                .setPaidAt(null)
                .setCancelledAt(order.instant("cancelled_at").orElse(null))
                .setCancelReason(order.text("cancel_reason").orElse(null))
                .setClosedAt(order.instant("closed_at").orElse(null))
                .setPlatformFields(platformFields)
                .build();
    }

    private static OrderLineItem lineItem(PayloadObject line, String currency) throws MappingException {
        Money unitPrice = required(ShopifyPayloads.amount(line, "price", currency), line.path("price"));
        long quantity = line.requiredWholeNumber("quantity");
        List<SelectedOption> properties = new ArrayList<>();
        for (PayloadObject property : line.objects("properties")) {
            properties.add(new SelectedOption(
                    property.requiredText("name"), property.text("value").orElse("")));
        }
        List<TaxLine> taxLines = ShopifyPayloads.taxLines(line, currency);
        Optional<String> fulfillment = line.text("fulfillment_status");
        return OrderLineItem.newBuilder()
                .setId(line.requiredId("id"))
                .setProductId(line.id("product_id").orElse(null))
                .setVariantId(line.id("variant_id").orElse(null))
                .setSku(line.text("sku").orElse(null))
                .setName(line.requiredText("name"))
                .setVariantTitle(line.text("variant_title").orElse(null))
                .setOptions(properties)
                .setQuantity(quantity)
                .setUnitPrice(unitPrice)
                .setSubtotal(Moneys.of(
                        unitPrice.getAmount().multiply(BigDecimal.valueOf(quantity)), currency, line.path("price")))
                .setDiscount(
                        ShopifyPayloads.amount(line, "total_discount", currency).orElse(null))
                .setTax(Moneys.sum(taxLines.stream().map(TaxLine::getAmount).toList(), line.path("tax_lines"))
                        .orElse(null))
                .setTotal(null)
                .setTaxLines(taxLines)
                .setDiscountAllocations(ShopifyPayloads.discountAllocations(line, currency))
                .setRequiresShipping(line.bool("requires_shipping").orElse(null))
                .setFulfillmentStatus(
                        fulfillment.map(ShopifyOrderMapper::fulfillmentStatus).orElse(null))
                .setPlatformFields(line.unmappedFields(LINE_MAPPED))
                .build();
    }

    private static OrderCustomer customer(PayloadObject order) throws MappingException {
        Optional<PayloadObject> customer = order.object("customer");
        Optional<String> orderEmail = order.text("email");
        return OrderCustomer.newBuilder()
                .setId(customer.isPresent() ? customer.get().id("id").orElse(null) : null)
                .setEmail(
                        orderEmail.isPresent()
                                ? orderEmail.get()
                                : customer.isPresent()
                                        ? customer.get().text("email").orElse(null)
                                        : null)
                .setPhone(order.text("phone")
                        .orElse(
                                customer.isPresent()
                                        ? customer.get().text("phone").orElse(null)
                                        : null))
                .setFirstName(
                        customer.isPresent() ? customer.get().text("first_name").orElse(null) : null)
                .setLastName(
                        customer.isPresent() ? customer.get().text("last_name").orElse(null) : null)
                .setIsGuest(customer.isEmpty())
                .setNote(null)
                .build();
    }

    private static Money required(Optional<Money> money, String path) throws MappingException {
        return money.orElseThrow(() -> MappingException.field(path, "required amount is missing"));
    }

    /** Shopify has no single order status: it is derived from cancellation, closing and fulfillment. */
    private static OrderStatus orderStatus(PayloadObject order, String fulfillmentStatus) throws MappingException {
        return orderStatus(order.has("cancelled_at"), order.has("closed_at"), fulfillmentStatus);
    }

    /**
     * The canonical status of an order cancelled or not, closed or not, with its fulfillment status ({@code fulfilled},
     * {@code partial}, … in any case; GraphQL's {@code displayFulfillmentStatus} too): also what the write client
     * reads back.
     */
    static OrderStatus orderStatus(boolean cancelled, boolean closed, String fulfillmentStatus) {
        if (cancelled) {
            return OrderStatus.CANCELLED;
        }
        if (closed) {
            return OrderStatus.ARCHIVED;
        }
        if ("fulfilled".equalsIgnoreCase(fulfillmentStatus)) {
            return OrderStatus.COMPLETED;
        }
        return OrderStatus.PROCESSING;
    }

    private static PaymentStatus paymentStatus(String financialStatus) {
        if (financialStatus == null) {
            return PaymentStatus.UNKNOWN;
        }
        return switch (financialStatus) {
            case "pending" -> PaymentStatus.PENDING;
            case "authorized" -> PaymentStatus.AUTHORIZED;
            case "partially_paid" -> PaymentStatus.PARTIALLY_PAID;
            case "paid" -> PaymentStatus.PAID;
            case "partially_refunded" -> PaymentStatus.PARTIALLY_REFUNDED;
            case "refunded" -> PaymentStatus.REFUNDED;
            case "voided" -> PaymentStatus.VOIDED;
            case "expired" -> PaymentStatus.FAILED;
            default -> PaymentStatus.UNKNOWN;
        };
    }

    private static FulfillmentStatus fulfillmentStatus(String status) {
        if (status == null) {
            return FulfillmentStatus.UNFULFILLED;
        }
        return switch (status) {
            case "fulfilled" -> FulfillmentStatus.FULFILLED;
            case "partial" -> FulfillmentStatus.PARTIALLY_FULFILLED;
            case "restocked" -> FulfillmentStatus.RETURNED;
            default -> FulfillmentStatus.UNKNOWN;
        };
    }
}
