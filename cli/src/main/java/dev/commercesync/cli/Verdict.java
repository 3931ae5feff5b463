package dev.commercesync.cli;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.StoreSnapshot;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compares simulated stores with the target database (sync-writer's {@code target.entity_versions}), entity by entity:
 * missing (in the store, not in the target), stale (the target holds an older updated-at or, for inventory levels,
 * another quantity, available else on hand: BigCommerce and Adobe Commerce give levels no updated-at), extra (in the
 * target, not in the store) and duplicated (one platform entity under several keys).
 */
public record Verdict(List<Row> rows) {
    /** The mark of a row whose type the platform cannot list: shown, not judged (docs/reconciler.md). */
    static final String NOT_RECONCILABLE = "not reconcilable: the platform cannot list it (shown, not judged)";

    /**
     * @param judged whether the row counts for the verdict: types the platform's adapter can list (by updated-at, or
     *     as a snapshot compared by content), which the reconciler heals; the others are "not reconcilable": shown,
     *     since their webhooks are the only way they arrive, never counted as drift
     */
    public record Row(
            String platform,
            String store,
            EntityType type,
            int expected,
            int found,
            int missing,
            int stale,
            int extra,
            int duplicated,
            boolean judged,
            List<String> examples) {
        /** How many example entity ids a row keeps: enough to open a few traces, never the whole drift. */
        static final int EXAMPLES = 3;

        public Row {
            examples = List.copyOf(examples);
        }

        public boolean clean() {
            return missing == 0 && stale == 0 && extra == 0 && duplicated == 0;
        }
    }

    /** Every judged row is clean. */
    public boolean clean() {
        return rows.stream().filter(Row::judged).allMatch(Row::clean);
    }

    /** A column summed over the judged rows. */
    public int total(java.util.function.ToIntFunction<Row> column) {
        return rows.stream().filter(Row::judged).mapToInt(column).sum();
    }

    /** Compares one store's type with the target. */
    @FunctionalInterface
    interface Comparison {
        Row compare(StoreSnapshot store, EntityType type, boolean judged) throws SQLException;
    }

    /**
     * Every store, one row per canonical entity type.
     *
     * @param reconcilable per platform, the types its adapter can list ({@code PlatformCapabilities#reconcilable()}):
     *     judged; the others are rows marked not reconcilable
     */
    static Verdict compare(
            String jdbcUrl, String user, List<StoreSnapshot> stores, Map<String, Set<EntityType>> reconcilable)
            throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, "")) {
            return compare(stores, reconcilable, (store, type, judged) -> compare(c, store, type, judged));
        }
    }

    static Verdict compare(List<StoreSnapshot> stores, Map<String, Set<EntityType>> reconcilable, Comparison comparison)
            throws SQLException {
        List<Row> rows = new ArrayList<>();
        for (StoreSnapshot store : stores) {
            Set<EntityType> judged = reconcilable.getOrDefault(store.platform(), Set.of());
            for (EntityType type : EntityType.values()) {
                rows.add(comparison.compare(store, type, judged.contains(type)));
            }
        }
        return new Verdict(rows);
    }

    private static Row compare(Connection c, StoreSnapshot store, EntityType type, boolean judged) throws SQLException {
        Map<String, Instant> updatedAt = new HashMap<>();
        Map<String, Integer> keysPerId = new HashMap<>();
        Map<String, Integer> available = new HashMap<>();
        try {
            try (PreparedStatement st =
                    c.prepareStatement("select entity_id, source_updated_at from target.entity_versions"
                            + " where platform = ? and store = ? and entity_type = ? and not deleted")) {
                st.setString(1, store.platform());
                st.setString(2, store.storeId());
                st.setString(3, type.name());
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        Timestamp updated = rs.getTimestamp(2);
                        if (updated != null) {
                            updatedAt.merge(id, updated.toInstant(), (a, b) -> a.isAfter(b) ? a : b);
                        }
                        keysPerId.merge(id, 1, Integer::sum);
                    }
                }
            }
            if (type == EntityType.INVENTORY_LEVEL) {
                // Stock is compared by quantity too: a platform may give levels no updated-at (BigCommerce, Adobe
                // Commerce). The quantity the platform shows is available, else on hand (an MSI source item's).
                try (PreparedStatement st =
                        c.prepareStatement("select entity_id, coalesce(available, on_hand) from target.inventory_levels"
                                + " where platform = ? and store = ? and not deleted"
                                + " and coalesce(available, on_hand) is not null")) {
                    st.setString(1, store.platform());
                    st.setString(2, store.storeId());
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            available.put(rs.getString(1), rs.getInt(2));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) { // the sync-writer has not created its tables (yet)
                return new Row(
                        store.platform(),
                        store.storeId(),
                        type,
                        store.count(type),
                        0,
                        store.count(type),
                        0,
                        0,
                        0,
                        judged,
                        List.of());
            }
            throw e;
        }
        int missing = 0;
        int stale = 0;
        List<String> examples = new ArrayList<>();
        for (StoreSnapshot.EntityVersion e : store.of(type)) {
            if (!keysPerId.containsKey(e.id())) {
                missing++;
                example(examples, e.id());
                continue;
            }
            Instant applied = updatedAt.get(e.id());
            boolean olderVersion = applied != null && applied.isBefore(e.updatedAt());
            boolean otherStock = e.available() != null && !e.available().equals(available.get(e.id()));
            // No updated-at in the target and no quantity to compare: nothing tells the versions apart.
            boolean unknown = applied == null && e.available() == null;
            if (olderVersion || otherStock || unknown) {
                stale++;
                example(examples, e.id());
            }
        }
        List<String> extraIds = keysPerId.keySet().stream()
                .filter(id -> store.find(type, id).isEmpty())
                .sorted()
                .toList();
        extraIds.forEach(id -> example(examples, id));
        int extra = extraIds.size();
        List<String> duplicatedIds = keysPerId.entrySet().stream()
                .filter(n -> n.getValue() > 1)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        duplicatedIds.forEach(id -> example(examples, id));
        int duplicated = duplicatedIds.size();
        return new Row(
                store.platform(),
                store.storeId(),
                type,
                store.count(type),
                keysPerId.size(),
                missing,
                stale,
                extra,
                duplicated,
                judged,
                examples);
    }

    private static void example(List<String> examples, String id) {
        if (examples.size() < Row.EXAMPLES) {
            examples.add(id);
        }
    }

    /**
     * Where the console explains each judged row that is not clean (docs/console.md): the store's page (operation
     * states, quarantine, dead letters, reconciliation findings) and the trace of a few of its entities. Empty when
     * the verdict is clean.
     *
     * @param console the console's base URL, e.g. {@code http://127.0.0.1:8087}
     */
    public String explanations(String console) {
        StringBuilder b = new StringBuilder();
        for (Row r : rows) {
            if (!r.judged() || r.clean()) {
                continue;
            }
            String platform = encode(r.platform());
            String store = encode(r.store());
            b.append(String.format(
                    "%s/%s %s: %s%n  store: %s/console/stores/%s/%s%n",
                    r.platform(),
                    r.store(),
                    r.type().name().toLowerCase(Locale.ROOT),
                    drift(r),
                    console,
                    platform,
                    store));
            for (String id : r.examples()) {
                b.append(String.format(
                        "  trace: %s/console/trace?platform=%s&store=%s&q=%s&entity_type=%s   (synctl trace %s %s %s"
                                + " --type %s)%n",
                        console,
                        platform,
                        store,
                        encode(id),
                        r.type().name(),
                        r.platform(),
                        r.store(),
                        id,
                        r.type().name()));
            }
        }
        return b.toString();
    }

    private static String drift(Row r) {
        List<String> parts = new ArrayList<>();
        if (r.missing() > 0) {
            parts.add(r.missing() + " missing");
        }
        if (r.stale() > 0) {
            parts.add(r.stale() + " stale");
        }
        if (r.extra() > 0) {
            parts.add(r.extra() + " extra");
        }
        if (r.duplicated() > 0) {
            parts.add(r.duplicated() + " duplicated");
        }
        return String.join(", ", parts);
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The verdict as a table for people. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                "%-12s %-38s %-16s %8s %8s %8s %6s %6s %11s%n",
                "platform", "store", "type", "store", "target", "missing", "stale", "extra", "duplicated"));
        for (Row r : rows) {
            b.append(String.format(
                    "%-12s %-38s %-16s %8d %8d %8d %6d %6d %11d%s%n",
                    r.platform(),
                    abbreviate(r.store(), 38),
                    r.type().name().toLowerCase(Locale.ROOT),
                    r.expected(),
                    r.found(),
                    r.missing(),
                    r.stale(),
                    r.extra(),
                    r.duplicated(),
                    !r.judged() ? "  " + NOT_RECONCILABLE : r.clean() ? "" : "  <--"));
        }
        return b.toString();
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : "…" + s.substring(s.length() - max + 1);
    }
}
