package dev.commercesync.platforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.canonical.Money;
import dev.commercesync.schemas.canonical.Product;
import dev.commercesync.schemas.canonical.ProductVariant;
import dev.commercesync.schemas.command.SetPrice;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Whether a mapped product shows a SetPrice (the normalizer's price echo, docs/commands.md "Recognisable echoes"):
 * where the payload names no currency the canonical price is null and the adapter reads the price where its mapper
 * kept it — Shopify's variant platform_fields, WooCommerce's product platform_fields.
 */
class PriceEchoTest {
    private final PlatformRegistry registry = PlatformRegistry.loadInstalled();

    @Test
    void shopifyShowsTheVariantsPriceFromItsPlatformFields() throws Exception {
        PlatformAdapter shopify = registry.get("shopify");
        Product product = mapped(shopify, "/fixtures/shopify/products_update.json");
        ProductVariant variant = product.getVariants().get(0);
        assertNull(variant.getPrice(), "Shopify's payload names no currency: no canonical price");
        assertTrue(shopify.showsPrice(product, price(product.getId(), variant.getId(), "19.990000")));
        assertFalse(shopify.showsPrice(product, price(product.getId(), variant.getId(), "20.00")));
        assertFalse(shopify.showsPrice(product, price(product.getId(), "1", "19.99")), "another variant");
    }

    @Test
    void wooCommerceShowsTheFieldsItsWriterSets() throws Exception {
        PlatformAdapter woo = registry.get("woocommerce");
        Product product = mapped(woo, "/fixtures/woocommerce/product.updated.json");
        assertNull(product.getVariants().get(0).getPrice(), "WooCommerce's payload names no currency");
        assertTrue(woo.showsPrice(product, price(product.getId(), null, "24.54")));
        assertTrue(woo.showsPrice(product, price(product.getId(), product.getId(), "24.540")));
        assertFalse(woo.showsPrice(product, price(product.getId(), null, "25.00")));
        SetPrice onSale = price(product.getId(), null, "20.00");
        onSale.setCompareAtPrice(new Money(new BigDecimal("24.54"), "USD"));
        assertFalse(woo.showsPrice(product, onSale), "its sale_price is empty: no sale at 20.00");
    }

    @Test
    void theDefaultReadsTheCanonicalPrice() throws Exception {
        PlatformAdapter shopify = registry.get("shopify");
        Product product = mapped(shopify, "/fixtures/shopify/products_update.json");
        ProductVariant variant = product.getVariants().get(0);
        variant.setPrice(new Money(new BigDecimal("7.500000"), "USD"));
        PlatformAdapter canonical = registry.get("bigcommerce");
        assertTrue(canonical.showsPrice(product, price(product.getId(), variant.getId(), "7.5")));
        assertFalse(canonical.showsPrice(product, price(product.getId(), variant.getId(), "19.99")));
    }

    private static SetPrice price(String productId, String variantId, String amount) {
        return new SetPrice(productId, variantId, new Money(new BigDecimal(amount), "USD"), null);
    }

    private static Product mapped(PlatformAdapter adapter, String resource) throws Exception {
        JsonNode payload;
        try (InputStream in = PriceEchoTest.class.getResourceAsStream(resource)) {
            payload = Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(resource, e);
        }
        var envelope = RawEnvelopes.fromApi(
                adapter.name(), "s", EntityType.PRODUCT, payload, EventSource.POLL, Instant.EPOCH, null);
        Classification.Classified classified = (Classification.Classified) adapter.classify(envelope, payload);
        Product product =
                (Product) adapter.mapper(EntityType.PRODUCT).orElseThrow().map(payload, classified);
        assertEquals(EntityType.PRODUCT, classified.entityType());
        return product;
    }
}
