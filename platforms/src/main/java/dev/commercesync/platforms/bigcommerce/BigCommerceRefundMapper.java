package dev.commercesync.platforms.bigcommerce;

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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A v3 refund (GET /v3/orders/{order_id}/payment_actions/refunds, one item). Refunds carry no currency: the API client
 * adds the order's ({@link BigCommercePayloads#CURRENCY_ANNOTATION}); without it the refund is a mapping error. Items
 * of type PRODUCT are refund line items, SHIPPING items make up {@code shipping}, other types (ORDER, FEE, HANDLING,
 * GIFT_WRAPPING, ...) are adjustments of their kind.
 */
final class BigCommerceRefundMapper implements EntityMapper {
    static final String VERSION = "bigcommerce/refunds@1";

    private static final Set<String> MAPPED = Set.of(
            BigCommercePayloads.CURRENCY_ANNOTATION, "id", "order_id", "created", "reason", "total_amount", "items");

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
        return BigCommerceAdapter.MAPPINGS_READ;
    }

    @Override
    public Refund map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject r = BigCommercePayloads.entity(payload);
        String currency = Moneys.currencyCode(
                r.text(BigCommercePayloads.CURRENCY_ANNOTATION)
                        .orElseThrow(() -> MappingException.field(
                                r.path(BigCommercePayloads.CURRENCY_ANNOTATION),
                                "refund currency unknown (BigCommerce refunds carry none; the API client adds the"
                                        + " order's)")),
                r.path(BigCommercePayloads.CURRENCY_ANNOTATION));
        List<RefundLineItem> items = new ArrayList<>();
        List<RefundAdjustment> adjustments = new ArrayList<>();
        BigDecimal shipping = null;
        for (PayloadObject item : r.objects("items")) {
            String type = item.requiredText("item_type");
            if (type.equals("PRODUCT")) {
                items.add(RefundLineItem.newBuilder()
                        .setLineItemId(item.id("item_id").orElse(null))
                        .setQuantity(item.wholeNumber("quantity").orElse(0L))
                        .setSubtotal(item.money("requested_amount", currency).orElse(null))
                        .build());
            } else if (type.equals("SHIPPING")) {
                Money amount = item.requiredMoney("requested_amount", currency);
                shipping = shipping == null ? amount.getAmount() : shipping.add(amount.getAmount());
            } else {
                adjustments.add(RefundAdjustment.newBuilder()
                        .setKind(type.toLowerCase(Locale.ROOT))
                        .setReason(item.text("reason").orElse(null))
                        .setAmount(item.requiredMoney("requested_amount", currency))
                        .build());
            }
        }
        Map<String, String> platformFields = new TreeMap<>(r.unmappedFields(MAPPED));
        platformFields.put(
                "items", dev.commercesync.platforms.shared.Json.encode(r.node().path("items")));
        return Refund.newBuilder()
                .setId(r.requiredId("id"))
                .setOrderId(r.requiredId("order_id"))
                .setAmount(r.requiredMoney("total_amount", currency))
                .setReason(r.text("reason").orElse(null))
                .setShipping(shipping == null ? null : Moneys.of(shipping, currency, r.path("items")))
                .setItems(items)
                .setAdjustments(adjustments)
                .setCreatedAt(r.instant("created").orElse(null))
                .setPlatformFields(platformFields)
                .build();
    }
}
