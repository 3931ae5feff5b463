package dev.commercesync.platforms.woocommerce;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Moneys;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Refund;
import dev.commercesync.schemas.canonical.RefundLineItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * WooCommerce refund (REST /orders/{id}/refunds; WooCommerce has no refund webhook) → Refund. Its payload names
 * neither the order nor a currency: the order id comes from {@code _links.up} and the currency from the
 * {@code currency} field the WooCommerce API client adds from the order when fetching (see WooApiClient).
 * Refund line items carry negative quantities and amounts; they are flipped to the canonical sign.
 */
final class WooRefundMapper implements EntityMapper {
    static final String VERSION = "woocommerce/refunds@1";

    private static final Set<String> MAPPED =
            Set.of("id", "amount", "reason", "line_items", "date_created_gmt", "currency", "_links");

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
        return WooCommerceAdapter.MAPPINGS_READ;
    }

    @Override
    public Refund map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject refund = PayloadObject.root(payload);
        String currency = Moneys.currencyCode(refund.requiredText("currency"), refund.path("currency"));
        List<RefundLineItem> items = new ArrayList<>();
        for (PayloadObject item : refund.objects("line_items")) {
            items.add(RefundLineItem.newBuilder()
                    .setId(item.id("id").orElse(null))
                    .setLineItemId(null)
                    .setProductId(WooPayloads.optionalId(item, "product_id").orElse(null))
                    .setVariantId(WooPayloads.optionalId(item, "variation_id").orElse(null))
                    .setSku(item.text("sku").orElse(null))
                    .setQuantity(Math.abs(item.requiredWholeNumber("quantity")))
                    .setSubtotal(
                            item.money("subtotal", currency).map(Moneys::negate).orElse(null))
                    .setTax(item.money("total_tax", currency)
                            .map(Moneys::negate)
                            .orElse(null))
                    .build());
        }
        return Refund.newBuilder()
                .setId(refund.requiredId("id"))
                .setOrderId(orderId(refund))
                .setAmount(refund.requiredMoney("amount", currency))
                .setReason(refund.text("reason").orElse(null))
                .setItems(items)
                .setCreatedAt(refund.utcInstant("date_created_gmt").orElse(null))
                .setPlatformFields(refund.unmappedFields(MAPPED))
                .build();
    }

    /** The owning order's id, the last segment of {@code _links.up[0].href} (…/wc/v3/orders/723). */
    static String orderId(PayloadObject refund) throws MappingException {
        Optional<PayloadObject> links = refund.object("_links");
        if (links.isPresent()) {
            for (PayloadObject up : links.get().objects("up")) {
                Optional<String> href = up.text("href");
                if (href.isPresent() && href.get().matches(".*/orders/\\d+/?$")) {
                    String trimmed = href.get().replaceAll("/$", "");
                    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
                }
            }
        }
        throw MappingException.field(refund.path("_links.up"), "no link to the refund's order");
    }
}
