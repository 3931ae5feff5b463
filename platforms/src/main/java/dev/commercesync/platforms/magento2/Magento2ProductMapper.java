package dev.commercesync.platforms.magento2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.shared.Moneys;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Product;
import dev.commercesync.schemas.canonical.ProductStatus;
import dev.commercesync.schemas.canonical.ProductVariant;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An Adobe Commerce product ({@code catalogDataProductInterface} of GET /V1/products/{sku}, or the fields of a {@code
 * catalog_product_save_commit_after} observer event). The canonical id is the SKU: the REST API addresses products by
 * SKU, MSI source items are keyed by it, and observer events always carry it (not always the numeric {@code id}, which
 * stays in platform_fields). A renamed SKU is therefore a new product (and the old one is gone upstream).
 *
 * <p>Each Magento product is one sellable SKU: one variant with id = SKU. Prices become Money only with {@link
 * Magento2Payloads#CURRENCY_ANNOTATION} (added by the API client); otherwise {@code price} stays in platform_fields.
 * Weight stays in platform_fields (the unit is a store setting). {@code custom_attributes} go to platform_fields as
 * {@code custom_attributes.<code>}, except description and url_key, which are mapped.
 */
final class Magento2ProductMapper implements EntityMapper {
    static final String VERSION = "magento2/products@1";

    @Override
    public EntityType entityType() {
        return EntityType.PRODUCT;
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
    public Product map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject p = Magento2Payloads.entity(payload);
        Optional<String> currency = p.text(Magento2Payloads.CURRENCY_ANNOTATION);
        Set<String> mapped = new HashSet<>(Set.of(
                Magento2Payloads.CURRENCY_ANNOTATION,
                "sku",
                "name",
                "status",
                "type_id",
                "created_at",
                "updated_at",
                "custom_attributes"));
        if (currency.isPresent()) {
            mapped.add("price");
        }
        Map<String, String> platformFields = new TreeMap<>(p.unmappedFields(mapped));
        for (JsonNode attribute : p.node().path("custom_attributes")) {
            String code = attribute.path("attribute_code").asText("");
            if (!code.isEmpty() && !code.equals("description") && !code.equals("url_key")) {
                platformFields.put("custom_attributes." + code, Json.encode(attribute.path("value")));
            }
        }
        String sku = p.requiredText("sku");
        ProductVariant.Builder variant = ProductVariant.newBuilder()
                .setId(sku)
                .setSku(sku)
                .setInventoryQuantity(quantity(p).orElse(null))
                .setCreatedAt(p.utcInstant("created_at").orElse(null))
                .setUpdatedAt(p.utcInstant("updated_at").orElse(null));
        if (currency.isPresent()) {
            variant.setPrice(
                    p.money("price", Moneys.currencyCode(currency.get(), p.path(Magento2Payloads.CURRENCY_ANNOTATION)))
                            .orElse(null));
        }
        Optional<Long> status = p.wholeNumber("status");
        return Product.newBuilder()
                .setId(sku)
                .setTitle(p.requiredText("name"))
                .setDescription(Magento2Payloads.customAttribute(p, "description")
                        .filter(JsonNode::isTextual)
                        .map(JsonNode::asText)
                        .orElse(null))
                .setHandle(Magento2Payloads.customAttribute(p, "url_key")
                        .filter(JsonNode::isTextual)
                        .map(JsonNode::asText)
                        .orElse(null))
                // catalog_product_entity status: 1 enabled, 2 disabled
                .setStatus(status.map(s ->
                                s == 1 ? ProductStatus.ACTIVE : s == 2 ? ProductStatus.DRAFT : ProductStatus.UNKNOWN)
                        .orElse(ProductStatus.UNKNOWN))
                .setPlatformStatus(status.map(String::valueOf).orElse(null))
                .setProductType(p.text("type_id").orElse(null))
                .setVariants(List.of(variant.build()))
                .setCreatedAt(p.utcInstant("created_at").orElse(null))
                .setUpdatedAt(p.utcInstant("updated_at").orElse(null))
                .setPlatformFields(platformFields)
                .build();
    }

    /** Stock as the payload reports it: REST {@code extension_attributes.stock_item.qty}, observer {@code stock_data.qty}. */
    private static Optional<Long> quantity(PayloadObject p) throws MappingException {
        for (String[] path :
                List.of(new String[] {"extension_attributes", "stock_item"}, new String[] {"stock_data"})) {
            JsonNode holder = p.node();
            for (String field : path) {
                holder = holder.path(field);
            }
            if (holder.isObject() && holder.hasNonNull("qty")) {
                PayloadObject object = p.requiredObject(path[0]);
                for (int i = 1; i < path.length; i++) {
                    object = object.requiredObject(path[i]);
                }
                BigDecimal qty = object.decimal("qty").orElse(null);
                if (qty == null) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(qty.longValueExact());
                } catch (ArithmeticException e) {
                    throw MappingException.field(object.path("qty"), "fractional stock quantity; not rounded");
                }
            }
        }
        return Optional.empty();
    }
}
