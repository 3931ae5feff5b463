package dev.commercesync.inventory.pool;

import dev.commercesync.inventory.pool.MerchantState.Oversell;
import dev.commercesync.inventory.pool.MerchantState.OversellKind;
import dev.commercesync.inventory.pool.OrderState.Contribution;
import dev.commercesync.inventory.pool.PoolInput.LevelInput;
import dev.commercesync.inventory.pool.PoolInput.LineInput;
import dev.commercesync.inventory.pool.PoolInput.OrderInput;
import dev.commercesync.inventory.pool.PoolInput.RefundInput;
import dev.commercesync.inventory.pool.PoolInput.RefundLine;
import dev.commercesync.inventory.pool.PoolInput.ResultInput;
import dev.commercesync.inventory.pool.PoolInput.ShipmentInput;
import dev.commercesync.inventory.pool.PoolInput.VariantInput;
import dev.commercesync.inventory.pool.PoolState.ChannelState;
import dev.commercesync.inventory.pool.PoolState.Inflight;
import dev.commercesync.inventory.pool.PoolState.Propagation;
import dev.commercesync.inventory.pool.PoolState.Reservation;
import dev.commercesync.stores.ChannelRule;
import dev.commercesync.stores.Merchant.PhysicalMode;
import dev.commercesync.stores.MerchantRegistry.Channel;
import dev.commercesync.stores.MerchantRegistry.Link;
import dev.commercesync.stores.MerchantRegistry.MerchantView;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The stock pool's rules (docs/inventory.md, "The model"), on {@link PoolStores} and without Kafka: {@link #apply}
 * takes one input of a merchant, {@link #tick} decides the writes. Every input is applied as a difference against
 * what was applied before, so duplicates and reordering change nothing twice.
 */
public final class PoolEngine {
    /** Who the commands are from ({@code CommandMetadata.issuer}); results of others are not ours. */
    public static final String ISSUER = "inventory";

    static final int RECENT_RESERVATIONS = 20;
    static final int MAX_PROPAGATING = 100;
    static final Duration MAX_RETRY_BACKOFF = Duration.ofMinutes(5);

    private static final Set<String> CLOSED = Set.of("CANCELLED", "REFUNDED", "FAILED");

    /** A SetInventoryLevel to send. */
    public record Write(
            String commandId,
            String platform,
            String store,
            String itemId,
            String locationId,
            long quantity,
            Long expected,
            long issuedAt,
            long deadline) {
        /** The inventory level's id ({@code item@location}, or the item without a location). */
        public String entityId() {
            return locationId == null ? itemId : itemId + "@" + locationId;
        }
    }

    private final PoolStores stores;
    private final Duration coalesceInterval;
    private final Duration commandDeadline;
    private final PoolListener listener;

    public PoolEngine(PoolStores stores, Duration coalesceInterval, Duration commandDeadline, PoolListener listener) {
        this.stores = stores;
        this.coalesceInterval = coalesceInterval;
        this.commandDeadline = commandDeadline;
        this.listener = listener;
    }

    // ---------------------------------------------------------------- inputs

    /** Applies one input of {@code merchant}; {@code now} is the wall clock (millis). */
    public void apply(MerchantView merchant, PoolInput input, long now) {
        Ctx ctx = new Ctx(merchant, now);
        switch (input.kind()) {
            case PRODUCT -> {
                for (VariantInput v : input.variants()) {
                    learn(ctx, input.channel(), v.itemId(), v.variantId(), v.sku());
                }
            }
            case LEVEL -> level(ctx, input);
            case ORDER -> order(ctx, input);
            case SHIPMENT -> shipment(ctx, input);
            case REFUND -> refund(ctx, input);
            case RESULT -> result(ctx, input);
        }
        ctx.flush();
    }

    private void learn(Ctx ctx, String channel, String itemId, String variantId, String sku) {
        if (itemId == null) {
            return;
        }
        if (variantId != null && !variantId.equals(itemId)) {
            stores.directory().put("v|" + channel + "|" + variantId, itemId);
        }
        String poolSku = ctx.link(channel, itemId);
        if (poolSku == null && (sku == null || sku.isBlank())) {
            return;
        }
        if (poolSku == null) {
            poolSku = sku;
            if (!sku.equals(stores.directory().get("i|" + channel + "|" + itemId))) {
                stores.directory().put("i|" + channel + "|" + itemId, sku);
            }
        }
        stores.directory().put("c|" + channel + "|" + poolSku, itemId);
        for (var waiting : stores.pending().prefix(channel + "|" + itemId + "|")) {
            stores.pending().delete(waiting.getKey());
            level(ctx, waiting.getValue());
        }
    }

    /** The pool SKU of a channel's item: an explicit link, else what the item's SKU was learnt to be. */
    private String skuOfItem(Ctx ctx, String channel, String itemId) {
        String linked = ctx.link(channel, itemId);
        return linked != null ? linked : stores.directory().get("i|" + channel + "|" + itemId);
    }

    private String skuOfLine(Ctx ctx, String channel, LineInput line) {
        String item = line.variantId() == null ? line.productId() : line.variantId();
        if (item != null) {
            String mapped = stores.directory().get("v|" + channel + "|" + item);
            String sku = skuOfItem(ctx, channel, mapped != null ? mapped : item);
            if (sku != null) {
                return sku;
            }
        }
        return line.sku() == null || line.sku().isBlank() ? null : line.sku();
    }

    private void level(Ctx ctx, PoolInput input) {
        LevelInput level = input.level();
        if (level.available() == null) {
            return;
        }
        String channel = input.channel();
        if (level.sku() != null && !level.sku().isBlank()) {
            learn(ctx, channel, level.itemId(), null, level.sku());
        }
        String sku = skuOfItem(ctx, channel, level.itemId());
        if (sku == null) {
            stores.pending()
                    .put(channel + "|" + level.itemId() + "|" + Objects.toString(level.locationId(), ""), input);
            return;
        }
        if (!ctx.isChannel(channel)) {
            return;
        }
        PoolState pool = ctx.pool(sku);
        String location = Objects.toString(level.locationId(), "");
        long value = level.available();
        ChannelState ch = pool.channels.computeIfAbsent(channel, c -> new ChannelState());
        if (ch.itemId == null) {
            ch.itemId = level.itemId();
        }
        if (ch.locationId == null) {
            ch.locationId = ctx.writeLocation(channel, level.locationId());
        }
        boolean writeLocation = Objects.equals(ch.locationId, level.locationId()) || ch.locationId == null;
        boolean echo =
                input.echoOf() != null || (writeLocation && ch.inflight != null && ch.inflight.quantity() == value);
        if (channel.equals(ctx.source())) {
            if (!ctx.countsAsPhysical(level.locationId())) {
                return;
            }
            Long previous = pool.sourceLevels.get(location);
            pool.sourceLevels.put(location, value);
            if (!echo) {
                long before = pool.baselined ? pool.available(channel) : Long.MIN_VALUE;
                if (!pool.baselined) {
                    pool.baselined = true;
                    pool.base = value;
                    pool.baselineAt = input.at();
                } else {
                    pool.base += value - (previous == null ? 0 : previous);
                }
                if (pool.available(channel) != before) {
                    pool.revision++;
                }
            }
        }
        if (writeLocation) {
            if (!echo && ch.inflight == null && ch.movedByOwnOrderAt != null && input.at() >= ch.movedByOwnOrderAt) {
                ch.movedByOwnOrderAt = null; // the channel reported its level after its own order moved it
            }
            ch.lastKnown = value;
            if (echo) {
                ch.confirmedValue = value;
                ch.confirmedAt = input.at();
            }
            inStep(pool, channel, ch);
        }
        ctx.dirty(pool);
    }

    private void order(Ctx ctx, PoolInput input) {
        OrderInput in = input.order();
        String key = input.channel() + "/" + in.orderId();
        OrderState state = stores.orders().get(key);
        if (state == null) {
            state = new OrderState();
        }
        if (state.updatedAt != null && in.updatedAt() != null && in.updatedAt() < state.updatedAt) {
            return; // an older version than the one applied
        }
        state.channel = input.channel();
        state.status = in.status();
        state.createdAt = in.createdAt();
        state.updatedAt = in.updatedAt();
        state.deleted = in.deleted();
        Map<String, OrderState.Line> lines = new TreeMap<>();
        for (LineInput line : in.lines()) {
            String sku = skuOfLine(ctx, input.channel(), line);
            if (sku != null) {
                lines.put(line.lineId(), new OrderState.Line(sku, line.quantity()));
            }
        }
        state.lines = lines;
        for (ShipmentInput s : in.shipments()) {
            state.shipments.put(s.id(), shipped(ctx, input.channel(), state, s));
        }
        for (RefundInput r : in.refunds()) {
            state.restocks.put(r.id(), restocked(ctx, input.channel(), state, r));
        }
        settle(ctx, key, state, input);
    }

    private void shipment(Ctx ctx, PoolInput input) {
        ShipmentInput s = input.shipment();
        String key = input.channel() + "/" + s.orderId();
        OrderState state = orderOrNew(key, input.channel());
        state.shipments.put(s.id(), shipped(ctx, input.channel(), state, s));
        settle(ctx, key, state, input);
    }

    private void refund(Ctx ctx, PoolInput input) {
        RefundInput r = input.refund();
        String key = input.channel() + "/" + r.orderId();
        OrderState state = orderOrNew(key, input.channel());
        state.restocks.put(r.id(), restocked(ctx, input.channel(), state, r));
        settle(ctx, key, state, input);
    }

    private OrderState orderOrNew(String key, String channel) {
        OrderState state = stores.orders().get(key);
        if (state == null) {
            state = new OrderState();
            state.channel = channel;
        }
        return state;
    }

    private Map<String, Long> shipped(Ctx ctx, String channel, OrderState order, ShipmentInput s) {
        Map<String, Long> units = new TreeMap<>();
        if (!s.voided()) {
            for (LineInput item : s.items()) {
                addLine(ctx, channel, order, item, item.quantity(), units);
            }
        }
        return units;
    }

    private Map<String, Long> restocked(Ctx ctx, String channel, OrderState order, RefundInput r) {
        Map<String, Long> units = new TreeMap<>();
        for (RefundLine item : r.items()) {
            if (item.restocked()) {
                addLine(ctx, channel, order, item.line(), item.line().quantity(), units);
            }
        }
        return units;
    }

    private void addLine(
            Ctx ctx, String channel, OrderState order, LineInput item, long quantity, Map<String, Long> units) {
        String sku = null;
        if (item.lineId() != null && order.lines != null && order.lines.containsKey(item.lineId())) {
            sku = order.lines.get(item.lineId()).sku();
        }
        if (sku == null) {
            sku = skuOfLine(ctx, channel, item);
        }
        if (sku != null && quantity > 0) {
            units.merge(sku, quantity, Long::sum);
        }
    }

    /** Applies the difference between the order's contribution to each pool and the one applied before. */
    private void settle(Ctx ctx, String key, OrderState state, PoolInput input) {
        Map<String, Contribution> next = new TreeMap<>();
        if (state.lines != null) {
            Map<String, Long> ordered = new TreeMap<>();
            state.lines.values().forEach(l -> ordered.merge(l.sku(), l.quantity(), Long::sum));
            Map<String, Long> shipped = sum(state.shipments);
            Map<String, Long> restocked = sum(state.restocks);
            boolean open = !state.deleted && !CLOSED.contains(state.status);
            for (var e : ordered.entrySet()) {
                String sku = e.getKey();
                long o = e.getValue();
                long s = Math.min(o, shipped.getOrDefault(sku, 0L));
                long r = restocked.getOrDefault(sku, 0L);
                long released = Math.min(o - s, r);
                long returned = Math.min(s, r - released);
                Contribution before = state.applied.get(sku);
                boolean movesBase;
                if (before != null) {
                    movesBase = before.movesBase();
                } else {
                    PoolState pool = ctx.pool(sku);
                    movesBase = pool.baselined && state.createdAt != null && state.createdAt >= pool.baselineAt;
                }
                next.put(sku, new Contribution(open ? o - s - released : 0, s, returned, movesBase));
            }
        }
        Set<String> skus = new TreeSet<>(state.applied.keySet());
        skus.addAll(next.keySet());
        for (String sku : skus) {
            Contribution before = state.applied.getOrDefault(sku, Contribution.NONE);
            Contribution after = next.getOrDefault(sku, Contribution.NONE);
            if (!before.equals(after)) {
                change(ctx, ctx.pool(sku), key, state, before, after, input);
            }
        }
        state.applied = next;
        stores.orders().put(key, state);
    }

    private void change(
            Ctx ctx,
            PoolState pool,
            String order,
            OrderState state,
            Contribution before,
            Contribution after,
            PoolInput input) {
        String channel = state.channel;
        String source = ctx.source();
        long availableBefore = pool.available(source);
        long reserved = after.reserved() - before.reserved();
        pool.reserved.merge(channel, reserved, Long::sum);
        if (pool.reserved.get(channel) == 0) {
            pool.reserved.remove(channel);
        }
        if (!channel.equals(source) && after.movesBase()) {
            pool.base -= after.shipped() - before.shipped();
            pool.base += after.returned() - before.returned();
        }
        long availableAfter = pool.available(source);
        // The channel's platform moved its own level with its order: a sale takes the units off, a cancellation or a
        // restocking refund puts them back. Not every platform sends an event for that (WooCommerce's and eBay's
        // stock changes by their orders come without one), and where one comes it may precede or follow this order
        // and a write in flight: what the channel shows is unknown until the pool's value is written again, or the
        // channel reports its level after the order with no write in flight (level()).
        long channelMove = -(after.reserved() - before.reserved() + after.shipped() - before.shipped())
                + (after.returned() - before.returned());
        if (channelMove != 0 && !channel.equals(source) && ctx.writes(channel)) {
            ChannelState ch = pool.channels.computeIfAbsent(channel, c -> new ChannelState());
            ch.movedByOwnOrderAt =
                    ch.movedByOwnOrderAt == null ? input.at() : Math.max(ch.movedByOwnOrderAt, input.at());
        }
        ctx.dirty(pool);
        if (availableAfter == availableBefore || !pool.baselined) {
            return;
        }
        pool.revision++;
        long orderTime = input.at();
        addBounded(pool.propagating, new Propagation(pool.revision, channel, order, orderTime), MAX_PROPAGATING);
        if (reserved > 0 && ctx.isChannel(channel)) {
            long placedAt = state.createdAt == null ? orderTime : state.createdAt;
            if (availableAfter < 0 && availableAfter < availableBefore) {
                oversell(ctx, pool, order, channel, reserved, placedAt, availableAfter);
            }
            addBounded(
                    pool.recent,
                    new Reservation(order, channel, reserved, placedAt, availableAfter),
                    RECENT_RESERVATIONS);
        }
    }

    private void oversell(
            Ctx ctx, PoolState pool, String order, String channel, long units, long placedAt, long availableAfter) {
        ChannelState ch = pool.channels.get(channel);
        boolean showedLess = ch != null
                && ch.confirmedAt != null
                && ch.confirmedAt <= placedAt
                && ch.confirmedValue != null
                && ch.confirmedValue < units;
        OversellKind kind = showedLess ? OversellKind.BEYOND_RACE : OversellKind.SAME_MOMENT_RACE;
        List<String> involved = new ArrayList<>();
        for (Reservation r : pool.recent) {
            if (!r.channel().equals(channel) && r.availableAfter() < units && !involved.contains(r.order())) {
                involved.add(r.order());
            }
        }
        involved.add(order);
        Oversell record = new Oversell(
                pool.merchant,
                pool.sku,
                Math.min(units, -availableAfter),
                kind,
                order,
                channel,
                placedAt,
                involved,
                availableAfter,
                ctx.now);
        MerchantState m = ctx.merchantState();
        addBounded(m.oversells, record, MerchantState.MAX_OVERSELLS);
        m.oversellCount++;
        listener.oversell(kind);
    }

    private void result(Ctx ctx, PoolInput input) {
        ResultInput r = input.result();
        String channel = input.channel();
        String sku = skuOfItem(ctx, channel, r.itemId());
        if (sku == null) {
            return;
        }
        PoolState pool = stores.pools().get(ctx.merchant.id() + "/" + sku);
        if (pool == null) {
            return;
        }
        ChannelState ch = pool.channels.get(channel);
        if (ch == null || ch.inflight == null || !ch.inflight.commandId().equals(r.commandId())) {
            return; // a result of an earlier write, handled already
        }
        ctx.pools.put(pool.sku, pool);
        listener.result(r.status(), r.reason());
        Inflight sent = ch.inflight;
        ch.inflight = null;
        if ("APPLIED".equals(r.status())) {
            ch.lastKnown = sent.quantity();
            ch.confirmedValue = sent.quantity();
            ch.confirmedAt = r.completedAt();
            ch.confirmedRevision = Math.max(ch.confirmedRevision, sent.revision());
            ch.failuresInARow = 0;
            ch.retryAt = null;
            if (channel.equals(ctx.source())) {
                pool.sourceLevels.put(Objects.toString(ch.locationId, ""), sent.quantity());
            }
            inStep(pool, channel, ch);
            propagated(ctx, pool);
        } else {
            ch.failures++;
            ch.failuresInARow++;
            ch.lastFailure = r.reason() == null ? r.status() : r.status() + "/" + r.reason();
            ch.lastWrittenWanted = null; // send it again
            if ("CONFLICT".equals(r.reason()) && !channel.equals(ctx.source())) {
                // Its level changed since we last knew it (a sale there, a hand edit, or a change the platform sends
                // no event for, as WooCommerce's own stock changes): the next tick writes the pool's value
                // unconditionally. On the source a CONFLICT is stock moving: its level event brings the new value.
                ch.unconditional = true;
                ch.retryAt = null;
                ctx.dirty(pool);
                return;
            }
            long backoff = coalesceInterval.toMillis() << Math.min(ch.failuresInARow - 1, 20);
            ch.retryAt = ctx.now + Math.min(backoff, MAX_RETRY_BACKOFF.toMillis()) - coalesceInterval.toMillis();
        }
        ctx.dirty(pool);
    }

    /** Records the propagations every other channel has now confirmed. */
    private void propagated(Ctx ctx, PoolState pool) {
        var it = pool.propagating.iterator();
        while (it.hasNext()) {
            Propagation p = it.next();
            long last = Long.MIN_VALUE;
            boolean all = true;
            for (var e : pool.channels.entrySet()) {
                ChannelState c = e.getValue();
                if (e.getKey().equals(p.channel()) || !ctx.writes(e.getKey())) {
                    continue;
                }
                if (c.confirmedRevision >= p.revision() && c.confirmedAt != null) {
                    last = Math.max(last, c.confirmedAt);
                } else if (c.inflight != null || c.wanted == null || !Objects.equals(c.wanted, c.lastKnown)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                it.remove();
                if (last != Long.MIN_VALUE) {
                    long millis = Math.max(0, last - p.at());
                    MerchantState m = ctx.merchantState();
                    addBounded(m.propagationMillis, millis, MerchantState.MAX_SAMPLES);
                    m.propagationCount++;
                    m.propagationMaxMillis = Math.max(m.propagationMaxMillis, millis);
                    listener.propagated(millis);
                }
            }
        }
    }

    // ---------------------------------------------------------------- writes

    /**
     * The writes due now for {@code merchant}: for each pool changed since the last tick (or waiting for a result), and
     * each channel without a write in flight whose level differs from what it should list, one SetInventoryLevel.
     */
    public List<Write> tick(MerchantView merchant, long now) {
        Ctx ctx = new Ctx(merchant, now);
        MerchantState m = ctx.merchantState();
        List<Write> writes = new ArrayList<>();
        Set<String> still = new TreeSet<>();
        for (String sku : new ArrayList<>(m.dirty)) {
            PoolState pool = ctx.pool(sku);
            if (pool.baselined && tick(ctx, pool, writes)) {
                still.add(sku);
            }
            ctx.pools.put(sku, pool);
        }
        m.dirty = still;
        ctx.merchantDirty = true;
        ctx.flush();
        return writes;
    }

    /** @return whether the pool needs another look (a write in flight, a retry waiting) */
    private boolean tick(Ctx ctx, PoolState pool, List<Write> writes) {
        long available = pool.available(ctx.source());
        boolean again = false;
        for (Channel c : ctx.merchant.stores()) {
            String channel = c.store().toString();
            if (!ctx.writes(channel)) {
                continue;
            }
            ChannelState ch = pool.channels.computeIfAbsent(channel, k -> new ChannelState());
            ChannelRule rule = c.rule() == null ? ChannelRule.DEFAULT : c.rule();
            long wanted = rule.listed(available);
            ch.wanted = wanted;
            if (ch.itemId == null) {
                ch.itemId = stores.directory().get("c|" + channel + "|" + pool.sku);
            }
            if (ch.locationId == null) {
                ch.locationId = ctx.writeLocation(channel, null);
            }
            if (ch.inflight != null) {
                if (ctx.now - ch.inflight.since() <= commandDeadline.toMillis() + coalesceInterval.toMillis()) {
                    again = true;
                    continue;
                }
                // No result past the command's deadline: treat as expired and write again.
                ch.inflight = null;
                ch.failures++;
                ch.failuresInARow++;
                ch.lastFailure = "NO_RESULT";
                ch.lastWrittenWanted = null;
            }
            if (Objects.equals(ch.lastKnown, wanted) && ch.movedByOwnOrderAt == null) {
                behind(ctx, pool, channel, ch, null);
                continue;
            }
            behind(ctx, pool, channel, ch, ch.behindSince == null ? ctx.now : ch.behindSince);
            if (ch.itemId == null) {
                continue; // the channel does not have this SKU (or its item is not known yet)
            }
            if (ch.retryAt != null && ctx.now < ch.retryAt) {
                again = true;
                continue;
            }
            boolean showsMore = ch.lastKnown != null && ch.lastKnown > wanted;
            if (!showsMore && ch.movedByOwnOrderAt == null && Objects.equals(ch.lastWrittenWanted, wanted)) {
                continue; // a hand edit below the pool waits for the pool's next change
            }
            // After its own order the level compared with is unknown: the pool's value is written unconditionally.
            Long expected = ch.unconditional || ch.movedByOwnOrderAt != null ? null : ch.lastKnown;
            ch.writeSeq++;
            String id = UUID.nameUUIDFromBytes(
                            (ISSUER + "/" + pool.merchant + "/" + pool.sku + "/" + channel + "/" + ch.writeSeq)
                                    .getBytes(StandardCharsets.UTF_8))
                    .toString();
            int slash = channel.indexOf('/');
            writes.add(new Write(
                    id,
                    channel.substring(0, slash),
                    channel.substring(slash + 1),
                    ch.itemId,
                    ch.locationId,
                    wanted,
                    expected,
                    ctx.now,
                    ctx.now + commandDeadline.toMillis()));
            ch.inflight = new Inflight(id, wanted, expected, pool.revision, ctx.now);
            ch.unconditional = false;
            ch.movedByOwnOrderAt = null;
            ch.lastWrittenWanted = wanted;
            listener.commandSent(channel);
            again = true;
        }
        propagated(ctx, pool);
        return again;
    }

    /** A channel that shows what it should is no longer behind (until the next tick says otherwise). */
    private void inStep(PoolState pool, String channel, ChannelState ch) {
        if (ch.behindSince != null && ch.wanted != null && ch.wanted.equals(ch.lastKnown)) {
            ch.behindSince = null;
            listener.behind(pool.merchant + "/" + pool.sku + "/" + channel, null);
        }
    }

    private void behind(Ctx ctx, PoolState pool, String channel, ChannelState ch, Long since) {
        if (!Objects.equals(ch.behindSince, since)) {
            ch.behindSince = since;
        }
        listener.behind(pool.merchant + "/" + pool.sku + "/" + channel, since);
    }

    private static Map<String, Long> sum(Map<String, Map<String, Long>> byId) {
        Map<String, Long> total = new HashMap<>();
        byId.values().forEach(units -> units.forEach((sku, n) -> total.merge(sku, n, Long::sum)));
        return total;
    }

    private static <T> void addBounded(List<T> list, T item, int max) {
        list.add(item);
        while (list.size() > max) {
            list.remove(0);
        }
    }

    // ---------------------------------------------------------------- per-input context

    /** The merchant's configuration and the pools one input touched, put back once at the end. */
    private final class Ctx {
        final MerchantView merchant;
        final long now;
        final Map<String, PoolState> pools = new TreeMap<>();
        MerchantState merchantState;
        boolean merchantDirty;

        Ctx(MerchantView merchant, long now) {
            this.merchant = merchant;
            this.now = now;
        }

        String source() {
            return merchant.physical() == null
                    ? null
                    : merchant.physical().store().toString();
        }

        boolean isChannel(String channel) {
            return merchant.stores().stream().anyMatch(c -> c.store().toString().equals(channel));
        }

        /** Whether the pool writes this channel's level: every channel but a source counted over all locations. */
        boolean writes(String channel) {
            return isChannel(channel)
                    && !(channel.equals(source()) && merchant.physical().mode() == PhysicalMode.SUM_OF_LOCATIONS);
        }

        /** Whether a source level at {@code location} is physical stock. */
        boolean countsAsPhysical(String location) {
            var physical = merchant.physical();
            return physical.mode() == PhysicalMode.SUM_OF_LOCATIONS
                    || physical.locationId() == null
                    || physical.locationId().equals(location);
        }

        /** Where the channel's writes go: its rule's location, the physical location for the source, else as seen. */
        String writeLocation(String channel, String seen) {
            for (Channel c : merchant.stores()) {
                if (c.store().toString().equals(channel)
                        && c.rule() != null
                        && c.rule().locationId() != null) {
                    return c.rule().locationId();
                }
            }
            if (channel.equals(source()) && merchant.physical().locationId() != null) {
                return merchant.physical().locationId();
            }
            return seen;
        }

        String link(String channel, String itemId) {
            for (Link l : merchant.links()) {
                if (l.store().toString().equals(channel) && l.itemId().equals(itemId)) {
                    return l.poolSku();
                }
            }
            return null;
        }

        PoolState pool(String sku) {
            return pools.computeIfAbsent(sku, s -> {
                PoolState p = stores.pools().get(merchant.id() + "/" + s);
                return p != null ? p : new PoolState(merchant.id(), s);
            });
        }

        void dirty(PoolState pool) {
            pools.put(pool.sku, pool);
            if (merchantState().dirty.add(pool.sku)) {
                merchantDirty = true;
            }
        }

        MerchantState merchantState() {
            if (merchantState == null) {
                merchantState = stores.merchants().get(merchant.id());
                if (merchantState == null) {
                    merchantState = new MerchantState();
                    merchantState.merchant = merchant.id();
                }
            }
            merchantDirty = true;
            return merchantState;
        }

        void flush() {
            pools.forEach((sku, pool) -> stores.pools().put(merchant.id() + "/" + sku, pool));
            if (merchantDirty && merchantState != null) {
                stores.merchants().put(merchant.id(), merchantState);
            }
        }
    }
}
