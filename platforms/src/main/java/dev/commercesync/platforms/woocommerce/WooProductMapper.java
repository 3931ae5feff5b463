package dev.commercesync.platforms.woocommerce;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.Category;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Product;
import dev.commercesync.schemas.canonical.ProductImage;
import dev.commercesync.schemas.canonical.ProductOption;
import dev.commercesync.schemas.canonical.ProductStatus;
import dev.commercesync.schemas.canonical.ProductVariant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * WooCommerce product (product.created|updated|restored, REST /products) → Product. A simple product becomes one
 * variant with the product's id and SKU; a variable product lists only its variation ids, so its variants are
 * fetched separately (the ids stay in platform_fields). Product payloads name no currency and no weight unit (both
 * are store settings), so prices and weights are kept verbatim in platform_fields, not as canonical values.
 * WooCommerce has no inventory topic: stock arrives here as the variant's inventory_quantity.
 */
final class WooProductMapper implements EntityMapper {
    static final String VERSION = "woocommerce/products@1";

    private static final Set<String> MAPPED = Set.of(
            "id",
            "name",
            "slug",
            "type",
            "status",
            "description",
            "sku",
            "stock_quantity",
            "shipping_required",
            "tax_status",
            "categories",
            "tags",
            "images",
            "attributes",
            "date_created_gmt",
            "date_modified_gmt");

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
        return WooCommerceAdapter.MAPPINGS_READ;
    }

    @Override
    public Product map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject product = PayloadObject.root(payload);
        String id = product.requiredId("id");
        String type = product.text("type").orElse(null);
        String status = product.text("status").orElse(null);
        Map<String, String> platformFields = new TreeMap<>(product.unmappedFields(MAPPED));

        List<Category> categories = new ArrayList<>();
        for (PayloadObject category : product.objects("categories")) {
            categories.add(new Category(category.id("id").orElse(null), category.requiredText("name"), null));
        }
        List<String> tags = new ArrayList<>();
        for (PayloadObject tag : product.objects("tags")) {
            tags.add(tag.requiredText("name"));
        }
        List<ProductOption> options = new ArrayList<>();
        for (PayloadObject attribute : product.objects("attributes")) {
            options.add(ProductOption.newBuilder()
                    .setId(WooPayloads.optionalId(attribute, "id").orElse(null))
                    .setName(attribute.requiredText("name"))
                    .setPosition(attribute.smallNumber("position").orElse(null))
                    .setValues(attribute.texts("options"))
                    .build());
        }
        List<ProductImage> images = new ArrayList<>();
        int position = 0;
        for (PayloadObject image : product.objects("images")) {
            images.add(ProductImage.newBuilder()
                    .setId(image.id("id").orElse(null))
                    .setUrl(image.requiredText("src"))
                    .setAlt(image.text("alt").orElse(null))
                    .setPosition(position++)
                    .setVariantIds(List.of())
                    .build());
        }
        List<ProductVariant> variants = new ArrayList<>();
        if (!"variable".equals(type)) {
            variants.add(ProductVariant.newBuilder()
                    .setId(id)
                    .setSku(product.text("sku").orElse(null))
                    .setInventoryQuantity(product.wholeNumber("stock_quantity").orElse(null))
                    .setRequiresShipping(product.bool("shipping_required").orElse(null))
                    .setTaxable(
                            product.text("tax_status").map("taxable"::equals).orElse(null))
                    .build());
        }
        return Product.newBuilder()
                .setId(id)
                .setTitle(product.requiredText("name"))
                .setDescription(product.text("description").orElse(null))
                .setHandle(product.text("slug").orElse(null))
                .setStatus(status == null ? ProductStatus.UNKNOWN : status(status))
                .setPlatformStatus(status)
                .setProductType(type)
                .setVendor(null)
                .setTags(tags)
                .setCategories(categories)
                .setOptions(options)
                .setVariants(variants)
                .setImages(images)
                .setCreatedAt(product.utcInstant("date_created_gmt").orElse(null))
                .setUpdatedAt(product.utcInstant("date_modified_gmt").orElse(null))
                .setPublishedAt(null)
                .setPlatformFields(platformFields)
                .build();
    }

    private static ProductStatus status(String status) {
        return switch (status) {
            case "publish" -> ProductStatus.ACTIVE;
            case "draft", "pending", "private", "future" -> ProductStatus.DRAFT;
            case "trash" -> ProductStatus.ARCHIVED;
            default -> ProductStatus.UNKNOWN;
        };
    }
}
