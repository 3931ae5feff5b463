package dev.commercesync.platforms.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Moneys;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Money;
import dev.commercesync.schemas.canonical.Refund;
import dev.commercesync.schemas.canonical.RefundAdjustment;
import dev.commercesync.schemas.canonical.RefundLineItem;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Shopify refund (refunds/create, and each entry of an order's {@code refunds}) → {@link Refund}. The amount is the
 * sum of the successful refund transactions. Shopify reports order adjustments negative when money goes back to the
 * customer, so their sign is flipped to the canonical convention (returned to the customer = positive).
 */
final class ShopifyRefundMapper implements EntityMapper {
    static final String VERSION = "shopify/refunds@1";

    private static final Set<String> MAPPED = Set.of(
            "id",
            "order_id",
            "note",
            "restock",
            "refund_line_items",
            "refund_shipping_lines",
            "order_adjustments",
            "transactions",
            "created_at",
            "processed_at");

    @Override
    public EntityType entityType() {
        return EntityType.REFUND;
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
    public Refund map(JsonNode payload, Classification.Classified classification) throws MappingException {
        return map(PayloadObject.root(payload), null);
    }

    /** @param fallbackCurrency the order's currency when the refund is part of an order payload, else null */
    Refund map(PayloadObject refund, String fallbackCurrency) throws MappingException {
        String currency = currency(refund, fallbackCurrency);
        List<Money> transactions = new ArrayList<>();
        for (PayloadObject transaction : refund.objects("transactions")) {
            boolean refundKind = transaction.text("kind").map("refund"::equals).orElse(false);
            boolean success = transaction.text("status").map("success"::equals).orElse(false);
            if (refundKind && success) {
                String txCurrency = transaction.text("currency").orElse(currency);
                transactions.add(transaction.requiredMoney("amount", txCurrency));
            }
        }
        Money amount = Moneys.sum(transactions, refund.path("transactions"))
                .orElse(Moneys.of(BigDecimal.ZERO, currency, refund.path("transactions")));

        List<RefundLineItem> items = new ArrayList<>();
        for (PayloadObject item : refund.objects("refund_line_items")) {
            Optional<PayloadObject> lineItem = item.object("line_item");
            items.add(RefundLineItem.newBuilder()
                    .setId(item.id("id").orElse(null))
                    .setLineItemId(item.id("line_item_id").orElse(null))
                    .setProductId(
                            lineItem.isPresent()
                                    ? lineItem.get().id("product_id").orElse(null)
                                    : null)
                    .setVariantId(
                            lineItem.isPresent()
                                    ? lineItem.get().id("variant_id").orElse(null)
                                    : null)
                    .setSku(lineItem.isPresent() ? lineItem.get().text("sku").orElse(null) : null)
                    .setQuantity(item.requiredWholeNumber("quantity"))
                    .setSubtotal(
                            ShopifyPayloads.amount(item, "subtotal", currency).orElse(null))
                    .setTax(ShopifyPayloads.amount(item, "total_tax", currency).orElse(null))
                    .setRestockType(item.text("restock_type").orElse(null))
                    .setLocationId(item.id("location_id").orElse(null))
                    .build());
        }
        List<Money> shippingRefunds = new ArrayList<>();
        for (PayloadObject line : refund.objects("refund_shipping_lines")) {
            ShopifyPayloads.amount(line, "subtotal_amount", currency).ifPresent(shippingRefunds::add);
        }
        List<RefundAdjustment> adjustments = new ArrayList<>();
        for (PayloadObject adjustment : refund.objects("order_adjustments")) {
            Money adjustmentAmount = ShopifyPayloads.amount(adjustment, "amount", currency)
                    .orElseThrow(() -> MappingException.field(adjustment.path("amount"), "required amount is missing"));
            Optional<Money> tax = ShopifyPayloads.amount(adjustment, "tax_amount", currency);
            adjustments.add(RefundAdjustment.newBuilder()
                    .setKind(adjustment.text("kind").orElse("unknown"))
                    .setReason(adjustment.text("reason").orElse(null))
                    .setAmount(Moneys.negate(adjustmentAmount))
                    .setTax(tax.map(Moneys::negate).orElse(null))
                    .build());
        }
        Map<String, String> platformFields = new TreeMap<>(refund.unmappedFields(MAPPED));
        return Refund.newBuilder()
                .setId(refund.requiredId("id"))
                .setOrderId(refund.requiredId("order_id"))
                .setAmount(amount)
                .setReason(null)
                .setNote(refund.text("note").orElse(null))
                .setRestock(refund.bool("restock").orElse(null))
                .setShipping(Moneys.sum(shippingRefunds, refund.path("refund_shipping_lines"))
                        .orElse(null))
                .setItems(items)
                .setAdjustments(adjustments)
                .setCreatedAt(refund.instant("created_at").orElse(null))
                .setProcessedAt(refund.instant("processed_at").orElse(null))
                .setPlatformFields(platformFields)
                .build();
    }

    /**
     * Shopify refund transactions often carry {@code currency: null}; the shop currency is then read from the money
     * sets of the refund's lines.
     */
    private static String currency(PayloadObject refund, String fallbackCurrency) throws MappingException {
        for (PayloadObject transaction : refund.objects("transactions")) {
            Optional<String> currency = transaction.text("currency");
            if (currency.isPresent()) {
                return Moneys.currencyCode(currency.get(), transaction.path("currency"));
            }
        }
        for (PayloadObject item : refund.objects("refund_line_items")) {
            Optional<Money> subtotal = ShopifyPayloads.shopMoney(item, "subtotal_set");
            if (subtotal.isPresent()) {
                return subtotal.get().getCurrency();
            }
        }
        for (PayloadObject line : refund.objects("refund_shipping_lines")) {
            Optional<Money> subtotal = ShopifyPayloads.shopMoney(line, "subtotal_amount_set");
            if (subtotal.isPresent()) {
                return subtotal.get().getCurrency();
            }
        }
        Optional<Money> duties = ShopifyPayloads.shopMoney(refund, "total_duties_set");
        if (duties.isPresent()) {
            return duties.get().getCurrency();
        }
        if (fallbackCurrency != null) {
            return fallbackCurrency;
        }
        throw MappingException.field(refund.path("transactions"), "no currency in the refund's transactions or lines");
    }
}
