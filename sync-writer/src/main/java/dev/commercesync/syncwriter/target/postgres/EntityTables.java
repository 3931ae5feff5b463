package dev.commercesync.syncwriter.target.postgres;

import dev.commercesync.schemas.canonical.Customer;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.InventoryLevel;
import dev.commercesync.schemas.canonical.Money;
import dev.commercesync.schemas.canonical.Order;
import dev.commercesync.schemas.canonical.OrderLineItem;
import dev.commercesync.schemas.canonical.Product;
import dev.commercesync.schemas.canonical.ProductVariant;
import dev.commercesync.schemas.canonical.Refund;
import dev.commercesync.schemas.canonical.Shipment;
import dev.commercesync.schemas.canonical.TrackingInfo;
import dev.commercesync.syncwriter.target.postgres.EntityTable.ChildTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The target schema's tables (db/syncwriter/V1__target_tables.sql), one per entity type. */
final class EntityTables {
    private EntityTables() {}

    static final Map<EntityType, EntityTable<?>> BY_TYPE = new EnumMap<>(EntityType.class);

    static {
        register(new EntityTable<>(
                EntityType.ORDER,
                Order.class,
                "target.orders",
                List.of(
                        "number",
                        "status",
                        "payment_status",
                        "fulfillment_status",
                        "currency",
                        "total_amount",
                        "customer_id",
                        "placed_at"),
                o -> Arrays.asList(
                        o.getNumber(),
                        o.getStatus().name(),
                        o.getPaymentStatus().name(),
                        o.getFulfillmentStatus().name(),
                        o.getCurrency(),
                        o.getTotals().getTotal().getAmount(),
                        o.getCustomer() == null ? null : o.getCustomer().getId(),
                        o.getCreatedAt()),
                new ChildTable<>(
                        "target.order_lines",
                        "order_key",
                        List.of(
                                "line_id",
                                "position",
                                "product_id",
                                "variant_id",
                                "sku",
                                "name",
                                "quantity",
                                "unit_price",
                                "currency",
                                "total"),
                        EntityTables::orderLines)));
        register(new EntityTable<>(
                EntityType.PRODUCT,
                Product.class,
                "target.products",
                List.of("title", "handle", "status", "vendor", "product_type"),
                p -> Arrays.asList(
                        p.getTitle(), p.getHandle(), p.getStatus().name(), p.getVendor(), p.getProductType()),
                new ChildTable<>(
                        "target.product_variants",
                        "product_key",
                        List.of(
                                "variant_id",
                                "position",
                                "sku",
                                "barcode",
                                "title",
                                "price",
                                "currency",
                                "inventory_item_id"),
                        EntityTables::productVariants)));
        register(new EntityTable<>(
                EntityType.INVENTORY_LEVEL,
                InventoryLevel.class,
                "target.inventory_levels",
                List.of("inventory_item_id", "variant_id", "sku", "location_id", "available", "reserved", "on_hand"),
                i -> Arrays.asList(
                        i.getInventoryItemId(),
                        i.getVariantId(),
                        i.getSku(),
                        i.getLocationId(),
                        i.getAvailable(),
                        i.getReserved(),
                        i.getOnHand()),
                null));
        register(new EntityTable<>(
                EntityType.CUSTOMER,
                Customer.class,
                "target.customers",
                List.of("email", "first_name", "last_name", "orders_count"),
                c -> Arrays.asList(c.getEmail(), c.getFirstName(), c.getLastName(), c.getOrdersCount()),
                null));
        register(new EntityTable<>(
                EntityType.SHIPMENT,
                Shipment.class,
                "target.shipments",
                List.of("order_id", "status", "carrier", "tracking_numbers"),
                s -> Arrays.asList(
                        s.getOrderId(),
                        s.getStatus().name(),
                        s.getCarrier(),
                        s.getTracking().stream().map(TrackingInfo::getNumber).toArray(String[]::new)),
                null));
        register(new EntityTable<>(
                EntityType.REFUND,
                Refund.class,
                "target.refunds",
                List.of("order_id", "amount", "currency"),
                r -> Arrays.asList(
                        r.getOrderId(), r.getAmount().getAmount(), r.getAmount().getCurrency()),
                null));
        for (EntityType type : EntityType.values()) {
            if (!BY_TYPE.containsKey(type)) {
                throw new IllegalStateException("no target table for entity type " + type);
            }
        }
    }

    private static void register(EntityTable<?> table) {
        BY_TYPE.put(table.type(), table);
    }

    private static List<List<Object>> orderLines(Order order) {
        List<List<Object>> rows = new ArrayList<>();
        int position = 0;
        for (OrderLineItem line : order.getLineItems()) {
            rows.add(Arrays.asList(
                    line.getId(),
                    position++,
                    line.getProductId(),
                    line.getVariantId(),
                    line.getSku(),
                    line.getName(),
                    line.getQuantity(),
                    line.getUnitPrice().getAmount(),
                    line.getUnitPrice().getCurrency(),
                    amount(line.getTotal())));
        }
        return rows;
    }

    private static List<List<Object>> productVariants(Product product) {
        List<List<Object>> rows = new ArrayList<>();
        int position = 0;
        for (ProductVariant variant : product.getVariants()) {
            rows.add(Arrays.asList(
                    variant.getId(),
                    variant.getPosition() == null ? position : variant.getPosition(),
                    variant.getSku(),
                    variant.getBarcode(),
                    variant.getTitle(),
                    amount(variant.getPrice()),
                    variant.getPrice() == null ? null : variant.getPrice().getCurrency(),
                    variant.getInventoryItemId()));
            position++;
        }
        return rows;
    }

    private static Object amount(Money money) {
        return money == null ? null : money.getAmount();
    }
}
