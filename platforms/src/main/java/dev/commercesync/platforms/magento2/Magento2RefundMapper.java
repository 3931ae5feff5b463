package dev.commercesync.platforms.magento2;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An Adobe Commerce credit memo ({@code salesDataCreditmemoInterface}: GET /V1/creditmemo/{id}, an item of GET
 * /V1/creditmemos, or the fields of a {@code sales_order_creditmemo_save_commit_after} observer event). Amounts are in
 * {@code order_currency_code} (the {@code base_*} amounts, in {@code base_currency_code}, stay in platform_fields);
 * Magento stores them positive, as the canonical refund does. {@code adjustment_positive} (adjustment refund) is an
 * adjustment {@code adjustment_refund}; {@code adjustment_negative} (adjustment fee, withheld from the customer) is an
 * adjustment {@code adjustment_fee} with a negative amount. A credit memo in state 2 (refunded) was processed when it
 * was created; state and updated_at stay in platform_fields. Item fields without a canonical home go to
 * platform_fields as {@code items[<n>].<field>}.
 */
final class Magento2RefundMapper implements EntityMapper {
    static final String VERSION = "magento2/creditmemos@1";

    /** sales_creditmemo.state: 1 open, 2 refunded, 3 canceled. */
    private static final long STATE_REFUNDED = 2;

    private static final Set<String> MAPPED = Set.of(
            "entity_id",
            "order_id",
            "order_currency_code",
            "grand_total",
            "shipping_amount",
            "adjustment_positive",
            "adjustment_negative",
            "items",
            "created_at");
    private static final Set<String> ITEM_MAPPED =
            Set.of("entity_id", "order_item_id", "product_id", "sku", "qty", "row_total", "tax_amount");

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
        return Magento2Adapter.MAPPINGS_READ;
    }

    @Override
    public Refund map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject r = Magento2Payloads.entity(payload);
        Map<String, String> platformFields = new TreeMap<>(r.unmappedFields(MAPPED));
        String currency = Moneys.currencyCode(r.requiredText("order_currency_code"), r.path("order_currency_code"));
        List<RefundLineItem> items = new ArrayList<>();
        List<PayloadObject> memoItems = r.objects("items");
        for (int i = 0; i < memoItems.size(); i++) {
            PayloadObject item = memoItems.get(i);
            String prefix = "items[" + i + "]";
            item.unmappedFields(ITEM_MAPPED).forEach((k, v) -> platformFields.put(prefix + "." + k, v));
            items.add(RefundLineItem.newBuilder()
                    .setId(item.id("entity_id").orElse(null))
                    .setLineItemId(item.requiredId("order_item_id"))
                    .setProductId(item.id("product_id").orElse(null))
                    .setSku(item.text("sku").orElse(null))
                    .setQuantity(Magento2Payloads.requiredWholeQuantity(item, "qty"))
                    .setSubtotal(item.money("row_total", currency).orElse(null))
                    .setTax(item.money("tax_amount", currency).orElse(null))
                    .build());
        }
        List<RefundAdjustment> adjustments = new ArrayList<>();
        Optional<Money> positive = r.money("adjustment_positive", currency);
        if (positive.isPresent() && positive.get().getAmount().signum() != 0) {
            adjustments.add(RefundAdjustment.newBuilder()
                    .setKind("adjustment_refund")
                    .setAmount(positive.get())
                    .build());
        }
        Optional<Money> negative = r.money("adjustment_negative", currency);
        if (negative.isPresent() && negative.get().getAmount().signum() != 0) {
            adjustments.add(RefundAdjustment.newBuilder()
                    .setKind("adjustment_fee")
                    // withheld from the customer: the other way round from the refund
                    .setAmount(Moneys.negate(negative.get()))
                    .build());
        }
        Optional<java.time.Instant> createdAt = r.utcInstant("created_at");
        boolean refunded = r.wholeNumber("state").map(s -> s == STATE_REFUNDED).orElse(false);
        return Refund.newBuilder()
                .setId(r.requiredId("entity_id"))
                .setOrderId(r.requiredId("order_id"))
                .setAmount(r.requiredMoney("grand_total", currency))
                .setShipping(r.money("shipping_amount", currency).orElse(null))
                .setItems(items)
                .setAdjustments(adjustments)
                .setCreatedAt(createdAt.orElse(null))
                .setProcessedAt(refunded ? createdAt.orElse(null) : null)
                .setPlatformFields(platformFields)
                .build();
    }
}
