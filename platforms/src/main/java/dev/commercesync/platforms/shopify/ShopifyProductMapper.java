package dev.commercesync.platforms.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Moneys;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Product;
import dev.commercesync.schemas.canonical.ProductImage;
import dev.commercesync.schemas.canonical.ProductOption;
import dev.commercesync.schemas.canonical.ProductStatus;
import dev.commercesync.schemas.canonical.ProductVariant;
import dev.commercesync.schemas.canonical.SelectedOption;
import dev.commercesync.schemas.canonical.Weight;
import dev.commercesync.schemas.canonical.WeightUnit;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Shopify product (products/create|update) → Product. Shopify's product payloads carry prices without a currency
 * (it is the shop's, which the payload does not name), so variant prices cannot be canonical Money here: they are
 * kept verbatim in the variant's platform_fields ({@code price}, {@code compare_at_price}) and {@code price} is null.
 */
final class ShopifyProductMapper implements EntityMapper {
    static final String VERSION = "shopify/products@1";

    private static final Set<String> MAPPED = Set.of(
            "id",
            "title",
            "body_html",
            "handle",
            "status",
            "product_type",
            "vendor",
            "tags",
            "options",
            "variants",
            "images",
            "created_at",
            "updated_at",
            "published_at");
    private static final Set<String> VARIANT_MAPPED = Set.of(
            "id",
            "sku",
            "barcode",
            "title",
            "option1",
            "option2",
            "option3",
            "inventory_item_id",
            "inventory_quantity",
            "weight",
            "weight_unit",
            "requires_shipping",
            "taxable",
            "position",
            "image_id",
            "created_at",
            "updated_at");

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
        return ShopifyAdapter.MAPPINGS_READ;
    }

    @Override
    public Product map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject product = PayloadObject.root(payload);
        List<ProductOption> options = new ArrayList<>();
        for (PayloadObject option : product.objects("options")) {
            options.add(ProductOption.newBuilder()
                    .setId(option.id("id").orElse(null))
                    .setName(option.requiredText("name"))
                    .setPosition(option.smallNumber("position").orElse(null))
                    .setValues(option.texts("values"))
                    .build());
        }
        List<ProductVariant> variants = new ArrayList<>();
        for (PayloadObject variant : product.objects("variants")) {
            variants.add(variant(variant, options));
        }
        List<ProductImage> images = new ArrayList<>();
        for (PayloadObject image : product.objects("images")) {
            images.add(ProductImage.newBuilder()
                    .setId(image.id("id").orElse(null))
                    .setUrl(image.requiredText("src"))
                    .setAlt(image.text("alt").orElse(null))
                    .setPosition(image.smallNumber("position").orElse(null))
                    .setVariantIds(image.texts("variant_ids"))
                    .build());
        }
        Optional<String> status = product.text("status");
        return Product.newBuilder()
                .setId(product.requiredId("id"))
                .setTitle(product.requiredText("title"))
                .setDescription(product.text("body_html").orElse(null))
                .setHandle(product.text("handle").orElse(null))
                .setStatus(status.map(ShopifyProductMapper::status).orElse(ProductStatus.UNKNOWN))
                .setPlatformStatus(status.orElse(null))
                .setProductType(product.text("product_type").orElse(null))
                .setVendor(product.text("vendor").orElse(null))
                .setTags(ShopifyPayloads.tags(product))
                .setCategories(List.of())
                .setOptions(options)
                .setVariants(variants)
                .setImages(images)
                .setCreatedAt(product.instant("created_at").orElse(null))
                .setUpdatedAt(product.instant("updated_at").orElse(null))
                .setPublishedAt(product.instant("published_at").orElse(null))
                .setPlatformFields(product.unmappedFields(MAPPED))
                .build();
    }

    private static ProductVariant variant(PayloadObject variant, List<ProductOption> options) throws MappingException {
        List<SelectedOption> selected = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Optional<String> value = variant.text("option" + i);
            if (value.isPresent()) {
                String name = i <= options.size() ? options.get(i - 1).getName() : "option" + i;
                selected.add(new SelectedOption(name, value.get()));
            }
        }
        Map<String, String> platformFields = new TreeMap<>(variant.unmappedFields(VARIANT_MAPPED));
        return ProductVariant.newBuilder()
                .setId(variant.requiredId("id"))
                .setSku(variant.text("sku").orElse(null))
                .setBarcode(variant.text("barcode").orElse(null))
                .setTitle(variant.text("title").orElse(null))
                .setOptions(selected)
                .setPrice(null)
                .setCompareAtPrice(null)
                .setCost(null)
                .setInventoryItemId(variant.id("inventory_item_id").orElse(null))
                .setInventoryQuantity(variant.wholeNumber("inventory_quantity").orElse(null))
                .setWeight(weight(variant))
                .setRequiresShipping(variant.bool("requires_shipping").orElse(null))
                .setTaxable(variant.bool("taxable").orElse(null))
                .setPosition(variant.smallNumber("position").orElse(null))
                .setImageId(variant.id("image_id").orElse(null))
                .setCreatedAt(variant.instant("created_at").orElse(null))
                .setUpdatedAt(variant.instant("updated_at").orElse(null))
                .setPlatformFields(platformFields)
                .build();
    }

    private static Weight weight(PayloadObject variant) throws MappingException {
        Optional<BigDecimal> value = variant.decimal("weight");
        Optional<String> unit = variant.text("weight_unit");
        if (value.isEmpty() || unit.isEmpty()) {
            return null;
        }
        WeightUnit weightUnit =
                switch (unit.get().toLowerCase(Locale.ROOT)) {
                    case "g" -> WeightUnit.G;
                    case "kg" -> WeightUnit.KG;
                    case "oz" -> WeightUnit.OZ;
                    case "lb" -> WeightUnit.LB;
                    default -> throw MappingException.field(variant.path("weight_unit"), "unknown weight unit");
                };
        return new Weight(Moneys.exact(value.get(), 18, 6, variant.path("weight"), "weight"), weightUnit);
    }

    private static ProductStatus status(String status) {
        return switch (status) {
            case "active" -> ProductStatus.ACTIVE;
            case "draft" -> ProductStatus.DRAFT;
            case "archived" -> ProductStatus.ARCHIVED;
            default -> ProductStatus.UNKNOWN;
        };
    }
}
