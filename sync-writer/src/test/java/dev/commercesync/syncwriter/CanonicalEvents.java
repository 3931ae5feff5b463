package dev.commercesync.syncwriter;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.canonical.FulfillmentStatus;
import dev.commercesync.schemas.canonical.InventoryLevel;
import dev.commercesync.schemas.canonical.InventoryLevelEvent;
import dev.commercesync.schemas.canonical.Money;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.canonical.Order;
import dev.commercesync.schemas.canonical.OrderEvent;
import dev.commercesync.schemas.canonical.OrderLineItem;
import dev.commercesync.schemas.canonical.OrderStatus;
import dev.commercesync.schemas.canonical.OrderTotals;
import dev.commercesync.schemas.canonical.PaymentStatus;
import dev.commercesync.schemas.canonical.Product;
import dev.commercesync.schemas.canonical.ProductEvent;
import dev.commercesync.schemas.canonical.ProductStatus;
import dev.commercesync.schemas.canonical.ProductVariant;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Canonical events as the normalizer writes them, for one test store. */
final class CanonicalEvents {
    static final Instant T0 = Instant.parse("2026-01-10T10:00:00Z");

    private CanonicalEvents() {}

    static String newStore() {
        return "store-" + UUID.randomUUID().toString().substring(0, 8) + ".myshopify.com";
    }

    static EventMetadata metadata(
            String store, EntityType type, String id, Operation operation, Instant updatedAt, String sourceVersion) {
        String eventId = UUID.randomUUID().toString();
        return EventMetadata.newBuilder()
                .setEventId(eventId)
                .setDedupKey("test/" + eventId)
                .setEntityKey(entityKey(store, type, id))
                .setPlatform("shopify")
                .setStore(store)
                .setEntityType(type)
                .setEntityId(id)
                .setOperation(operation)
                .setSource(EventSource.WEBHOOK)
                .setSourceUpdatedAt(updatedAt)
                .setSourceVersion(sourceVersion)
                .setMappingVersion("shopify/orders@1")
                .setReceivedAt(Instant.now())
                .build();
    }

    static String entityKey(String store, EntityType type, String id) {
        return "shopify/" + store + "/" + type.name().toLowerCase(Locale.ROOT) + "/" + id;
    }

    /** An order upsert at {@code T0 + minutes}, with one line per SKU. */
    static OrderEvent order(String store, String id, int minutes, String currency, String... skus) {
        Instant updatedAt = T0.plusSeconds(60L * minutes);
        List<OrderLineItem> lines = Arrays.stream(skus)
                .map(sku -> OrderLineItem.newBuilder()
                        .setId("line-" + sku)
                        .setSku(sku)
                        .setName("Item " + sku)
                        .setQuantity(2)
                        .setUnitPrice(money("9.99", currency))
                        .build())
                .toList();
        Order order = Order.newBuilder()
                .setId(id)
                .setNumber("#" + id)
                .setStatus(OrderStatus.PROCESSING)
                .setPaymentStatus(PaymentStatus.PAID)
                .setFulfillmentStatus(FulfillmentStatus.UNFULFILLED)
                .setCurrency(currency)
                .setTotals(OrderTotals.newBuilder()
                        .setTotal(money(Integer.toString(10 * skus.length), currency))
                        .build())
                .setLineItems(lines)
                .setCreatedAt(T0)
                .setUpdatedAt(updatedAt)
                .build();
        return new OrderEvent(metadata(store, EntityType.ORDER, id, Operation.UPSERT, updatedAt, null), order);
    }

    static OrderEvent orderDelete(String store, String id, int minutes) {
        return new OrderEvent(
                metadata(store, EntityType.ORDER, id, Operation.DELETE, T0.plusSeconds(60L * minutes), null), null);
    }

    /**
     * An inventory level the platform gives no version at all (as BigCommerce's), read from its API at {@code T0 +
     * seconds}: no source_updated_at, no source_version.
     */
    static InventoryLevelEvent unversionedLevel(String store, String id, long available, int seconds) {
        EventMetadata metadata = metadata(store, EntityType.INVENTORY_LEVEL, id, Operation.UPSERT, null, null);
        metadata.setReceivedAt(T0.plusSeconds(seconds));
        return new InventoryLevelEvent(
                metadata,
                InventoryLevel.newBuilder()
                        .setId(id)
                        .setInventoryItemId(null)
                        .setProductId(null)
                        .setVariantId(id)
                        .setSku(null)
                        .setLocationId("1")
                        .setAvailable(available)
                        .setReserved(null)
                        .setOnHand(available)
                        .setTracked(null)
                        .setUpdatedAt(null)
                        .setPlatformFields(java.util.Map.of())
                        .build());
    }

    /** The same event delivered again (the same record: same event id). */
    static <T> T redelivery(T event) {
        return event;
    }

    /** A product upsert carrying the platform's own numeric version, with one variant per SKU. */
    static ProductEvent product(String store, String id, long version, String... skus) {
        List<ProductVariant> variants = Arrays.stream(skus)
                .map(sku -> ProductVariant.newBuilder()
                        .setId("variant-" + sku)
                        .setSku(sku)
                        .setPrice(money("19.5", "EUR"))
                        .build())
                .toList();
        Product product = Product.newBuilder()
                .setId(id)
                .setTitle("Product v" + version)
                .setStatus(ProductStatus.ACTIVE)
                .setVariants(variants)
                .build();
        // updated_at goes the other way on purpose: the numeric source_version must win.
        return new ProductEvent(
                metadata(
                        store,
                        EntityType.PRODUCT,
                        id,
                        Operation.UPSERT,
                        T0.minusSeconds(version),
                        Long.toString(version)),
                product);
    }

    static Money money(String amount, String currency) {
        return new Money(new BigDecimal(amount).setScale(6), currency);
    }
}
