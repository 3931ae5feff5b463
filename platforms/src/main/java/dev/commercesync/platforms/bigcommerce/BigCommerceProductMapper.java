package dev.commercesync.platforms.bigcommerce;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Moneys;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Money;
import dev.commercesync.schemas.canonical.Product;
import dev.commercesync.schemas.canonical.ProductImage;
import dev.commercesync.schemas.canonical.ProductStatus;
import dev.commercesync.schemas.canonical.ProductVariant;
import dev.commercesync.schemas.canonical.SelectedOption;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A v3 catalog product (GET /v3/catalog/products/{id}, optionally {@code include=variants,images}). Catalog prices
 * carry no currency: with {@link BigCommercePayloads#CURRENCY_ANNOTATION} (the store's default currency, added by the
 * API client) they become Money; without it they stay in platform_fields. Weights stay in platform_fields too (the
 * unit is a store setting the payload does not carry). Without {@code variants}, the base variant ({@code
 * base_variant_id}) carries the product's SKU and price.
 */
final class BigCommerceProductMapper implements EntityMapper {
    static final String VERSION = "bigcommerce/products@1";

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
        return BigCommerceAdapter.MAPPINGS_READ;
    }

    @Override
    public Product map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject p = BigCommercePayloads.entity(payload);
        Optional<String> currency = p.text(BigCommercePayloads.CURRENCY_ANNOTATION);
        if (currency.isPresent()) {
            Moneys.currencyCode(currency.get(), p.path(BigCommercePayloads.CURRENCY_ANNOTATION));
        }
        Set<String> mapped = new HashSet<>(Set.of(
                BigCommercePayloads.CURRENCY_ANNOTATION,
                "id",
                "name",
                "description",
                "type",
                "is_visible",
                "date_created",
                "date_modified",
                "variants",
                "images"));
        if (currency.isPresent()) {
            mapped.addAll(Set.of("price", "retail_price", "cost_price"));
        }
        boolean hasVariants = p.node().path("variants").isArray();
        if (!hasVariants) {
            mapped.addAll(Set.of("sku", "upc", "inventory_level", "base_variant_id"));
        }
        Map<String, String> platformFields = new TreeMap<>(p.unmappedFields(mapped));
        boolean tracked = !"none".equals(p.text("inventory_tracking").orElse("none"));

        List<ProductVariant> variants = new ArrayList<>();
        if (hasVariants) {
            for (PayloadObject v : p.objects("variants")) {
                variants.add(variant(v, v.requiredId("id"), currency, tracked, p));
            }
        } else {
            variants.add(variant(p, p.requiredId("base_variant_id"), currency, tracked, p));
        }
        List<ProductImage> images = new ArrayList<>();
        for (PayloadObject image : p.objects("images")) {
            images.add(ProductImage.newBuilder()
                    .setId(image.id("id").orElse(null))
                    .setUrl(image.text("url_zoom")
                            .or(() -> textOrEmpty(image, "url_standard"))
                            .orElseThrow(() -> MappingException.field(image.path("url_zoom"), "image has no URL")))
                    .setAlt(image.text("description").orElse(null))
                    .setPosition(image.smallNumber("sort_order").orElse(null))
                    .build());
        }
        return Product.newBuilder()
                .setId(p.requiredId("id"))
                .setTitle(p.requiredText("name"))
                .setDescription(p.text("description").orElse(null))
                .setHandle(
                        p.object("custom_url").isPresent()
                                ? p.requiredObject("custom_url").text("url").orElse(null)
                                : null)
                .setStatus(p.bool("is_visible")
                        .map(visible -> visible ? ProductStatus.ACTIVE : ProductStatus.DRAFT)
                        .orElse(ProductStatus.UNKNOWN))
                .setPlatformStatus(p.bool("is_visible")
                        .map(visible -> visible ? "visible" : "hidden")
                        .orElse(null))
                .setProductType(p.text("type").orElse(null))
                .setVariants(variants)
                .setImages(images)
                .setCreatedAt(p.instant("date_created").orElse(null))
                .setUpdatedAt(p.instant("date_modified").orElse(null))
                .setPlatformFields(platformFields)
                .build();
    }

    private static Optional<String> textOrEmpty(PayloadObject o, String field) {
        try {
            return o.text(field);
        } catch (MappingException e) {
            return Optional.empty();
        }
    }

    private static ProductVariant variant(
            PayloadObject v, String id, Optional<String> currency, boolean tracked, PayloadObject product)
            throws MappingException {
        Set<String> mapped = new HashSet<>(
                Set.of("id", "sku", "upc", "inventory_level", "option_values", "price", "retail_price", "cost_price"));
        Map<String, String> fields = v == product ? new TreeMap<>() : new TreeMap<>(v.unmappedFields(mapped));
        List<SelectedOption> options = new ArrayList<>();
        for (PayloadObject option : v.objects("option_values")) {
            options.add(new SelectedOption(
                    option.requiredText("option_display_name"),
                    option.text("label").orElse("")));
        }
        ProductVariant.Builder variant = ProductVariant.newBuilder()
                .setId(id)
                .setSku(v.text("sku").orElse(null))
                .setBarcode(v.text("upc").orElse(null))
                .setOptions(options)
                .setInventoryQuantity(tracked ? v.wholeNumber("inventory_level").orElse(null) : null);
        if (currency.isPresent()) {
            // A variant price of null inherits the product's price.
            Optional<BigDecimal> price = v.decimal("price").or(() -> decimalOrEmpty(product, "price"));
            variant.setPrice(price.isEmpty() ? null : Moneys.of(price.get(), currency.get(), v.path("price")))
                    .setCompareAtPrice(positive(v, "retail_price", currency.get()))
                    .setCost(v.money("cost_price", currency.get()).orElse(null));
        } else if (v != product) {
            for (String priceField : List.of("price", "retail_price", "cost_price")) {
                if (v.has(priceField)) {
                    fields.put(
                            priceField,
                            dev.commercesync.platforms.shared.Json.encode(
                                    v.node().get(priceField)));
                }
            }
        }
        return variant.setPlatformFields(fields).build();
    }

    private static Optional<BigDecimal> decimalOrEmpty(PayloadObject o, String field) {
        try {
            return o.decimal(field);
        } catch (MappingException e) {
            return Optional.empty();
        }
    }

    /** BigCommerce uses 0 for "no list price". */
    private static Money positive(PayloadObject v, String field, String currency) throws MappingException {
        Optional<Money> money = v.money(field, currency);
        return money.filter(m -> m.getAmount().signum() > 0).orElse(null);
    }
}
