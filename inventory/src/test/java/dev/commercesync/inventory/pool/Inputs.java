package dev.commercesync.inventory.pool;

import dev.commercesync.inventory.pool.PoolInput.Kind;
import dev.commercesync.inventory.pool.PoolInput.LevelInput;
import dev.commercesync.inventory.pool.PoolInput.LineInput;
import dev.commercesync.inventory.pool.PoolInput.OrderInput;
import dev.commercesync.inventory.pool.PoolInput.RefundInput;
import dev.commercesync.inventory.pool.PoolInput.RefundLine;
import dev.commercesync.inventory.pool.PoolInput.ResultInput;
import dev.commercesync.inventory.pool.PoolInput.ShipmentInput;
import dev.commercesync.stores.ChannelRule;
import dev.commercesync.stores.Merchant.PhysicalMode;
import dev.commercesync.stores.MerchantRegistry.Channel;
import dev.commercesync.stores.MerchantRegistry.MerchantView;
import dev.commercesync.stores.MerchantRegistry.PhysicalSource;
import dev.commercesync.stores.MerchantRegistry.StoreKey;
import java.time.Instant;
import java.util.List;

/** Pool inputs and a three-channel merchant for the engine's tests. */
final class Inputs {
    static final String SRC = "shopify/src.myshopify.com";
    static final String WOO = "woocommerce/woo.example.com";
    static final String BIG = "bigcommerce/big";

    private Inputs() {}

    static StoreKey key(String channel) {
        int slash = channel.indexOf('/');
        return new StoreKey(channel.substring(0, slash), channel.substring(slash + 1));
    }

    /** Source at location L1 (LOCATION mode); WooCommerce and BigCommerce list the pool as it is. */
    static MerchantView merchant() {
        return merchant(PhysicalMode.LOCATION, "L1");
    }

    static MerchantView merchant(PhysicalMode mode, String location) {
        return new MerchantView(
                "acme",
                "Acme",
                new PhysicalSource(key(SRC), mode, location),
                List.of(
                        new Channel(key(SRC), null),
                        new Channel(key(WOO), null),
                        new Channel(key(BIG), ChannelRule.DEFAULT)),
                List.of(),
                Instant.EPOCH,
                Instant.EPOCH);
    }

    private static PoolInput input(String channel, Kind kind, long at, String echoOf) {
        StoreKey k = key(channel);
        return new PoolInput(kind, k.platform(), k.storeId(), at, echoOf, null, null, null, null, null, null);
    }

    static PoolInput level(String channel, String item, String location, String sku, long available, long at) {
        return with(input(channel, Kind.LEVEL, at, null), new LevelInput(item, location, sku, available), null);
    }

    static PoolInput echo(String channel, String item, String location, long available, long at, String commandId) {
        return with(input(channel, Kind.LEVEL, at, commandId), new LevelInput(item, location, null, available), null);
    }

    private static PoolInput with(PoolInput in, LevelInput level, ResultInput result) {
        return new PoolInput(
                in.kind(), in.platform(), in.store(), in.at(), in.echoOf(), null, null, null, level, null, result);
    }

    static LineInput line(String id, String sku, long qty) {
        return new LineInput(id, sku, null, null, qty);
    }

    static PoolInput order(
            String channel, String id, String status, long createdAt, long updatedAt, LineInput... lines) {
        return order(channel, id, status, createdAt, updatedAt, List.of(), List.of(), lines);
    }

    static PoolInput order(
            String channel,
            String id,
            String status,
            long createdAt,
            long updatedAt,
            List<ShipmentInput> shipments,
            List<RefundInput> refunds,
            LineInput... lines) {
        PoolInput in = input(channel, Kind.ORDER, updatedAt, null);
        return new PoolInput(
                in.kind(),
                in.platform(),
                in.store(),
                in.at(),
                null,
                new OrderInput(id, status, createdAt, updatedAt, false, List.of(lines), shipments, refunds),
                null,
                null,
                null,
                null,
                null);
    }

    static ShipmentInput shipmentOf(String id, String orderId, String lineId, String sku, long qty) {
        return new ShipmentInput(id, orderId, false, List.of(new LineInput(lineId, sku, null, null, qty)));
    }

    static PoolInput shipment(String channel, ShipmentInput shipment, long at) {
        PoolInput in = input(channel, Kind.SHIPMENT, at, null);
        return new PoolInput(in.kind(), in.platform(), in.store(), at, null, null, shipment, null, null, null, null);
    }

    static PoolInput restock(String channel, String id, String orderId, String lineId, String sku, long qty, long at) {
        PoolInput in = input(channel, Kind.REFUND, at, null);
        RefundInput refund = new RefundInput(
                id, orderId, true, List.of(new RefundLine(new LineInput(lineId, sku, null, null, qty), true)));
        return new PoolInput(in.kind(), in.platform(), in.store(), at, null, null, null, refund, null, null, null);
    }

    static PoolInput result(String channel, String commandId, String status, String reason, String item, long at) {
        return with(
                input(channel, Kind.RESULT, at, null),
                null,
                new ResultInput(commandId, status, reason, at, item, null));
    }
}
