package dev.commercesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.stores.ChannelRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * The multichannel demo's verdict: per SKU the units sold, refused by the stores (stock out) and cancelled, the pool
 * (physical, reserved, available), every channel's level as the simulated store shows it against what its rule lists of
 * the pool's available, and the units oversold beyond the unavoidable same-moment races (counted apart); plus the
 * propagation time from a sale to every other channel showing the new stock. Clean when nothing was oversold beyond
 * races and every channel shows exactly what its rule lists. Pure: {@link #judge} takes what the run read.
 *
 * @param channels the stores' platforms in column order
 * @param problems why it is not clean, one line each; empty when clean
 */
public record MultichannelVerdict(
        List<String> channels,
        List<Row> rows,
        List<Oversell> oversells,
        Propagation propagation,
        List<String> problems) {

    /** One SKU's pool as the inventory service reports it (one of {@code GET /pools/{merchant}}'s {@code pools}). */
    public record Pool(String sku, long physical, long reserved, long available) {
        static Pool of(JsonNode pool) {
            return new Pool(
                    pool.path("sku").asText(),
                    pool.path("physical").asLong(),
                    pool.path("reserved").asLong(),
                    pool.path("available").asLong());
        }
    }

    /**
     * Units oversold of one SKU ({@code GET /pools/{merchant}/oversells}, one of its {@code oversells}): a race when its
     * {@code kind} is {@code SAME_MOMENT_RACE}; {@code orders} the orders involved (the service's order keys, the one
     * that crossed zero last).
     */
    public record Oversell(String sku, long units, boolean race, List<String> orders, String at) {
        static Oversell of(JsonNode oversell) {
            List<String> orders = new ArrayList<>();
            oversell.path("involved").forEach(order -> orders.add(order.asText()));
            if (orders.isEmpty() && oversell.hasNonNull("order")) {
                orders.add(oversell.path("order").asText());
            }
            return new Oversell(
                    oversell.path("sku").asText(),
                    oversell.path("units").asLong(),
                    "SAME_MOMENT_RACE".equals(oversell.path("kind").asText()),
                    orders,
                    oversell.path("at").asText(""));
        }
    }

    /** Time from a sale to every other channel showing the new stock ({@code GET /pools/{merchant}/propagation}). */
    public record Propagation(long count, double p50Ms, double p99Ms, double maxMs) {
        static Propagation of(JsonNode propagation) {
            return new Propagation(
                    propagation.path("count").asLong(),
                    propagation.path("p50_ms").asDouble(),
                    propagation.path("p99_ms").asDouble(),
                    propagation.path("max_ms").asDouble());
        }

        String describe() {
            return count == 0
                    ? "no sale propagated"
                    : String.format("p50 %.0f ms, p99 %.0f ms, max %.0f ms over %d sales", p50Ms, p99Ms, maxMs, count);
        }
    }

    /** What the demo's driver did to one SKU, across the stores. */
    public record Tally(long soldUnits, long refusedUnits, long cancelledUnits, long editedUnits) {}

    /**
     * One SKU.
     *
     * @param pool null when the pool does not know the SKU
     * @param levels platform → the store's available units
     * @param listed platform → what the channel's rule lists of the pool's available (empty without a pool)
     */
    public record Row(
            String sku,
            Tally tally,
            Pool pool,
            Map<String, Integer> levels,
            Map<String, Long> listed,
            long oversoldBeyondRaces,
            long raceUnits) {

        boolean channelsEqual() {
            return pool != null
                    && levels.entrySet().stream()
                            .allMatch(e -> listed.containsKey(e.getKey())
                                    && listed.get(e.getKey()) == e.getValue().longValue());
        }
    }

    /**
     * @param pools the merchant's pools
     * @param levels platform → SKU → the simulated store's available units (read from the store, not the pool's view)
     * @param rules platform → its channel rule (absent: {@link ChannelRule#DEFAULT})
     * @param tally SKU → what the driver did
     */
    public static MultichannelVerdict judge(
            List<Pool> pools,
            List<Oversell> oversells,
            Propagation propagation,
            Map<String, Map<String, Integer>> levels,
            Map<String, ChannelRule> rules,
            Map<String, Tally> tally) {
        Map<String, Pool> bySku = new TreeMap<>();
        pools.forEach(p -> bySku.put(p.sku(), p));
        TreeSet<String> skus = new TreeSet<>();
        levels.values().forEach(l -> skus.addAll(l.keySet()));
        List<String> channels = List.copyOf(levels.keySet());
        List<Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String sku : skus) {
            Pool pool = bySku.get(sku);
            Map<String, Integer> shown = new LinkedHashMap<>();
            Map<String, Long> listed = new LinkedHashMap<>();
            for (String channel : channels) {
                Integer level = levels.get(channel).get(sku);
                if (level != null) {
                    shown.put(channel, level);
                }
                if (pool != null) {
                    listed.put(
                            channel,
                            rules.getOrDefault(channel, ChannelRule.DEFAULT).listed(pool.available()));
                }
            }
            long beyond = oversells.stream()
                    .filter(o -> o.sku().equals(sku) && !o.race())
                    .mapToLong(Oversell::units)
                    .sum();
            long races = oversells.stream()
                    .filter(o -> o.sku().equals(sku) && o.race())
                    .mapToLong(Oversell::units)
                    .sum();
            Row row = new Row(sku, tally.getOrDefault(sku, new Tally(0, 0, 0, 0)), pool, shown, listed, beyond, races);
            rows.add(row);
            if (pool == null) {
                problems.add(sku + ": the pool does not know it");
            } else {
                shown.forEach((channel, level) -> {
                    if (listed.get(channel) != level.longValue()) {
                        problems.add(String.format(
                                "%s: %s shows %d, its rule lists %d of the pool's %d available",
                                sku, channel, level, listed.get(channel), pool.available()));
                    }
                });
            }
            if (beyond > 0) {
                problems.add(String.format(
                        "%s: %d unit(s) oversold beyond same-moment races (orders %s)",
                        sku,
                        beyond,
                        String.join(
                                ", ",
                                oversells.stream()
                                        .filter(o -> o.sku().equals(sku) && !o.race())
                                        .flatMap(o -> o.orders().stream())
                                        .toList())));
            }
        }
        return new MultichannelVerdict(channels, rows, List.copyOf(oversells), propagation, problems);
    }

    /** Nothing oversold beyond same-moment races, and every channel shows what its rule lists of the pool. */
    public boolean clean() {
        return problems.isEmpty();
    }

    public long total(ToLongFunction<Row> column) {
        return rows.stream().mapToLong(column).sum();
    }

    /** SKUs whose every channel shows what its rule lists. */
    public long skusEqual() {
        return rows.stream().filter(Row::channelsEqual).count();
    }

    /** The per-SKU table: a channel's level is followed by {@code ≠<listed>} where it differs from its rule's. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                "%-10s %5s %7s %9s %8s %8s %9s",
                "sku", "sold", "refused", "cancelled", "physical", "reserved", "available"));
        for (String channel : channels) {
            out.append(String.format(" %12s", channel));
        }
        out.append(String.format(" %8s %5s%n", "oversold", "races"));
        for (Row row : rows) {
            out.append(String.format(
                    "%-10s %5d %7d %9d %8s %8s %9s",
                    row.sku(),
                    row.tally().soldUnits(),
                    row.tally().refusedUnits(),
                    row.tally().cancelledUnits(),
                    row.pool() == null ? "-" : Long.toString(row.pool().physical()),
                    row.pool() == null ? "-" : Long.toString(row.pool().reserved()),
                    row.pool() == null ? "-" : Long.toString(row.pool().available())));
            for (String channel : channels) {
                Integer level = row.levels().get(channel);
                Long listed = row.listed().get(channel);
                String cell = level == null
                        ? "-"
                        : listed == null || listed == level.longValue()
                                ? Integer.toString(level)
                                : level + "≠" + listed;
                out.append(String.format(" %12s", cell));
            }
            out.append(String.format(" %8d %5d%n", row.oversoldBeyondRaces(), row.raceUnits()));
        }
        return out.toString();
    }

    /** The verdict's closing lines: races with their orders, totals, propagation, and why it is not clean. */
    public String summary() {
        StringBuilder out = new StringBuilder();
        for (Oversell race : oversells.stream().filter(Oversell::race).toList()) {
            out.append(String.format(
                    "  same-moment race: %s, %d unit(s), orders %s%s%n",
                    race.sku(),
                    race.units(),
                    String.join(", ", race.orders()),
                    race.at().isEmpty() ? "" : " at " + race.at()));
        }
        out.append(String.format(
                "%s: %d units sold, %d refused by the stores (stock out), %d cancelled; %d oversold beyond"
                        + " same-moment races, %d in races; channels equal to the pool for %d/%d SKUs;"
                        + " propagation %s.%n",
                clean() ? "CLEAN" : "NOT CLEAN",
                total(r -> r.tally().soldUnits()),
                total(r -> r.tally().refusedUnits()),
                total(r -> r.tally().cancelledUnits()),
                total(Row::oversoldBeyondRaces),
                total(Row::raceUnits),
                skusEqual(),
                rows.size(),
                propagation.describe()));
        problems.forEach(p -> out.append("  ").append(p).append('\n'));
        return out.toString();
    }
}
