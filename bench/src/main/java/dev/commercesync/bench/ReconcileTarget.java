package dev.commercesync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.StoreSnapshot.EntityVersion;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.postgresql.PGConnection;

/** The reconcile benchmark's target table: seeded as sync-writer would leave it, then drifted and checked. */
final class ReconcileTarget {
    private final String platform;
    private final double drift;

    ReconcileTarget(String platform, double drift) {
        this.platform = platform;
        this.drift = drift;
    }

    /** The injected drift of one store. */
    record Drift(TreeSet<String> missing, TreeSet<String> stale) {
        int size() {
            return missing.size() + stale.size();
        }
    }

    /**
     * The target as sync-writer would have left it after applying every product once: one live row per product in
     * {@code target.products} with the columns sync-writer writes (entity key, version from updated-at in epoch
     * milliseconds — the platforms' events carry no numeric source version —, version basis, source_updated_at, event
     * id, mapping version) and a representative canonical JSON in {@code data}. Variants are left out: the reconciler
     * reads only {@code target.entity_versions}.
     */
    void seedTarget(Connection db, String store, String mappingVersion, List<EntityVersion> entities)
            throws SQLException, IOException {
        try (Statement s = db.createStatement()) {
            s.execute("TRUNCATE target.products CASCADE");
        }
        String copy = "COPY target.products (entity_key, platform, store, entity_type, entity_id, version,"
                + " version_basis, source_version, source_updated_at, deleted, event_id, mapping_version, applied_at,"
                + " data, title, handle, status, vendor, product_type) FROM STDIN (FORMAT csv)";
        PGConnection pg = db.unwrap(PGConnection.class);
        StringBuilder chunk = new StringBuilder(1 << 20);
        Instant appliedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < entities.size(); i++) {
            EntityVersion e = entities.get(i);
            String key = platform + "/" + store + "/product/" + e.id();
            String title = "Simulated product " + e.id();
            String handle = "simulated-product-" + e.id();
            String data = "{\"id\":\"" + e.id() + "\",\"title\":\"" + title + "\",\"handle\":\"" + handle
                    + "\",\"status\":\"active\",\"vendor\":\"Simulated Goods\",\"product_type\":\"simple\","
                    + "\"updated_at\":\"" + e.updatedAt() + "\",\"variants\":[{\"sku\":\"SKU-" + e.id()
                    + "\",\"price\":19.99,\"currency\":\"USD\"}]}";
            chunk.append(key)
                    .append(',')
                    .append(platform)
                    .append(',')
                    .append(store)
                    .append(",PRODUCT,")
                    .append(e.id())
                    .append(',')
                    .append(e.updatedAt().toEpochMilli())
                    .append(",SOURCE_UPDATED_AT,,")
                    .append(e.updatedAt())
                    .append(",false,")
                    .append(eventId(key, e.updatedAt()))
                    .append(',')
                    .append(mappingVersion)
                    .append(',')
                    .append(appliedAt)
                    .append(",\"")
                    .append(data.replace("\"", "\"\""))
                    .append("\",")
                    .append(title)
                    .append(',')
                    .append(handle)
                    .append(",active,Simulated Goods,simple\n");
            if (chunk.length() > (1 << 20) - 2048 || i == entities.size() - 1) {
                pg.getCopyAPI().copyIn(copy, new StringReader(chunk.toString()));
                chunk.setLength(0);
            }
        }
        analyze(db);
    }

    /** sync-writer's event id of a polled product: the name-based UUID of its computed dedup key. */
    static String eventId(String entityKey, Instant updatedAt) {
        return UUID.nameUUIDFromBytes((entityKey + "@" + updatedAt).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }

    static void analyze(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("VACUUM (ANALYZE) target.products");
        }
    }

    /**
     * Drifts {@code share} of the products, the two ways a target falls behind: the first half (rounded up) deleted
     * from the target — missing (lost rows, any age) —, the rest edited on the platform since the last clean pass
     * with no webhook reaching the target — stale (lost updates: the target keeps the version before).
     */
    Drift injectDrift(
            Connection db,
            SimulatedStore store,
            List<EntityVersion> entities,
            SplittableRandom random,
            Instant lastCleanStart)
            throws SQLException {
        int total = (int) Math.max(drift > 0 ? 1 : 0, Math.round(entities.size() * drift));
        int missing = (total + 1) / 2;
        TreeSet<Integer> picked = new TreeSet<>();
        while (picked.size() < total) {
            picked.add(random.nextInt(entities.size()));
        }
        TreeSet<String> missingIds = new TreeSet<>();
        TreeSet<String> staleIds = new TreeSet<>();
        // Lost updates happen between the last clean pass and now (the passes' settle is 1 s).
        long from = lastCleanStart.getEpochSecond() - 30;
        long to = Instant.now().getEpochSecond() - 2;
        try (PreparedStatement delete = db.prepareStatement("DELETE FROM target.products WHERE entity_key = ?")) {
            int i = 0;
            for (int index : picked) {
                EntityVersion e = entities.get(index);
                if (i++ < missing) {
                    String key = platform + "/" + store.storeId() + "/product/" + e.id();
                    delete.setString(1, key);
                    check(delete.executeUpdate(), key);
                    missingIds.add(e.id());
                } else {
                    Instant at = Instant.ofEpochSecond(from + random.nextLong(Math.max(1, to - from)));
                    store.touch(
                            ReconcileBench.TYPE,
                            e.id(),
                            at.isAfter(e.updatedAt()) ? at : e.updatedAt().plusSeconds(1));
                    staleIds.add(e.id());
                }
            }
        }
        analyze(db);
        return new Drift(missingIds, staleIds);
    }

    static void check(int rows, String key) {
        if (rows != 1) {
            throw new IllegalStateException("target row " + key + " not found");
        }
    }

    /** Null when the report's findings are exactly the injected drift, else what differs. */
    static String compare(Drift drift, JsonNode report) {
        TreeSet<String> missing = new TreeSet<>();
        TreeSet<String> stale = new TreeSet<>();
        Map<String, Integer> other = new TreeMap<>();
        for (JsonNode type : report.path("types")) {
            if (type.hasNonNull("error")) {
                return "error: " + type.path("error").asText();
            }
            for (JsonNode f : type.path("findings")) {
                String kind = f.path("kind").asText();
                switch (kind) {
                    case "MISSING" -> missing.add(f.path("entity_id").asText());
                    case "STALE" -> stale.add(f.path("entity_id").asText());
                    default -> other.merge(kind, 1, Integer::sum);
                }
            }
        }
        if (missing.equals(drift.missing()) && stale.equals(drift.stale()) && other.isEmpty()) {
            return null;
        }
        return String.format(
                Locale.ROOT,
                "found %d missing, %d stale, %s; injected %d missing, %d stale (%d missing and %d stale not found)",
                missing.size(),
                stale.size(),
                other.isEmpty() ? "nothing else" : other,
                drift.missing().size(),
                drift.stale().size(),
                drift.missing().stream().filter(id -> !missing.contains(id)).count(),
                drift.stale().stream().filter(id -> !stale.contains(id)).count());
    }
}
